-- Bounded search (issue #14): the GIN index on videos.search_doc cannot return matches newest first, so a search paid
-- O(matches) for a prefix of many medium words (GIN partial match + heap rechecks) or walked videos_feed_idx row by row
-- for a common word. Two tables, kept by the triggers below, make every search an index range read:
-- - search_postings: one row per (lexeme of search_doc, video), ordered (lexeme, created_at, video_id) like video_tags
--   (0110): "the newest N videos containing lexeme L" is one backward range scan of the primary key (index-only);
-- - search_lexemes: each lexeme with the number of videos containing it (ndoc). A prefix expands to its most frequent
--   completions, a query of several words is driven by its rarest word, and the typo fallback corrects words against
--   these (rows at 0 are deleted, so words of deleted videos leave the dictionary; search_words of 0192 is replaced).
-- Only search_doc's lexemes (title, tags, description): never personal data.
CREATE TABLE search_lexemes (
    lexeme text    COLLATE "C" PRIMARY KEY,
    ndoc   integer NOT NULL
) WITH (fillfactor = 80); -- ndoc changes on every upload of a video with the word: room for HOT updates
-- The typo fallback's similar-word probe (pg_trgm). GIN, not GiST as search_words had: on the 52k words of the 1M-video
-- seed a `%` probe took 10-20 ms through GiST and 0.1-1.7 ms through GIN (docs/explain.md). COLLATE "C" above: a
-- prefix's completions are a range of the primary key.
CREATE INDEX search_lexemes_trgm_idx ON search_lexemes USING gin (lexeme gin_trgm_ops);

-- Videos written during the back-fill would miss their postings (inserted) or leave orphans that fail the foreign key
-- (deleted by cleanup): writes to videos wait until this script commits (reads go on). ~1 min 45 s per million videos on
-- the 2-core bench machine (docs/operations.md); apply it with `dotnet IgLive.Service.dll migrate` in a quiet window.
LOCK TABLE videos IN SHARE ROW EXCLUSIVE MODE;

-- Built without constraints, filled set-based, then indexed and constrained: on a 1M-video database that is ~17M rows,
-- and a per-row foreign-key check or index insert during the fill would take many times longer than the sorts below.
CREATE TABLE search_postings (
    lexeme     text        COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL,
    video_id   uuid        NOT NULL
);
INSERT INTO search_postings (lexeme, created_at, video_id)
SELECT l, v.created_at, v.id FROM videos v, unnest(tsvector_to_array(v.search_doc)) l;
ALTER TABLE search_postings ADD PRIMARY KEY (lexeme, created_at, video_id);
-- The foreign key's cascade and the update trigger's delete look rows up by video.
CREATE INDEX search_postings_video_idx ON search_postings (video_id);
ALTER TABLE search_postings ADD FOREIGN KEY (video_id) REFERENCES videos (id) ON DELETE CASCADE;
-- Searches read the newest postings index-only, which needs their pages all-visible: vacuum after ~50k new postings
-- (a few thousand uploads), not after the default 20 % of the table (millions).
ALTER TABLE search_postings SET (autovacuum_vacuum_insert_threshold = 50000, autovacuum_vacuum_insert_scale_factor = 0,
                                 autovacuum_vacuum_threshold = 50000, autovacuum_vacuum_scale_factor = 0.01);

INSERT INTO search_lexemes (lexeme, ndoc) SELECT lexeme, count(*) FROM search_postings GROUP BY lexeme;

-- Counts are changed with one upsert per statement, rows taken in lexeme order (two uploads sharing words lock them in
-- the same order: no deadlock); a lexeme whose count reaches 0 is deleted.
CREATE FUNCTION iglive_search_lexemes_add(lexemes text[], deltas integer[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO search_lexemes AS s (lexeme, ndoc)
  SELECT d.l COLLATE "C", d.n FROM unnest(lexemes, deltas) AS d (l, n) WHERE d.n <> 0 ORDER BY 1
  ON CONFLICT (lexeme) DO UPDATE SET ndoc = s.ndoc + excluded.ndoc;
  DELETE FROM search_lexemes s
  WHERE s.lexeme IN (SELECT d.l COLLATE "C" FROM unnest(lexemes, deltas) AS d (l, n) WHERE d.n < 0) AND s.ndoc <= 0;
$$;

CREATE FUNCTION iglive_search_index_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_postings (lexeme, created_at, video_id)
  SELECT l, n.created_at, n.id FROM n, unnest(tsvector_to_array(n.search_doc)) l;
  PERFORM iglive_search_lexemes_add(array_agg(l), array_agg(c::integer))
  FROM (SELECT l, count(*) AS c FROM n, unnest(tsvector_to_array(n.search_doc)) l GROUP BY l) x;
  RETURN NULL;
END $$;
CREATE TRIGGER videos_search_index_ins AFTER INSERT ON videos REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_search_index_inserted();

-- Postings leave with the video (foreign key); the counts here.
CREATE FUNCTION iglive_search_index_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM iglive_search_lexemes_add(array_agg(l), array_agg(-c::integer))
  FROM (SELECT l, count(*) AS c FROM o, unnest(tsvector_to_array(o.search_doc)) l GROUP BY l) x;
  RETURN NULL;
END $$;
CREATE TRIGGER videos_search_index_del AFTER DELETE ON videos REFERENCING OLD TABLE AS o
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_search_index_deleted();

-- A row trigger, so that likes, views and status changes (which never set these columns) do not fire it at all.
CREATE FUNCTION iglive_search_index_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_l text[] := tsvector_to_array(OLD.search_doc);
  new_l text[] := tsvector_to_array(NEW.search_doc);
BEGIN
  DELETE FROM search_postings WHERE video_id = OLD.id;
  INSERT INTO search_postings (lexeme, created_at, video_id) SELECT l, NEW.created_at, NEW.id FROM unnest(new_l) l;
  PERFORM iglive_search_lexemes_add(array_agg(l), array_agg(d))
  FROM (SELECT l, 1 AS d FROM unnest(new_l) l WHERE l <> ALL (old_l)
        UNION ALL
        SELECT l, -1 FROM unnest(old_l) l WHERE l <> ALL (new_l)) x;
  RETURN NULL;
END $$;
CREATE TRIGGER videos_search_index_upd AFTER UPDATE OF title, tags, description, created_at ON videos
    FOR EACH ROW WHEN (OLD.search_doc IS DISTINCT FROM NEW.search_doc OR OLD.created_at IS DISTINCT FROM NEW.created_at)
    EXECUTE FUNCTION iglive_search_index_updated();

-- TRUNCATE videos … CASCADE empties search_postings; the counts go with them.
CREATE FUNCTION iglive_search_index_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE search_lexemes;
  RETURN NULL;
END $$;
CREATE TRIGGER videos_search_index_trunc AFTER TRUNCATE ON videos FOR EACH STATEMENT EXECUTE FUNCTION iglive_search_index_truncated();

-- The typo dictionary of 0192/0193 is replaced by search_lexemes (words of every field, counted, and dropped at 0).
DROP TRIGGER videos_search_words_ins ON videos;
DROP TRIGGER videos_search_words_upd ON videos;
DROP FUNCTION iglive_sync_search_words();
DROP FUNCTION iglive_sync_search_words_changed();
DROP FUNCTION iglive_video_words(text, text[]);
DROP TABLE search_words;
-- For one release: instances of the previous version, still serving during a rolling deploy after this migration,
-- correct typos with `SELECT word FROM search_words WHERE word % … ORDER BY word <-> …`; this view keeps that working
-- (drop it in a later migration).
CREATE VIEW search_words AS SELECT lexeme::text AS word FROM search_lexemes WHERE length(lexeme) BETWEEN 3 AND 64;
