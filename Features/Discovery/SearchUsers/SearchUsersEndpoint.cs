using IgLive.Service.Features.Discovery.Ranking;
using IgLive.Service.Features.Profiles;

namespace IgLive.Service.Features.Discovery.SearchUsers;

public sealed record SearchUsersRequest
{
    /// <summary>The beginning of a username or of a display name's words, 1..100 characters after trimming.</summary>
    [QueryParam] public string Q { get; init; } = "";
    /// <summary>How many profiles, 1..50 (default 20).</summary>
    [QueryParam] public int Limit { get; init; } = 20;
}

public sealed class SearchUsersValidator : Validator<SearchUsersRequest>
{
    public SearchUsersValidator()
    {
        RuleFor(r => r.Q).Must(q => q.Trim().Length is >= 1 and <= 100).WithMessage("q must be 1 to 100 characters");
        RuleFor(r => r.Limit).InclusiveBetween(1, 50).WithMessage("limit must be between 1 and 50");
    }
}

public sealed class SearchUsersEndpoint(NpgsqlDataSource db, TimeProvider clock) : Endpoint<SearchUsersRequest, Page<ProfileDto>>
{
    public override void Configure()
    {
        Get("/api/users/search");
        AllowAnonymous();
        Summary(s =>
        {
            s.Summary = "Find people by the beginning of their username or display name";
            s.Description = "Case and accents ignored; every word is a prefix. The exact username first, then usernames that " +
                            "start with the query, then the rest. Suspended users and users blocked either way are not listed.";
        });
        Description(b => b.ProducesProblemDetails(400));
    }

    public override async Task HandleAsync(SearchUsersRequest r, CancellationToken ct)
    {
        var words = SearchTerms.Words(r.Q);
        if (words.Length == 0) { await Send.OkAsync(new Page<ProfileDto> { Items = [] }, ct); return; }
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<ProfileDto>(new CommandDefinition(SearchUsersSql.Search, new
        {
            Words = words, Handle = r.Q.Trim().ToLowerInvariant(), Now = clock.GetUtcNow(), Viewer = User.UserId(), Take = r.Limit,
        }, cancellationToken: ct));
        await Send.OkAsync(new Page<ProfileDto> { Items = rows.AsList() }, ct);
    }
}

internal static class SearchUsersSql
{
    private const string Matches = """
         JOIN (SELECT p.id,
                      (p.username = @Handle) AS exact,
                      starts_with(p.username, @Handle) AS starts,
                      ts_rank(p.search_doc, q.q) AS rank
               FROM (SELECT to_tsquery('simple', string_agg(
                                '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''':*', ' & ' ORDER BY i)) AS q
                     FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(@Words::text[]) WITH ORDINALITY AS x (w, i)) x
                     WHERE u <> '') q
               JOIN profiles p ON p.search_doc @@ q.q
               WHERE
        """;

    private const string Tail = """

               ORDER BY exact DESC, starts DESC, rank DESC, p.username
               LIMIT 50) m ON m.id = p.id
        ORDER BY m.exact DESC, m.starts DESC, m.rank DESC, p.username
        LIMIT @Take
        """;

    // Profiles whose username or display-name words start with every query word (each a tsquery prefix), the exact
    // handle first, then handles starting with it, then by rank; profiles_search_doc_idx, then the profile's own counts.
    public const string Search = ProfileSql.Select + Matches + " " + DiscoveryVisibility.Profile + Tail;
}
