-- CSV imports. The uploaded file is kept in chunks beside the import, so
-- a large file is streamed in and out and a background job in any process
-- can read it; rejected rows are kept per import so a client can page
-- through them. Records created by an import carry its id in their history.

-- +goose Up
CREATE TABLE imports (
    workspace_id   INTEGER NOT NULL,
    id             INTEGER PRIMARY KEY,
    kind           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed')),
    file_name      TEXT NOT NULL DEFAULT '',
    size_bytes     INTEGER NOT NULL DEFAULT 0,
    header         TEXT NOT NULL DEFAULT '[]',
    options        TEXT NOT NULL DEFAULT '{}',
    dry_run        BOOLEAN NOT NULL DEFAULT FALSE,
    rows_total     INTEGER NOT NULL DEFAULT 0,
    rows_done      INTEGER NOT NULL DEFAULT 0,
    created_count  INTEGER NOT NULL DEFAULT 0,
    updated_count  INTEGER NOT NULL DEFAULT 0,
    rejected_count INTEGER NOT NULL DEFAULT 0,
    error          TEXT NOT NULL DEFAULT '',
    job_id         INTEGER,
    created_by     INTEGER NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    started_at     TIMESTAMP,
    finished_at    TIMESTAMP,
    version        INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, created_by) REFERENCES memberships (workspace_id, user_id)
);
CREATE INDEX imports_created ON imports (workspace_id, created_at);

CREATE TABLE import_chunks (
    workspace_id  INTEGER NOT NULL,
    import_id     INTEGER NOT NULL,
    seq           INTEGER NOT NULL,
    data          BLOB NOT NULL,
    PRIMARY KEY (workspace_id, import_id, seq),
    FOREIGN KEY (workspace_id, import_id) REFERENCES imports (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE import_rejections (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    import_id     INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    col           TEXT NOT NULL DEFAULT '',
    field         TEXT NOT NULL DEFAULT '',
    value         TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, import_id) REFERENCES imports (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX import_rejections_import ON import_rejections (workspace_id, import_id, line, id);

-- +goose Down
DROP TABLE import_rejections;
DROP TABLE import_chunks;
DROP TABLE imports;
