//! gongshu's storage: one interface ([`Storage`]), two real backends.
//!
//! - [`SqliteStore`]: the embedded default, a bundled SQLite file in WAL mode.
//! - [`PgStore`]: PostgreSQL, for several `gongshu serve` processes sharing one database.
//!
//! The interface is split by capability ([`OrgStore`], [`UserStore`], [`AuthStore`],
//! [`AuditStore`]). Both backends run the same SQL text (runtime queries with `$N`
//! placeholders); the bodies are written once in `macro_rules!` blocks and expanded for
//! each backend, so each expansion is checked against its own driver's types.
//! Every write takes an [`Actor`] and appends its audit entry in the same transaction.

mod aggregation;
mod audit;
mod auth;
mod catalog;
mod clocks;
mod corrections;
mod data;
mod demand;
mod error;
mod open_data;
mod open_demands;
mod open_lists;
mod orgs;
mod postgres;
mod projects;
mod pulls;
mod regulation;
mod share;
mod sqlite;
mod types;
mod users;

use std::sync::Arc;

use async_trait::async_trait;
use gongshu_domain::audit::{AuditEntry, AuditEvent, Checkpoint};
use gongshu_domain::org::NewOrg;
use gongshu_domain::role::Role;

pub use audit::{VerifyReport, verify_audit};
pub use error::StoreError;
pub use open_demands::{AfterOutcome, NewOpenDemand, OpenDemand, OpenDemandFilter, Suspension};
pub use postgres::PgStore;
pub use sqlite::SqliteStore;
pub use types::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// A shared handle to whichever backend the deployment uses.
pub type Store = Arc<dyn Storage>;

/// Who performs a write, for its audit entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `user:NAME`, `token:ID`, `cli` or `platform`.
    pub who: String,
    pub request_id: Option<String>,
}

impl Actor {
    pub fn new(who: impl Into<String>, request_id: Option<String>) -> Self {
        Actor { who: who.into(), request_id }
    }

    /// An event by this actor, ready to be appended.
    pub fn event(&self, action: &str, object: impl Into<String>) -> AuditEvent {
        AuditEvent::new(self.who.clone(), action, object).request_id(self.request_id.clone())
    }
}

/// The region tree and organizations (ORG-1) with their people (ORG-2).
#[async_trait]
pub trait OrgStore {
    async fn upsert_region(&self, region: &Region) -> Result<()>;
    async fn regions(&self) -> Result<Vec<Region>>;
    async fn create_org(&self, org: &NewOrg, parent_id: Option<i64>, by: &Actor) -> Result<Org>;
    /// All organizations. The list is cached in the process and re-read only when a
    /// write (on any replica) has changed it.
    async fn orgs(&self) -> Result<Arc<Vec<Org>>>;
    async fn org(&self, id: i64) -> Result<Option<Org>>;
    async fn org_by_credit_code(&self, code: &str) -> Result<Option<Org>>;
    async fn add_person(&self, person: &NewPerson, by: &Actor) -> Result<Person>;
    /// The people of one organization, or of all when `org_id` is `None`.
    async fn people(&self, org_id: Option<i64>) -> Result<Vec<Person>>;
    async fn person(&self, id: i64) -> Result<Option<Person>>;
    async fn remove_person(&self, id: i64, by: &Actor) -> Result<bool>;
}

/// Accounts and their roles (ORG-3).
#[async_trait]
pub trait UserStore {
    async fn create_user(&self, user: &NewUser, password_hash: &str, roles: &[Role], by: &Actor) -> Result<User>;
    async fn user(&self, id: i64) -> Result<Option<User>>;
    async fn user_by_name(&self, username: &str) -> Result<Option<User>>;
    async fn password_hash(&self, user_id: i64) -> Result<Option<String>>;
    async fn users(&self) -> Result<Vec<User>>;
    async fn roles(&self, user_id: i64) -> Result<Vec<Role>>;
    /// Sets a new password hash and ends the account's sessions.
    async fn set_password(&self, user_id: i64, password_hash: &str, by: &Actor) -> Result<()>;
    /// Returns whether the role was newly granted.
    async fn grant_role(&self, user_id: i64, role: Role, by: &Actor) -> Result<bool>;
    /// Returns whether the role was held.
    async fn revoke_role(&self, user_id: i64, role: Role, by: &Actor) -> Result<bool>;
}

