-- Saved views of the record lists: a name, the list query (filters and
-- sort in the API's syntax) and the chosen columns. Each belongs to the
-- member who saved it; a shared view is offered to the whole workspace.

-- +goose Up
CREATE TABLE saved_views (
    id           INTEGER PRIMARY KEY,
    workspace_id INTEGER NOT NULL,
    owner_id     INTEGER NOT NULL,
    entity       TEXT NOT NULL,
    name         TEXT NOT NULL,
    query        TEXT NOT NULL DEFAULT '',
    columns      TEXT NOT NULL DEFAULT '[]',
    shared       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMP NOT NULL,
    updated_at   TIMESTAMP NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES memberships (workspace_id, user_id) ON DELETE CASCADE
);
CREATE INDEX saved_views_entity ON saved_views (workspace_id, entity, owner_id);

-- +goose Down
DROP TABLE saved_views;
