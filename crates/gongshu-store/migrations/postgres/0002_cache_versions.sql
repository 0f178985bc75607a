-- Version numbers of reference data that processes may keep in memory: a process
-- compares its copy's version with this row on every read, and every write bumps it
-- in the same transaction, so a cached copy is never stale on any replica.
CREATE TABLE cache_versions (
    name    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);
INSERT INTO cache_versions (name, version) VALUES ('orgs', 0);
