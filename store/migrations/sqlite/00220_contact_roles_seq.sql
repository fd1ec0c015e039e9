-- A workspace's buying-role counter (analytics_state.roles_seq), bumped by
-- every write to contact_roles. The rep dashboard keeps which of a rep's
-- open deals lack a decision maker until either counter moves: roles are
-- not in the analytics model, so the change counter alone would miss a
-- contact who becomes (or stops being) a deal's decision maker. It fires
-- during bulk loads too: their rows are few beside deals and activities.

-- +goose Up
ALTER TABLE analytics_state ADD COLUMN roles_seq INTEGER NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE TRIGGER contact_roles_seq_insert AFTER INSERT ON contact_roles BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET roles_seq = roles_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER contact_roles_seq_update AFTER UPDATE ON contact_roles BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET roles_seq = roles_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER contact_roles_seq_delete AFTER DELETE ON contact_roles BEGIN
    UPDATE analytics_state SET roles_seq = roles_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER contact_roles_seq_delete;
DROP TRIGGER contact_roles_seq_update;
DROP TRIGGER contact_roles_seq_insert;
ALTER TABLE analytics_state DROP COLUMN roles_seq;
