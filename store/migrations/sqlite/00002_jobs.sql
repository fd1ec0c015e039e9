-- Background jobs kept in the database, so they survive restarts, are retried,
-- and can be enqueued in the same transaction as the change that needs them.
-- workspace_id 0 marks a system job that belongs to no workspace.

-- +goose Up
CREATE TABLE jobs (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL DEFAULT 0,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    run_at       TIMESTAMP NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
    lease_until  TIMESTAMP,
    leased_by    TEXT NOT NULL DEFAULT '',
    last_error   TEXT NOT NULL DEFAULT '',
    unique_key   TEXT,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    finished_at  TIMESTAMP,
    UNIQUE (workspace_id, id)
);
-- What a worker looks for: queued jobs that are due, and running jobs whose
-- lease ran out because their worker died.
CREATE INDEX jobs_queued ON jobs (run_at, id) WHERE status = 'queued';
CREATE INDEX jobs_running ON jobs (lease_until) WHERE status = 'running';
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE status IN ('done', 'failed');
-- At most one waiting or running copy of a job with a given key.
CREATE UNIQUE INDEX jobs_unique ON jobs (workspace_id, kind, unique_key)
    WHERE unique_key IS NOT NULL AND status IN ('queued', 'running');

-- Recurring jobs. A process fires a schedule by advancing next_run_at and
-- bumping runs in the transaction that enqueues the job, guarded by the runs
-- it read, so one run is enqueued per period however many processes share
-- the database.
CREATE TABLE job_schedules (
    name             TEXT PRIMARY KEY,
    workspace_id     INTEGER NOT NULL DEFAULT 0,
    kind             TEXT NOT NULL,
    payload          TEXT NOT NULL DEFAULT '{}',
    interval_seconds INTEGER NOT NULL CHECK (interval_seconds > 0),
    next_run_at      TIMESTAMP NOT NULL,
    last_run_at      TIMESTAMP,
    runs             INTEGER NOT NULL DEFAULT 0,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE job_schedules;
DROP TABLE jobs;
