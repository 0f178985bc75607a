-- Emergency adjustments of an entry's share and open attributes (CAT-7): the authority
-- changes them for a reason until an end; a clock restores the saved values then.
CREATE TABLE catalog_emergencies (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    entry_id      BIGINT NOT NULL REFERENCES catalog_entries (id),
    share_type    TEXT NOT NULL,
    open_type     TEXT NOT NULL,
    saved_share   TEXT NOT NULL,
    saved_open    TEXT NOT NULL,
    reason        TEXT NOT NULL,
    ends_at       BIGINT NOT NULL,
    state         TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    ended_at      BIGINT
);
