-- Sales records and the configurable sales process. Records are soft-deleted
-- (deleted_at) so they can be restored; every field change lands in
-- field_changes and every stage change in stage_history.

-- +goose Up
ALTER TABLE workspaces ADD COLUMN currency TEXT NOT NULL DEFAULT 'USD';

-- Picklists: the known values of a field (industry, company size, lead
-- source, buying role, won and lost reasons, and custom picklists). Values
-- are retired, never deleted, so history that used them still reads.
CREATE TABLE picklist_values (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    list          TEXT NOT NULL,
    value         TEXT NOT NULL,
    label         TEXT NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    retired_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, list, value)
);

-- Custom fields on accounts, contacts, leads and deals. Values live in each
-- record's "custom" JSON object under the field's key.
CREATE TABLE custom_fields (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    entity_type   TEXT NOT NULL CHECK (entity_type IN ('account', 'contact', 'lead', 'deal')),
    key           TEXT NOT NULL,
    label         TEXT NOT NULL,
    type          TEXT NOT NULL,
    purpose       TEXT NOT NULL,
    picklist      TEXT,
    required      BOOLEAN NOT NULL DEFAULT FALSE,
    position      INTEGER NOT NULL DEFAULT 0,
    retired_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, entity_type, key)
);

CREATE TABLE accounts (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    domain        TEXT NOT NULL DEFAULT '',
    website       TEXT NOT NULL DEFAULT '',
    industry      TEXT NOT NULL DEFAULT '',
    size          TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '',
    region        TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    parent_id     INTEGER,
    owner_id      INTEGER NOT NULL,
    team_id       INTEGER,
    tags          TEXT NOT NULL DEFAULT '[]',
    custom        TEXT NOT NULL DEFAULT '{}',
    external_id   TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, parent_id) REFERENCES accounts (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES memberships (workspace_id, user_id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
);
CREATE INDEX accounts_name ON accounts (workspace_id, lower(name));
CREATE INDEX accounts_owner ON accounts (workspace_id, owner_id);
CREATE INDEX accounts_domain ON accounts (workspace_id, domain);
CREATE INDEX accounts_parent ON accounts (workspace_id, parent_id);
CREATE UNIQUE INDEX accounts_external ON accounts (workspace_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE contacts (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    emails        TEXT NOT NULL DEFAULT '[]',
    phone         TEXT NOT NULL DEFAULT '',
    phones        TEXT NOT NULL DEFAULT '[]',
    title         TEXT NOT NULL DEFAULT '',
    owner_id      INTEGER NOT NULL,
    team_id       INTEGER,
    custom        TEXT NOT NULL DEFAULT '{}',
    external_id   TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, account_id) REFERENCES accounts (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES memberships (workspace_id, user_id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
);
CREATE INDEX contacts_account ON contacts (workspace_id, account_id);
CREATE INDEX contacts_email ON contacts (workspace_id, lower(email));
CREATE INDEX contacts_name ON contacts (workspace_id, lower(last_name), lower(first_name));
CREATE INDEX contacts_owner ON contacts (workspace_id, owner_id);
CREATE UNIQUE INDEX contacts_external ON contacts (workspace_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE products (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    sku           TEXT NOT NULL DEFAULT '',
    currency      TEXT NOT NULL,
    list_price    INTEGER NOT NULL,
    unit_cost     INTEGER NOT NULL DEFAULT 0,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    external_id   TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX products_name ON products (workspace_id, lower(name));
CREATE UNIQUE INDEX products_external ON products (workspace_id, external_id) WHERE external_id IS NOT NULL;

-- Pipelines and their stages. The stages table holds the current
-- configuration; every edit also writes an immutable snapshot to
-- pipeline_versions, and stage_history names the version a deal moved
-- through. Stages are archived, never deleted.
CREATE TABLE pipelines (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    is_default    BOOLEAN NOT NULL DEFAULT FALSE,
    current_version INTEGER NOT NULL DEFAULT 1,
    allow_override BOOLEAN NOT NULL DEFAULT FALSE,
    archived_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id)
);
CREATE UNIQUE INDEX pipelines_name ON pipelines (workspace_id, lower(name));

CREATE TABLE stages (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    pipeline_id   INTEGER NOT NULL,
    name          TEXT NOT NULL,
    position      INTEGER NOT NULL,
    probability   INTEGER NOT NULL CHECK (probability BETWEEN 0 AND 100),
    forecast_category TEXT NOT NULL CHECK (forecast_category IN ('pipeline', 'best_case', 'commit', 'closed_won', 'omitted', 'closed_lost')),
    outcome       TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'won', 'lost')),
    buyer_step    TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    exit_criteria TEXT NOT NULL DEFAULT '{}',
    archived_at   TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id)
);
CREATE INDEX stages_pipeline ON stages (workspace_id, pipeline_id, position);

CREATE TABLE pipeline_versions (
    workspace_id  INTEGER NOT NULL,
    pipeline_id   INTEGER NOT NULL,
    version       INTEGER NOT NULL,
    stages        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    created_by    INTEGER,
    PRIMARY KEY (workspace_id, pipeline_id, version),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id)
);

