//! The life cycle of a catalog entry version (CAT-2, CAT-3).
//!
//! ```text
//!            Submit (P)           Approve (A)
//!  Draft ───────────────▶ Submitted ───────────▶ Published ──Retire (A)──▶ Retired
//!    │                     │    ▲                   │
//!    │        Reject{reason}(A) │ Submit (P)        │ FileChange (P): a new version,
//!    │                     ▼    │                   ▼ starting as Submitted
//!    └──Retire (P)──▶ Retired ◀─Retire (P)── Rejected
//! ```
//!
//! The state belongs to one version; every version is kept (CAT-2). A change request
//! (CAT-3) is `FileChange` on a published version: it opens a new version in
//! `Submitted`, while the published version stays published until the new one is
//! approved. Retiring keeps the entry and its history; it only changes the state. A
//! provider withdraws its own unpublished drafts by retiring them; a published entry
//! is retired by the authority (a provider asks for that through a change request).

use serde::{Deserialize, Serialize};

use super::CatalogError;

/// The state of an entry version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    Draft,
    Submitted,
    Published,
    Rejected,
    Retired,
}

impl EntryState {
    pub const ALL: [EntryState; 5] =
        [EntryState::Draft, EntryState::Submitted, EntryState::Published, EntryState::Rejected, EntryState::Retired];

    pub fn label_zh(self) -> &'static str {
        match self {
            EntryState::Draft => "草稿",
            EntryState::Submitted => "待审核",
            EntryState::Published => "已发布",
            EntryState::Rejected => "已驳回",
            EntryState::Retired => "已停用",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            EntryState::Draft => "a draft",
            EntryState::Submitted => "submitted",
            EntryState::Published => "published",
            EntryState::Rejected => "rejected",
            EntryState::Retired => "retired",
        }
    }
}

/// Who acts on an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The providing organization's data officer.
    Provider,
    /// The reviewing authority of the provider's level.
    Authority,
}

impl Actor {
    pub fn label_zh(self) -> &'static str {
        match self {
            Actor::Provider => "提供部门",
            Actor::Authority => "主管部门",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Actor::Provider => "provider",
            Actor::Authority => "authority",
        }
    }
}

/// An action on an entry version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Submit,
    Approve,
    Reject { reason: String },
    FileChange,
    Retire,
}

/// The kind of an [`Action`], without its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Submit,
    Approve,
    Reject,
    FileChange,
    Retire,
}

impl ActionKind {
    pub const ALL: [ActionKind; 5] =
        [ActionKind::Submit, ActionKind::Approve, ActionKind::Reject, ActionKind::FileChange, ActionKind::Retire];

    pub fn label_zh(self) -> &'static str {
        match self {
            ActionKind::Submit => "提交审核",
            ActionKind::Approve => "审核通过",
            ActionKind::Reject => "驳回",
            ActionKind::FileChange => "提出变更",
            ActionKind::Retire => "停用",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            ActionKind::Submit => "submit",
            ActionKind::Approve => "approve",
            ActionKind::Reject => "reject",
            ActionKind::FileChange => "file a change for",
            ActionKind::Retire => "retire",
        }
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Submit => ActionKind::Submit,
            Action::Approve => ActionKind::Approve,
            Action::Reject { .. } => ActionKind::Reject,
            Action::FileChange => ActionKind::FileChange,
            Action::Retire => ActionKind::Retire,
        }
    }
}

/// The state an allowed action leads to, or `None` if the actor may not take it.
fn target(from: EntryState, action: ActionKind, actor: Actor) -> Option<EntryState> {
    use ActionKind as K;
    use Actor::{Authority, Provider};
    use EntryState as S;
    match (from, action, actor) {
        (S::Draft | S::Rejected, K::Submit, Provider) => Some(S::Submitted),
        (S::Submitted, K::Approve, Authority) => Some(S::Published),
        (S::Submitted, K::Reject, Authority) => Some(S::Rejected),
        (S::Published, K::FileChange, Provider) => Some(S::Submitted),
        (S::Draft | S::Rejected, K::Retire, Provider) | (S::Published, K::Retire, Authority) => Some(S::Retired),
        _ => None,
    }
}

