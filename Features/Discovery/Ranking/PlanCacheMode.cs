namespace IgLive.Service.Features.Discovery.Ranking;

/// <summary>
/// Prefixes that fix PostgreSQL's plan choice for the one statement they precede, in the same round trip. Each is a DO
/// block that sets plan_cache_mode for the current transaction; sent in one command with the statement and outside
/// BEGIN, that transaction is the command's batch (PostgreSQL commits it at the batch's Sync), so the setting lasts for
/// the statement alone. Npgsql skips the DO's empty result, so Dapper reads the statement's rows. (SET LOCAL would do the
/// same with a warning per call outside BEGIN; an explicit transaction costs two more round trips.)
/// <para>
/// Why it is needed: for an auto-prepared statement PostgreSQL plans custom for five executions, then keeps the generic
/// plan only if its estimated cost is not above theirs. The one-word search's generic plan estimates every unknown
/// range, LIMIT and word frequency from defaults and looks dearer than its custom plans, although it is the same plan:
/// on the 1M-video seed it was never chosen (pg_prepared_statements: 0 generic, 10 custom in 10 executions), so every
/// search was planned again, ~1 ms of PostgreSQL's ~2.5 (docs/benchmarks.md, 2026-12-02 14:3x). Several words are
/// the opposite case: their tsquery must be a constant when the plan is chosen (GIN bitmap for a rare word, the
/// newest-first walk when every word is common).
/// </para>
/// </summary>
internal static class PlanCacheMode
{
    /// <summary>The generic plan from the first prepared execution: for statements whose plan is fixed by their shape.</summary>
    public const string Generic = "DO $$BEGIN PERFORM set_config('plan_cache_mode', 'force_generic_plan', true); END$$;\n";

    /// <summary>A plan for the values of every execution: for statements whose best plan depends on them.</summary>
    public const string Custom = "DO $$BEGIN PERFORM set_config('plan_cache_mode', 'force_custom_plan', true); END$$;\n";
}
