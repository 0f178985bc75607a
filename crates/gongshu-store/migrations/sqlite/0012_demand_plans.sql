-- Annual data demand plans (AGG-8, WH-18): each consumer organization files its plan
-- for the year (due by the profile's day, the end of February in Weihai) and updates
-- it during the year; every revision is audited.
CREATE TABLE demand_plans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      BIGINT NOT NULL REFERENCES orgs (id),
    year        BIGINT NOT NULL,
    items       TEXT NOT NULL,
    revision    BIGINT NOT NULL,
    late        BOOLEAN NOT NULL,
    filed_by    TEXT NOT NULL,
    filed_at    BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    UNIQUE (org_id, year)
);