/// Applies an action. For `FileChange` the result is the state of the new version.
pub fn transition(from: EntryState, action: &Action, actor: Actor) -> Result<EntryState, CatalogError> {
    let to = target(from, action.kind(), actor).ok_or(CatalogError::TransitionNotAllowed {
        from,
        action: action.kind(),
        actor,
    })?;
    if matches!(action, Action::Reject { reason } if reason.trim().is_empty()) {
        return Err(CatalogError::RejectionReasonRequired);
    }
    Ok(to)
}

/// The actions an actor may take on a version in this state, for buttons and menus.
pub fn allowed_actions(state: EntryState, actor: Actor) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|a| target(state, *a, actor).is_some()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Actor::{Authority, Provider};
    use EntryState::*;

    fn action(kind: ActionKind) -> Action {
        match kind {
            ActionKind::Submit => Action::Submit,
            ActionKind::Approve => Action::Approve,
            ActionKind::Reject => Action::Reject { reason: "摘要不完整".into() },
            ActionKind::FileChange => Action::FileChange,
            ActionKind::Retire => Action::Retire,
        }
    }

    /// CAT-2, CAT-3: the complete transition table; everything not listed is refused.
    #[test]
    fn cat_2_cat_3_every_transition_is_allowed_or_refused_as_the_table_says() {
        let allowed = [
            (Draft, ActionKind::Submit, Provider, Submitted),
            (Draft, ActionKind::Retire, Provider, Retired),
            (Submitted, ActionKind::Approve, Authority, Published),
            (Submitted, ActionKind::Reject, Authority, Rejected),
            (Rejected, ActionKind::Submit, Provider, Submitted),
            (Rejected, ActionKind::Retire, Provider, Retired),
            (Published, ActionKind::FileChange, Provider, Submitted),
            (Published, ActionKind::Retire, Authority, Retired),
        ];
        for from in EntryState::ALL {
            for kind in ActionKind::ALL {
                for actor in [Provider, Authority] {
                    let expected = allowed
                        .iter()
                        .find(|(f, k, a, _)| (*f, *k, *a) == (from, kind, actor))
                        .map(|(_, _, _, to)| *to)
                        .ok_or(CatalogError::TransitionNotAllowed { from, action: kind, actor });
                    assert_eq!(transition(from, &action(kind), actor), expected, "{from:?} {kind:?} {actor:?}");
                }
            }
        }
    }

    /// CAT-2: only the authority approves; a provider cannot publish its own entry.
    #[test]
    fn cat_2_only_the_authority_approves() {
        assert_eq!(
            transition(Submitted, &Action::Approve, Provider),
            Err(CatalogError::TransitionNotAllowed { from: Submitted, action: ActionKind::Approve, actor: Provider })
        );
        assert_eq!(transition(Draft, &Action::Approve, Authority).ok(), None);
    }

    /// CAT-2: a rejection states its reason.
    #[test]
    fn cat_2_rejection_needs_a_reason() {
        let blank = Action::Reject { reason: "  ".into() };
        assert_eq!(transition(Submitted, &blank, Authority), Err(CatalogError::RejectionReasonRequired));
        assert_eq!(transition(Submitted, &action(ActionKind::Reject), Authority), Ok(Rejected));
    }

    /// CAT-3: a change request opens a new version for review; retired entries take no action.
    #[test]
    fn cat_3_change_requests_go_to_review_and_retired_is_final() {
        assert_eq!(transition(Published, &Action::FileChange, Provider), Ok(Submitted));
        assert_eq!(allowed_actions(Published, Provider), vec![ActionKind::FileChange]);
        assert_eq!(allowed_actions(Published, Authority), vec![ActionKind::Retire]);
        assert_eq!(allowed_actions(Submitted, Authority), vec![ActionKind::Approve, ActionKind::Reject]);
        assert_eq!(allowed_actions(Draft, Provider), vec![ActionKind::Submit, ActionKind::Retire]);
        assert!(allowed_actions(Retired, Provider).is_empty());
        assert!(allowed_actions(Retired, Authority).is_empty());
    }

    /// CAT-2: refusals are told in both languages.
    #[test]
    fn cat_2_refused_transitions_are_localized() {
        use crate::Localized;
        let e = CatalogError::TransitionNotAllowed { from: Retired, action: ActionKind::Submit, actor: Provider };
        assert_eq!(e.code(), "transition_not_allowed");
        assert_eq!(e.message_zh(), "提供部门不能对已停用的目录条目执行“提交审核”");
        assert_eq!(e.message_en(), "the provider may not submit an entry that is retired");
    }
}
