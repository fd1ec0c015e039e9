-- A workspace's targets counter (analytics_state.targets_seq), bumped by
-- every write to targets: analytics requests keep the period's approved
-- targets until it moves instead of reading them on every dashboard.

-- +goose Up
ALTER TABLE analytics_state ADD COLUMN targets_seq BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION targets_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO analytics_state AS st (workspace_id, targets_seq) VALUES (OLD.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET targets_seq = st.targets_seq + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO analytics_state AS st (workspace_id, targets_seq) VALUES (NEW.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET targets_seq = st.targets_seq + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER targets_seq AFTER INSERT OR UPDATE OR DELETE ON targets
    FOR EACH ROW EXECUTE FUNCTION targets_changed();

-- +goose Down
DROP TRIGGER targets_seq ON targets;
DROP FUNCTION targets_changed;
ALTER TABLE analytics_state DROP COLUMN targets_seq;
