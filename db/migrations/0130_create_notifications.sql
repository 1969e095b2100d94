-- Notifications (issue #16). A row is written in the same transaction as the action that causes it and removed
-- when that action is undone. Collapsible kinds (like, follow, share) keep ONE unread row per
-- (recipient, kind, group): a like of video V by anyone joins the unread 'like' row of V; once read, the next like
-- starts a new row. Who acted lives in notification_actors, so an unlike removes exactly that actor.
CREATE SEQUENCE notification_change_seq;

CREATE TABLE notifications (
    id         uuid        PRIMARY KEY,
    user_id    uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    kind       text        NOT NULL CHECK (kind IN ('like', 'comment', 'follow', 'new_video', 'share', 'moderation')),
    -- What the row collapses on: the video for like/share, the recipient for follow, the creator for new_video.
    group_id   uuid        NULL,
    video_id   uuid        NULL REFERENCES videos (id) ON DELETE CASCADE,
    -- A deleted comment takes its notification with it.
    comment_id uuid        NULL REFERENCES video_comments (id) ON DELETE CASCADE,
    -- Moderation outcomes only: what was decided, for the recipient to read.
    message    text        NULL CHECK (char_length(message) <= 1000),
    read_at    timestamptz NULL,
    created_at timestamptz NOT NULL,
    -- Sort key of the list: a new actor moves the row to the top.
    updated_at timestamptz NOT NULL,
    -- Change cursor: taken from the sequence on every change (new actor, actor removed, read); SSE event ids and
    -- Last-Event-ID replays use it.
    seq        bigint      NOT NULL DEFAULT nextval('notification_change_seq')
);
-- The one unread row per group of a collapsible kind (the arbiter of the writers' ON CONFLICT).
CREATE UNIQUE INDEX notifications_unread_group_key ON notifications (user_id, kind, group_id)
    WHERE read_at IS NULL AND kind IN ('like', 'follow', 'share');
-- Undo (unlike, unfollow) and new_video's one-hour window find a group's rows, read or not.
CREATE INDEX notifications_group_idx ON notifications (group_id, user_id, kind);
-- The list: newest updated_at first, keyset on (updated_at, id).
CREATE INDEX notifications_list_idx ON notifications (user_id, updated_at DESC, id DESC);
-- Live replays: a user's rows changed after a cursor.
CREATE INDEX notifications_seq_idx ON notifications (user_id, seq);
-- unread_count.
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_video_idx ON notifications (video_id) WHERE video_id IS NOT NULL;
CREATE INDEX notifications_comment_idx ON notifications (comment_id) WHERE comment_id IS NOT NULL;

CREATE TABLE notification_actors (
    notification_id uuid        NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    actor_id        uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    acted_at        timestamptz NOT NULL,
    PRIMARY KEY (notification_id, actor_id)
);
-- The three newest actors of a row.
CREATE INDEX notification_actors_newest_idx ON notification_actors (notification_id, acted_at DESC);
CREATE INDEX notification_actors_actor_idx ON notification_actors (actor_id);

-- Kinds a user switched off; no row = everything on. 'moderation' cannot be switched off.
CREATE TABLE notification_settings (
    user_id    uuid        PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    disabled   text[]      NOT NULL DEFAULT '{}'
        CHECK (disabled <@ ARRAY['like', 'comment', 'follow', 'new_video', 'share']::text[]),
    updated_at timestamptz NOT NULL
);

-- new_video fan-out queue: one row per video that became ready, kept (done_at) so a video is announced once.
-- The worker walks the creator's followers in batches of keyset-ordered follower ids, remembering its position, so a
-- 50k-follower creator costs the upload request nothing and a killed worker resumes where it stopped.
CREATE TABLE new_video_fanout (
    video_id         uuid        PRIMARY KEY REFERENCES videos (id) ON DELETE CASCADE,
    creator_id       uuid        NOT NULL,
    enqueued_at      timestamptz NOT NULL DEFAULT now(),
    last_follower_id uuid        NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_error       text        NULL,
    done_at          timestamptz NULL
);
CREATE INDEX new_video_fanout_due_idx ON new_video_fanout (next_attempt_at) WHERE done_at IS NULL;

-- Whatever path makes a video ready (a local upload processed, an ImageKit upload registered) queues its announcement;
-- a trigger, so no writer of videos.status can forget it. ON CONFLICT: a video is announced at most once.
CREATE FUNCTION enqueue_new_video_fanout() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'ready' AND NEW.removed_at IS NULL AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'ready') THEN
        INSERT INTO new_video_fanout (video_id, creator_id) VALUES (NEW.id, NEW.user_id) ON CONFLICT (video_id) DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER videos_enqueue_new_video_fanout AFTER INSERT OR UPDATE OF status ON videos
    FOR EACH ROW EXECUTE FUNCTION enqueue_new_video_fanout();

-- One-use tickets for EventSource (which cannot send headers): only the SHA-256 of the ticket is stored.
CREATE TABLE event_tickets (
    ticket_hash bytea       PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL
);
CREATE INDEX event_tickets_expires_idx ON event_tickets (expires_at);
