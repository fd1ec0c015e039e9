-- A deal created without a close date gets a default one (the end of next
-- month) so it still lands in a forecast period; this flag says the date is
-- that guess, so an exit criterion on close_date asks a person to confirm it.

-- +goose Up
ALTER TABLE deals ADD COLUMN close_date_estimated BOOLEAN NOT NULL DEFAULT FALSE;

-- +goose Down
ALTER TABLE deals DROP COLUMN close_date_estimated;
