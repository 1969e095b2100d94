using IgLive.Service.Features.Moderation.Cases;
using IgLive.Service.Features.Moderation.Moderators;

namespace IgLive.Service.Features.Moderation.ListCases;

/// <summary><c>GET /api/moderation/cases</c>: the moderation queue (open cases, most reports first) or the resolved cases.</summary>
public sealed class ListCasesEndpoint(NpgsqlDataSource db) : Endpoint<ListCasesRequest, Page<CaseDto>>
{
    public override void Configure()
    {
        Get("/api/moderation/cases");
        PreProcessor<ModeratorGate<ListCasesRequest>>();
        Summary(s =>
        {
            s.Summary = "The moderation queue (moderators only)";
            s.Description = "One case per reported target. `status=open` (default): most reports first, then the longest waiting; " +
                            "`status=resolved`: newest resolution first. Keyset-paginated.";
        });
        Description(b => b.ProducesProblemDetails(400).ProducesProblemDetails(401).ProducesProblemDetails(403));
    }

    public override async Task HandleAsync(ListCasesRequest r, CancellationToken ct)
    {
        var open = r.Status == "open";
        object args;
        string sql;
        if (open)
        {
            var hasCursor = QueueCursor.TryDecode(r.Cursor, out var c);
            sql = hasCursor ? ListCasesSql.OpenNext : ListCasesSql.OpenFirst;
            args = new { Count = c.ReportsCount, At = c.FirstReportedAt, c.Id, Take = r.Limit + 1 };
        }
        else
        {
            var hasCursor = Cursor.TryDecode(r.Cursor, out var c);
            sql = hasCursor ? ListCasesSql.ResolvedNext : ListCasesSql.ResolvedFirst;
            args = new { At = c.CreatedAt, c.Id, Take = r.Limit + 1 };
        }
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = (await conn.QueryAsync<CaseRow>(new CommandDefinition(sql, args, cancellationToken: ct))).AsList();
        string? next = null;
        if (rows.Count > r.Limit)
        {
            rows.RemoveRange(r.Limit, rows.Count - r.Limit);
            var last = rows[^1];
            next = open
                ? new QueueCursor(last.ReportsCount, last.FirstReportedAt, last.Id).Encode()
                : new Cursor(last.ResolvedAt!.Value, last.Id).Encode();
        }
        await Send.OkAsync(new Page<CaseDto> { Items = rows.ConvertAll(c => c.ToDto()), NextCursor = next }, ct);
    }
}

internal static class ListCasesSql
{
    private const string OpenOrder = " ORDER BY c.reports_count DESC, c.first_reported_at, c.id LIMIT @Take";
    private const string ResolvedOrder = " ORDER BY c.resolved_at DESC, c.id DESC LIMIT @Take";

    // Open cases, most reports first, then the longest waiting (moderation_cases_open_queue_idx).
    public const string OpenFirst = CaseSql.Select + " WHERE c.status = 'open'" + OpenOrder;
    // Same after a cursor position.
    public const string OpenNext = CaseSql.Select + """
         WHERE c.status = 'open'
          AND (c.reports_count < @Count OR (c.reports_count = @Count AND (c.first_reported_at, c.id) > (@At, @Id)))
        """ + OpenOrder;

    // Resolved cases, newest resolution first (moderation_cases_resolved_idx).
    public const string ResolvedFirst = CaseSql.Select + " WHERE c.status = 'resolved'" + ResolvedOrder;
    // Same after a cursor position.
    public const string ResolvedNext = CaseSql.Select + " WHERE c.status = 'resolved' AND (c.resolved_at, c.id) < (@At, @Id)" + ResolvedOrder;
}
