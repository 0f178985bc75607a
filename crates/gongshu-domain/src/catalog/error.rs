//! The catalog's error type. Every variant has a stable code and a sentence in Chinese
//! and in English (`crate::Localized`); rule violations name the field they concern.

use std::fmt;

use serde::Serialize;

use super::field::Field;
use super::state::{ActionKind, Actor, EntryState};
use super::vocab::{DataType, FormatClass, Grade, OpenType, ShareMethod, ShareType};
use crate::Localized;

/// A data item named in a message: its 1-based position in the entry and its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRef {
    pub position: usize,
    pub name: String,
}

impl ItemRef {
    fn zh(&self) -> String {
        format!("第{}个信息项“{}”", self.position, self.name)
    }
}

impl fmt::Display for ItemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "item {} ({:?})", self.position, self.name)
    }
}

/// A change of the share or the open attribute (CAT-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "attribute", rename_all = "snake_case")]
pub enum AttributeMove {
    Share { from: ShareType, to: ShareType },
    Open { from: OpenType, to: OpenType },
}

impl AttributeMove {
    fn zh(self) -> String {
        match self {
            AttributeMove::Share { from, to } => format!("共享属性由“{from}”改为“{to}”"),
            AttributeMove::Open { from, to } => format!("开放属性由“{from}”改为“{to}”"),
        }
    }
}

impl fmt::Display for AttributeMove {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttributeMove::Share { from, to } => {
                write!(f, "changing the share attribute from {} to {}", from.label_en(), to.label_en())
            }
            AttributeMove::Open { from, to } => {
                write!(f, "changing the open attribute from {} to {}", from.label_en(), to.label_en())
            }
        }
    }
}

fn item_zh(item: &Option<ItemRef>) -> String {
    item.as_ref().map(|i| format!("{}的", i.zh())).unwrap_or_default()
}

fn item_en(item: &Option<ItemRef>) -> String {
    item.as_ref().map(|i| format!(" of {i}")).unwrap_or_default()
}

