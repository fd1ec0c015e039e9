-- The search index keeps prefix indexes for prefixes of two to eight
-- characters (it kept 2, 3 and 4). A prefix of a length FTS5 has no index
-- for makes it gather every posting of every word starting with it, for
-- the whole index, before it can return the first row: 70-300 ms per kind
-- at a million deals for "profess" or "exampl", which everyone typing a
-- longer word passes through. With the index it is a list read newest
-- first, under a millisecond. Search looks a longer last word up whole
-- first (store/search.go).
--
-- A contentless FTS5 table cannot be rebuilt in place, so it is made again
-- and refilled from the records, as migration 00040 did; the triggers of
-- migrations 00040 and 00110 write to it by name and carry on. This
-- rebuild is the cost of the migration: about 11 s at 100,000 deals, 5 min
-- at a million on a loaded two-core machine (plus 46 s to optimize).

-- +goose Up
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    detail,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4 5 6 7 8'
);
INSERT INTO search_index (rowid, title, detail)
SELECT 1099511627776 + id, name, domain || ' ' || website FROM accounts WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 2199023255552 + id, first_name || ' ' || last_name, email || ' ' || emails || ' ' || title || ' ' || phone || ' ' || phones
FROM contacts WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 3298534883328 + id, first_name || ' ' || last_name || ' ' || company, email FROM leads WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 4398046511104 + id, name, next_step FROM deals WHERE deleted_at IS NULL;
-- Freshly filled, the index is many segments and every query reads each
-- (a common word 3-4x slower at a million deals): merge them into one.
INSERT INTO search_index (search_index) VALUES ('optimize');

-- +goose Down
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5 (
    title,
    detail,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO search_index (rowid, title, detail)
SELECT 1099511627776 + id, name, domain || ' ' || website FROM accounts WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 2199023255552 + id, first_name || ' ' || last_name, email || ' ' || emails || ' ' || title || ' ' || phone || ' ' || phones
FROM contacts WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 3298534883328 + id, first_name || ' ' || last_name || ' ' || company, email FROM leads WHERE deleted_at IS NULL;
INSERT INTO search_index (rowid, title, detail)
SELECT 4398046511104 + id, name, next_step FROM deals WHERE deleted_at IS NULL;
INSERT INTO search_index (search_index) VALUES ('optimize');
