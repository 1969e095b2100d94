-- Discovery: one weighted full-text document per video (title A, tags B, description C) and per profile (username,
-- display name), trigram indexes for the typo fallback, an ordered per-tag index, and the tables the trending job
-- fills. Only public fields are indexed: e-mail addresses live in auth tables and never reach these columns.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is STABLE (it reads its dictionary through search_path), so a generated column or an index cannot call
-- it. The wrapper names the dictionary with its schema, which makes it safe to declare IMMUTABLE. The schema is looked
-- up (public here, `extensions` on Supabase) and written into the function body. (No dollar-quoted tags other than
-- the bare pair: DbUp reads $name$ as a variable.)
DO $$
DECLARE s text := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent');
BEGIN
  EXECUTE format('CREATE FUNCTION iglive_unaccent(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE '
                 'RETURN %I.unaccent(%L::regdictionary, value)', s, s || '.unaccent');
END $$;

-- The video's search document; 'simple' is language-neutral (no stemming, no stop words: captions come in every
-- language) and lower-cases. array_to_string is only STABLE in general, IMMUTABLE for text[].
CREATE FUNCTION iglive_video_document(title text, tags text[], description text) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN setweight(to_tsvector('simple'::regconfig, iglive_unaccent(title)), 'A')
    || setweight(to_tsvector('simple'::regconfig, iglive_unaccent(array_to_string(tags, ' '))), 'B')
    || setweight(to_tsvector('simple'::regconfig, iglive_unaccent(description)), 'C');

-- What the trigram fallback compares a misspelt query with: title and tags, unaccented, lower case.
CREATE FUNCTION iglive_video_fuzzy_text(title text, tags text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN lower(iglive_unaccent(title || ' ' || array_to_string(tags, ' ')));

ALTER TABLE videos
    ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (iglive_video_document(title, tags, description)) STORED;
CREATE INDEX videos_search_doc_idx ON videos USING gin (search_doc);
CREATE INDEX videos_fuzzy_idx ON videos USING gin (iglive_video_fuzzy_text(title, tags) gin_trgm_ops);

-- Users search: prefixes of the username's and display name's words.
ALTER TABLE profiles
    ADD COLUMN search_doc tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, iglive_unaccent(username || ' ' || coalesce(display_name, '')))) STORED;
CREATE INDEX profiles_search_doc_idx ON profiles USING gin (search_doc);

-- A tag's videos newest first, in index order (the GIN index on videos.tags cannot return rows ordered): one row per
-- (tag, video), kept by the trigger below; deleted with the video.
CREATE TABLE video_tags (
    tag        text        NOT NULL,
    created_at timestamptz NOT NULL,
    video_id   uuid        NOT NULL REFERENCES videos (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, created_at, video_id)
);
-- The foreign key's cascade and the trigger's delete look rows up by video.
CREATE INDEX video_tags_video_idx ON video_tags (video_id);
-- Trending tags: tag rows of the last 24 hours.
CREATE INDEX video_tags_created_idx ON video_tags (created_at);

CREATE FUNCTION iglive_sync_video_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF NEW.tags IS NOT DISTINCT FROM OLD.tags AND NEW.created_at = OLD.created_at THEN RETURN NULL; END IF;
    DELETE FROM video_tags WHERE video_id = OLD.id;
  END IF;
  INSERT INTO video_tags (tag, created_at, video_id)
  SELECT DISTINCT t, NEW.created_at, NEW.id FROM unnest(NEW.tags) t;
  RETURN NULL;
END $$;
CREATE TRIGGER videos_sync_tags AFTER INSERT OR UPDATE OF tags, created_at ON videos
    FOR EACH ROW EXECUTE FUNCTION iglive_sync_video_tags();
INSERT INTO video_tags (tag, created_at, video_id) SELECT DISTINCT t, v.created_at, v.id FROM videos v, unnest(v.tags) t;

-- Engagement windows the trending job reads (recent events only).
CREATE INDEX video_likes_created_idx ON video_likes (created_at);
CREATE INDEX video_comments_created_idx ON video_comments (created_at);
CREATE INDEX video_views_counted_idx ON video_views (last_counted_at);

-- Written only by the trending job (whole set replaced per run); read pages walk trending_videos_rank_idx.
CREATE TABLE trending_videos (
    video_id    uuid             PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    score       double precision NOT NULL,
    computed_at timestamptz      NOT NULL
);
CREATE INDEX trending_videos_rank_idx ON trending_videos (score DESC, video_id DESC);

CREATE TABLE trending_tags (
    tag          text        PRIMARY KEY,
    videos_count bigint      NOT NULL,
    computed_at  timestamptz NOT NULL
);
CREATE INDEX trending_tags_rank_idx ON trending_tags (videos_count DESC, tag);

-- Visibility probes: the few suspended authors are hashed once per query instead of probed per candidate row.
CREATE INDEX profiles_suspended_idx ON profiles (id) WHERE suspended_at IS NOT NULL;
