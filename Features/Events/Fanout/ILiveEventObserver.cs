namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// Another area's reaction to announcements of its own kind (<see cref="LiveEvents"/>): the hub hands every payload
/// whose first letter is <see cref="Kind"/> to the observers registered for it, on every instance. Keep
/// <see cref="OnAnnounced"/> cheap (it runs on the LISTEN connection's loop).
/// </summary>
public interface ILiveEventObserver
{
    /// <summary>The payload's first letter this observer handles, e.g. <c>'u'</c>.</summary>
    char Kind { get; }

    /// <summary>A change of <paramref name="id"/> was committed somewhere.</summary>
    void OnAnnounced(Guid id);

    /// <summary>The listener reconnected: announcements sent meanwhile are lost.</summary>
    void OnResync();
}
