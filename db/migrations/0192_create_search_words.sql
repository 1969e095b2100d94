-- The typo fallback corrects the query's words against a dictionary of the words of titles and tags (tens of
-- thousands of rows) instead of comparing the query with every video's text by trigram similarity: that comparison
-- cost O(videos sharing trigrams with the query), 0.3-2 s for a misspelt medium word on the 1M-video seed. The
-- corrected words are then searched like any full-text query (bounded candidate set). Words are never deleted: a word
-- whose videos are gone only corrects to a search that finds nothing. Only titles and tags, never personal data.
CREATE TABLE search_words (word text PRIMARY KEY);
CREATE INDEX search_words_trgm_idx ON search_words USING gist (word gist_trgm_ops);

CREATE FUNCTION iglive_video_words(title text, tags text[]) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ARRAY(SELECT w FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
                 iglive_unaccent(title || ' ' || array_to_string(tags, ' '))))) w
             WHERE length(w) BETWEEN 3 AND 64);

CREATE FUNCTION iglive_sync_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word) SELECT DISTINCT w FROM n, unnest(iglive_video_words(n.title, n.tags)) w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER videos_search_words_ins AFTER INSERT ON videos REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_sync_search_words();
CREATE TRIGGER videos_search_words_upd AFTER UPDATE ON videos REFERENCING NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_sync_search_words();

INSERT INTO search_words (word) SELECT DISTINCT w FROM videos v, unnest(iglive_video_words(v.title, v.tags)) w;
