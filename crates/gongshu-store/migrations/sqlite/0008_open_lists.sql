-- Annual open lists (CAT-10): each provider's list of entries to open in a year,
-- reviewed and published by the city authority; published lists are public.
CREATE TABLE open_lists (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_org_id BIGINT NOT NULL REFERENCES orgs (id),
    year            BIGINT NOT NULL,
    state           TEXT NOT NULL,
    entry_ids       TEXT NOT NULL,
    reason          TEXT,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    decided_by      TEXT,
    decided_at      BIGINT,
    UNIQUE (provider_org_id, year)
);
