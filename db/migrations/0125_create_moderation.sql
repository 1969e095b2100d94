-- Reports, the moderation queue (one case per reported target), moderators and the append-only audit log.
-- Reports never hide anything by themselves: only a moderator's resolution does (videos.removed_at, a deleted
-- comment, profiles.suspended_at from 0050).

-- Users allowed to work the queue, managed with `dotnet IgLive.Service.dll moderators add|remove|list`.
-- (Tokens with role service_role are moderators too, without a row.)
CREATE TABLE moderators (
    user_id  uuid        PRIMARY KEY REFERENCES profiles (id) ON DELETE CASCADE,
    added_at timestamptz NOT NULL DEFAULT now()
);

-- Every moderator action, written in the same transaction as the action itself. Append-only: the triggers below
-- refuse UPDATE, DELETE and TRUNCATE, so not even a bug (or a careless operator with the service's credentials)
-- rewrites history. No foreign keys: a row outlives the profile, case or content it names.
CREATE TABLE moderation_actions (
    id           uuid        PRIMARY KEY,
    -- The acting moderator's profile; NULL for a service_role token or the CLI (moderator_name says which).
    moderator_id uuid        NULL,
    -- Username at the time of the action, or 'service_role' / 'cli'.
    moderator_name text      NOT NULL,
    action       text        NOT NULL CHECK (action IN ('dismiss', 'remove', 'suspend_author', 'lift_suspension',
                                                        'add_moderator', 'remove_moderator')),
    case_id      uuid        NULL,
    target_type  text        NOT NULL CHECK (target_type IN ('video', 'comment', 'user')),
    target_id    uuid        NOT NULL,
    note         text        NULL CHECK (char_length(note) <= 1000),
    created_at   timestamptz NOT NULL
);
-- The audit log page, newest first, keyset on (created_at, id).
CREATE INDEX moderation_actions_log_idx ON moderation_actions (created_at DESC, id DESC);

CREATE FUNCTION moderation_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'moderation_actions is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER moderation_actions_no_update_delete BEFORE UPDATE OR DELETE ON moderation_actions
    FOR EACH ROW EXECUTE FUNCTION moderation_actions_append_only();
CREATE TRIGGER moderation_actions_no_truncate BEFORE TRUNCATE ON moderation_actions
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_actions_append_only();

-- One case per reported target while it is open; once resolved, a new report of the same target opens a new case.
-- The target_* columns are a snapshot taken when the case opened, so the case still says what was reported after
-- the content is removed, deleted or edited. author_id is who suspend_author suspends (the user for user targets).
CREATE TABLE moderation_cases (
    id                   uuid        PRIMARY KEY,
    target_type          text        NOT NULL CHECK (target_type IN ('video', 'comment', 'user')),
    target_id            uuid        NOT NULL,
    author_id            uuid        NOT NULL,
    target_username      text        NOT NULL,
    target_display_name  text        NULL,
    target_title         text        NULL,
    target_text          text        NULL,
    target_video_id      uuid        NULL,
    -- Counters changed only in the statement that adds a report, so they cannot drift from the reports rows.
    reports_count        integer     NOT NULL DEFAULT 0 CHECK (reports_count >= 0),
    reasons              jsonb       NOT NULL DEFAULT '{}',
    first_reported_at    timestamptz NOT NULL,
    last_reported_at     timestamptz NOT NULL,
    status               text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolved_at          timestamptz NULL,
    -- The audit row of the resolution (its action, moderator and note).
    resolution_action_id uuid        NULL REFERENCES moderation_actions (id),
    CHECK ((status = 'open') = (resolved_at IS NULL)),
    CHECK ((status = 'open') = (resolution_action_id IS NULL))
);
-- At most one open case per target: concurrent first reports meet in ON CONFLICT here.
CREATE UNIQUE INDEX moderation_cases_open_target_key ON moderation_cases (target_type, target_id) WHERE status = 'open';
-- The open queue: most reports first, then the longest waiting, keyset on (reports_count, first_reported_at, id).
CREATE INDEX moderation_cases_open_queue_idx ON moderation_cases (reports_count DESC, first_reported_at, id) WHERE status = 'open';
-- Resolved cases, newest resolution first, keyset on (resolved_at, id).
CREATE INDEX moderation_cases_resolved_idx ON moderation_cases (resolved_at DESC, id DESC) WHERE status = 'resolved';

-- One report per reporter and target, ever: reporting again answers the same report.
CREATE TABLE reports (
    id          uuid        PRIMARY KEY,
    case_id     uuid        NOT NULL REFERENCES moderation_cases (id),
    reporter_id uuid        NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    target_type text        NOT NULL CHECK (target_type IN ('video', 'comment', 'user')),
    target_id   uuid        NOT NULL,
    reason      text        NOT NULL CHECK (reason IN ('spam', 'harassment', 'hate', 'violence', 'nudity', 'copyright', 'other')),
    note        text        NULL CHECK (char_length(note) <= 1000),
    created_at  timestamptz NOT NULL,
    UNIQUE (reporter_id, target_type, target_id)
);
-- The daily limit: a reporter's reports of the last 24 h.
CREATE INDEX reports_reporter_recent_idx ON reports (reporter_id, created_at);
CREATE INDEX reports_case_idx ON reports (case_id);