/// Web sessions, API tokens and login throttling, all in the database so that any
/// number of server processes share them.
#[async_trait]
pub trait AuthStore {
    async fn create_session(&self, digest: &str, user_id: i64, csrf: &str, expires_at: i64) -> Result<()>;
    async fn session(&self, digest: &str, now: i64) -> Result<Option<Session>>;
    async fn delete_session(&self, digest: &str) -> Result<()>;
    /// The live session with this digest, its account and the account's roles, in one query.
    async fn session_principal(&self, digest: &str, now: i64) -> Result<Option<(Session, User, Vec<Role>)>>;
    /// The token with this digest, its owner and the owner's current roles, in one query.
    async fn token_principal(&self, digest: &str) -> Result<Option<(Token, User, Vec<Role>)>>;
    async fn create_token(&self, token: &NewToken, by: &Actor) -> Result<Token>;
    async fn token_by_digest(&self, digest: &str) -> Result<Option<Token>>;
    /// The tokens of one account, or of all when `user_id` is `None`.
    async fn tokens(&self, user_id: Option<i64>) -> Result<Vec<Token>>;
    async fn token(&self, id: i64) -> Result<Option<Token>>;
    async fn revoke_token(&self, id: i64, now: i64, by: &Actor) -> Result<bool>;
    async fn record_login_failure(&self, username: &str, at: i64) -> Result<()>;
    async fn login_failures_since(&self, username: &str, since: i64) -> Result<Vec<i64>>;
    async fn clear_login_failures(&self, username: &str) -> Result<()>;
}

/// The tamper-evident audit log (SEC-1).
#[async_trait]
pub trait AuditStore {
    /// Appends an entry on its own (for decisions that write nothing else).
    async fn append(&self, event: &AuditEvent) -> Result<AuditEntry>;
    async fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>>;
    /// Entries in chain order after `after_seq`, for verification.
    async fn audit_after(&self, after_seq: i64, limit: i64) -> Result<Vec<AuditEntry>>;
    async fn audit_hash_at(&self, seq: i64) -> Result<Option<String>>;
    /// Seals the current head in a checkpoint, unless it is already sealed or empty.
    async fn seal_checkpoint(&self, now: i64) -> Result<Option<Checkpoint>>;
    async fn checkpoints(&self) -> Result<Vec<Checkpoint>>;
}

/// The holiday calendar's imported years and local overrides. Every change bumps the
/// `calendar` version, so each process rebuilds its calendar when it changes.
#[async_trait]
pub trait CalendarStore {
    async fn calendar_version(&self) -> Result<i64>;
    async fn calendar_years(&self) -> Result<Vec<CalendarYear>>;
    /// Stores an imported year (already validated); `Conflict` if present and not `replace`.
    async fn save_calendar_year(&self, year: i64, csv: &str, replace: bool, by: &Actor) -> Result<()>;
    async fn calendar_overrides(&self) -> Result<Vec<CalendarOverride>>;
    async fn save_calendar_override(&self, o: &CalendarOverride, by: &Actor) -> Result<()>;
}

