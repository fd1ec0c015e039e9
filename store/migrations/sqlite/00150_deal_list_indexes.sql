-- The deal list's common filters read their page straight off an index, in
-- order, instead of walking every deal of the workspace (one rep's open
-- deals by last update) or sorting all the matches (a stage, or the open
-- deals, by amount). The two widened indexes keep their old prefixes, so
-- nothing that used them loses; one index is added.

-- +goose Up
DROP INDEX deals_owner;
CREATE INDEX deals_owner ON deals (workspace_id, owner_id, status, updated_at);
DROP INDEX deals_stage;
CREATE INDEX deals_stage ON deals (workspace_id, stage_id, amount);
CREATE INDEX deals_status_amount ON deals (workspace_id, status, amount);

-- +goose Down
DROP INDEX deals_status_amount;
DROP INDEX deals_stage;
CREATE INDEX deals_stage ON deals (workspace_id, stage_id);
DROP INDEX deals_owner;
CREATE INDEX deals_owner ON deals (workspace_id, owner_id, status);
