namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>
/// The shared visibility rule (<see cref="Visibility"/>) as Discovery's queries compose it: the video <c>v</c> is live,
/// ready and not removed, its author is not suspended (a probe per candidate row: these queries have no author row
/// where the page is chosen), and no block exists either way between <c>@Viewer</c> and the author (one InitPlan per
/// statement).
/// </summary>
internal static class DiscoveryVisibility
{
    /// <summary>Video <c>v</c> visible to everyone (the trending job's rule: there is no caller).</summary>
    public const string Public = "\n" + Visibility.VideoLive + "\n  AND " + Visibility.ActiveAuthorProbe;

    /// <summary>Video <c>v</c> visible to <c>@Viewer</c> (null when anonymous).</summary>
    public const string ForViewer = "\n" + Visibility.Video + "\n  AND " + Visibility.ActiveAuthorProbe;

    /// <summary>Profile <c>p</c> listed in search for <c>@Viewer</c>: not suspended, no block either way.</summary>
    public const string Profile = "p.suspended_at IS NULL AND " + Visibility.Profile;
}
