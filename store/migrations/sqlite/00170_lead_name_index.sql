-- Search answers a query of one or two letters from the name indexes, as
-- the start of a name: an account's, a deal's, a contact's full or last
-- name (migrations 00003, 00020), and a lead's company or, with this index,
-- full name. Expanding so short a prefix in the full-text index reads a
-- large part of it (seconds at a million deals).

-- +goose Up
CREATE INDEX leads_full_name ON leads (workspace_id, lower(trim(first_name || ' ' || last_name)));

-- +goose Down
DROP INDEX leads_full_name;