CREATE TABLE deals (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    account_id    INTEGER,
    primary_contact_id INTEGER,
    pipeline_id   INTEGER NOT NULL,
    stage_id      INTEGER NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    amount        INTEGER NOT NULL DEFAULT 0,
    currency      TEXT NOT NULL,
    margin        INTEGER,
    close_date    TEXT NOT NULL,
    owner_id      INTEGER NOT NULL,
    team_id       INTEGER,
    forecast_category TEXT,
    next_step     TEXT NOT NULL DEFAULT '',
    reason        TEXT NOT NULL DEFAULT '',
    reason_note   TEXT NOT NULL DEFAULT '',
    closed_at     TIMESTAMP,
    stage_entered_at TIMESTAMP NOT NULL,
    last_activity_at TIMESTAMP,
    lead_id       INTEGER,
    custom        TEXT NOT NULL DEFAULT '{}',
    external_id   TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, account_id) REFERENCES accounts (workspace_id, id),
    FOREIGN KEY (workspace_id, primary_contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, pipeline_id) REFERENCES pipelines (workspace_id, id),
    FOREIGN KEY (workspace_id, stage_id) REFERENCES stages (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES memberships (workspace_id, user_id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id)
);
CREATE INDEX deals_owner ON deals (workspace_id, owner_id, status);
CREATE INDEX deals_stage ON deals (workspace_id, stage_id);
CREATE INDEX deals_close ON deals (workspace_id, close_date);
CREATE INDEX deals_account ON deals (workspace_id, account_id);
CREATE INDEX deals_name ON deals (workspace_id, lower(name));
CREATE INDEX deals_updated ON deals (workspace_id, updated_at);
CREATE UNIQUE INDEX deals_external ON deals (workspace_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE deal_lines (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    deal_id       INTEGER NOT NULL,
    product_id    INTEGER,
    description   TEXT NOT NULL DEFAULT '',
    quantity      INTEGER NOT NULL,
    unit_price    INTEGER NOT NULL,
    discount_bp   INTEGER NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    unit_cost     INTEGER NOT NULL DEFAULT 0,
    position      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, product_id) REFERENCES products (workspace_id, id)
);
CREATE INDEX deal_lines_deal ON deal_lines (workspace_id, deal_id);

-- One row per stage a deal entered: when it entered and left, in which
-- pipeline version, who moved it and any override of unmet exit criteria.
CREATE TABLE stage_history (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    deal_id       INTEGER NOT NULL,
    pipeline_id   INTEGER NOT NULL,
    pipeline_version INTEGER NOT NULL,
    stage_id      INTEGER NOT NULL,
    from_stage_id INTEGER,
    entered_at    TIMESTAMP NOT NULL,
    exited_at     TIMESTAMP,
    moved_by      INTEGER,
    override_reason TEXT,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, stage_id) REFERENCES stages (workspace_id, id)
);
CREATE INDEX stage_history_deal ON stage_history (workspace_id, deal_id, entered_at);
CREATE INDEX stage_history_stage ON stage_history (workspace_id, stage_id, entered_at);

-- Buying roles: a contact's role on an account, and optionally on one deal.
CREATE TABLE contact_roles (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    contact_id    INTEGER NOT NULL,
    account_id    INTEGER,
    deal_id       INTEGER,
    role          TEXT NOT NULL,
    influence     TEXT NOT NULL DEFAULT '',
    attitude      TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, account_id) REFERENCES accounts (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id)
);
CREATE INDEX contact_roles_account ON contact_roles (workspace_id, account_id);
CREATE INDEX contact_roles_deal ON contact_roles (workspace_id, deal_id);
CREATE INDEX contact_roles_contact ON contact_roles (workspace_id, contact_id);

