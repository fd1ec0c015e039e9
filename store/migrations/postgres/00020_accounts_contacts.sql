-- Accounts keep a match key of their name (lowercase, spaces collapsed) so a
-- lead's company or an imported row finds "ACME  Corp" as "Acme Corp"
-- through an index. A contact holds each buying role once per account and
-- deal. The other indexes serve the default sorts of the lists.

-- +goose Up
ALTER TABLE accounts ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
UPDATE accounts SET name_key = lower(trim(name));
CREATE INDEX accounts_name_key ON accounts (workspace_id, name_key);
CREATE INDEX accounts_updated ON accounts (workspace_id, updated_at);
CREATE INDEX contacts_full_name ON contacts (workspace_id, lower(trim(first_name || ' ' || last_name)));
CREATE INDEX contacts_updated ON contacts (workspace_id, updated_at);
CREATE INDEX leads_created ON leads (workspace_id, created_at);
CREATE INDEX leads_company ON leads (workspace_id, lower(company));
CREATE UNIQUE INDEX contact_roles_unique ON contact_roles (workspace_id, contact_id, COALESCE(account_id, 0), COALESCE(deal_id, 0), role);

-- +goose Down
DROP INDEX contact_roles_unique;
DROP INDEX leads_company;
DROP INDEX leads_created;
DROP INDEX contacts_updated;
DROP INDEX contacts_full_name;
DROP INDEX accounts_updated;
DROP INDEX accounts_name_key;
ALTER TABLE accounts DROP COLUMN name_key;