/// A catalog rule was broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("{}{} is required", .field.label_en(), item_en(.item))]
    Missing { field: Field, item: Option<ItemRef> },
    #[error("{}{} must be {max} characters or fewer", .field.label_en(), item_en(.item))]
    TooLong { field: Field, item: Option<ItemRef>, max: usize },
    #[error("invalid resource code {value:?}: {reason}")]
    InvalidResourceCode { value: String, reason: &'static str },
    #[error("invalid provider code {value:?}: {reason}")]
    InvalidProviderCode { value: String, reason: &'static str },
    #[error("provider code {given} is not the provider's unified social credit code {expected}")]
    ProviderCodeMismatch { given: String, expected: String },
    #[error("unknown category {value:?}: expected 基础, 主题 or 部门, optionally followed by / and a group")]
    UnknownCategory { value: String },
    #[error("unknown base library {value:?}")]
    UnknownBaseLibrary { value: String },
    #[error("a base category entry needs its base library, e.g. 基础/人口 (CAT-9)")]
    BaseLibraryRequired,
    #[error("invalid format {value:?}: expected 格式分类/格式类型, e.g. 数据库/mysql")]
    InvalidFormat { value: String },
    #[error("unknown format class {value:?}")]
    UnknownFormatClass { value: String },
    #[error("unknown data type {value:?}: expected one of C N Y D T L M G B I F")]
    UnknownDataType { value: String },
    #[error("invalid data length {value:?}: {reason}")]
    InvalidDataLength { value: String, reason: &'static str },
    #[error("the data length of {item} has decimal places, which data type {} does not allow", .data_type.as_str())]
    DataLengthScaleNotAllowed { item: ItemRef, data_type: DataType },
    #[error("{item} has the same name as an earlier item")]
    DuplicateItemName { item: ItemRef },
    #[error("a {} resource is structured and needs at least one data item", .format_class.label_en())]
    ItemsRequired { format_class: FormatClass },
    #[error("unknown share type {value:?}: expected 无条件共享, 有条件共享 or 不予共享")]
    UnknownShareType { value: String },
    #[error("unknown share method {value:?}: expected 接口, 数据库 or 文件")]
    UnknownShareMethod { value: String },
    #[error("unknown open attribute {value:?}")]
    UnknownOpenType { value: String },
    #[error("unknown answer {value:?} to 是否向社会开放: expected 是 or 否")]
    UnknownOpenFlag { value: String },
    #[error("unknown update cycle {value:?}")]
    UnknownUpdateCycle { value: String },
    #[error("unknown grade {value:?}")]
    UnknownGrade { value: String },
    #[error("invalid publication date {value:?}: expected YYYY-MM-DD")]
    InvalidPublicationDate { value: String },
    #[error("conditional sharing needs its share conditions (CAT-4)")]
    ShareConditionsRequired,
    #[error("{} has no share conditions; leave them empty (CAT-4)", .share_type.label_en())]
    ShareConditionsNotAllowed { share_type: ShareType },
    #[error("{} needs a stated reason (CAT-4)", .share_type.label_en())]
    ShareReasonRequired { share_type: ShareType },
    #[error("{} needs a legal basis; without one the entry must be shared unconditionally (CAT-4)", .share_type.label_en())]
    ShareLegalBasisRequired { share_type: ShareType },
    #[error("{} needs a share method (CAT-4)", .share_type.label_en())]
    ShareMethodRequired { share_type: ShareType },
    #[error("data that is not shared has no share method (CAT-4)")]
    ShareMethodNotAllowed,
    #[error("a {} resource cannot be shared by {}", .format_class.label_en(), .method.label_en())]
    FormatMethodMismatch { format_class: FormatClass, method: ShareMethod },
    #[error("conditional opening needs its open conditions (CAT-5)")]
    OpenConditionsRequired,
    #[error("{} has no open conditions; leave them empty (CAT-5)", .open_type.label_en())]
    OpenConditionsNotAllowed { open_type: OpenType },
    #[error("data that is not open needs a legal basis (CAT-5)")]
    OpenLegalBasisRequired,
    #[error("the open attribute ({}) cannot be more open than the share attribute ({}) (CAT-5)", .open_type.label_en(), .share_type.label_en())]
    OpenExceedsShare { open_type: OpenType, share_type: ShareType },
    #[error("the entry needs a grade before review (CAT-8)")]
    GradeRequired,
    #[error("the entry's grade ({}) is below that of {item} ({}); the highest wins (CAT-8)", .entry_grade.label_en(), .item_grade.label_en())]
    GradeBelowItem { item: ItemRef, item_grade: Grade, entry_grade: Grade },
    #[error("{}", grade_open_en(*.grade, *.open_type, *.max))]
    GradeForbidsOpen { grade: Grade, open_type: OpenType, max: OpenType },
    #[error("related resource code {code} is the entry's own code")]
    RelatedCodeIsSelf { code: String },
    #[error("related resource code {code} is listed twice")]
    DuplicateRelatedCode { code: String },
    #[error("{change} makes the data less open and needs the authority's consent (CAT-6)")]
    DowngradeNeedsConsent { change: AttributeMove },
    #[error("{change} makes the data less open and must be filed with the authority (CAT-6)")]
    DowngradeNeedsFiling { change: AttributeMove },
    #[error("opening data that was {} as {} needs a recorded de-identification or the right holder's consent (CAT-6)", .from.label_en(), .to.label_en())]
    OpeningNeedsDeidentification { from: OpenType, to: OpenType },
    #[error("the {} may not {} an entry that is {}", .actor.label_en(), .action.label_en(), .from.label_en())]
    TransitionNotAllowed { from: EntryState, action: ActionKind, actor: Actor },
    #[error("a rejection must state its reason (CAT-2)")]
    RejectionReasonRequired,
    #[error("column {column} differs from row {first_row} of the same resource code")]
    TemplateCellMismatch { column: &'static str, first_row: usize },
    #[error("the resource is not imported because rows {} have errors", join_rows(.rows))]
    TemplateEntryRejected { rows: Vec<usize> },
}

fn grade_open_en(grade: Grade, open_type: OpenType, max: OpenType) -> String {
    match max {
        OpenType::NotOpen => {
            format!("{} must not be open to society, so not {} (CAT-8)", grade.label_en(), open_type.label_en())
        }
        _ => format!("{} cannot be {}; at most {} (CAT-8)", grade.label_en(), open_type.label_en(), max.label_en()),
    }
}

fn join_rows(rows: &[usize]) -> String {
    rows.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
}

impl CatalogError {
    /// The field the error concerns, if it concerns one.
    pub fn field(&self) -> Option<Field> {
        use CatalogError as E;
        Some(match self {
            E::Missing { field, .. } | E::TooLong { field, .. } => *field,
            E::InvalidResourceCode { .. } => Field::Code,
            E::RelatedCodeIsSelf { .. } | E::DuplicateRelatedCode { .. } => Field::RelatedCodes,
            E::InvalidProviderCode { .. } | E::ProviderCodeMismatch { .. } => Field::ProviderCode,
            E::UnknownCategory { .. } | E::UnknownBaseLibrary { .. } | E::BaseLibraryRequired => Field::Category,
            E::InvalidFormat { .. } | E::UnknownFormatClass { .. } => Field::Format,
            E::UnknownDataType { .. } => Field::ItemDataType,
            E::InvalidDataLength { .. } | E::DataLengthScaleNotAllowed { .. } => Field::ItemLength,
            E::DuplicateItemName { .. } => Field::ItemName,
            E::ItemsRequired { .. } => Field::Items,
            E::UnknownShareType { .. } => Field::ShareType,
            E::UnknownShareMethod { .. } | E::ShareMethodRequired { .. } | E::ShareMethodNotAllowed => {
                Field::ShareMethod
            }
            E::FormatMethodMismatch { .. } => Field::ShareMethod,
            E::ShareConditionsRequired | E::ShareConditionsNotAllowed { .. } => Field::ShareConditions,
            E::ShareReasonRequired { .. } => Field::ShareReason,
            E::ShareLegalBasisRequired { .. } => Field::ShareLegalBasis,
            E::UnknownOpenType { .. } | E::UnknownOpenFlag { .. } | E::OpenExceedsShare { .. } => Field::OpenType,
            E::GradeForbidsOpen { .. } => Field::OpenType,
            E::OpenConditionsRequired | E::OpenConditionsNotAllowed { .. } => Field::OpenConditions,
            E::OpenLegalBasisRequired => Field::OpenLegalBasis,
            E::UnknownGrade { .. } | E::GradeRequired | E::GradeBelowItem { .. } => Field::Grade,
            E::UnknownUpdateCycle { .. } => Field::UpdateCycle,
            E::InvalidPublicationDate { .. } => Field::PublicationDate,
            E::DowngradeNeedsConsent { change } | E::DowngradeNeedsFiling { change } => match change {
                AttributeMove::Share { .. } => Field::ShareType,
                AttributeMove::Open { .. } => Field::OpenType,
            },
            E::OpeningNeedsDeidentification { .. } => Field::OpenType,
            E::TransitionNotAllowed { .. }
            | E::RejectionReasonRequired
            | E::TemplateCellMismatch { .. }
            | E::TemplateEntryRejected { .. } => return None,
        })
    }

    /// The 1-based position of the data item the error concerns, if any.
    pub fn item_position(&self) -> Option<usize> {
        use CatalogError as E;
        match self {
            E::Missing { item, .. } | E::TooLong { item, .. } => item.as_ref().map(|i| i.position),
            E::DataLengthScaleNotAllowed { item, .. } | E::DuplicateItemName { item } => Some(item.position),
            E::GradeBelowItem { item, .. } => Some(item.position),
            _ => None,
        }
    }
}

impl Localized for CatalogError {
    fn code(&self) -> &'static str {
        use CatalogError as E;
        match self {
            E::Missing { .. } => "catalog_field_missing",
            E::TooLong { .. } => "catalog_field_too_long",
            E::InvalidResourceCode { .. } => "invalid_resource_code",
            E::InvalidProviderCode { .. } => "invalid_provider_code",
            E::ProviderCodeMismatch { .. } => "provider_code_mismatch",
            E::UnknownCategory { .. } => "unknown_category",
            E::UnknownBaseLibrary { .. } => "unknown_base_library",
            E::BaseLibraryRequired => "base_library_required",
            E::InvalidFormat { .. } => "invalid_format",
            E::UnknownFormatClass { .. } => "unknown_format_class",
            E::UnknownDataType { .. } => "unknown_data_type",
            E::InvalidDataLength { .. } => "invalid_data_length",
            E::DataLengthScaleNotAllowed { .. } => "data_length_scale_not_allowed",
            E::DuplicateItemName { .. } => "duplicate_item_name",
            E::ItemsRequired { .. } => "items_required",
            E::UnknownShareType { .. } => "unknown_share_type",
            E::UnknownShareMethod { .. } => "unknown_share_method",
            E::UnknownOpenType { .. } => "unknown_open_type",
            E::UnknownOpenFlag { .. } => "unknown_open_flag",
            E::UnknownUpdateCycle { .. } => "unknown_update_cycle",
            E::UnknownGrade { .. } => "unknown_grade",
            E::InvalidPublicationDate { .. } => "invalid_publication_date",
            E::ShareConditionsRequired => "share_conditions_required",
            E::ShareConditionsNotAllowed { .. } => "share_conditions_not_allowed",
            E::ShareReasonRequired { .. } => "share_reason_required",
            E::ShareLegalBasisRequired { .. } => "share_legal_basis_required",
            E::ShareMethodRequired { .. } => "share_method_required",
            E::ShareMethodNotAllowed => "share_method_not_allowed",
            E::FormatMethodMismatch { .. } => "format_method_mismatch",
            E::OpenConditionsRequired => "open_conditions_required",
            E::OpenConditionsNotAllowed { .. } => "open_conditions_not_allowed",
            E::OpenLegalBasisRequired => "open_legal_basis_required",
            E::OpenExceedsShare { .. } => "open_exceeds_share",
            E::GradeRequired => "grade_required",
            E::GradeBelowItem { .. } => "grade_below_item",
            E::GradeForbidsOpen { .. } => "grade_forbids_open",
            E::RelatedCodeIsSelf { .. } => "related_code_is_self",
            E::DuplicateRelatedCode { .. } => "duplicate_related_code",
            E::DowngradeNeedsConsent { .. } => "downgrade_needs_consent",
            E::DowngradeNeedsFiling { .. } => "downgrade_needs_filing",
            E::OpeningNeedsDeidentification { .. } => "opening_needs_deidentification",
            E::TransitionNotAllowed { .. } => "transition_not_allowed",
            E::RejectionReasonRequired => "rejection_reason_required",
            E::TemplateCellMismatch { .. } => "template_cell_mismatch",
            E::TemplateEntryRejected { .. } => "template_entry_rejected",
        }
    }

    fn message_zh(&self) -> String {
        use CatalogError as E;
        match self {
            E::Missing { field, item } => format!("{}{}不能为空", item_zh(item), field.label_zh()),
            E::TooLong { field, item, max } => format!("{}{}不能超过{max}个字符", item_zh(item), field.label_zh()),
            E::InvalidResourceCode { value, reason } => format!("信息资源代码“{value}”无效：{}", reason_zh(reason)),
            E::InvalidProviderCode { value, reason } => {
                format!("信息资源提供方代码“{value}”无效：{}", crate::error::reason_zh(reason))
            }
            E::ProviderCodeMismatch { given, expected } => {
                format!("信息资源提供方代码“{given}”与提供方的统一社会信用代码“{expected}”不一致")
            }
            E::UnknownCategory { value } => {
                format!("信息资源分类“{value}”无效：应为基础、主题或部门，可在“/”后写明所属分组")
            }
            E::UnknownBaseLibrary { value } => format!("未知的基础信息资源库“{value}”"),
            E::BaseLibraryRequired => "基础类信息资源须写明所属基础库，如“基础/人口”".to_string(),
            E::InvalidFormat { value } => {
                format!("信息资源格式“{value}”无效：应为“格式分类/格式类型”，如“数据库/mysql”")
            }
            E::UnknownFormatClass { value } => format!("未知的格式分类“{value}”"),
            E::UnknownDataType { value } => format!("未知的数据类型“{value}”：应为 C N Y D T L M G B I F 之一"),
            E::InvalidDataLength { value, reason } => format!("数据长度“{value}”无效：{}", reason_zh(reason)),
            E::DataLengthScaleNotAllowed { item, data_type } => {
                format!("{}的数据类型为{}，数据长度不能带小数位", item.zh(), data_type.label_zh())
            }
            E::DuplicateItemName { item } => format!("{}与前面的信息项重名", item.zh()),
            E::ItemsRequired { format_class } => {
                format!("格式分类为“{format_class}”的结构化信息资源至少须有一个信息项")
            }
            E::UnknownShareType { value } => format!("共享类型“{value}”无效：应为无条件共享、有条件共享或不予共享"),
            E::UnknownShareMethod { value } => format!("共享方式“{value}”无效：应为接口、数据库或文件"),
            E::UnknownOpenType { value } => format!("未知的开放属性“{value}”"),
            E::UnknownOpenFlag { value } => format!("“是否向社会开放”应填“是”或“否”，而不是“{value}”"),
            E::UnknownUpdateCycle { value } => format!("未知的更新周期“{value}”"),
            E::UnknownGrade { value } => format!("未知的分类分级“{value}”"),
            E::InvalidPublicationDate { value } => format!("发布日期“{value}”无效：应为 YYYY-MM-DD"),
            E::ShareConditionsRequired => "有条件共享须写明共享条件".to_string(),
            E::ShareConditionsNotAllowed { share_type } => format!("{share_type}不设共享条件，请留空"),
            E::ShareReasonRequired { share_type } => format!("{share_type}须说明理由"),
            E::ShareLegalBasisRequired { share_type } => {
                format!("{share_type}须有法律法规或政策依据；没有依据的应列为无条件共享")
            }
            E::ShareMethodRequired { share_type } => format!("{share_type}须选择共享方式"),
            E::ShareMethodNotAllowed => "不予共享的信息资源不设共享方式".to_string(),
            E::FormatMethodMismatch { format_class, method } => {
                format!("格式分类为“{format_class}”的信息资源不能以“{method}”方式共享")
            }
            E::OpenConditionsRequired => "有条件开放须写明开放条件".to_string(),
            E::OpenConditionsNotAllowed { open_type } => format!("{open_type}不设开放条件，请留空"),
            E::OpenLegalBasisRequired => "不予开放须有法律法规依据".to_string(),
            E::OpenExceedsShare { open_type, share_type } => {
                format!("开放属性（{open_type}）不能比共享属性（{share_type}）更开放")
            }
            E::GradeRequired => "提交审核前须确定信息资源的分类分级".to_string(),
            E::GradeBelowItem { item, item_grade, entry_grade } => {
                format!("信息资源的级别（{entry_grade}）低于{}（{item_grade}），应就高确定", item.zh())
            }
            E::GradeForbidsOpen { grade, open_type, max: OpenType::NotOpen } => {
                format!("{grade}不能向社会开放（不能{open_type}）")
            }
            E::GradeForbidsOpen { grade, open_type, max } => format!("{grade}不能{open_type}，最多只能{max}"),
            E::RelatedCodeIsSelf { code } => format!("关联资源代码“{code}”是本资源自己的代码"),
            E::DuplicateRelatedCode { code } => format!("关联资源代码“{code}”重复"),
            E::DowngradeNeedsConsent { change } => format!("{}会降低开放程度，须经主管部门同意", change.zh()),
            E::DowngradeNeedsFiling { change } => format!("{}会降低开放程度，须向主管部门备案", change.zh()),
            E::OpeningNeedsDeidentification { from, to } => {
                format!("将{from}的数据改为{to}，须有去标识化处理记录或权利人同意")
            }
            E::TransitionNotAllowed { from, action, actor } => {
                format!("{}不能对{}的目录条目执行“{}”", actor.label_zh(), from.label_zh(), action.label_zh())
            }
            E::RejectionReasonRequired => "驳回须说明理由".to_string(),
            E::TemplateCellMismatch { column, first_row } => {
                format!("“{column}”与同一信息资源代码的第{first_row}行不一致")
            }
            E::TemplateEntryRejected { rows } => {
                format!("第{}行有错误，该信息资源整体未导入", join_rows(rows).replace(", ", "、"))
            }
        }
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}

/// Chinese wording of the short English reasons of the catalog's parsers.
fn reason_zh(reason: &str) -> &'static str {
    match reason {
        "must be 前段码/后段码 with exactly one /" => "须为“前段码/后段码”，且只有一个“/”",
        "must contain digits only" => "只能由数字组成",
        "前段码 must have at least 6 digits (类, 项, 目)" => "前段码至少6位（类、项、目）",
        "后段码 must not be empty" => "后段码不能为空",
        "is too long" => "过长",
        "must be a positive whole number, or total,decimals" => "须为正整数，或“总长度,小数位”",
        "decimals must be fewer than the total length" => "小数位须小于总长度",
        other => crate::error::reason_zh(other),
    }
}

#[cfg(test)]
mod tests;
