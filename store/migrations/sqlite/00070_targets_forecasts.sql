-- Planning: the fiscal calendar and currency of a workspace, targets per
-- period (company, team, rep), ramps of new reps, forecast submissions (kept,
-- never changed) and the weekly snapshots forecast accuracy is measured from.
-- Targets' history is in field_changes.

-- +goose Up
CREATE TABLE planning_settings (
    workspace_id       INTEGER PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
    fiscal_start_month INTEGER NOT NULL CHECK (fiscal_start_month BETWEEN 1 AND 12),
    currency           TEXT NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE targets (
    workspace_id    INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id              INTEGER PRIMARY KEY,
    period          TEXT NOT NULL,
    period_start    TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('revenue', 'bookings', 'margin', 'new_pipeline', 'activities')),
    activity_type   TEXT NOT NULL DEFAULT '',
    scope           TEXT NOT NULL CHECK (scope IN ('company', 'team', 'rep')),
    team_id         INTEGER,
    user_id         INTEGER,
    currency        TEXT NOT NULL DEFAULT '',
    amount          INTEGER,
    proposed_amount INTEGER,
    full_amount     INTEGER,
    ramp_bp         INTEGER,
    status          TEXT NOT NULL CHECK (status IN ('proposed', 'approved')),
    source          TEXT NOT NULL CHECK (source IN ('set', 'split', 'proposal')),
    reason          TEXT NOT NULL DEFAULT '',
    proposal_comment TEXT NOT NULL DEFAULT '',
    approved_by     INTEGER,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    CHECK ((scope = 'company' AND team_id IS NULL AND user_id IS NULL)
        OR (scope = 'team' AND team_id IS NOT NULL AND user_id IS NULL)
        OR (scope = 'rep' AND user_id IS NOT NULL AND team_id IS NULL)),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, user_id) REFERENCES memberships (workspace_id, user_id)
);
CREATE UNIQUE INDEX targets_slot ON targets (workspace_id, period, kind, activity_type, scope, COALESCE(team_id, 0), COALESCE(user_id, 0));
CREATE INDEX targets_user ON targets (workspace_id, user_id, period);

CREATE TABLE rep_ramps (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    user_id      INTEGER NOT NULL,
    start_date   TEXT NOT NULL,
    percents     TEXT NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (workspace_id, user_id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES memberships (workspace_id, user_id)
);

CREATE TABLE forecast_submissions (
    workspace_id      INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id                INTEGER PRIMARY KEY,
    period            TEXT NOT NULL,
    period_start      TEXT NOT NULL,
    period_end        TEXT NOT NULL,
    scope             TEXT NOT NULL CHECK (scope IN ('company', 'team', 'rep')),
    user_id           INTEGER NOT NULL,
    team_id           INTEGER,
    currency          TEXT NOT NULL,
    commit_amount     INTEGER NOT NULL,
    best_case_amount  INTEGER NOT NULL,
    prefill_commit    INTEGER NOT NULL,
    prefill_best_case INTEGER NOT NULL,
    comment           TEXT NOT NULL DEFAULT '',
    submitted_at      TIMESTAMP NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, user_id) REFERENCES memberships (workspace_id, user_id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX forecast_submissions_user ON forecast_submissions (workspace_id, period, scope, user_id, id);
CREATE INDEX forecast_submissions_team ON forecast_submissions (workspace_id, period, team_id, id) WHERE team_id IS NOT NULL;
-- +goose StatementBegin
CREATE TRIGGER forecast_submissions_no_update BEFORE UPDATE ON forecast_submissions
BEGIN
    SELECT RAISE(ABORT, 'forecast submissions are never changed; submit a new one');
END;
-- +goose StatementEnd

-- One row per workspace and week whose snapshot was taken: the job takes
-- each week's once, however often it runs.
CREATE TABLE snapshot_weeks (
    workspace_id INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    week_start   TEXT NOT NULL,
    period       TEXT NOT NULL,
    taken_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, week_start)
);

CREATE TABLE forecast_snapshots (
    workspace_id     INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id               INTEGER PRIMARY KEY,
    week_start       TEXT NOT NULL,
    period           TEXT NOT NULL,
    week             INTEGER NOT NULL,
    scope            TEXT NOT NULL CHECK (scope IN ('company', 'team', 'rep')),
    user_id          INTEGER,
    team_id          INTEGER,
    submission_id    INTEGER,
    currency         TEXT NOT NULL,
    commit_amount    INTEGER NOT NULL,
    best_case_amount INTEGER NOT NULL,
    taken_at         TIMESTAMP NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, week_start) REFERENCES snapshot_weeks (workspace_id, week_start) ON DELETE CASCADE
);
CREATE UNIQUE INDEX forecast_snapshots_slot ON forecast_snapshots (workspace_id, week_start, scope, COALESCE(user_id, 0), COALESCE(team_id, 0));
CREATE INDEX forecast_snapshots_period ON forecast_snapshots (workspace_id, period, week);

CREATE TABLE pipeline_snapshots (
    workspace_id      INTEGER NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
    id                INTEGER PRIMARY KEY,
    week_start        TEXT NOT NULL,
    owner_id          INTEGER NOT NULL,
    stage_id          INTEGER NOT NULL,
    forecast_category TEXT NOT NULL,
    currency          TEXT NOT NULL,
    amount            INTEGER NOT NULL,
    deals             INTEGER NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, week_start) REFERENCES snapshot_weeks (workspace_id, week_start) ON DELETE CASCADE
);
CREATE INDEX pipeline_snapshots_week ON pipeline_snapshots (workspace_id, week_start, owner_id);

-- Actual won amount per owner and period (forecast accuracy).
CREATE INDEX deals_won_close ON deals (workspace_id, status, close_date, owner_id);

-- +goose Down
DROP INDEX deals_won_close;
DROP TABLE pipeline_snapshots;
DROP TABLE forecast_snapshots;
DROP TABLE snapshot_weeks;
DROP TABLE forecast_submissions;
DROP TABLE rep_ramps;
DROP TABLE targets;
DROP TABLE planning_settings;
