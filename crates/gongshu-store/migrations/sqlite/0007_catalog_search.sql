-- Each process's search index follows catalog changes by their time; a bump of the
-- search_rebuild version asks every process to rebuild its index (`gongshu catalog reindex`).
CREATE INDEX catalog_entries_updated ON catalog_entries (updated_at);
INSERT INTO cache_versions (name, version) VALUES ('search_rebuild', 0);
