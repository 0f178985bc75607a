//! Records as stored and returned by the storage interface.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Region {
    pub code: String,
    pub name: String,
    /// `province`, `city`, `county` or `functional_zone`.
    pub level: String,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Org {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub kind: String,
    pub region_code: String,
    pub parent_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub org_id: i64,
    pub duty: gongshu_domain::org::Duty,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub org_id: i64,
    pub duty: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub user_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub org_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub org_id: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub user_id: i64,
    pub name: String,
    pub digest: String,
    pub roles: Vec<gongshu_domain::role::Role>,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Token {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// Comma-separated role names the token carries.
    pub roles: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Token {
    /// The roles the token carries; unknown names (from a newer version) are ignored.
    pub fn role_list(&self) -> Vec<gongshu_domain::role::Role> {
        self.roles.split(',').filter_map(|r| gongshu_domain::role::Role::parse(r).ok()).collect()
    }

    /// Whether the token can be used at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|t| t > now)
    }
}

/// Which audit entries to list; every field narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Entries whose object starts with this, e.g. `org:`.
    pub object: Option<String>,
    pub outcome: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Only entries before this sequence number (for paging back in time).
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// An imported year of the holiday calendar (the official years ship with the binary).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CalendarYear {
    pub year: i64,
    pub csv: String,
    pub imported_at: i64,
    pub imported_by: String,
}

/// A region's own holiday or workday (a local override of the national calendar).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CalendarOverride {
    pub region_code: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    /// `holiday` or `workday`.
    pub kind: String,
    pub note: Option<String>,
    pub created_at: i64,
}

/// A deadline clock: what is due, by whom, by when, and what a miss means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Clock {
    pub id: i64,
    /// The workflow item, e.g. `share_request:7`.
    pub item: String,
    /// What is due, e.g. `provider_answer`.
    pub duty: String,
    /// The profile key of the figure, e.g. `sharing.conditional_review[0]`.
    pub rule: String,
    /// The article the figure comes from, e.g. `WHN-17`.
    pub source: String,
    pub holder_org_id: Option<i64>,
    pub received_on: String,
    pub working_days: i64,
    pub due_on: String,
    /// Last moment, microseconds (23:59:59 CST on `due_on`).
    pub due_at: i64,
    pub remind_at: i64,
    pub provisional: bool,
    /// `remind`, `escalate` or `act:…`.
    pub on_miss: String,
    /// `open`, `answered` or `missed`.
    pub state: String,
    /// For a missed clock: `reminded`, `escalated` or `acted`.
    pub outcome: Option<String>,
    pub reminded_at: Option<i64>,
    pub fired_at: Option<i64>,
    pub answered_at: Option<i64>,
    pub late: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewClock {
    pub item: String,
    pub duty: String,
    pub rule: String,
    pub source: String,
    pub holder_org_id: Option<i64>,
    pub received_on: String,
    pub working_days: i64,
    pub due_on: String,
    pub due_at: i64,
    pub remind_at: i64,
    pub provisional: bool,
    pub on_miss: String,
}

/// Which clocks to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClockFilter {
    pub holder_org_id: Option<i64>,
    pub state: Option<String>,
    pub item: Option<String>,
    pub limit: i64,
}

/// An in-app notification to an organization (all its staff see it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub org_id: Option<i64>,
    pub kind: String,
    pub item: String,
    pub title_zh: String,
    pub title_en: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewNotification {
    pub org_id: Option<i64>,
    /// `reminder`, `overdue`, `escalated`, `granted`, `answered`, `new_request`.
    pub kind: String,
    pub item: String,
    pub title_zh: String,
    pub title_en: String,
}

/// A webhook subscription: notifications of one organization (or of all, when
/// `org_id` is `None`) are posted to `url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: i64,
    pub org_id: Option<i64>,
    pub url: String,
    pub created_at: i64,
}

/// A message waiting for (or done with) delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxItem {
    pub id: i64,
    /// `webhook` (e-mail and SMS senders can be wired to the same table).
    pub channel: String,
    pub target: String,
    pub payload: String,
    /// `pending`, `sent` or `failed`.
    pub state: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub sent_at: Option<i64>,
}

/// What firing a missed clock does, decided by the deadline rules; applied in one
/// transaction with the claim, so it happens exactly once.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// `reminded`, `escalated` or `acted`.
    pub outcome: String,
    /// Grant this share request as the platform's own act (WHN-17).
    pub grant_share_request: Option<i64>,
    /// End this emergency adjustment, restoring the saved attributes (CAT-7).
    pub end_emergency: Option<i64>,
    pub audit: gongshu_domain::audit::AuditEvent,
    pub notifications: Vec<NewNotification>,
}

