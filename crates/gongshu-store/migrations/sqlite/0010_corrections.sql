-- Correction tickets (AGG-4): an error reported on one record of a data version goes
-- to the provider with a deadline (a clock, item 'correction:<id>'); a later version
-- in which the record is corrected closes it.
CREATE TABLE corrections (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id          BIGINT NOT NULL REFERENCES catalog_entries (id),
    data_version      BIGINT NOT NULL,
    key_item          TEXT NOT NULL,
    key_value         TEXT NOT NULL,
    item              TEXT NOT NULL,
    reported_value    TEXT,
    description       TEXT NOT NULL,
    reported_by       TEXT NOT NULL,
    reporter_org_id   BIGINT REFERENCES orgs (id),
    provider_org_id   BIGINT NOT NULL REFERENCES orgs (id),
    state             TEXT NOT NULL,
    outcome           TEXT,
    fixed_in_version  BIGINT,
    created_at        BIGINT NOT NULL,
    closed_at         BIGINT
);
CREATE INDEX corrections_entry ON corrections (entry_id, state);
