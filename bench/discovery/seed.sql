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

CREATE TEMP TABLE vocab_raw (word text);
\copy vocab_raw (word) FROM pstdin
CREATE TEMP TABLE vocab AS
SELECT word, row_number() OVER (ORDER BY md5(word)) * 10 AS rank FROM (SELECT DISTINCT word FROM vocab_raw) w
UNION ALL
SELECT word, 35 + 200 * i FROM unnest(ARRAY['café', 'crème', 'niño', 'über', 'façade', 'jalapeño', 'naïve', 'résumé',
  'São', 'Zürich', 'Köln', 'München', 'Málaga', 'piñata', 'açaí', 'señor', 'mañana', 'fiancé', 'déjà', 'Ærø']) WITH ORDINALITY AS a (word, i);
CREATE TEMP TABLE dict AS
SELECT (SELECT array_agg(word ORDER BY rank) FROM vocab) AS words,
       (SELECT array_agg(word ORDER BY rank) FROM (SELECT word, rank FROM vocab WHERE word ~ '^[a-z]{3,12}$' ORDER BY rank LIMIT 400) t) AS tags;

-- Drop the videos indexes (not the primary key), rewrite the text, compact, rebuild.
CREATE TEMP TABLE saved_video_indexes AS
SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
FROM pg_index i
WHERE i.indrelid = 'videos'::regclass AND NOT i.indisprimary;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM saved_video_indexes LOOP
    EXECUTE format('DROP INDEX %s', r.name);
  END LOOP;
END $$;
ALTER TABLE videos DISABLE TRIGGER videos_sync_tags;

UPDATE videos v
SET title = CASE WHEN v.title = 'Video number 1' THEN v.title ELSE initcap(t.title) END,
    tags = t.tags,
    description = t.description
FROM (SELECT id,
             array_to_string(ARRAY(SELECT d.words[1 + floor(cardinality(d.words) * random() ^ 2)::int]
                                   FROM generate_series(1, 3 + (random() * 4)::int + (id::text < '0')::int)), ' ') AS title,
             ARRAY(SELECT DISTINCT d.tags[1 + floor(cardinality(d.tags) * random() ^ 2)::int]
                   FROM generate_series(1, 1 + (random() * 3)::int + (id::text < '0')::int)) AS tags,
             CASE WHEN random() < 0.33 THEN ''
                  ELSE array_to_string(ARRAY(SELECT d.words[1 + floor(cardinality(d.words) * random() ^ 2)::int]
                                             FROM generate_series(1, 4 + (random() * 20)::int + (id::text < '0')::int)), ' ') || '.' END AS description
      FROM videos, dict d) t
WHERE t.id = v.id;

VACUUM FULL videos;
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT * FROM saved_video_indexes LOOP
    EXECUTE r.def;
  END LOOP;
END $$;
ALTER TABLE videos ENABLE TRIGGER videos_sync_tags;

TRUNCATE video_tags;
INSERT INTO video_tags (tag, created_at, video_id) SELECT DISTINCT t, v.created_at, v.id FROM videos v, unnest(v.tags) t;
VACUUM ANALYZE videos;
VACUUM ANALYZE video_tags;
VACUUM ANALYZE profiles;
SELECT count(*) AS videos, (SELECT count(*) FROM video_tags) AS tag_rows,
       pg_size_pretty(pg_total_relation_size('videos')) AS videos_size,
       pg_size_pretty(pg_relation_size('videos_search_doc_idx')) AS search_idx,
       pg_size_pretty(pg_relation_size('videos_fuzzy_idx')) AS fuzzy_idx
FROM videos;