/// A conditional share request (SHR-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShareRequest {
    pub id: i64,
    pub requester_org_id: i64,
    pub provider_org_id: i64,
    pub resource: String,
    pub purpose: String,
    pub legal_basis: String,
    pub items: String,
    /// `pending` (a step is open), `granted` or `refused`.
    pub state: String,
    /// Index of the current review step in the profile.
    pub step: i64,
    pub decided_by: Option<String>,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewShareRequest {
    pub requester_org_id: i64,
    pub provider_org_id: i64,
    pub resource: String,
    pub purpose: String,
    pub legal_basis: String,
    pub items: String,
}

/// An answer to the current step of a share request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareAnswer {
    /// The step answered; the answer is refused if the request has moved on.
    pub step: i64,
    /// `pending` (on to the next step), `granted` or `refused`.
    pub new_state: String,
    pub reason: Option<String>,
    pub decided_by: String,
}

/// What the store keeps of a catalog entry's content: the whole entry as JSON, and the
/// fields lists filter on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRecord {
    pub code: String,
    pub provider_org_id: i64,
    pub name: String,
    pub category: String,
    pub share_type: String,
    pub open_type: String,
    pub level: i64,
    pub update_cycle: String,
    /// The entry as JSON (the domain's `NewEntry`).
    pub content: String,
}

/// One entry of an import, with the re-evaluation clock a published conditional entry
/// starts with (CAT-6); the clock's `item` is filled in by the store.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub record: EntryRecord,
    pub reevaluation: Option<NewClock>,
}

/// A catalog entry as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub id: i64,
    pub code: String,
    pub provider_org_id: i64,
    /// `draft`, `submitted`, `published`, `rejected` or `retired`.
    pub state: String,
    pub latest_version: i64,
    pub published_version: Option<i64>,
    pub name: String,
    pub category: String,
    pub share_type: String,
    pub open_type: String,
    pub level: i64,
    pub update_cycle: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One version of an entry; every version is kept (CAT-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntryVersion {
    pub entry_id: i64,
    pub version: i64,
    /// `draft`, `submitted`, `published`, `rejected` or `superseded`.
    pub state: String,
    pub content: String,
    pub created_by: String,
    pub created_at: i64,
    pub submitted_at: Option<i64>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
    /// `initial`, `change` or `retire`.
    pub kind: String,
    /// The review step the version is at (profile `catalog.change_review[step]`).
    pub step: i64,
    /// For a change: the day the legal basis or duties changed (CAT-3).
    pub basis_changed_on: Option<String>,
    /// Filed after the profile's limit (allowed, flagged).
    pub late_filing: bool,
}

/// What a submission asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Submission {
    /// `initial`, `change` or `retire`.
    pub kind: String,
    pub basis_changed_on: Option<String>,
    pub late_filing: bool,
}

/// Which entries to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryFilter {
    pub provider_org_id: Option<i64>,
    pub state: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// A reviewer's decision on a submitted version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryDecision {
    pub approve: bool,
    pub reason: Option<String>,
    /// The step decided; the decision is refused if the version has moved on.
    pub step: i64,
    /// Approved with more steps to go: the next reviewer's clock.
    pub next_step: Option<NewClock>,
    /// Published with a conditional attribute: the clock of its next re-evaluation (CAT-6).
    pub reevaluation: Option<NewClock>,
    /// The version's listing fields, to show once it is published.
    pub record: Option<EntryRecord>,
}

/// A temporary change of an entry's share and open attributes (CAT-7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Emergency {
    pub id: i64,
    pub entry_id: i64,
    pub share_type: String,
    pub open_type: String,
    pub saved_share: String,
    pub saved_open: String,
    pub reason: String,
    pub ends_at: i64,
    /// `active` or `ended`.
    pub state: String,
    pub created_by: String,
    pub created_at: i64,
    pub ended_at: Option<i64>,
}

/// An entry with the content of the version in force (published, else the latest).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EntryWithContent {
    #[sqlx(flatten)]
    pub entry: Entry,
    pub content: String,
}

/// A provider's annual open list (CAT-10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenList {
    pub id: i64,
    pub provider_org_id: i64,
    pub year: i64,
    /// `draft`, `submitted`, `published` or `rejected`.
    pub state: String,
    /// The entries' ids as a JSON array.
    pub entry_ids: String,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

