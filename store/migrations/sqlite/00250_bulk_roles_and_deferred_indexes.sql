-- Bulk loads: the buying-role counter (analytics_state.roles_seq) is no
-- longer bumped per inserted contact role during a bulk load of the
-- workspace; the load bumps it once at its end (store.BulkLoad.End), as on
-- PostgreSQL, where the per-row bump took time quadratic in the roles of a
-- transaction. (PostgreSQL's migration also adds bulk_deferred_indexes,
-- which SQLite has had since 00110.)

-- +goose Up
DROP TRIGGER contact_roles_seq_insert;
-- +goose StatementBegin
CREATE TRIGGER contact_roles_seq_insert AFTER INSERT ON contact_roles
WHEN NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET roles_seq = roles_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER contact_roles_seq_insert;
-- +goose StatementBegin
CREATE TRIGGER contact_roles_seq_insert AFTER INSERT ON contact_roles BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET roles_seq = roles_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd
