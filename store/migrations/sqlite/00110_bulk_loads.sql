-- Bulk loads: a writer that inserts many rows into one workspace (the demo
-- generator, CSV import) marks the workspace in bulk_loads inside its
-- transaction, and the per-row insert triggers that keep derived data (the
-- search index, the analytics change log) skip that workspace's rows; the
-- writer rebuilds the derived data set-wise for what it inserted before it
-- removes the mark and commits (store.BulkLoad). The mark is written and
-- removed in one transaction, so no other connection ever sees it, and a
-- crash rolls it back with the rows. Without a mark the triggers do exactly
-- what they did before.

-- +goose Up
CREATE TABLE bulk_loads (
    workspace_id INTEGER PRIMARY KEY
);

-- The secondary indexes a very large load dropped, to build once at its end
-- (store.BulkConn.DeferIndexes); a load that was killed leaves them here and
-- the next migrate (every command runs it) builds them.
CREATE TABLE bulk_deferred_indexes (
    name TEXT PRIMARY KEY,
    sql  TEXT NOT NULL
);

DROP TRIGGER accounts_search_insert;
-- +goose StatementBegin
CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts
WHEN new.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = new.workspace_id) BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (1099511627776 + new.id, new.name, new.domain || ' ' || new.website);
END;
-- +goose StatementEnd

DROP TRIGGER contacts_search_insert;
-- +goose StatementBegin
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
WHEN new.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = new.workspace_id) BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (2199023255552 + new.id, new.first_name || ' ' || new.last_name,
            new.email || ' ' || new.emails || ' ' || new.title || ' ' || new.phone || ' ' || new.phones);
END;
-- +goose StatementEnd

DROP TRIGGER leads_search_insert;
-- +goose StatementBegin
CREATE TRIGGER leads_search_insert AFTER INSERT ON leads
WHEN new.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = new.workspace_id) BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (3298534883328 + new.id, new.first_name || ' ' || new.last_name || ' ' || new.company, new.email);
END;
-- +goose StatementEnd

DROP TRIGGER deals_search_insert;
-- +goose StatementBegin
CREATE TRIGGER deals_search_insert AFTER INSERT ON deals
WHEN new.deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = new.workspace_id) BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (4398046511104 + new.id, new.name, new.next_step);
END;
-- +goose StatementEnd

DROP TRIGGER deals_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER deals_analytics_insert AFTER INSERT ON deals
WHEN NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER stage_history_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER stage_history_analytics_insert AFTER INSERT ON stage_history
WHEN NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.deal_id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER deal_lines_analytics;
-- +goose StatementBegin
CREATE TRIGGER deal_lines_analytics AFTER INSERT ON deal_lines
WHEN NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.deal_id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER activities_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER activities_analytics_insert AFTER INSERT ON activities
WHEN NEW.occurred_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT NEW.workspace_id, seq, NEW.owner_id, NEW.occurred_at FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER activities_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER activities_analytics_insert AFTER INSERT ON activities WHEN NEW.occurred_at IS NOT NULL BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT NEW.workspace_id, seq, NEW.owner_id, NEW.occurred_at FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER deal_lines_analytics;
-- +goose StatementBegin
CREATE TRIGGER deal_lines_analytics AFTER INSERT ON deal_lines BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.deal_id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER stage_history_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER stage_history_analytics_insert AFTER INSERT ON stage_history BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.deal_id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER deals_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER deals_analytics_insert AFTER INSERT ON deals BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER deals_search_insert;
-- +goose StatementBegin
CREATE TRIGGER deals_search_insert AFTER INSERT ON deals
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (4398046511104 + new.id, new.name, new.next_step);
END;
-- +goose StatementEnd

DROP TRIGGER leads_search_insert;
-- +goose StatementBegin
CREATE TRIGGER leads_search_insert AFTER INSERT ON leads
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (3298534883328 + new.id, new.first_name || ' ' || new.last_name || ' ' || new.company, new.email);
END;
-- +goose StatementEnd

DROP TRIGGER contacts_search_insert;
-- +goose StatementBegin
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (2199023255552 + new.id, new.first_name || ' ' || new.last_name,
            new.email || ' ' || new.emails || ' ' || new.title || ' ' || new.phone || ' ' || new.phones);
END;
-- +goose StatementEnd

DROP TRIGGER accounts_search_insert;
-- +goose StatementBegin
CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (1099511627776 + new.id, new.name, new.domain || ' ' || new.website);
END;
-- +goose StatementEnd

DROP TABLE bulk_deferred_indexes;
DROP TABLE bulk_loads;
