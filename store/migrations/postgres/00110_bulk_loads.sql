-- Bulk loads: a writer that inserts many rows into one workspace (the demo
-- generator, CSV import) sets attain.bulk_load to the workspace's id for its
-- transaction (set_config(..., true)), and the per-row insert triggers that
-- keep the analytics change log skip that workspace's rows; the writer
-- writes the log set-wise for what it inserted before it commits
-- (store.BulkLoad). The setting ends with the transaction. Without it the
-- triggers do exactly what they did before. (The search index needs no
-- pause here: it is a generated tsvector column of each row.)

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION attain_bulk_loading(ws BIGINT) RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT current_setting('attain.bulk_load', true) = ws::text
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION analytics_deal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM analytics_log(OLD.workspace_id, OLD.id, NULL, NULL);
        RETURN OLD;
    END IF;
    IF TG_OP = 'INSERT' AND attain_bulk_loading(NEW.workspace_id) THEN
        RETURN NEW;
    END IF;
    PERFORM analytics_log(NEW.workspace_id, NEW.id, NULL, NULL);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION analytics_deal_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND attain_bulk_loading(NEW.workspace_id) THEN
        RETURN NEW;
    END IF;
    PERFORM analytics_log(NEW.workspace_id, NEW.deal_id, NULL, NULL);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION analytics_activity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND attain_bulk_loading(NEW.workspace_id) THEN
        RETURN NEW;
    END IF;
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

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION analytics_deal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE OR REPLACE FUNCTION analytics_deal_part_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM analytics_log(NEW.workspace_id, NEW.deal_id, NULL, NULL);
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION analytics_activity_changed() RETURNS trigger LANGUAGE plpgsql AS $$
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

DROP FUNCTION attain_bulk_loading;
