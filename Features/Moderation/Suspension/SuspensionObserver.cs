using IgLive.Service.Features.Events.Fanout;
using Microsoft.Extensions.Caching.Memory;

namespace IgLive.Service.Features.Moderation.Suspension;

/// <summary>
/// Makes a suspension or its lift apply at once on every instance: the moderator's instance announces
/// <see cref="LiveEvents.AccountState"/> with the commit, and every instance forgets what its <see cref="SuspensionGate"/>
/// remembered of that user. While the listener is down, entries still expire after <see cref="SuspensionGate.CacheFor"/>.
/// </summary>
public sealed class SuspensionObserver(IMemoryCache cache) : ILiveEventObserver
{
    public char Kind => LiveEvents.AccountStateKind;

    public void OnAnnounced(Guid id) => SuspensionGate.Forget(cache, id);

    public void OnResync() { } // what was missed expires within SuspensionGate.CacheFor
}
