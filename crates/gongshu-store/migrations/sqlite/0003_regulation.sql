-- Regulation engine: imported calendar years and local overrides, deadline clocks,
-- notifications, the delivery outbox with webhook subscriptions, and conditional
-- share requests (the first workflow that runs on clocks).

CREATE TABLE calendar_years (
    year        INTEGER PRIMARY KEY,
    csv         TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    imported_by TEXT NOT NULL
);

CREATE TABLE calendar_overrides (
    region_code TEXT NOT NULL,
    day         TEXT NOT NULL,
    kind        TEXT NOT NULL,
    note        TEXT,
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (region_code, day)
);

INSERT INTO cache_versions (name, version) VALUES ('calendar', 0);

CREATE TABLE clocks (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    item          TEXT NOT NULL,
    duty          TEXT NOT NULL,
    rule          TEXT NOT NULL,
    source        TEXT NOT NULL,
    holder_org_id INTEGER REFERENCES orgs (id),
    received_on   TEXT NOT NULL,
    working_days  INTEGER NOT NULL,
    due_on        TEXT NOT NULL,
    due_at        INTEGER NOT NULL,
    remind_at     INTEGER NOT NULL,
    provisional   BOOLEAN NOT NULL,
    on_miss       TEXT NOT NULL,
    state         TEXT NOT NULL,
    outcome       TEXT,
    reminded_at   INTEGER,
    fired_at      INTEGER,
    answered_at   INTEGER,
    late          BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    INTEGER NOT NULL
);
CREATE INDEX clocks_open_due ON clocks (state, due_at);
CREATE INDEX clocks_open_remind ON clocks (state, reminded_at, remind_at);
CREATE INDEX clocks_holder ON clocks (holder_org_id, state);
CREATE INDEX clocks_item ON clocks (item, state);

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER REFERENCES orgs (id),
    kind       TEXT NOT NULL,
    item       TEXT NOT NULL,
    title_zh   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    read_at    INTEGER
);
CREATE INDEX notifications_org ON notifications (org_id, created_at);

CREATE TABLE webhooks (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id     INTEGER REFERENCES orgs (id),
    url        TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    channel         TEXT NOT NULL,
    target          TEXT NOT NULL,
    payload         TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_pending ON outbox (state, next_attempt_at);

CREATE TABLE share_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    requester_org_id INTEGER NOT NULL REFERENCES orgs (id),
    provider_org_id  INTEGER NOT NULL REFERENCES orgs (id),
    resource         TEXT NOT NULL,
    purpose          TEXT NOT NULL,
    legal_basis      TEXT NOT NULL,
    items            TEXT NOT NULL,
    state            TEXT NOT NULL,
    step             INTEGER NOT NULL,
    decided_by       TEXT,
    reason           TEXT,
    created_by       TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    decided_at       INTEGER
);
CREATE INDEX share_requests_orgs ON share_requests (requester_org_id, provider_org_id);
