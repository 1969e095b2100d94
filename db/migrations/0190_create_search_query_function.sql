-- The search's tsquery from the words the service extracted (letters and digits only; each unaccented here, then
-- quoted as one lexeme, so no user text is parsed as tsquery syntax; the last word a prefix when @prefix). IMMUTABLE,
-- so with the parameters known (custom plans) the planner folds the call to a constant and estimates the match count
-- from the column's statistics: that is what lets it walk videos newest-first for a common word and use the GIN index
-- for a rare one when it picks the bounded candidate set (docs/explain.md, "Discovery").
CREATE FUNCTION iglive_search_query(words text[], prefix boolean) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (SELECT to_tsquery('simple'::regconfig, string_agg(
                   '''' || replace(replace(u, '\', '\\'), '''', '''''') || ''''
                   || CASE WHEN i = cardinality(words) AND prefix THEN ':*' ELSE '' END, ' & ' ORDER BY i))
        FROM (SELECT iglive_unaccent(w) AS u, i FROM unnest(words) WITH ORDINALITY AS x (w, i)) x
        WHERE u <> '');
