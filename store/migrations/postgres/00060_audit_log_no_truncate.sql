-- +goose Up
-- TRUNCATE does not fire row triggers, so the UPDATE/DELETE refusal of
-- 00001 let it empty the audit log; a statement trigger refuses it too.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TRIGGER audit_log_no_truncate ON audit_log;
