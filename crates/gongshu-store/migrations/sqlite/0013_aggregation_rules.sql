-- AGG-7: entries not aggregated into the platform, each with its legal basis (BZ-17),
-- and purchases of social data, approved by the authority before their data is loaded
-- (BZ-16, WHN-34); the purchased data is an entry of the catalog like any other.
CREATE TABLE aggregation_exemptions (
    entry_id     BIGINT PRIMARY KEY REFERENCES catalog_entries (id),
    legal_basis  TEXT NOT NULL,
    decided_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE TABLE data_purchases (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id     BIGINT NOT NULL REFERENCES catalog_entries (id),
    org_id       BIGINT NOT NULL REFERENCES orgs (id),
    supplier     TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    decided_by   TEXT,
    decided_at   BIGINT
);
