-- The analytics change log without the per-workspace counter row.
--
-- Every change row used to bump analytics_state.seq and copy it: three
-- statements per logged row (make sure the row exists, bump, insert), about
-- half of what a deal create costs. Now a change row takes the next number
-- of its workspace's log itself, and the workspace's counter is the largest
-- number in its log (the (workspace_id, seq) index answers both). SQLite has
-- one writer, so numbers commit in order, as before. analytics_state.seq is
-- no longer kept (bulk-load reloads still set pruned_seq); pruning keeps the
-- newest entries, so the counter never goes back. PostgreSQL numbers its
-- changes from a sequence instead (see its 00230).

-- +goose Up
-- The counter is now the largest number in the log: one entry at the old
-- counter (naming nothing) keeps it where it was.
INSERT INTO analytics_changes (workspace_id, seq)
SELECT s.workspace_id, s.seq FROM analytics_state s
WHERE s.seq > coalesce((SELECT max(c.seq) FROM analytics_changes c WHERE c.workspace_id = s.workspace_id), 0);

DROP TRIGGER deals_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER deals_analytics_insert AFTER INSERT ON deals
WHEN NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        VALUES (NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, NEW.id);
END;
-- +goose StatementEnd

DROP TRIGGER deals_analytics_update;
-- +goose StatementBegin
CREATE TRIGGER deals_analytics_update AFTER UPDATE ON deals BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        VALUES (NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, NEW.id);
END;
-- +goose StatementEnd

DROP TRIGGER deals_analytics_delete;
-- +goose StatementBegin
CREATE TRIGGER deals_analytics_delete AFTER DELETE ON deals BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        VALUES (OLD.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = OLD.workspace_id), 0) + 1, OLD.id);
END;
-- +goose StatementEnd

DROP TRIGGER stage_history_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER stage_history_analytics_insert AFTER INSERT ON stage_history
WHEN NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        VALUES (NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, NEW.deal_id);
END;
-- +goose StatementEnd

DROP TRIGGER stage_history_analytics_update;
-- +goose StatementBegin
CREATE TRIGGER stage_history_analytics_update AFTER UPDATE ON stage_history BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        VALUES (NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, NEW.deal_id);
END;
-- +goose StatementEnd

DROP TRIGGER deal_lines_analytics;
-- +goose StatementBegin
CREATE TRIGGER deal_lines_analytics AFTER INSERT ON deal_lines
WHEN NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        VALUES (NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, NEW.deal_id);
END;
-- +goose StatementEnd

DROP TRIGGER activities_analytics_insert;
-- +goose StatementBegin
CREATE TRIGGER activities_analytics_insert AFTER INSERT ON activities
WHEN NEW.occurred_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM bulk_loads WHERE workspace_id = NEW.workspace_id) BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        VALUES (NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, NEW.owner_id, NEW.occurred_at);
END;
-- +goose StatementEnd

DROP TRIGGER activities_analytics_update;
-- +goose StatementBegin
CREATE TRIGGER activities_analytics_update AFTER UPDATE ON activities
WHEN OLD.owner_id IS NOT NEW.owner_id OR OLD.occurred_at IS NOT NEW.occurred_at OR OLD.deleted_at IS NOT NEW.deleted_at
    OR OLD.type_id IS NOT NEW.type_id BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, OLD.owner_id, OLD.occurred_at
        WHERE OLD.occurred_at IS NOT NULL;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT NEW.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = NEW.workspace_id), 0) + 1, NEW.owner_id, NEW.occurred_at
        WHERE NEW.occurred_at IS NOT NULL;
END;
-- +goose StatementEnd

DROP TRIGGER activities_analytics_delete;
-- +goose StatementBegin
CREATE TRIGGER activities_analytics_delete AFTER DELETE ON activities
WHEN OLD.occurred_at IS NOT NULL BEGIN
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        VALUES (OLD.workspace_id, coalesce((SELECT max(seq) FROM analytics_changes WHERE workspace_id = OLD.workspace_id), 0) + 1, OLD.owner_id, OLD.occurred_at);
END;
-- +goose StatementEnd

-- +goose Down
INSERT INTO analytics_state (workspace_id) SELECT DISTINCT workspace_id FROM analytics_changes WHERE true
    ON CONFLICT (workspace_id) DO NOTHING;
UPDATE analytics_state SET seq = max(seq,
    coalesce((SELECT max(c.seq) FROM analytics_changes c WHERE c.workspace_id = analytics_state.workspace_id), 0));

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

DROP TRIGGER deals_analytics_update;
-- +goose StatementBegin
CREATE TRIGGER deals_analytics_update AFTER UPDATE ON deals BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = NEW.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT NEW.workspace_id, seq, NEW.id FROM analytics_state WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

DROP TRIGGER deals_analytics_delete;
-- +goose StatementBegin
CREATE TRIGGER deals_analytics_delete AFTER DELETE ON deals BEGIN
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = OLD.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id)
        SELECT OLD.workspace_id, seq, OLD.id FROM analytics_state WHERE workspace_id = OLD.workspace_id;
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

DROP TRIGGER stage_history_analytics_update;
-- +goose StatementBegin
CREATE TRIGGER stage_history_analytics_update AFTER UPDATE ON stage_history BEGIN
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

DROP TRIGGER activities_analytics_update;
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

DROP TRIGGER activities_analytics_delete;
-- +goose StatementBegin
CREATE TRIGGER activities_analytics_delete AFTER DELETE ON activities WHEN OLD.occurred_at IS NOT NULL BEGIN
    UPDATE analytics_state SET seq = seq + 1 WHERE workspace_id = OLD.workspace_id;
    INSERT INTO analytics_changes (workspace_id, seq, owner_id, at)
        SELECT OLD.workspace_id, seq, OLD.owner_id, OLD.occurred_at FROM analytics_state WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

