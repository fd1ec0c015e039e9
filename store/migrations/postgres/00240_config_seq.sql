-- A workspace's configuration counter (analytics_state.config_seq), bumped
-- by every write to what an analytics request reads besides deals,
-- activities and targets: members (users, memberships), teams and their
-- members, products, pipelines and stages, activity types, planning and
-- KPI settings. Analytics requests keep that configuration per workspace
-- until the counter moves instead of reading it on every dashboard. A user
-- belongs to no workspace of their own: a change to one bumps the counter
-- of every workspace they are a member of. Every workspace gets its row
-- here, so that a change to a user always finds one.

-- +goose Up
ALTER TABLE analytics_state ADD COLUMN config_seq BIGINT NOT NULL DEFAULT 0;
INSERT INTO analytics_state (workspace_id)
    SELECT id FROM workspaces ON CONFLICT (workspace_id) DO NOTHING;

-- +goose StatementBegin
CREATE FUNCTION config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO analytics_state AS st (workspace_id, config_seq) VALUES (OLD.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET config_seq = st.config_seq + 1;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO analytics_state AS st (workspace_id, config_seq) VALUES (NEW.workspace_id, 1)
            ON CONFLICT (workspace_id) DO UPDATE SET config_seq = st.config_seq + 1;
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION user_config_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO analytics_state AS st (workspace_id, config_seq)
        SELECT workspace_id, 1 FROM memberships WHERE user_id = NEW.id
        ON CONFLICT (workspace_id) DO UPDATE SET config_seq = st.config_seq + 1;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER users_config_seq AFTER UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION user_config_changed();
CREATE TRIGGER memberships_config_seq AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER teams_config_seq AFTER INSERT OR UPDATE OR DELETE ON teams
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER team_members_config_seq AFTER INSERT OR UPDATE OR DELETE ON team_members
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER products_config_seq AFTER INSERT OR UPDATE OR DELETE ON products
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER pipelines_config_seq AFTER INSERT OR UPDATE OR DELETE ON pipelines
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER stages_config_seq AFTER INSERT OR UPDATE OR DELETE ON stages
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER activity_types_config_seq AFTER INSERT OR UPDATE OR DELETE ON activity_types
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER planning_settings_config_seq AFTER INSERT OR UPDATE OR DELETE ON planning_settings
    FOR EACH ROW EXECUTE FUNCTION config_changed();
CREATE TRIGGER analytics_settings_config_seq AFTER INSERT OR UPDATE OR DELETE ON analytics_settings
    FOR EACH ROW EXECUTE FUNCTION config_changed();

-- +goose Down
DROP TRIGGER users_config_seq ON users;
DROP TRIGGER memberships_config_seq ON memberships;
DROP TRIGGER teams_config_seq ON teams;
DROP TRIGGER team_members_config_seq ON team_members;
DROP TRIGGER products_config_seq ON products;
DROP TRIGGER pipelines_config_seq ON pipelines;
DROP TRIGGER stages_config_seq ON stages;
DROP TRIGGER activity_types_config_seq ON activity_types;
DROP TRIGGER planning_settings_config_seq ON planning_settings;
DROP TRIGGER analytics_settings_config_seq ON analytics_settings;
DROP FUNCTION user_config_changed;
DROP FUNCTION config_changed;
ALTER TABLE analytics_state DROP COLUMN config_seq;
