using IgLive.Service.Features.Events.Fanout;

namespace IgLive.Service.Features.Moderation.Suspension;

/// <summary>
/// Makes a suspension or its lift apply at once on every instance: the moderator's instance announces
/// <see cref="LiveEvents.AccountState"/> with the commit, and every instance forgets what its <see cref="SuspensionGate"/>
/// remembered of that user. While the listener is down, entries still expire after
/// <see cref="SuspensionOptions.SuspensionCacheSeconds"/>, and all of them go when it reconnects.
/// </summary>
public sealed class SuspensionObserver(SuspensionStates states) : ILiveEventObserver
{
    public char Kind => LiveEvents.AccountStateKind;

    public void OnAnnounced(Guid id) => states.Forget(id);

    public void OnResync() => states.ForgetAll();
}
