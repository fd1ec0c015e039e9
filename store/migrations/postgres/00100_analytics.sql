-- The analytics change log. Each process keeps an in-memory model of a
-- workspace's deals and activity counts; before answering it compares the
-- workspace's change counter (analytics_state.seq) with the one it last saw
-- and reloads only what changed since (analytics_changes). Triggers write
-- the log, so every write path (service, import, demo, restore) feeds it.
--
-- The counter is one row per workspace, bumped inside the writing
-- transaction: its row lock makes counter values commit in order (a
-- sequence would not: a later value can commit before an earlier one, and a
-- reader that saw the later one would skip the earlier change for ever), so
-- "everything up to seq N" is well defined. A change row names a deal
-- (reload it) or an activity owner and time (recount that owner's day).

-- +goose Up
CREATE TABLE analytics_state (
    workspace_id BIGINT PRIMARY KEY,
    seq          BIGINT NOT NULL DEFAULT 0,
    pruned_seq   BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE analytics_changes (
    workspace_id BIGINT NOT NULL,
    seq          BIGINT NOT NULL,
    deal_id      BIGINT,
    owner_id     BIGINT,
    at           TIMESTAMPTZ
);
CREATE INDEX analytics_changes_seq ON analytics_changes (workspace_id, seq);

-- Settings of the KPIs: coverage threshold, when a deal counts as stalled,
-- whether reps see names on the leaderboard, and goals for rate KPIs.
CREATE TABLE analytics_settings (
    workspace_id BIGINT PRIMARY KEY,
    settings     TEXT NOT NULL DEFAULT '{}',
    updated_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT NOT NULL DEFAULT 1
);

-- +goose StatementBegin
CREATE FUNCTION analytics_log(ws BIGINT, deal BIGINT, owner BIGINT, t TIMESTAMPTZ) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s BIGINT;
BEGIN
    INSERT INTO analytics_state AS st (workspace_id, seq) VALUES (ws, 1)
        ON CONFLICT (workspace_id) DO UPDATE SET seq = st.seq + 1
        RETURNING st.seq INTO s;
    INSERT INTO analytics_changes (workspace_id, seq, deal_id, owner_id, at) VALUES (ws, s, deal, owner, t);
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION analytics_deal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM analytics_log(OLD.workspace_id, OLD.id, NULL, NULL);
        RETURN OLD;
    END IF;
    PERFORM analytics_log(NEW.workspace_id, NEW.id, NULL, NULL);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION analytics_deal_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analytics_log(NEW.workspace_id, NEW.deal_id, NULL, NULL);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION analytics_activity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.occurred_at IS NOT NULL THEN
        PERFORM analytics_log(OLD.workspace_id, NULL, OLD.owner_id, OLD.occurred_at);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.occurred_at IS NOT NULL THEN
        PERFORM analytics_log(NEW.workspace_id, NULL, NEW.owner_id, NEW.occurred_at);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER deals_analytics AFTER INSERT OR UPDATE OR DELETE ON deals
    FOR EACH ROW EXECUTE FUNCTION analytics_deal_changed();
CREATE TRIGGER stage_history_analytics AFTER INSERT OR UPDATE ON stage_history
    FOR EACH ROW EXECUTE FUNCTION analytics_deal_part_changed();
CREATE TRIGGER deal_lines_analytics AFTER INSERT ON deal_lines
    FOR EACH ROW EXECUTE FUNCTION analytics_deal_part_changed();
CREATE TRIGGER activities_analytics_insert AFTER INSERT OR DELETE ON activities
    FOR EACH ROW EXECUTE FUNCTION analytics_activity_changed();
CREATE TRIGGER activities_analytics_update AFTER UPDATE ON activities
    FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id OR OLD.occurred_at IS DISTINCT FROM NEW.occurred_at
        OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at OR OLD.type_id IS DISTINCT FROM NEW.type_id)
    EXECUTE FUNCTION analytics_activity_changed();

-- +goose Down
DROP TRIGGER activities_analytics_update ON activities;
DROP TRIGGER activities_analytics_insert ON activities;
DROP TRIGGER deal_lines_analytics ON deal_lines;
DROP TRIGGER stage_history_analytics ON stage_history;
DROP TRIGGER deals_analytics ON deals;
DROP FUNCTION analytics_activity_changed;
DROP FUNCTION analytics_deal_part_changed;
DROP FUNCTION analytics_deal_changed;
DROP FUNCTION analytics_log;
DROP TABLE analytics_settings;
DROP TABLE analytics_changes;
DROP TABLE analytics_state;
