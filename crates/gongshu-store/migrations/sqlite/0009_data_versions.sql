-- Data versions (AGG-1, AGG-3): each load of an entry's data is a new, immutable
-- version. Its files (Parquet and the reject file) are written under a fresh key
-- first; the row is inserted only once they are complete, so a version either has
-- its row and whole files or does not exist. Files without a row are removed at start.
CREATE TABLE data_versions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id       BIGINT NOT NULL REFERENCES catalog_entries (id),
    version        BIGINT NOT NULL,
    storage_key    TEXT NOT NULL UNIQUE,
    source         TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    rows_total     BIGINT NOT NULL,
    rows_valid     BIGINT NOT NULL,
    rows_rejected  BIGINT NOT NULL,
    bytes          BIGINT NOT NULL,
    report         TEXT NOT NULL,
    loaded_by      TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    UNIQUE (entry_id, version)
);
CREATE INDEX data_versions_entry ON data_versions (entry_id, version);
