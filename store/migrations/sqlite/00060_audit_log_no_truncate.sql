-- +goose Up
-- SQLite has no TRUNCATE: an unconditional DELETE is its truncate, and the
-- audit_log_no_delete trigger of 00001 already refuses it (a table with
-- triggers is never truncated in bulk). This keeps the numbering shared with
-- PostgreSQL's 00060.
SELECT 1;

-- +goose Down
SELECT 1;
