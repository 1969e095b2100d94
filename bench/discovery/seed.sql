-- Gives the feed benchmark's 1,000,000 videos (bench/feed/seed.sql, run first) realistic text for Discovery:
-- titles of 3-7 words, 1-4 tags from a 400-word tag vocabulary, descriptions of 0-24 words (a third empty), drawn from
-- a 50k-word English list (Debian's wamerican) shuffled deterministically, with a skew (index = n * random()^2, so the
-- most frequent words are in a few percent of videos and most words in a handful), plus accented words (café,
-- jalapeño, Zürich …) among the frequent ones. Video 1 keeps its title ('Video number 1': bench/feed/run.sh finds the
-- seed time by it). Rebuilds the indexes once, then refills video_tags and the trending tables.
-- Run: bench/discovery/seed.sh (feeds the word list on standard input).
\timing on
SET maintenance_work_mem = '1GB';
SET synchronous_commit = off;
SELECT setseed(0.14);
SET jit = off;

CREATE TEMP TABLE vocab_raw (word text);
\copy vocab_raw (word) FROM pstdin
CREATE TEMP TABLE vocab AS
SELECT word, row_number() OVER (ORDER BY md5(word)) * 10 AS rank FROM (SELECT DISTINCT word FROM vocab_raw) w
UNION ALL
SELECT word, 35 + 200 * i FROM unnest(ARRAY['café', 'crème', 'niño', 'über', 'façade', 'jalapeño', 'naïve', 'résumé',
  'São', 'Zürich', 'Köln', 'München', 'Málaga', 'piñata', 'açaí', 'señor', 'mañana', 'fiancé', 'déjà', 'Ærø']) WITH ORDINALITY AS a (word, i);
-- Dense 1..n positions: a word is then one primary-key probe (subscripting a 50k-element text array is O(n) per access).
CREATE TEMP TABLE words AS SELECT row_number() OVER (ORDER BY rank)::int AS n, word FROM vocab;
ALTER TABLE words ADD PRIMARY KEY (n);
CREATE TEMP TABLE tag_words AS
SELECT row_number() OVER (ORDER BY rank)::int AS n, word FROM (SELECT word, rank FROM vocab WHERE word ~ '^[a-z]{3,12}$' ORDER BY rank LIMIT 400) t;
ALTER TABLE tag_words ADD PRIMARY KEY (n);
ANALYZE words;
ANALYZE tag_words;
SELECT count(*) AS words_n FROM words \gset
SELECT count(*) AS tags_n FROM tag_words \gset

-- Drop the videos indexes (not the primary key), rewrite the text, compact, rebuild.
-- Kept in a table until the end, so a run that was interrupted after the drop still restores them when run again.
CREATE TABLE IF NOT EXISTS bench_saved_video_indexes AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid = 'videos'::regclass AND NOT i.indisprimary;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_saved_video_indexes LOOP
    EXECUTE format('DROP INDEX IF EXISTS %s', r.name);
  END LOOP;
END $$;
ALTER TABLE videos DISABLE TRIGGER videos_sync_tags;
ALTER TABLE videos DISABLE TRIGGER videos_search_index_upd; -- a row trigger: the postings are rebuilt below instead

-- One probe of `words` per picked word: position = 1 + floor(n * random()^2), the skew towards the first positions
-- (positions are drawn behind OFFSET 0, so the join sees plain columns and probes the primary key).
UPDATE videos v
SET title = CASE WHEN v.title = 'Video number 1' THEN v.title
                 ELSE initcap((SELECT string_agg(w.word, ' ') FROM (SELECT 1 + floor(:words_n * random() ^ 2)::int AS p
                                     FROM generate_series(1, 3 + (random() * 4)::int + (v.id::text < '0')::int) OFFSET 0) g
                               JOIN words w ON w.n = g.p)) END,
    tags = ARRAY(SELECT DISTINCT w.word FROM (SELECT 1 + floor(:tags_n * random() ^ 2)::int AS p
                       FROM generate_series(1, 1 + (random() * 3)::int + (v.id::text < '0')::int) OFFSET 0) g
                 JOIN tag_words w ON w.n = g.p),
    description = CASE WHEN random() < 0.33 THEN ''
                       ELSE (SELECT string_agg(w.word, ' ') FROM (SELECT 1 + floor(:words_n * random() ^ 2)::int AS p
                                   FROM generate_series(1, 4 + (random() * 20)::int + (v.id::text < '0')::int) OFFSET 0) g
                             JOIN words w ON w.n = g.p) || '.' END;

VACUUM FULL videos;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM bench_saved_video_indexes LOOP
    EXECUTE r.def;
  END LOOP;
END $$;
DROP TABLE bench_saved_video_indexes;
ALTER TABLE videos ENABLE TRIGGER videos_sync_tags;
ALTER TABLE videos ENABLE TRIGGER videos_search_index_upd;

TRUNCATE video_tags;
INSERT INTO video_tags (tag, created_at, video_id) SELECT DISTINCT t, v.created_at, v.id FROM videos v, unnest(v.tags) t;
-- The search postings (with their ranks, 0220) and lexeme counts (migration 0200) of the new text, rebuilt as the migration builds them.
ALTER TABLE search_postings DROP CONSTRAINT search_postings_video_id_fkey, DROP CONSTRAINT search_postings_pkey;
DROP INDEX search_postings_video_idx;
TRUNCATE search_postings, search_lexemes;
INSERT INTO search_postings (lexeme, created_at, video_id, rank)
SELECT u.lexeme, v.created_at, v.id, iglive_search_posting_rank(v.search_doc, u.lexeme) FROM videos v, unnest(v.search_doc) u;
ALTER TABLE search_postings ADD PRIMARY KEY (lexeme, created_at, video_id) INCLUDE (rank);
CREATE INDEX search_postings_video_idx ON search_postings (video_id);
ALTER TABLE search_postings ADD FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE;
INSERT INTO search_lexemes (lexeme, ndoc) SELECT lexeme, count(*) FROM search_postings GROUP BY lexeme;
VACUUM ANALYZE videos;
VACUUM ANALYZE video_tags;
VACUUM ANALYZE search_postings;
VACUUM ANALYZE search_lexemes;
VACUUM ANALYZE profiles;
SELECT count(*) AS videos, (SELECT count(*) FROM video_tags) AS tag_rows,
       pg_size_pretty(pg_total_relation_size('videos')) AS videos_size,
       pg_size_pretty(pg_relation_size('videos_search_doc_idx')) AS search_idx,
       pg_size_pretty(pg_relation_size('videos_fuzzy_idx')) AS fuzzy_idx
FROM videos;