/// Deadline clocks, notifications and the delivery outbox.
#[async_trait]
pub trait DeadlineStore {
    async fn start_clocks(&self, clocks: &[NewClock], by: &Actor) -> Result<Vec<i64>>;
    /// Stops the open clocks of an item; returns whether one was answered after its deadline.
    async fn stop_clocks(&self, item: &str, now: i64, by: &Actor) -> Result<bool>;
    async fn clocks(&self, filter: &ClockFilter) -> Result<Vec<Clock>>;
    /// Open clocks whose last moment has passed, oldest first.
    async fn due_clocks(&self, now: i64, limit: i64) -> Result<Vec<Clock>>;
    /// Open clocks whose reminder time has come and that were not reminded yet.
    async fn reminder_clocks(&self, now: i64, limit: i64) -> Result<Vec<Clock>>;
    /// Claims missed clocks and applies their effects, all in one transaction; a clock
    /// another process (or an answer) got first is skipped. Returns how many fired.
    /// Exactly once, on any number of processes.
    async fn fire_clocks(&self, now: i64, batch: &[(i64, Effect)]) -> Result<usize>;
    /// Claims reminders and sends their notifications in one transaction; a reminder
    /// already sent (by any process) is skipped. Returns how many were sent.
    async fn remind_clocks(&self, now: i64, batch: &[(i64, Vec<NewNotification>)]) -> Result<usize>;
    /// Notifications of one organization (or all when `None`), newest first.
    async fn notifications(&self, org_id: Option<i64>, limit: i64) -> Result<Vec<Notification>>;
    async fn mark_notification_read(&self, id: i64, org_id: Option<i64>, now: i64) -> Result<bool>;
    async fn webhooks(&self) -> Result<Vec<Webhook>>;
    async fn add_webhook(&self, org_id: Option<i64>, url: &str, by: &Actor) -> Result<Webhook>;
    async fn remove_webhook(&self, id: i64, by: &Actor) -> Result<bool>;
    async fn outbox(&self, limit: i64) -> Result<Vec<OutboxItem>>;
    /// Leases pending deliveries that are due until `lease_until`.
    async fn claim_outbox(&self, now: i64, lease_until: i64, limit: i64) -> Result<Vec<OutboxItem>>;
    async fn outbox_delivered(&self, id: i64, now: i64) -> Result<()>;
    /// Records a failed attempt: retried at `retry_at`, or given up when `None`.
    async fn outbox_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> Result<()>;
}

