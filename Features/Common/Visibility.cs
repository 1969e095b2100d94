namespace IgLive.Service.Features.Common;

/// <summary>
/// The one visibility rule of the contract ("visible": live, ready, not removed by a moderator, author not suspended,
/// no block either way between the caller and the author), as SQL fragments to compose into <c>const</c> SQL:
/// <c>const string X = "… WHERE " + Visibility.Video + " AND …";</c>.
/// Conventions every fragment relies on: the video row is aliased <c>v</c>, its author's profile row <c>p</c> (joined
/// anyway for the embedded author), the caller is the uuid parameter <c>@Viewer</c> (NULL when anonymous) and the
/// query's time is <c>@Now</c> (the injected clock, as everywhere: tests move it). A query that cannot follow the
/// aliases composes the parts: <c>"x.user_id" + Visibility.NotBlockedWithViewer</c>.
/// Why these shapes (docs/explain.md, "Visibility"): the block test is one <c>&lt;&gt; ALL (ARRAY(…))</c> whose
/// sub-select does not depend on the row, so PostgreSQL runs it once per statement as an InitPlan (two index probes
/// of user_blocks for the caller, none for an anonymous one) and each scanned row costs only a comparison with the
/// caller's usually empty list: no per-row probe, no join the planner could turn into a hash over all blocks. Every
/// test belongs where the page is chosen (inside the derived table, before its LIMIT), or a page comes back short:
/// for the suspended author that is <see cref="ActiveAuthorProbe"/> (a primary-key probe per scanned row; measured
/// cheaper than moving the author join inside the derived table), or <see cref="ActiveAuthor"/> where the query
/// joins the author at the level that filters (one row by id).
/// </summary>
public static class Visibility
{
    /// <summary>
    /// <c>&lt;column&gt; &lt;&gt; ALL (users blocked by or blocking @Viewer)</c>: append to a user-id column.
    /// user_blocks_pkey for the caller's blocks, user_blocks_blocked_idx for blocks of the caller; once per statement.
    /// </summary>
    public const string NotBlockedWithViewer = """
         <> ALL (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = @Viewer
                       UNION ALL
                       SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = @Viewer))
        """;

    /// <summary>The same list, positive: <c>&lt;column&gt; = ANY (…)</c>, true when the pair is blocked either way.</summary>
    public const string BlockedWithViewer = """
         = ANY (ARRAY(SELECT b.blocked_id FROM user_blocks b WHERE b.blocker_id = @Viewer
                      UNION ALL
                      SELECT b.blocker_id FROM user_blocks b WHERE b.blocked_id = @Viewer))
        """;

    /// <summary>The row-local part of a visible video <c>v</c>: live at @Now, ready, not removed.</summary>
    public const string VideoLive = "v.expires_at > @Now AND v.status = 'ready' AND v.removed_at IS NULL";

    /// <summary>
    /// Like <see cref="VideoLive"/>, but the owner (@Viewer) also sees their own processing and failed videos (GET by id,
    /// their own list). Removed and expired videos stay hidden from the owner too.
    /// </summary>
    public const string VideoLiveToOwner = "v.expires_at > @Now AND v.removed_at IS NULL AND (v.status = 'ready' OR v.user_id = @Viewer)";

    /// <summary>A visible video <c>v</c> (everyone's view): live, ready, not removed, author not blocked either way.</summary>
    public const string Video = VideoLive + " AND v.user_id" + NotBlockedWithViewer;

    /// <summary>A video <c>v</c> visible to @Viewer, who may be its owner (see <see cref="VideoLiveToOwner"/>).</summary>
    public const string VideoToOwner = VideoLiveToOwner + " AND v.user_id" + NotBlockedWithViewer;

    /// <summary>The author profile <c>p</c> of a video is not suspended (their videos are hidden while suspended).</summary>
    public const string ActiveAuthor = "p.suspended_at IS NULL";

    /// <summary>
    /// For a query with no author row at hand: the author of <c>v</c> is not suspended, one profiles_pkey probe per
    /// row. OFFSET 0 keeps it a per-row subplan (never pulled up into a hash anti-join over all profiles).
    /// </summary>
    public const string ActiveAuthorProbe =
        "NOT EXISTS (SELECT 1 FROM profiles sp WHERE sp.id = v.user_id AND sp.suspended_at IS NOT NULL OFFSET 0)";

    /// <summary>A comment <c>c</c> whose author is not blocked either way (the video's own visibility is checked apart).</summary>
    public const string Comment = "c.user_id" + NotBlockedWithViewer;

    /// <summary>A profile <c>p</c> the caller may see: no block either way (blocked pair → 404).</summary>
    public const string Profile = "p.id" + NotBlockedWithViewer;

    /// <summary>
    /// Why a write on video @VideoId found nothing to act on: true when the video is live but its author and the caller
    /// are blocked either way (→ 403), false when it is unknown or not visible (→ 404). Only run on the refusal path;
    /// videos_pkey, the two user_blocks probes.
    /// </summary>
    public const string VideoBlockedForViewer =
        "SELECT EXISTS (SELECT 1 FROM videos v WHERE v.id = @VideoId AND " + VideoLive + " AND v.user_id" + BlockedWithViewer + ")";

    /// <summary>The detail of the 403 for a write across a block.</summary>
    public const string BlockedDetail = "One of you has blocked the other: this is not allowed between you.";
}
