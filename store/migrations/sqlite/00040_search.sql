-- Search across accounts, contacts, leads and deals: one FTS5 index kept in
-- step with the records by triggers, so every writer (API, import, CLI, raw
-- SQL) keeps it current without knowing about it.
--
-- The index is contentless (the text lives in the records already). Its
-- rowid says which record a row indexes: the kind's base plus the record's
-- id, where the bases are 2^40 apart (account 1, contact 2, lead 3, deal 4,
-- times 2^40) so a search for one kind is a rowid range FTS5 can seek in.
-- Soft-deleted records leave the index and come back when restored.
-- unicode61 with remove_diacritics 2 folds case and accents ("Zürich" is
-- found by "zurich"); the prefix indexes make typing-as-you-go fast.

-- +goose Up
CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    detail,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);

-- Exact domain lookups ignore case whatever the writer stored.
CREATE INDEX accounts_domain_lower ON accounts (workspace_id, lower(domain));

-- +goose StatementBegin
CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (1099511627776 + new.id, new.name, new.domain || ' ' || new.website);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_search_update AFTER UPDATE OF name, domain, website, deleted_at ON accounts BEGIN
    DELETE FROM search_index WHERE rowid = 1099511627776 + old.id;
    INSERT INTO search_index (rowid, title, detail)
    SELECT 1099511627776 + new.id, new.name, new.domain || ' ' || new.website
    WHERE new.deleted_at IS NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
    DELETE FROM search_index WHERE rowid = 1099511627776 + old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER contacts_search_insert AFTER INSERT ON contacts
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (2199023255552 + new.id, new.first_name || ' ' || new.last_name,
            new.email || ' ' || new.emails || ' ' || new.title || ' ' || new.phone || ' ' || new.phones);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_search_update AFTER UPDATE OF first_name, last_name, email, emails, title, phone, phones, deleted_at ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = 2199023255552 + old.id;
    INSERT INTO search_index (rowid, title, detail)
    SELECT 2199023255552 + new.id, new.first_name || ' ' || new.last_name,
           new.email || ' ' || new.emails || ' ' || new.title || ' ' || new.phone || ' ' || new.phones
    WHERE new.deleted_at IS NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER contacts_search_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM search_index WHERE rowid = 2199023255552 + old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER leads_search_insert AFTER INSERT ON leads
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (3298534883328 + new.id, new.first_name || ' ' || new.last_name || ' ' || new.company, new.email);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER leads_search_update AFTER UPDATE OF first_name, last_name, company, email, deleted_at ON leads BEGIN
    DELETE FROM search_index WHERE rowid = 3298534883328 + old.id;
    INSERT INTO search_index (rowid, title, detail)
    SELECT 3298534883328 + new.id, new.first_name || ' ' || new.last_name || ' ' || new.company, new.email
    WHERE new.deleted_at IS NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    DELETE FROM search_index WHERE rowid = 3298534883328 + old.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER deals_search_insert AFTER INSERT ON deals
WHEN new.deleted_at IS NULL BEGIN
    INSERT INTO search_index (rowid, title, detail)
    VALUES (4398046511104 + new.id, new.name, new.next_step);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER deals_search_update AFTER UPDATE OF name, next_step, deleted_at ON deals BEGIN
    DELETE FROM search_index WHERE rowid = 4398046511104 + old.id;
    INSERT INTO search_index (rowid, title, detail)
    SELECT 4398046511104 + new.id, new.name, new.next_step
    WHERE new.deleted_at IS NULL;
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER deals_search_delete AFTER DELETE ON deals BEGIN
    DELETE FROM search_index WHERE rowid = 4398046511104 + old.id;
END;
-- +goose StatementEnd

-- Records written before this migration.
INSERT INTO search_index (rowid, title, detail)
SELECT 1099511627776 + id, name, domain || ' ' || website FROM accounts WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 2199023255552 + id, first_name || ' ' || last_name, email || ' ' || emails || ' ' || title || ' ' || phone || ' ' || phones
FROM contacts WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 3298534883328 + id, first_name || ' ' || last_name || ' ' || company, email FROM leads WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 4398046511104 + id, name, next_step FROM deals WHERE deleted_at IS NULL;

-- +goose Down
DROP TRIGGER deals_search_delete;
DROP TRIGGER deals_search_update;
DROP TRIGGER deals_search_insert;
DROP TRIGGER leads_search_delete;
DROP TRIGGER leads_search_update;
DROP TRIGGER leads_search_insert;
DROP TRIGGER contacts_search_delete;
DROP TRIGGER contacts_search_update;
DROP TRIGGER contacts_search_insert;
DROP TRIGGER accounts_search_delete;
DROP TRIGGER accounts_search_update;
DROP TRIGGER accounts_search_insert;
DROP INDEX accounts_domain_lower;
DROP TABLE search_index;
