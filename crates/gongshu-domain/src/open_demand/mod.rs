//! Demands, objections and suggestions about open data (OPN-7, OPN-8): what may be
//! sent, to whom it goes, and the life cycle of an item.
//!
//! ```text
//!                 Read (holder opens it)        Answer
//!  Submitted ─────────────────────────▶ Read ───────────▶ Answered
//!      │  └──────────────── Answer ─────────────────────────▲
//!      │                                  │
//!      └── Suspend (infringement only) ───┴──▶ Suspended ──Decide──▶ Withdrawn | Restored | Reopened
//! ```
//!
//! Every kind can be answered (an infringement objection found unfounded at once is
//! answered without suspending). Only an infringement objection suspends the entry's
//! opening (OPN-8, ZJ-35, LS-17, QQ-19, WHN-24); a suspended item is closed by an
//! outcome, never by an answer. Answered, Withdrawn, Restored and Reopened are final.

mod error;
pub mod stats;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use error::OpenDemandError;

/// The longest title and text, in characters.
pub const TITLE_MAX: usize = 100;
pub const TEXT_MAX: usize = 4000;

macro_rules! labelled {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => ($code:literal, $zh:literal, $en:literal)),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh),* }
            }

            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en),* }
            }

            /// The value whose code is `s` (surrounding spaces ignored).
            pub fn from_code(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s.trim())
            }
        }
    };
}

labelled! {
    /// What a data user sends (WH-25: 需求、异议或者建议; ZJ-35: infringement).
    DemandKind {
        Demand => ("demand", "需求", "demand"),
        Objection => ("objection", "异议", "objection"),
        Infringement => ("infringement", "侵权异议", "infringement objection"),
        Suggestion => ("suggestion", "建议", "suggestion"),
    }
}

labelled! {
    /// Which right an infringement objection says the open data violates (ZJ-35).
    InfringementKind {
        TradeSecret => ("trade_secret", "商业秘密", "trade secret"),
        Privacy => ("privacy", "个人隐私", "privacy"),
        OtherRights => ("other", "其他合法权益", "other rights"),
    }
}

labelled! {
    /// Where an item stands.
    DemandState {
        Submitted => ("submitted", "未读", "submitted"),
        Read => ("read", "已读", "read"),
        Answered => ("answered", "已答复", "answered"),
        Suspended => ("suspended", "已中止开放", "opening suspended"),
        Withdrawn => ("withdrawn", "已撤回开放", "withdrawn from opening"),
        Restored => ("restored", "已恢复开放", "opening restored"),
        Reopened => ("reopened", "整改后重新开放", "fixed and reopened"),
    }
}

labelled! {
    /// How a suspended infringement objection ends (ZJ-35: 撤回数据、恢复开放或者处理后再开放).
    Outcome {
        Withdraw => ("withdraw", "撤回开放", "withdraw"),
        Restore => ("restore", "恢复开放", "restore"),
        Reopen => ("reopen", "整改后重新开放", "fix and reopen"),
    }
}

impl DemandState {
    /// Whether nothing more can happen to the item.
    pub fn is_final(self) -> bool {
        matches!(self, DemandState::Answered | DemandState::Withdrawn | DemandState::Restored | DemandState::Reopened)
    }

    /// Whether the holder has still to act (the clock runs).
    pub fn is_open(self) -> bool {
        !self.is_final()
    }
}

impl Outcome {
    /// The state an outcome leaves the item in.
    pub fn state(self) -> DemandState {
        match self {
            Outcome::Withdraw => DemandState::Withdrawn,
            Outcome::Restore => DemandState::Restored,
            Outcome::Reopen => DemandState::Reopened,
        }
    }

    /// Whether the entry is open again afterwards (the suspension is lifted).
    pub fn lifts_suspension(self) -> bool {
        !matches!(self, Outcome::Withdraw)
    }
}

/// What the holder does to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Someone of the holding organization opened it.
    Read,
    Answer,
    /// Suspends the entry's opening at once (OPN-8).
    Suspend,
    Decide(Outcome),
}

