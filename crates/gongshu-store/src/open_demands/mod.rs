//! Demands, objections and suggestions about open data, and suspensions of opening
//! (OPN-7, OPN-8). The domain decides which step is legal; each step here is one
//! transaction guarded by the state the caller saw, so a step taken twice (two
//! officers at once, a form sent twice) changes nothing the second time.

use serde::Serialize;

pub(crate) const DEMAND_COLUMNS: &str = "id, kind, entry_id, provider_org_id, requester_user_id, infringement_kind, \
     title, body, state, created_at, due_on, due_at, read_at, answered_at, answer, answered_by_user, late, \
     suspended_at, outcome, outcome_note";
pub(crate) const SUSPENSION_COLUMNS: &str = "entry_id, reason, objection_id, suspended_by, suspended_at";

/// A submission to record; the holder is already resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOpenDemand {
    /// `demand`, `objection`, `infringement` or `suggestion`.
    pub kind: String,
    pub entry_id: Option<i64>,
    /// The organization that answers: the entry's provider; for data outside the
    /// catalog the organization named, else the city authority.
    pub provider_org_id: i64,
    pub requester_user_id: i64,
    /// `trade_secret`, `privacy` or `other`, for an infringement objection.
    pub infringement_kind: Option<String>,
    pub title: String,
    pub body: String,
}

/// A demand, objection or suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenDemand {
    pub id: i64,
    pub kind: String,
    pub entry_id: Option<i64>,
    pub provider_org_id: i64,
    pub requester_user_id: i64,
    pub infringement_kind: Option<String>,
    pub title: String,
    pub body: String,
    /// `submitted`, `read`, `answered`, `suspended`, `withdrawn`, `restored` or `reopened`.
    pub state: String,
    pub created_at: i64,
    pub due_on: String,
    pub due_at: i64,
    pub read_at: Option<i64>,
    /// When it was answered, or its outcome decided.
    pub answered_at: Option<i64>,
    pub answer: Option<String>,
    pub answered_by_user: Option<i64>,
    /// Answered (or decided) after the deadline.
    pub late: bool,
    pub suspended_at: Option<i64>,
    /// `withdraw`, `restore` or `reopen`.
    pub outcome: Option<String>,
    pub outcome_note: Option<String>,
}

/// Which items to list; every field narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenDemandFilter {
    pub requester_user_id: Option<i64>,
    pub provider_org_id: Option<i64>,
    pub state: Option<String>,
    pub limit: i64,
}

/// An entry whose opening is suspended (OPN-8): its downloads and APIs answer 410.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Suspension {
    pub entry_id: i64,
    pub reason: String,
    /// The infringement objection that led to it, if any.
    pub objection_id: Option<i64>,
    /// The account that suspended it.
    pub suspended_by: i64,
    /// Microseconds.
    pub suspended_at: i64,
}

/// How an infringement objection's outcome leaves the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterOutcome {
    /// Open again: the objection's suspension is removed (restore, reopen).
    Lift,
    /// Withdrawn from opening for good: the suspension stays, with this reason.
    KeepSuspended(String),
}

mod store;
pub(crate) use store::impl_open_demand_store;
