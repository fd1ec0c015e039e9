-- Indexes for key activities and timelines: a lead's activities, and each
-- owner's open tasks by due date (the "what do I do today" list).

-- +goose Up
CREATE INDEX activities_lead ON activities (workspace_id, lead_id, occurred_at);
CREATE INDEX activities_open_tasks ON activities (workspace_id, owner_id, due_at) WHERE done_at IS NULL;

-- +goose Down
DROP INDEX activities_open_tasks;
DROP INDEX activities_lead;
