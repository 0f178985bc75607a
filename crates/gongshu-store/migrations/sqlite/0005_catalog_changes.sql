-- Catalog change requests (CAT-3): what a submitted version asks for, which review
-- step it is at, and whether its filing came after the profile's limit.
ALTER TABLE catalog_versions ADD COLUMN kind TEXT NOT NULL DEFAULT 'initial';
ALTER TABLE catalog_versions ADD COLUMN step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE catalog_versions ADD COLUMN basis_changed_on TEXT;
ALTER TABLE catalog_versions ADD COLUMN late_filing BOOLEAN NOT NULL DEFAULT FALSE;
