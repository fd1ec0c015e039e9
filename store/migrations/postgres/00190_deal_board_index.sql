-- The pipeline board's totals (FindDealTotals: count and sum of the deals
-- of a pipeline by stage and currency) read one index instead of every
-- deal's row: the index holds each deal's stage, currency and amount, and
-- the status, owner, team and deletion the board and visibility filter on,
-- in the order the totals are grouped. At a million deals the rows are
-- gigabytes and the index tens of megabytes. deals_board serves a board of
-- every deal (an admin's); deals_board_owner, the same columns led by the
-- owner, serves a rep's or a manager's, which would otherwise walk the
-- whole pipeline's entries to keep their own.
--
-- A name prefix (name[prefix]=acm) is a range of lower(name) compared
-- bytewise (COLLATE "C", store/list.go's prefixCond); deals_name sorts by
-- the database's collation and cannot serve that range, this index can.
-- SQLite compares bytewise already and reads deals_name.

-- +goose Up
CREATE INDEX deals_board ON deals (workspace_id, pipeline_id, stage_id, currency, status, owner_id, team_id, amount, deleted_at);
CREATE INDEX deals_board_owner ON deals (workspace_id, owner_id, pipeline_id, stage_id, currency, status, team_id, amount, deleted_at);
CREATE INDEX deals_name_prefix ON deals (workspace_id, (lower(name) COLLATE "C"));
CREATE INDEX accounts_name_prefix ON accounts (workspace_id, (lower(name) COLLATE "C"));

-- +goose Down
DROP INDEX accounts_name_prefix;
DROP INDEX deals_name_prefix;
DROP INDEX deals_board_owner;
DROP INDEX deals_board;
