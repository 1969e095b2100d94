namespace IgLive.Service.Features.Events.Fanout;

/// <summary>
/// How a change is announced to the live streams of every instance: <c>pg_notify</c> on one channel, sent only once
/// the change has committed, so nothing is announced for a rolled-back one. Payloads carry ids only (NOTIFY's
/// 8,000-byte limit; the hub re-reads state):
/// <list type="bullet">
/// <item><c>v:&lt;video id&gt;</c> — a video's counters changed (coalesced per video by each instance's hub).</item>
/// <item><c>s:&lt;video id&gt;</c> — a video's status changed; its owner's streams get the <c>video</c> event too.</item>
/// <item><c>c:&lt;comment id&gt;:&lt;video id&gt;</c> — a comment was added (subscribers of its video get the <c>comment</c> event).</item>
/// <item><c>n:&lt;user id&gt;</c> — the user's notifications changed (their streams pull what changed).</item>
/// <item><c>u:&lt;user id&gt;</c> — the user's account state changed (suspended or lifted); see <see cref="ILiveEventObserver"/>.</item>
/// </list>
/// A live-update hint (<c>v:</c>, <c>c:</c>, <c>n:</c>: likes, comments, views, follows, shares, notifications read or
/// written) is announced AFTER the writer's commit through <see cref="LiveAnnouncer"/>, batched per instance: the
/// statement returns what changed and the endpoint queues the payloads. A notifying commit would hold PostgreSQL's
/// cluster-wide NOTIFY lock across its WAL flush, serialising every notifying commit of the cluster. A crash between
/// the commit and the send loses the hint, never data. Only an announcement whose loss would break a guarantee goes
/// inside the transaction with <see cref="AnnounceAsync"/>: <c>u:</c> (a suspension must stop the author's writes on
/// every instance once it commits). <c>s:</c> is sent by <see cref="LiveVideoStatusNotifier"/> after its commit.
/// </summary>
public static class LiveEvents
{
    /// <summary>The one LISTEN/NOTIFY channel.</summary>
    public const string Channel = "iglive_events";

    /// <summary>
    /// Announces a video's status change to its owner and its subscribers; sent after the commit that sets
    /// <c>videos.status</c> (<see cref="LiveVideoStatusNotifier"/>), never inside that transaction.
    /// </summary>
    public static string VideoStatus(Guid videoId) => "s:" + videoId.ToString("D");

    /// <summary>A video's counters changed.</summary>
    public static string VideoCounters(Guid videoId) => "v:" + videoId.ToString("D");

    /// <summary>A user's notifications changed (written, collapsed, read or removed).</summary>
    public static string UserNotifications(Guid userId) => "n:" + userId.ToString("D");

    /// <summary>The first letter of <see cref="AccountState"/>.</summary>
    public const char AccountStateKind = 'u';

    /// <summary>A user's account state changed (suspended or lifted): every instance forgets what it cached of it.</summary>
    public static string AccountState(Guid userId) => AccountStateKind + ":" + userId.ToString("D");

    /// <summary>A comment was added.</summary>
    public static string CommentAdded(Guid commentId, Guid videoId) => "c:" + commentId.ToString("D") + ":" + videoId.ToString("D");

    /// <summary>
    /// Sends one announcement on <paramref name="conn"/>: inside <paramref name="tx"/> it is delivered when that commits
    /// (and never if it rolls back); without one, at once.
    /// </summary>
    public static async Task AnnounceAsync(NpgsqlConnection conn, string payload, CancellationToken ct, NpgsqlTransaction? tx = null)
    {
        await using var cmd = new NpgsqlCommand("SELECT pg_notify('" + Channel + "', $1)", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = payload });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
