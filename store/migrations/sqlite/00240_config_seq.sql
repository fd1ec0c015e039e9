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
ALTER TABLE analytics_state ADD COLUMN config_seq INTEGER NOT NULL DEFAULT 0;
INSERT INTO analytics_state (workspace_id)
    SELECT id FROM workspaces WHERE id NOT IN (SELECT workspace_id FROM analytics_state);

-- +goose StatementBegin
CREATE TRIGGER memberships_config_seq_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER memberships_config_seq_update AFTER UPDATE ON memberships BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER memberships_config_seq_delete AFTER DELETE ON memberships BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER teams_config_seq_insert AFTER INSERT ON teams BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER teams_config_seq_update AFTER UPDATE ON teams BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER teams_config_seq_delete AFTER DELETE ON teams BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER team_members_config_seq_insert AFTER INSERT ON team_members BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER team_members_config_seq_update AFTER UPDATE ON team_members BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER team_members_config_seq_delete AFTER DELETE ON team_members BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER products_config_seq_insert AFTER INSERT ON products BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER products_config_seq_update AFTER UPDATE ON products BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER products_config_seq_delete AFTER DELETE ON products BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER pipelines_config_seq_insert AFTER INSERT ON pipelines BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER pipelines_config_seq_update AFTER UPDATE ON pipelines BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER pipelines_config_seq_delete AFTER DELETE ON pipelines BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stages_config_seq_insert AFTER INSERT ON stages BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stages_config_seq_update AFTER UPDATE ON stages BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER stages_config_seq_delete AFTER DELETE ON stages BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activity_types_config_seq_insert AFTER INSERT ON activity_types BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activity_types_config_seq_update AFTER UPDATE ON activity_types BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER activity_types_config_seq_delete AFTER DELETE ON activity_types BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER planning_settings_config_seq_insert AFTER INSERT ON planning_settings BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER planning_settings_config_seq_update AFTER UPDATE ON planning_settings BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER planning_settings_config_seq_delete AFTER DELETE ON planning_settings BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER analytics_settings_config_seq_insert AFTER INSERT ON analytics_settings BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = NEW.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER analytics_settings_config_seq_update AFTER UPDATE ON analytics_settings BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT NEW.workspace_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = NEW.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id IN (OLD.workspace_id, NEW.workspace_id);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER analytics_settings_config_seq_delete AFTER DELETE ON analytics_settings BEGIN
    UPDATE analytics_state SET config_seq = config_seq + 1 WHERE workspace_id = OLD.workspace_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER users_config_seq_update AFTER UPDATE ON users BEGIN
    INSERT INTO analytics_state (workspace_id) SELECT m.workspace_id FROM memberships m
        WHERE m.user_id = NEW.id AND NOT EXISTS (SELECT 1 FROM analytics_state WHERE workspace_id = m.workspace_id);
    UPDATE analytics_state SET config_seq = config_seq + 1
        WHERE workspace_id IN (SELECT workspace_id FROM memberships WHERE user_id = NEW.id);
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER users_config_seq_update;
DROP TRIGGER memberships_config_seq_delete;
DROP TRIGGER memberships_config_seq_update;
DROP TRIGGER memberships_config_seq_insert;
DROP TRIGGER teams_config_seq_delete;
DROP TRIGGER teams_config_seq_update;
DROP TRIGGER teams_config_seq_insert;
DROP TRIGGER team_members_config_seq_delete;
DROP TRIGGER team_members_config_seq_update;
DROP TRIGGER team_members_config_seq_insert;
DROP TRIGGER products_config_seq_delete;
DROP TRIGGER products_config_seq_update;
DROP TRIGGER products_config_seq_insert;
DROP TRIGGER pipelines_config_seq_delete;
DROP TRIGGER pipelines_config_seq_update;
DROP TRIGGER pipelines_config_seq_insert;
DROP TRIGGER stages_config_seq_delete;
DROP TRIGGER stages_config_seq_update;
DROP TRIGGER stages_config_seq_insert;
DROP TRIGGER activity_types_config_seq_delete;
DROP TRIGGER activity_types_config_seq_update;
DROP TRIGGER activity_types_config_seq_insert;
DROP TRIGGER planning_settings_config_seq_delete;
DROP TRIGGER planning_settings_config_seq_update;
DROP TRIGGER planning_settings_config_seq_insert;
DROP TRIGGER analytics_settings_config_seq_delete;
DROP TRIGGER analytics_settings_config_seq_update;
DROP TRIGGER analytics_settings_config_seq_insert;
ALTER TABLE analytics_state DROP COLUMN config_seq;
