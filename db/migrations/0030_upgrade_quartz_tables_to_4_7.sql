-- Brings the Quartz job store of 0006 up to what Quartz.NET 4.7.3 validates at start-up: the 4.2-4.7 columns
-- (continuations, retry, overlap policy, pause reasons, per-trigger misfire threshold, fixed delay, fire progress,
-- interrupt requests, scheduler version) and the paused job groups table. Every column is nullable (or has a
-- default), so existing rows stay valid. Established by diffing 0006 against the schema 4.7.3 provisions itself.
ALTER TABLE qrtz_triggers
    ADD COLUMN IF NOT EXISTS retry_policy            varchar(250) NULL,
    ADD COLUMN IF NOT EXISTS retry_attempt           integer      NULL,
    ADD COLUMN IF NOT EXISTS continues_trigger_name  text         NULL,
    ADD COLUMN IF NOT EXISTS continues_trigger_group text         NULL,
    ADD COLUMN IF NOT EXISTS continuation_condition  integer      NULL,
    ADD COLUMN IF NOT EXISTS overlap_policy          integer      NULL,
    ADD COLUMN IF NOT EXISTS pause_reason            varchar(250) NULL,
    ADD COLUMN IF NOT EXISTS paused_by               varchar(200) NULL,
    ADD COLUMN IF NOT EXISTS paused_at               bigint       NULL,
    ADD COLUMN IF NOT EXISTS misfire_threshold       bigint       NULL,
    ADD COLUMN IF NOT EXISTS fixed_delay             bool         NULL;

ALTER TABLE qrtz_fired_triggers
    ADD COLUMN IF NOT EXISTS progress                 integer      NULL,
    ADD COLUMN IF NOT EXISTS progress_message         varchar(250) NULL,
    ADD COLUMN IF NOT EXISTS interrupt_requested_time bigint       NULL;

ALTER TABLE qrtz_paused_trigger_grps
    ADD COLUMN IF NOT EXISTS pause_reason varchar(250) NULL,
    ADD COLUMN IF NOT EXISTS paused_by    varchar(200) NULL,
    ADD COLUMN IF NOT EXISTS paused_at    bigint       NULL;

ALTER TABLE qrtz_scheduler_state
    ADD COLUMN IF NOT EXISTS quartz_version varchar(20) NULL;

CREATE TABLE IF NOT EXISTS qrtz_paused_job_grps (
    sched_name   text         NOT NULL,
    job_group    text         NOT NULL,
    pause_reason varchar(250) NULL,
    paused_by    varchar(200) NULL,
    paused_at    bigint       NULL,
    PRIMARY KEY (sched_name, job_group)
);

-- The 4.x index set: lookups by job and calendar, and the acquisition index ordered as the acquire query reads it.
CREATE INDEX IF NOT EXISTS idx_qrtz_t_j ON qrtz_triggers (sched_name, job_name, job_group);
CREATE INDEX IF NOT EXISTS idx_qrtz_t_c ON qrtz_triggers (sched_name, calendar_name);
DROP INDEX IF EXISTS idx_qrtz_t_nft_st;
CREATE INDEX idx_qrtz_t_nft_st ON qrtz_triggers (sched_name, trigger_state, next_fire_time, priority DESC, misfire_instr);
CREATE INDEX IF NOT EXISTS idx_qrtz_ft_inst_job_req_rcvry ON qrtz_fired_triggers (sched_name, instance_name, requests_recovery);
CREATE INDEX IF NOT EXISTS idx_qrtz_ft_j_g ON qrtz_fired_triggers (sched_name, job_name, job_group);