CREATE TABLE leads (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL DEFAULT '',
    company       TEXT NOT NULL DEFAULT '',
    website       TEXT NOT NULL DEFAULT '',
    industry      TEXT NOT NULL DEFAULT '',
    country       TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'working', 'qualified', 'disqualified', 'converted')),
    owner_id      INTEGER NOT NULL,
    team_id       INTEGER,
    converted_at  TIMESTAMP,
    converted_account_id INTEGER,
    converted_contact_id INTEGER,
    converted_deal_id    INTEGER,
    custom        TEXT NOT NULL DEFAULT '{}',
    external_id   TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES memberships (workspace_id, user_id),
    FOREIGN KEY (workspace_id, team_id) REFERENCES teams (workspace_id, id),
    FOREIGN KEY (workspace_id, converted_account_id) REFERENCES accounts (workspace_id, id),
    FOREIGN KEY (workspace_id, converted_contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, converted_deal_id) REFERENCES deals (workspace_id, id)
);
CREATE INDEX leads_owner ON leads (workspace_id, owner_id, status);
CREATE INDEX leads_email ON leads (workspace_id, lower(email));
CREATE UNIQUE INDEX leads_external ON leads (workspace_id, external_id) WHERE external_id IS NOT NULL;

-- Key activities: a short configurable list of types.
CREATE TABLE activity_types (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    key           TEXT NOT NULL,
    name          TEXT NOT NULL,
    position      INTEGER NOT NULL DEFAULT 0,
    retired_at    TIMESTAMP,
    created_at    TIMESTAMP NOT NULL,
    UNIQUE (workspace_id, id),
    UNIQUE (workspace_id, key)
);

-- Activities done (occurred_at set) or planned as tasks (due_at set, done_at
-- when completed), on a deal, contact, account or lead.
CREATE TABLE activities (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    type_id       INTEGER NOT NULL,
    subject       TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    deal_id       INTEGER,
    contact_id    INTEGER,
    account_id    INTEGER,
    lead_id       INTEGER,
    owner_id      INTEGER NOT NULL,
    team_id       INTEGER,
    occurred_at   TIMESTAMP,
    due_at        TIMESTAMP,
    done_at       TIMESTAMP,
    duration_minutes INTEGER NOT NULL DEFAULT 0,
    outcome       TEXT NOT NULL DEFAULT '',
    sentiment     TEXT NOT NULL DEFAULT '' CHECK (sentiment IN ('', 'positive', 'neutral', 'negative')),
    external_id   TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, type_id) REFERENCES activity_types (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id),
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id),
    FOREIGN KEY (workspace_id, account_id) REFERENCES accounts (workspace_id, id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id),
    FOREIGN KEY (workspace_id, owner_id) REFERENCES memberships (workspace_id, user_id)
);
CREATE INDEX activities_deal ON activities (workspace_id, deal_id, occurred_at);
CREATE INDEX activities_contact ON activities (workspace_id, contact_id, occurred_at);
CREATE INDEX activities_account ON activities (workspace_id, account_id, occurred_at);
CREATE INDEX activities_owner ON activities (workspace_id, owner_id, occurred_at);
CREATE UNIQUE INDEX activities_external ON activities (workspace_id, external_id) WHERE external_id IS NOT NULL;

CREATE TABLE notes (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    entity_type   TEXT NOT NULL CHECK (entity_type IN ('account', 'contact', 'lead', 'deal')),
    entity_id     INTEGER NOT NULL,
    body          TEXT NOT NULL,
    author_id     INTEGER NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    version       INTEGER NOT NULL DEFAULT 1,
    UNIQUE (workspace_id, id)
);
CREATE INDEX notes_entity ON notes (workspace_id, entity_type, entity_id, created_at);

-- Every change to a field of a sales record: who, when, old and new (JSON).
CREATE TABLE field_changes (
    workspace_id  INTEGER NOT NULL,
    id            INTEGER PRIMARY KEY,
    entity_type   TEXT NOT NULL,
    entity_id     INTEGER NOT NULL,
    field         TEXT NOT NULL,
    old_value     TEXT,
    new_value     TEXT,
    actor_id      INTEGER,
    at            TIMESTAMP NOT NULL,
    request_id    TEXT NOT NULL DEFAULT '',
    UNIQUE (workspace_id, id)
);
CREATE INDEX field_changes_entity ON field_changes (workspace_id, entity_type, entity_id, id);

-- +goose Down
DROP TABLE field_changes;
DROP TABLE notes;
DROP TABLE activities;
DROP TABLE activity_types;
DROP TABLE leads;
DROP TABLE contact_roles;
DROP TABLE stage_history;
DROP TABLE deal_lines;
DROP TABLE deals;
DROP TABLE pipeline_versions;
DROP TABLE stages;
DROP TABLE pipelines;
DROP TABLE products;
DROP TABLE contacts;
DROP TABLE accounts;
DROP TABLE custom_fields;
DROP TABLE picklist_values;
ALTER TABLE workspaces DROP COLUMN currency;
