-- A workspace's buying-role counter (analytics_state.roles_seq), bumped by
-- every write to contact_roles. The rep dashboard keeps which of a rep's
-- open deals lack a decision maker until either counter moves: roles are
-- not in the analytics model, so the change counter alone would miss a
-- contact who becomes (or stops being) a deal's decision maker.

-- +goose Up
ALTER TABLE analytics_state ADD COLUMN roles_seq BIGINT NOT NULL DEFAULT 0;

-- +goose StatementBegin
CREATE FUNCTION contact_roles_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO analytics_state AS st (workspace_id, roles_seq) VALUES (OLD.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET roles_seq = st.roles_seq + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO analytics_state AS st (workspace_id, roles_seq) VALUES (NEW.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET roles_seq = st.roles_seq + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER contact_roles_seq AFTER INSERT OR UPDATE OR DELETE ON contact_roles
    FOR EACH ROW EXECUTE FUNCTION contact_roles_changed();

-- +goose Down
DROP TRIGGER contact_roles_seq ON contact_roles;
DROP FUNCTION contact_roles_changed;
ALTER TABLE analytics_state DROP COLUMN roles_seq;
