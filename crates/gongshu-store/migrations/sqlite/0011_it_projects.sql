-- IT projects (AGG-9): the data a project will supply (供给清单), declared before
-- approval; acceptance is refused while that data is missing, stale or below the bar.
CREATE TABLE it_projects (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    name             TEXT NOT NULL,
    org_id           BIGINT NOT NULL REFERENCES orgs (id),
    entry_ids        TEXT NOT NULL,
    min_valid_share  DOUBLE PRECISION NOT NULL,
    state            TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    decided_by       TEXT,
    decided_at       BIGINT
);