/// The state after `action`, or why the action is not allowed now. Opening an item
/// that is no longer unread is allowed and changes nothing.
pub fn next(kind: DemandKind, state: DemandState, action: Action) -> Result<DemandState, OpenDemandError> {
    use DemandState as S;
    let infringement = kind == DemandKind::Infringement;
    match (action, state) {
        (Action::Read, S::Submitted) => Ok(S::Read),
        (Action::Read, s) => Ok(s),
        (Action::Answer, S::Submitted | S::Read) => Ok(S::Answered),
        (Action::Answer, S::Suspended) => Err(OpenDemandError::OutcomeRequired),
        (Action::Suspend, _) if !infringement => Err(OpenDemandError::NotInfringement),
        (Action::Suspend, S::Submitted | S::Read) => Ok(S::Suspended),
        (Action::Suspend, S::Suspended) => Err(OpenDemandError::AlreadySuspended),
        (Action::Decide(_), _) if !infringement => Err(OpenDemandError::NotInfringement),
        (Action::Decide(o), S::Suspended) => Ok(o.state()),
        (Action::Decide(_), S::Submitted | S::Read) => Err(OpenDemandError::NotSuspended),
        (_, S::Answered) => Err(OpenDemandError::AlreadyAnswered),
        (_, S::Withdrawn | S::Restored | S::Reopened) => Err(OpenDemandError::AlreadyDecided),
    }
}

/// A submission, checked: its kind, what it is about, and its texts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDemand {
    pub kind: DemandKind,
    /// The open entry it is about; `None` for a demand for data outside the catalog.
    pub entry_id: Option<i64>,
    /// For data outside the catalog: the organization the requester names as its
    /// holder (else the city authority evaluates it, ZJ-22).
    pub named_org_id: Option<i64>,
    pub infringement_kind: Option<InfringementKind>,
    pub title: String,
    pub body: String,
}

/// What a requester sends, as received.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemandDraft<'a> {
    pub kind: &'a str,
    pub entry_id: Option<i64>,
    pub org_id: Option<i64>,
    pub infringement_kind: Option<&'a str>,
    pub title: &'a str,
    pub body: &'a str,
}

impl NewDemand {
    /// Checks a submission (OPN-7): a known kind; an entry for everything but a demand
    /// (only demands may ask for data outside the catalog, ZJ-22); a named organization
    /// only without an entry (an entry's provider holds it); the right named for an
    /// infringement objection and only there; a title and a text of sensible length.
    pub fn parse(d: &DemandDraft<'_>) -> Result<NewDemand, OpenDemandError> {
        let kind = DemandKind::from_code(d.kind).ok_or_else(|| OpenDemandError::UnknownKind(d.kind.trim().into()))?;
        if d.entry_id.is_none() && kind != DemandKind::Demand {
            return Err(OpenDemandError::EntryRequired(kind));
        }
        if d.entry_id.is_some() && d.org_id.is_some() {
            return Err(OpenDemandError::OrgWithEntry);
        }
        let infringement_kind = match (kind, d.infringement_kind.map(str::trim).filter(|s| !s.is_empty())) {
            (DemandKind::Infringement, None) => return Err(OpenDemandError::InfringementKindRequired),
            (DemandKind::Infringement, Some(k)) => {
                Some(InfringementKind::from_code(k).ok_or_else(|| OpenDemandError::UnknownInfringementKind(k.into()))?)
            }
            (_, Some(_)) => return Err(OpenDemandError::InfringementKindNotAllowed),
            (_, None) => None,
        };
        Ok(NewDemand {
            kind,
            entry_id: d.entry_id,
            named_org_id: d.org_id,
            infringement_kind,
            title: text("title", d.title, TITLE_MAX)?,
            body: text("body", d.body, TEXT_MAX)?,
        })
    }
}

/// A required text, trimmed, at most `max` characters.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<String, OpenDemandError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(OpenDemandError::TextRequired(field));
    }
    if v.chars().count() > max {
        return Err(OpenDemandError::TextTooLong { field, max });
    }
    Ok(v.to_string())
}

/// Whether an entry takes submissions: published (a version in force, not retired) and
/// open, unconditionally or with conditions. Data that is not open is asked for as a
/// demand for data outside the catalog.
pub fn entry_takes_submissions(published: bool, open_type: &str) -> Result<(), OpenDemandError> {
    if !published {
        return Err(OpenDemandError::EntryNotPublished);
    }
    if open_type != "unconditional" && open_type != "conditional" {
        return Err(OpenDemandError::EntryNotOpen);
    }
    Ok(())
}
