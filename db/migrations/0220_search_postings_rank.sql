-- Each search posting carries its word's rank in the video (issue #14, search p99): ts_rank of search_doc for that one
-- lexeme (title A > tags B > description C, repeats counted). A one-word search then ranks its newest postings from the
-- index alone and checks visibility only for the rows of the page, in rank order, instead of fetching every candidate
-- video to test it and rank its document (docs/benchmarks.md, "search from ranked postings"). For a one-word query
-- ts_rank sums a per-lexeme term over the lexemes the query matches (PostgreSQL's calc_rank_or, no normalisation), so
-- the sum of a video's postings over a prefix's completions is the rank ts_rank gives that document for the prefix.
--
-- The table is rebuilt rather than updated in place (16.8M rows per million videos: an UPDATE would rewrite every row
-- and every index entry). Writes to videos wait until this script commits, as in 0200 (~1.5 min per million videos on
-- the 2-core bench machine, docs/operations.md); the previous version only reads search_postings' first three columns,
-- so its instances keep searching during a rolling deploy.
LOCK TABLE videos IN SHARE ROW EXCLUSIVE MODE;

-- The rank of one lexeme in a document: the lexeme quoted as a tsquery of that one term (never parsed as words again:
-- a lexeme such as 'sun-set' stays one term).
CREATE FUNCTION iglive_search_posting_rank(doc tsvector, lexeme text) RETURNS real
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN ts_rank(doc, ('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''')::tsquery);

CREATE TABLE search_postings_ranked (
    lexeme     text        COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    video_id   uuid        NOT NULL,
    rank       real        NOT NULL
);
INSERT INTO search_postings_ranked (lexeme, created_at, video_id, rank)
SELECT u.lexeme, v.created_at, v.id, iglive_search_posting_rank(v.search_doc, u.lexeme)
FROM videos v, unnest(v.search_doc) u;
-- Indexed, constrained and analysed under its own name first: dropping the old table drops its foreign key's triggers
-- on videos, which takes an ACCESS EXCLUSIVE lock on videos until commit, so that comes last and takes no time.
ALTER TABLE search_postings_ranked ADD CONSTRAINT search_postings_ranked_pkey PRIMARY KEY (lexeme, created_at, video_id) INCLUDE (rank);
CREATE INDEX search_postings_ranked_video_idx ON search_postings_ranked (video_id);
ALTER TABLE search_postings_ranked ADD CONSTRAINT search_postings_ranked_video_id_fkey FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE;
ALTER TABLE search_postings_ranked SET (autovacuum_vacuum_insert_threshold = 50000, autovacuum_vacuum_insert_scale_factor = 0,
                                        autovacuum_vacuum_threshold = 50000, autovacuum_vacuum_scale_factor = 0.01);
ANALYZE search_postings_ranked;
DROP TABLE search_postings;
ALTER TABLE search_postings_ranked RENAME TO search_postings;
-- rank in the primary key's leaf tuples: the walk stays index-only. The names 0200 gave (bench/discovery/seed.sql).
ALTER TABLE search_postings RENAME CONSTRAINT search_postings_ranked_pkey TO search_postings_pkey;
ALTER INDEX search_postings_ranked_video_idx RENAME TO search_postings_video_idx;
ALTER TABLE search_postings RENAME CONSTRAINT search_postings_ranked_video_id_fkey TO search_postings_video_id_fkey;

-- The triggers of 0200, writing the rank (the lexeme counts are unchanged).
CREATE OR REPLACE FUNCTION iglive_search_index_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_postings (lexeme, created_at, video_id, rank)
  SELECT u.lexeme, n.created_at, n.id, iglive_search_posting_rank(n.search_doc, u.lexeme) FROM n, unnest(n.search_doc) u;
  PERFORM iglive_search_lexemes_add(array_agg(l), array_agg(c::integer))
  FROM (SELECT l, count(*) AS c FROM n, unnest(tsvector_to_array(n.search_doc)) l GROUP BY l) x;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION iglive_search_index_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_l text[] := tsvector_to_array(OLD.search_doc);
  new_l text[] := tsvector_to_array(NEW.search_doc);
BEGIN
  DELETE FROM search_postings WHERE video_id = OLD.id;
  INSERT INTO search_postings (lexeme, created_at, video_id, rank)
  SELECT u.lexeme, NEW.created_at, NEW.id, iglive_search_posting_rank(NEW.search_doc, u.lexeme) FROM unnest(NEW.search_doc) u;
  PERFORM iglive_search_lexemes_add(array_agg(l), array_agg(d))
  FROM (SELECT l, 1 AS d FROM unnest(new_l) l WHERE l <> ALL (old_l)
        UNION ALL
        SELECT l, -1 FROM unnest(old_l) l WHERE l <> ALL (new_l)) x;
  RETURN NULL;
END $$;

