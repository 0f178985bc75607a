-- Scheduled pulls (AGG-1): the platform fetches an entry's data from the provider's
-- address at an interval; each run is claimed by moving next_at, so one server runs it.
CREATE TABLE data_pulls (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id       BIGINT NOT NULL UNIQUE REFERENCES catalog_entries (id),
    url            TEXT NOT NULL,
    format         TEXT,
    every_minutes  BIGINT NOT NULL,
    next_at        BIGINT NOT NULL,
    last_run_at    BIGINT,
    last_error     TEXT,
    created_by     TEXT NOT NULL
);
