namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>
/// Prefixes that fix PostgreSQL's plan choice for the one statement they precede, in the same round trip. Each is a DO
/// block that sets plan_cache_mode (and jit = off) for the current transaction; sent in one command with the statement
/// and outside BEGIN, that transaction is the command's batch (Npgsql sends one Sync per command, and PostgreSQL commits
/// or rolls back at the Sync), so the settings hold for the statement alone, also when it fails or is cancelled. Npgsql
/// skips the DO's empty result, so Dapper reads the statement's rows. Inside a caller's explicit transaction they would
/// last to its end: the Discovery endpoints open none. (SET LOCAL would warn on every call outside BEGIN; an explicit
/// transaction costs two more round trips.)
/// <para>
/// Why: for an auto-prepared statement PostgreSQL plans custom for five executions, then keeps the generic plan only if
/// its estimated cost is below theirs (planning included). The one-word search's generic plan estimates every unknown
/// range, LIMIT and word frequency from defaults and looks dearer than its custom plans, although it is the same plan:
/// on the 1M-video seed it was never chosen (pg_prepared_statements: 0 generic, 10 custom in 10 executions), so every
/// search was planned again, ~1 ms of PostgreSQL's ~2.5 (docs/benchmarks.md, "plan mode per statement"). Several words
/// are the opposite case: their tsquery must be a constant when the plan is chosen (GIN bitmap for a rare word, the
/// newest-first walk when every word is common), and such a plan's estimate can pass jit_above_cost (110,000 for
/// <c>disport ov</c>): JIT compilation would then cost more than the statement.
/// </para>
/// </summary>
internal static class PlanCacheMode
{
    /// <summary>The generic plan from the first prepared execution: for statements whose plan is fixed by their shape.</summary>
    public const string Generic = Head + "force_generic_plan" + Tail;

    /// <summary>A plan for the values of every execution: for statements whose best plan depends on them.</summary>
    public const string Custom = Head + "force_custom_plan" + Tail;

    private const string Head = "DO $$BEGIN PERFORM set_config('plan_cache_mode', '";
    private const string Tail = "', true); PERFORM set_config('jit', 'off', true); END$$;\n";
}
