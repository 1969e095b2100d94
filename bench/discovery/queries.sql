-- The search benchmark's query mix, kept in the database so pgbench and wrk read the same list (bench_queries.i 1..150):
-- 30 common words (the most frequent lexemes), 30 two-word queries (common + medium), 30 prefixes (4 letters of a medium
-- word, matched as a prefix), 30 typos (a medium word missing a letter, no exact hit: the trigram fallback) and 30
-- no-hit strings (no full-text or trigram match). words/prefix/fuzzy are what SearchTerms makes of q; fallback says
-- whether the endpoint runs the second (trigram) query.
\timing on
DROP TABLE IF EXISTS bench_queries;
CREATE TABLE bench_queries (i int PRIMARY KEY, kind text, q text, words text[], prefix boolean, fuzzy text, fallback int);
CREATE TEMP TABLE lexemes AS
SELECT word, ndoc FROM ts_stat('SELECT search_doc FROM videos') WHERE word ~ '^[a-z]{3,}$';
CREATE TEMP TABLE picks AS
(SELECT 'common' AS kind, word AS q FROM lexemes ORDER BY ndoc DESC LIMIT 30)
UNION ALL
(SELECT 'two words', c.word || ' ' || m.word
 FROM (SELECT word, row_number() OVER (ORDER BY ndoc DESC) AS n FROM lexemes ORDER BY ndoc DESC LIMIT 30) c
 JOIN (SELECT word, row_number() OVER (ORDER BY md5(word)) AS n FROM lexemes WHERE ndoc BETWEEN 200 AND 3000 LIMIT 30) m USING (n))
UNION ALL
(SELECT 'prefix', left(word, 4) FROM lexemes WHERE ndoc BETWEEN 200 AND 3000 AND length(word) >= 7 ORDER BY md5(word || 'p') LIMIT 30)
UNION ALL
(SELECT 'typo', t FROM (SELECT left(word, length(word) - 2) || right(word, 1) AS t FROM lexemes
                        WHERE ndoc BETWEEN 200 AND 3000 AND length(word) >= 6 ORDER BY md5(word || 't') LIMIT 200) x
 WHERE NOT EXISTS (SELECT 1 FROM lexemes l WHERE l.word LIKE x.t || '%') LIMIT 30)
UNION ALL
(SELECT 'no hit', translate(substr(md5(i::text), 1, 9), '0123456789', 'qxzjkvwyqx') FROM generate_series(1, 30) i);
INSERT INTO bench_queries (i, kind, q, words, prefix, fuzzy, fallback)
SELECT row_number() OVER (), kind, q, string_to_array(q, ' '), length(split_part(q, ' ', -1)) >= 2, CASE WHEN length(q) >= 3 THEN q END, 0
FROM picks;
-- Fallback: the full-text query (all words, the last as a prefix) finds no visible video.
UPDATE bench_queries b SET fallback = 1
WHERE NOT EXISTS (SELECT 1 FROM videos v
                  WHERE v.search_doc @@ to_tsquery('simple', array_to_string(b.words, ' & ') || CASE WHEN b.prefix THEN ':*' ELSE '' END)
                    AND v.expires_at > now());
SELECT kind, count(*), sum(fallback) AS fallbacks FROM bench_queries GROUP BY kind ORDER BY kind;
DROP TABLE IF EXISTS bench_tags;
CREATE TABLE bench_tags AS
SELECT row_number() OVER (ORDER BY count(*) DESC, tag)::int AS i, tag FROM video_tags GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 100;
