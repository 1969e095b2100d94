using Npgsql;

namespace IgLive.Service.Infrastructure.Database;

/// <summary>
/// On a Supabase project the Data API (PostgREST) serves every table of <c>public</c> to the roles <c>anon</c> and
/// <c>authenticated</c>, which Supabase grants everything by default. After every migration run (so tables added by any
/// later migration are covered too) each table, view, sequence and function this role owns in <c>public</c> gets row-level
/// security with no policies and loses every grant to those roles, and this role's default privileges stop granting
/// them anything for objects it creates later. The service owns its tables, so RLS does not apply to it. On plain
/// PostgreSQL, where those roles do not exist, only RLS is enabled.
/// </summary>
public static class DataApiLockdown
{
    // Idempotent; pg_class/pg_proc scans of one schema.
    public const string Sql = """
        DO $lockdown$
        DECLARE
            rel record;
            fn record;
            api_roles text := (SELECT string_agg(quote_ident(rolname), ', ') FROM pg_roles WHERE rolname IN ('anon', 'authenticated'));
        BEGIN
            FOR rel IN
                SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND c.relowner = current_user::regrole
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
            LOOP
                IF rel.relkind IN ('r', 'p') THEN
                    EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', rel.name);
                END IF;
                IF api_roles IS NOT NULL THEN
                    EXECUTE format('REVOKE ALL ON %s FROM %s', rel.name, api_roles);
                END IF;
            END LOOP;
            IF api_roles IS NOT NULL THEN
                FOR fn IN
                    SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                    WHERE n.nspname = 'public' AND p.proowner = current_user::regrole AND p.prokind IN ('f', 'p')
                      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                LOOP
                    EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC, %s', fn.name, api_roles);
                END LOOP;
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM %s', api_roles);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM %s', api_roles);
                EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON FUNCTIONS FROM PUBLIC, %s', api_roles);
            END IF;
        END
        $lockdown$;
        """;

    public static async Task ApplyAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(Sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
