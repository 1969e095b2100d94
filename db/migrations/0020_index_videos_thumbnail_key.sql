-- /media serves a local thumbnail only while a live video owns it: look videos up by thumbnail key.
CREATE INDEX videos_thumbnail_key_idx ON videos (thumbnail_key) WHERE thumbnail_key IS NOT NULL;
