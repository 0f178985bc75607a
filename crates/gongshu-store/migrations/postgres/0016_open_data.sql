-- Open data (OPN-1, OPN-6): the provider's release rule per data item (overriding the
-- default derived from the item's level), and download counts per entry, format and
-- day (China Standard Time), for the public statistics (SUP-4).
CREATE TABLE release_rules (
    entry_id   BIGINT NOT NULL REFERENCES catalog_entries (id),
    item       TEXT NOT NULL,
    rule       TEXT NOT NULL,
    set_by     TEXT NOT NULL,
    set_at     BIGINT NOT NULL,
    PRIMARY KEY (entry_id, item)
);

CREATE TABLE open_downloads (
    entry_id   BIGINT NOT NULL REFERENCES catalog_entries (id),
    format     TEXT NOT NULL,
    day        TEXT NOT NULL,
    downloads  BIGINT NOT NULL,
    records    BIGINT NOT NULL,
    PRIMARY KEY (entry_id, format, day)
);

-- Keys the platform holds, shared by every server of one database: the pseudonym key
-- of the release rules (OPN-6) is made at first use.
CREATE TABLE platform_keys (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
