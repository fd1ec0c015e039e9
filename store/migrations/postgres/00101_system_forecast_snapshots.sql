-- Weekly snapshots of the system forecast, taken beside the snapshots of
-- people's forecasts, so its accuracy is measured the same way.

-- +goose Up
CREATE TABLE system_forecast_snapshots (
    workspace_id BIGINT NOT NULL,
    week_start   DATE NOT NULL,
    period       TEXT NOT NULL,
    week         INTEGER NOT NULL,
    scope        TEXT NOT NULL CHECK (scope IN ('company', 'team', 'rep')),
    user_id      BIGINT NOT NULL DEFAULT 0,
    team_id      BIGINT NOT NULL DEFAULT 0,
    currency     TEXT NOT NULL,
    won          BIGINT NOT NULL,
    weighted     BIGINT NOT NULL,
    p10          BIGINT NOT NULL,
    p50          BIGINT NOT NULL,
    p90          BIGINT NOT NULL,
    taken_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (workspace_id, week_start, scope, user_id, team_id)
);
CREATE INDEX system_forecast_snapshots_period ON system_forecast_snapshots (workspace_id, period, week);

-- +goose Down
DROP TABLE system_forecast_snapshots;