/// Conditional share requests (SHR-2): the first workflow that runs on clocks.
#[async_trait]
pub trait ShareStore {
    /// Creates a request and starts the clock of its first review step.
    async fn create_share_request(
        &self,
        request: &NewShareRequest,
        first: &NewClock,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<ShareRequest>;
    /// Requests an organization made or received (all when `None`).
    async fn share_requests(&self, org_id: Option<i64>) -> Result<Vec<ShareRequest>>;
    async fn share_request(&self, id: i64) -> Result<Option<ShareRequest>>;
    /// Answers the current step: stops its clock, moves the request on, starts the next
    /// step's clock. Returns whether the answer came after the deadline (allowed, recorded).
    async fn answer_share_request(
        &self,
        id: i64,
        answer: &ShareAnswer,
        next: Option<&NewClock>,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<bool>;
}

/// The unified catalog (CAT-1, CAT-2): entries and every version of each.
#[async_trait]
pub trait CatalogStore {
    /// A new entry with its first version as a draft.
    async fn create_entry(&self, record: &EntryRecord, by: &Actor) -> Result<Entry>;
    /// New entries in one transaction, as drafts or published at once (a city loading its
    /// already-approved catalog); a published entry's re-evaluation clock starts with it.
    /// All or none of `items` are written.
    async fn import_entries(&self, items: &[ImportItem], published: bool, by: &Actor) -> Result<usize>;
    /// Which of `codes` are taken by an entry.
    async fn existing_codes(&self, codes: &[String]) -> Result<Vec<String>>;
    /// Saves a draft: edits the latest draft version, or starts a new version after a
    /// published or rejected one. Returns the version saved. `Conflict` while under review.
    async fn save_draft(&self, id: i64, record: &EntryRecord, by: &Actor) -> Result<i64>;
    /// Submits a draft version for review and starts the first reviewer's clock. For a
    /// `retire` submission, `version` is the new version to create from the one in force.
    async fn submit_entry(
        &self,
        id: i64,
        version: i64,
        meta: &Submission,
        clock: &NewClock,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<()>;
    /// Decides the current step of a submitted version: approve with a next step (its
    /// clock starts), approve at the last step (published, or retired for a retirement),
    /// or reject. Stops the step's clock; returns whether the decision was late.
    async fn decide_entry(
        &self,
        id: i64,
        version: i64,
        decision: &EntryDecision,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<bool>;
    async fn entries(&self, filter: &EntryFilter) -> Result<Vec<Entry>>;
    async fn entry(&self, id: i64) -> Result<Option<Entry>>;
    async fn entry_by_code(&self, code: &str) -> Result<Option<Entry>>;
    async fn entry_versions(&self, id: i64) -> Result<Vec<EntryVersion>>;
    /// Changes an entry's attributes until `ends_at` (CAT-7); `clock` (its item is set
    /// here) ends it then. `Conflict` if one is active already.
    #[allow(clippy::too_many_arguments)]
    async fn start_emergency(
        &self,
        entry_id: i64,
        share_type: &str,
        open_type: &str,
        reason: &str,
        clock: &NewClock,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<Emergency>;
    /// Ends an active emergency now, restoring the saved attributes; `false` if not active.
    async fn end_emergency(&self, id: i64, by: &Actor) -> Result<bool>;
    async fn emergencies(&self, entry_id: i64) -> Result<Vec<Emergency>>;
    /// Answers a due re-evaluation of a conditional entry (CAT-6): stops its clock and,
    /// for "keep", starts the next period's. `Conflict` if none is open. Returns whether late.
    async fn answer_reevaluation(
        &self,
        entry_id: i64,
        keep: bool,
        reason: &str,
        next: Option<&NewClock>,
        by: &Actor,
    ) -> Result<bool>;
    /// The newest change time and the number of entries: a cheap "did anything change".
    async fn catalog_stamp(&self) -> Result<(i64, i64)>;
    /// Entries changed at or after `since`, with the content in force, for indexing.
    async fn entries_changed_since(&self, since: i64) -> Result<Vec<EntryWithContent>>;
    /// A named version of `cache_versions` (0 if absent).
    async fn cache_version(&self, name: &str) -> Result<i64>;
    /// Moves a named version on, telling every process to refresh what it keeps.
    async fn bump_cache_version(&self, name: &str, by: &Actor) -> Result<i64>;
}

/// Annual open lists (CAT-10).
#[async_trait]
pub trait OpenListStore {
    /// Saves a provider's draft list for a year (again while draft or rejected).
    async fn save_open_list(&self, provider_org_id: i64, year: i64, entry_ids: &[i64], by: &Actor) -> Result<OpenList>;
    /// Moves a list from `from` to `to` (submit, publish, reject) with an optional reason.
    async fn move_open_list(&self, id: i64, from: &str, to: &str, reason: Option<&str>, by: &Actor) -> Result<bool>;
    async fn open_lists(&self, year: Option<i64>, state: Option<&str>) -> Result<Vec<OpenList>>;
    async fn open_list(&self, id: i64) -> Result<Option<OpenList>>;
}

/// Data versions (AGG-1, AGG-3).
#[async_trait]
pub trait DataStore {
    /// Records a complete version (its files are already stored) as the entry's next
    /// version number, with its audit entry. `next_update` replaces the entry's clock
    /// for its next load (item `data_update:<entry id>`; AGG-5).
    async fn add_data_version(
        &self,
        v: &NewDataVersion,
        next_update: Option<&NewClock>,
        by: &Actor,
    ) -> Result<DataVersion>;
    /// An entry's versions, oldest first.
    async fn data_versions(&self, entry_id: i64) -> Result<Vec<DataVersion>>;
    async fn data_version(&self, entry_id: i64, version: i64) -> Result<Option<DataVersion>>;
    /// The newest version of every entry that has one.
    async fn latest_data_versions(&self) -> Result<Vec<DataVersion>>;
    /// Every version's storage key (to clean up files no version owns).
    async fn data_storage_keys(&self) -> Result<Vec<String>>;
    /// Tells organizations at once (notifications, and the outbox for their webhooks)
    /// of something that has no workflow item of its own, e.g. a failed load; audited.
    async fn notify(&self, notes: &[NewNotification], event: &gongshu_domain::audit::AuditEvent) -> Result<()>;
}

/// Correction tickets (AGG-4).
#[async_trait]
pub trait CorrectionStore {
    /// Opens a ticket with the provider's clock and notifications, audited.
    async fn create_correction(
        &self,
        c: &NewCorrection,
        clock: &NewClock,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<Correction>;
    async fn corrections(&self, entry_id: Option<i64>, state: Option<&str>) -> Result<Vec<Correction>>;
    async fn correction(&self, id: i64) -> Result<Option<Correction>>;
    /// Closes an open ticket (`fixed` or `removed` in a later version): stops its clock,
    /// notifies, audits. `false` if it was not open.
    async fn close_correction(
        &self,
        id: i64,
        fixed_in_version: i64,
        outcome: &str,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<bool>;
}

/// IT projects and their supply lists (AGG-9).
#[async_trait]
pub trait ProjectStore {
    /// Declares a project's supply list (audited).
    async fn create_project(
        &self,
        name: &str,
        org_id: i64,
        entry_ids: &[i64],
        min_valid_share: f64,
        by: &Actor,
    ) -> Result<Project>;
    async fn projects(&self) -> Result<Vec<Project>>;
    async fn project(&self, id: i64) -> Result<Option<Project>>;
    /// Records an acceptance (a declared project becomes `accepted`; `false` if it was
    /// not declared) or a refusal (the project stays declared); both audited with `detail`.
    async fn decide_project(&self, id: i64, accepted: bool, detail: serde_json::Value, by: &Actor) -> Result<bool>;
}

/// Annual data demand plans (AGG-8).
#[async_trait]
pub trait DemandStore {
    /// Files an organization's plan for a year, or revises it (the revision counts up;
    /// lateness is that of the first filing). Audited.
    async fn save_demand_plan(&self, org_id: i64, year: i64, items: &str, late: bool, by: &Actor)
    -> Result<DemandPlan>;
    async fn demand_plans(&self, year: Option<i64>) -> Result<Vec<DemandPlan>>;
}

/// Aggregation rules (AGG-7).
#[async_trait]
pub trait AggregationStore {
    /// Exempts an entry from aggregation with its legal basis, or (`None`) lifts the
    /// exemption. Audited.
    async fn set_exemption(&self, entry_id: i64, legal_basis: Option<&str>, by: &Actor) -> Result<()>;
    async fn exemptions(&self) -> Result<Vec<Exemption>>;
    /// Files the purchase of social data described by a catalog entry. Audited.
    async fn create_purchase(
        &self,
        entry_id: i64,
        org_id: i64,
        supplier: &str,
        purpose: &str,
        by: &Actor,
    ) -> Result<Purchase>;
    async fn purchases(&self) -> Result<Vec<Purchase>>;
    /// The authority approves or rejects a submitted purchase; `false` if it was decided.
    async fn decide_purchase(&self, id: i64, approve: bool, reason: Option<&str>, by: &Actor) -> Result<bool>;
}

/// Scheduled pulls (AGG-1).
#[async_trait]
pub trait PullStore {
    /// Sets (or replaces) an entry's pull; audited.
    async fn set_pull(
        &self,
        entry_id: i64,
        url: &str,
        format: Option<&str>,
        every_minutes: i64,
        next_at: i64,
        by: &Actor,
    ) -> Result<Pull>;
    async fn pulls(&self) -> Result<Vec<Pull>>;
    /// Claims a due run: moves `next_at` on if it is still `seen_next_at` (one server wins).
    async fn claim_pull(&self, id: i64, seen_next_at: i64, next_at: i64, now: i64) -> Result<bool>;
    /// Records how the last run went (`None`: it worked).
    async fn pull_result(&self, id: i64, error: Option<&str>) -> Result<()>;
}

/// Open data (OPN-1, OPN-6): release rules per item and download counts (SUP-4).
#[async_trait]
pub trait OpenDataStore {
    /// The providers' release rules, of one entry or of all; `rule` is the rule as JSON.
    async fn release_rules(&self, entry_id: Option<i64>) -> Result<Vec<ReleaseRule>>;
    /// Replaces an entry's release rules with `rules` (item, rule as JSON); audited.
    async fn set_release_rules(&self, entry_id: i64, rules: &[(String, String)], now: i64, by: &Actor) -> Result<()>;
    /// Counts one download of an entry in a format on a day (`YYYY-MM-DD`, China
    /// Standard Time), with the records it held; audited as a data access (SEC-1).
    async fn count_download(&self, entry_id: i64, format: &str, day: &str, records: i64, by: &Actor) -> Result<()>;
    /// What the open catalog's snapshot depends on besides the catalog: the newest data
    /// version, the release rules' count and newest change, and suspensions.
    async fn open_stamp(&self) -> Result<(i64, i64, i64, i64)>;
    /// Downloads and records per entry and format, over all days.
    async fn download_counts(&self) -> Result<Vec<DownloadCount>>;
    /// The platform's key `name`: the one stored, else `candidate`, stored now (the
    /// first caller of all servers wins).
    async fn platform_key(&self, name: &str, candidate: &str, now: i64) -> Result<String>;
}

/// Demands, objections and suggestions about open data, and suspensions of opening
/// (OPN-7, OPN-8). Each step is guarded by the state its caller saw: `None` or `false`
/// when the item moved on meanwhile. Every write is audited in its transaction.
#[async_trait]
pub trait OpenDemandStore {
    /// Records a submission with its holder's clock (item `open_demand:<id>`, set here)
    /// and the holder's notifications.
    async fn create_open_demand(
        &self,
        d: &NewOpenDemand,
        clock: &NewClock,
        notes: &[NewNotification],
        by: &Actor,
    ) -> Result<OpenDemand>;
    /// Newest first.
    async fn open_demands(&self, filter: &OpenDemandFilter) -> Result<Vec<OpenDemand>>;
    async fn open_demand(&self, id: i64) -> Result<Option<OpenDemand>>;
    /// Marks an unread item read (someone of the holder opened it); `false` if it was not unread.
    async fn mark_open_demand_read(&self, id: i64, by: &Actor) -> Result<bool>;
    /// Answers an item in state `from`: stops its clock, tells the requester (`note`).
    async fn answer_open_demand(
        &self,
        id: i64,
        from: &str,
        answer: &str,
        user_id: i64,
        note: &NewNotification,
        by: &Actor,
    ) -> Result<Option<OpenDemand>>;
    /// Suspends the opening of an infringement objection's entry at once (OPN-8); the
    /// clock runs on until the outcome. `Conflict` if the entry is suspended already.
    async fn suspend_for_objection(
        &self,
        id: i64,
        from: &str,
        reason: &str,
        user_id: i64,
        note: &NewNotification,
        by: &Actor,
    ) -> Result<Option<Suspension>>;
    /// Decides a suspended objection: state `to`, the suspension lifted or kept; stops
    /// the clock and tells the requester.
    #[allow(clippy::too_many_arguments)]
    async fn decide_objection(
        &self,
        id: i64,
        outcome: &str,
        to: &str,
        outcome_note: &str,
        after: &AfterOutcome,
        user_id: i64,
        note: &NewNotification,
        by: &Actor,
    ) -> Result<Option<OpenDemand>>;
    /// Notifications to one person, newest first.
    async fn user_notifications(&self, user_id: i64, limit: i64) -> Result<Vec<Notification>>;
    /// Suspends an entry's opening (audited as the account `by`); `Conflict` if it is
    /// suspended already, `MissingReference` if there is no such entry.
    async fn suspend_opening(
        &self,
        entry_id: i64,
        reason: &str,
        objection_id: Option<i64>,
        by: i64,
        at: i64,
    ) -> Result<Suspension>;
    /// Lifts an entry's suspension (audited as the platform); `false` if it had none.
    async fn restore_opening(&self, entry_id: i64) -> Result<bool>;
    /// Every suspended entry, by entry id.
    async fn suspensions(&self) -> Result<Vec<Suspension>>;
}

/// The whole storage interface.
#[async_trait]
pub trait Storage:
    OrgStore
    + UserStore
    + AuthStore
    + AuditStore
    + CalendarStore
    + DeadlineStore
    + ShareStore
    + CatalogStore
    + OpenListStore
    + DataStore
    + CorrectionStore
    + ProjectStore
    + DemandStore
    + AggregationStore
    + PullStore
    + OpenDataStore
    + OpenDemandStore
    + Send
    + Sync
{
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Checks that the database answers.
    async fn ping(&self) -> Result<()>;
    /// Writes a consistent copy of the whole database to `path` while it is in use (SEC-7).
    /// PostgreSQL deployments back up with `pg_dump`; this returns `Unsupported` there.
    async fn backup_to(&self, path: &std::path::Path) -> Result<()>;
}

/// Opens the database at `url` (`sqlite://…` or `postgres://…`) and applies migrations.
pub async fn open(url: &str) -> Result<Store> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PgStore::connect(url).await?))
    } else if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::connect(url).await?))
    } else {
        Err(StoreError::UnsupportedUrl(redact(url)))
    }
}

/// A database URL with any password hidden, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_hidden_in_urls() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(super::redact("sqlite:///x.db"), "sqlite:///x.db");
    }
}
