-- The unified catalog (CAT-1, CAT-2): entries and every version of each. A version's
-- content is the whole entry as JSON; the columns of catalog_entries repeat the fields
-- that lists filter on, from the version in force (published, or else the latest).

CREATE TABLE catalog_entries (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    code              TEXT NOT NULL UNIQUE,
    provider_org_id   INTEGER NOT NULL REFERENCES orgs (id),
    state             TEXT NOT NULL,
    latest_version    INTEGER NOT NULL,
    published_version INTEGER,
    name              TEXT NOT NULL,
    category          TEXT NOT NULL,
    share_type        TEXT NOT NULL,
    open_type         TEXT NOT NULL,
    level             INTEGER NOT NULL,
    update_cycle      TEXT NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX catalog_entries_provider ON catalog_entries (provider_org_id, state);
CREATE INDEX catalog_entries_state ON catalog_entries (state);

CREATE TABLE catalog_versions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id     INTEGER NOT NULL REFERENCES catalog_entries (id),
    version      INTEGER NOT NULL,
    state        TEXT NOT NULL,
    content      TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    submitted_at INTEGER,
    decided_by   TEXT,
    decided_at   INTEGER,
    reason       TEXT,
    UNIQUE (entry_id, version)
);