/// A data version to record (AGG-1).
#[derive(Debug, Clone)]
pub struct NewDataVersion {
    pub entry_id: i64,
    pub storage_key: String,
    /// `upload`, `api` or `cli`.
    pub source: String,
    pub file_name: String,
    pub rows_total: i64,
    pub rows_valid: i64,
    pub rows_rejected: i64,
    pub bytes: i64,
    /// The quality report as JSON.
    pub report: String,
}

/// A stored data version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DataVersion {
    pub id: i64,
    pub entry_id: i64,
    pub version: i64,
    pub storage_key: String,
    pub source: String,
    pub file_name: String,
    pub rows_total: i64,
    pub rows_valid: i64,
    pub rows_rejected: i64,
    pub bytes: i64,
    /// The quality report as JSON.
    pub report: String,
    pub loaded_by: String,
    pub created_at: i64,
}

/// An error reported on one record (AGG-4): the record is named by its key identifier.
#[derive(Debug, Clone)]
pub struct NewCorrection {
    pub entry_id: i64,
    pub data_version: i64,
    pub key_item: String,
    pub key_value: String,
    pub item: String,
    /// The item's value in the reported version.
    pub reported_value: Option<String>,
    pub description: String,
    pub reporter_org_id: Option<i64>,
    pub provider_org_id: i64,
}

/// A correction ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Correction {
    pub id: i64,
    pub entry_id: i64,
    pub data_version: i64,
    pub key_item: String,
    pub key_value: String,
    pub item: String,
    pub reported_value: Option<String>,
    pub description: String,
    pub reported_by: String,
    pub reporter_org_id: Option<i64>,
    pub provider_org_id: i64,
    /// `open` or `closed`.
    pub state: String,
    /// `fixed` (the value changed) or `removed` (the record is gone), once closed.
    pub outcome: Option<String>,
    pub fixed_in_version: Option<i64>,
    pub created_at: i64,
    pub closed_at: Option<i64>,
}

/// An IT project's declared supply list (AGG-9).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Project {
    pub id: i64,
    pub name: String,
    /// The organization that builds the project.
    pub org_id: i64,
    /// The supplied entries' ids as a JSON array.
    pub entry_ids: String,
    /// The lowest share of valid records accepted in each supplied entry's latest version.
    pub min_valid_share: f64,
    /// `declared` or `accepted`.
    pub state: String,
    pub created_by: String,
    pub created_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

/// A consumer organization's data demand plan for a year (AGG-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemandPlan {
    pub id: i64,
    pub org_id: i64,
    pub year: i64,
    /// The demands as a JSON array of `{name, entry_code, purpose}`.
    pub items: String,
    pub revision: i64,
    /// Filed after the profile's due day.
    pub late: bool,
    pub filed_by: String,
    pub filed_at: i64,
    pub updated_at: i64,
}

/// An entry that is not aggregated into the platform, with its legal basis (AGG-7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exemption {
    pub entry_id: i64,
    pub legal_basis: String,
    pub decided_by: String,
    pub created_at: i64,
}

/// A purchase of social data (AGG-7): approved by the authority before its data is
/// loaded into the entry that catalogues it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Purchase {
    pub id: i64,
    pub entry_id: i64,
    pub org_id: i64,
    pub supplier: String,
    pub purpose: String,
    /// `submitted`, `approved` or `rejected`.
    pub state: String,
    pub reason: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
}

/// A scheduled pull of an entry's data from the provider's address (AGG-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Pull {
    pub id: i64,
    pub entry_id: i64,
    pub url: String,
    /// `csv`, `xlsx` or `json`; from the address or the answer's content type if absent.
    pub format: Option<String>,
    pub every_minutes: i64,
    pub next_at: i64,
    pub last_run_at: Option<i64>,
    /// Why the last run failed, if it did.
    pub last_error: Option<String>,
    pub created_by: String,
}

/// A provider's release rule for one data item (OPN-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReleaseRule {
    pub entry_id: i64,
    pub item: String,
    /// The rule as JSON, e.g. `{"rule":"generalize","how":"district"}`.
    pub rule: String,
    pub set_by: String,
    pub set_at: i64,
}

/// Downloads of one entry in one format (SUP-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DownloadCount {
    pub entry_id: i64,
    pub format: String,
    pub downloads: i64,
    pub records: i64,
}
