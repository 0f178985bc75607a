-- Demands, objections and suggestions about open data (OPN-7, OPN-8). Each item is held
-- by one organization (the entry's provider; for data outside the catalog the
-- organization the requester named, else the city authority), with the profile's
-- opening.demand_answer clock (item 'open_demand:<id>'). The requester sees the
-- organization's name; who answered is in the audit log and in answered_by_user.
CREATE TABLE open_demands (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    kind               TEXT NOT NULL,
    entry_id           BIGINT REFERENCES catalog_entries (id),
    provider_org_id    BIGINT NOT NULL REFERENCES orgs (id),
    requester_user_id  BIGINT NOT NULL REFERENCES users (id),
    infringement_kind  TEXT,
    title              TEXT NOT NULL,
    body               TEXT NOT NULL,
    state              TEXT NOT NULL,
    created_at         BIGINT NOT NULL,
    due_on             TEXT NOT NULL,
    due_at             BIGINT NOT NULL,
    read_at            BIGINT,
    answered_at        BIGINT,
    answer             TEXT,
    answered_by_user   BIGINT REFERENCES users (id),
    late               BOOLEAN NOT NULL DEFAULT FALSE,
    suspended_at       BIGINT,
    outcome            TEXT,
    outcome_note       TEXT
);
CREATE INDEX open_demands_requester ON open_demands (requester_user_id, id);
CREATE INDEX open_demands_holder ON open_demands (provider_org_id, state);

-- Entries whose opening is suspended (OPN-8): the portal keeps their page, downloads
-- and APIs answer 410 with the reason. A withdrawal keeps its row for good.
CREATE TABLE open_suspensions (
    entry_id      BIGINT PRIMARY KEY REFERENCES catalog_entries (id),
    reason        TEXT NOT NULL,
    objection_id  BIGINT REFERENCES open_demands (id),
    suspended_by  BIGINT NOT NULL,
    suspended_at  BIGINT NOT NULL
);

-- Notifications to one person (a requester who may belong to no organization).
ALTER TABLE notifications ADD COLUMN user_id BIGINT REFERENCES users (id);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
