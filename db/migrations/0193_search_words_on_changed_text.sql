-- 0192's update trigger rebuilt and looked up every word of every updated row, on every UPDATE of videos: each like,
-- counted view, comment count and status change paid for it. Now only rows whose title or tags changed add words
-- (transition tables cannot be combined with UPDATE OF columns, so the old and new rows are compared).
CREATE FUNCTION iglive_sync_search_words_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM n JOIN o ON o.id = n.id, unnest(iglive_video_words(n.title, n.tags)) w
  WHERE n.title IS DISTINCT FROM o.title OR n.tags IS DISTINCT FROM o.tags
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;

DROP TRIGGER videos_search_words_upd ON videos;
CREATE TRIGGER videos_search_words_upd AFTER UPDATE ON videos REFERENCING OLD TABLE AS o NEW TABLE AS n
    FOR EACH STATEMENT EXECUTE FUNCTION iglive_sync_search_words_changed();
