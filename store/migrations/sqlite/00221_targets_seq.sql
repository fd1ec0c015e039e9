-- A workspace's targets counter (analytics_state.targets_seq), bumped by
-- every write to targets: analytics requests keep the period's approved
-- targets until it moves instead of reading them on every dashboard.

-- +goose Up
ALTER TABLE analytics_state ADD COLUMN targets_seq INTEGER NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER targets_seq_insert AFTER INSERT ON targets BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET targets_seq = targets_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER targets_seq_update AFTER UPDATE ON targets BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET targets_seq = targets_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER targets_seq_delete AFTER DELETE ON targets BEGIN
    UPDATE analytics_state SET targets_seq = targets_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER targets_seq_delete;
DROP TRIGGER targets_seq_update;
DROP TRIGGER targets_seq_insert;
ALTER TABLE analytics_state DROP COLUMN targets_seq;
