-- +goose Up
-- PostgreSQL's 00270 adds indexes of the contacts' and leads' names in the
-- "C" collation, for search's name ranges compared bytewise. SQLite
-- compares bytewise already, and its name indexes serve those ranges. This
-- keeps the numbering shared.
SELECT 1;

-- +goose Down
SELECT 1;
