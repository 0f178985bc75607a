//! Why a submission or a step of a demand is refused, in both languages.

use super::DemandKind;
use crate::Localized;

/// A rule of OPN-7 or OPN-8 broken by the input or by the item's state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenDemandError {
    #[error("unknown kind {0:?}: use demand, objection, infringement or suggestion")]
    UnknownKind(String),
    #[error("a {} is about an open catalog entry: name the entry (only demands may ask for data outside the catalog)", .0.label_en())]
    EntryRequired(DemandKind),
    #[error("an entry's provider holds what is sent about it: name either the entry or an organization, not both")]
    OrgWithEntry,
    #[error("an infringement objection names the right it infringes: trade_secret, privacy or other")]
    InfringementKindRequired,
    #[error("unknown right {0:?}: use trade_secret, privacy or other")]
    UnknownInfringementKind(String),
    #[error("only an infringement objection names an infringed right")]
    InfringementKindNotAllowed,
    #[error("{0} must not be empty")]
    TextRequired(&'static str),
    #[error("{field} is longer than {max} characters")]
    TextTooLong { field: &'static str, max: usize },
    #[error("the entry is not published")]
    EntryNotPublished,
    #[error("the entry is not open data; ask for it as a demand for data outside the catalog")]
    EntryNotOpen,
    #[error("already answered")]
    AlreadyAnswered,
    #[error("the outcome is already decided")]
    AlreadyDecided,
    #[error("only an infringement objection suspends opening and is decided by an outcome")]
    NotInfringement,
    #[error("the entry's opening is already suspended")]
    AlreadySuspended,
    #[error("opening is not suspended: an outcome follows a suspension (answer the objection otherwise)")]
    NotSuspended,
    #[error("opening is suspended: decide the outcome (withdraw, restore or reopen) instead of answering")]
    OutcomeRequired,
    #[error("unknown outcome {0:?}: use withdraw, restore or reopen")]
    UnknownOutcome(String),
}

fn field_zh(field: &str) -> &'static str {
    match field {
        "title" => "标题",
        "body" => "内容",
        "answer" => "答复",
        "reason" => "中止理由",
        "note" => "处理说明",
        _ => "字段",
    }
}

impl Localized for OpenDemandError {
    fn code(&self) -> &'static str {
        use OpenDemandError as E;
        match self {
            E::UnknownKind(_) => "unknown_kind",
            E::EntryRequired(_) => "entry_required",
            E::OrgWithEntry => "org_with_entry",
            E::InfringementKindRequired => "infringement_kind_required",
            E::UnknownInfringementKind(_) => "unknown_infringement_kind",
            E::InfringementKindNotAllowed => "infringement_kind_not_allowed",
            E::TextRequired(_) => "text_required",
            E::TextTooLong { .. } => "text_too_long",
            E::EntryNotPublished => "entry_not_published",
            E::EntryNotOpen => "entry_not_open",
            E::AlreadyAnswered => "already_answered",
            E::AlreadyDecided => "already_decided",
            E::NotInfringement => "not_infringement",
            E::AlreadySuspended => "already_suspended",
            E::NotSuspended => "not_suspended",
            E::OutcomeRequired => "outcome_required",
            E::UnknownOutcome(_) => "unknown_outcome",
        }
    }

    fn message_zh(&self) -> String {
        use OpenDemandError as E;
        match self {
            E::UnknownKind(k) => format!("未知的类型“{k}”：可选需求、异议、侵权异议、建议"),
            E::EntryRequired(k) => {
                format!("{}须针对已开放的目录提出，请指明目录（目录外的数据只能以需求提出）", k.label_zh())
            }
            E::OrgWithEntry => "针对目录提出的由该目录的提供部门处理，目录和机构只能二选一".into(),
            E::InfringementKindRequired => "侵权异议须说明所侵犯的权益：商业秘密、个人隐私或其他合法权益".into(),
            E::UnknownInfringementKind(k) => format!("未知的权益类型“{k}”：可选商业秘密、个人隐私、其他合法权益"),
            E::InfringementKindNotAllowed => "只有侵权异议需要说明所侵犯的权益".into(),
            E::TextRequired(f) => format!("{}不能为空", field_zh(f)),
            E::TextTooLong { field, max } => format!("{}不能超过{max}个字", field_zh(field)),
            E::EntryNotPublished => "该目录尚未发布".into(),
            E::EntryNotOpen => "该目录不属于开放数据，请以目录外数据需求提出".into(),
            E::AlreadyAnswered => "已答复，不能重复办理".into(),
            E::AlreadyDecided => "处理结果已确定，不能重复办理".into(),
            E::NotInfringement => "只有侵权异议可以中止开放并确定处理结果".into(),
            E::AlreadySuspended => "该目录已中止开放".into(),
            E::NotSuspended => "尚未中止开放：处理结果须在中止开放之后确定（否则请直接答复）".into(),
            E::OutcomeRequired => "已中止开放：请确定处理结果（撤回开放、恢复开放或整改后重新开放），而不是答复".into(),
            E::UnknownOutcome(o) => format!("未知的处理结果“{o}”：可选撤回开放、恢复开放、整改后重新开放"),
        }
    }

    fn message_en(&self) -> String {
        let text = self.to_string();
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => text,
        }
    }
}
