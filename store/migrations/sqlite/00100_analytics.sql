-- The analytics change log. Each process keeps an in-memory model of a
-- workspace's deals and activity counts; before answering it compares the
-- workspace's change counter (analytics_state.seq) with the one it last saw
-- and reloads only what changed since (analytics_changes). Triggers write
-- the log, so every write path (service, import, demo, restore) feeds it.
--
-- The counter is one row per workspace, bumped inside the writing
-- transaction: in PostgreSQL its row lock makes counter values commit in
-- order (a sequence would not), so "everything up to seq N" is well defined.
-- A change row names a deal (reload it) or an activity owner and time
-- (recount that owner's day).

-- +goose Up
CREATE TABLE analytics_state (
    workspace_id INTEGER PRIMARY KEY,
    seq          INTEGER NOT NULL DEFAULT 0,
    pruned_seq   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE analytics_changes (
    workspace_id INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    deal_id      INTEGER,
    owner_id     INTEGER,
    at           TIMESTAMP
);
CREATE INDEX analytics_changes_seq ON analytics_changes (workspace_id, seq);

-- Settings of the KPIs: coverage threshold, when a deal counts as stalled,
-- whether reps see names on the leaderboard, and goals for rate KPIs.
CREATE TABLE analytics_settings (
    workspace_id INTEGER PRIMARY KEY,
    settings     TEXT NOT NULL DEFAULT '{}',
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);

-- +goose StatementBegin
CREATE TRIGGER deals_analytics_insert AFTER INSERT ON deals BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER deals_analytics_update AFTER UPDATE ON deals BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER deals_analytics_delete AFTER DELETE ON deals BEGIN
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = OLD.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT OLD.workspace_id, seq, OLD.id FROM analytics_state WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stage_history_analytics_insert AFTER INSERT ON stage_history BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.deal_id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stage_history_analytics_update AFTER UPDATE ON stage_history BEGIN
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.deal_id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER deal_lines_analytics AFTER INSERT ON deal_lines BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.deal_id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activities_analytics_insert AFTER INSERT ON activities WHEN NEW.occurred_at IS NOT NULL BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT NEW.workspace_id, seq, NEW.owner_id, NEW.occurred_at FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activities_analytics_update AFTER UPDATE ON activities
WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.occurred_at IS NOT NEW.occurred_at OR OLD.deleted_at IS NOT NEW.deleted_at
    OR OLD.type_id IS NOT NEW.type_id BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT NEW.workspace_id, seq, OLD.owner_id, OLD.occurred_at FROM analytics_state WHERE workspace_id = NEW.workspace_id AND OLD.occurred_at IS NOT NULL;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT NEW.workspace_id, seq, NEW.owner_id, NEW.occurred_at FROM analytics_state WHERE workspace_id = NEW.workspace_id AND NEW.occurred_at IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activities_analytics_delete AFTER DELETE ON activities WHEN OLD.occurred_at IS NOT NULL BEGIN
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = OLD.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT OLD.workspace_id, seq, OLD.owner_id, OLD.occurred_at FROM analytics_state WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER activities_analytics_delete;
DROP TRIGGER activities_analytics_update;
DROP TRIGGER activities_analytics_insert;
DROP TRIGGER deal_lines_analytics;
DROP TRIGGER stage_history_analytics_update;
DROP TRIGGER stage_history_analytics_insert;
DROP TRIGGER deals_analytics_delete;
DROP TRIGGER deals_analytics_update;
DROP TRIGGER deals_analytics_insert;
DROP TABLE analytics_settings;
DROP TABLE analytics_changes;
DROP TABLE analytics_state;
