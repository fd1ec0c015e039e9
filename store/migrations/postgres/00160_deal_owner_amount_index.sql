-- A rep's open deals by amount (the pipeline list a rep opens most) read
-- their page straight off an index. Without it, at a million deals the
-- planner walks the workspace's open deals by amount (deals_status_amount)
-- and keeps one in a hundred (one rep's), about 38 ms a page.

-- +goose Up
CREATE INDEX deals_owner_amount ON deals (workspace_id, owner_id, status, amount);

-- +goose Down
DROP INDEX deals_owner_amount;
