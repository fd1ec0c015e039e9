-- Search looks up a query of one or two letters as a range of each
-- record's names (store/search.go), compared bytewise (COLLATE "C", the
-- same range as store/list.go's prefixCond) so that it holds exactly the
-- names starting with the query whatever the database's collation. Only an
-- index built with that collation can serve the range: migration 00190 made
-- them for deals and accounts; these are the contacts' and leads' names
-- search reads (contacts_full_name, contacts_name's last name,
-- leads_full_name, leads_company in the database's collation stay for
-- sorting). SQLite compares bytewise already and reads those.

-- +goose Up
CREATE INDEX contacts_full_name_prefix ON contacts (workspace_id, (lower(trim(first_name || ' ' || last_name)) COLLATE "C"));
CREATE INDEX contacts_last_name_prefix ON contacts (workspace_id, (lower(last_name) COLLATE "C"));
CREATE INDEX leads_full_name_prefix ON leads (workspace_id, (lower(trim(first_name || ' ' || last_name)) COLLATE "C"));
CREATE INDEX leads_company_prefix ON leads (workspace_id, (lower(company) COLLATE "C"));

-- +goose Down
DROP INDEX leads_company_prefix;
DROP INDEX leads_full_name_prefix;
DROP INDEX contacts_last_name_prefix;
DROP INDEX contacts_full_name_prefix;
