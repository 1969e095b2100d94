namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>
/// "Visible" for Discovery's queries, as SQL fragments composed into their constants: the video <c>v</c> is live,
/// ready and not removed, its author is not suspended, and no block exists either way between <c>@ViewerId</c> (null
/// when anonymous: the probes find nothing) and the author. Suspended authors are few, so the planner hashes them
/// (profiles_suspended_idx) instead of probing profiles per candidate row; the same holds for the viewer's blocks.
/// </summary>
// TODO(#15): use Features/Common/Visibility once it is on main.
internal static class DiscoveryVisibility
{
    /// <summary>Video <c>v</c> visible to everyone (the trending job's rule: no viewer).</summary>
    public const string Public = "\n" + """
        v.expires_at > @Now AND v.status = 'ready' AND v.removed_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL)
        """;

    // No block either way between @ViewerId and the user id that follows each fragment.
    private const string NoBlockHead = " AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocker_id = @ViewerId AND b.blocked_id = ";
    private const string NoBlockMiddle = ") AND NOT EXISTS (SELECT 1 FROM user_blocks b WHERE b.blocked_id = @ViewerId AND b.blocker_id = ";

    /// <summary>Video <c>v</c> visible to <c>@ViewerId</c>.</summary>
    public const string ForViewer = Public + NoBlockHead + "v.user_id" + NoBlockMiddle + "v.user_id)";

    /// <summary>Profile <c>p</c> visible to <c>@ViewerId</c> in search: not suspended, no block either way.</summary>
    public const string Profile = "p.suspended_at IS NULL" + NoBlockHead + "p.id" + NoBlockMiddle + "p.id)";
}
