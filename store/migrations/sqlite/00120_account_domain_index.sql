-- Accounts' domains are indexed once. Every writer stores a domain as
-- attain.DomainOf gives it (lowercase), so the index on lower(domain) that
-- search's exact lookups used duplicated accounts_domain and cost every
-- insert (an import of accounts most); search now looks up domain itself.
-- Any domain stored otherwise is lowercased first, so nothing is missed.

-- +goose Up
UPDATE accounts SET domain = lower(domain) WHERE domain <> lower(domain);
DROP INDEX accounts_domain_lower;

-- +goose Down
CREATE INDEX accounts_domain_lower ON accounts (workspace_id, lower(domain));
