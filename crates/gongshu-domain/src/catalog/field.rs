//! The fields of a catalog entry, named in errors, in the version comparison and, by
//! their column, in the spreadsheet template.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One field of an entry or of one of its data items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Code,
    Name,
    Summary,
    ProviderName,
    ProviderCode,
    Category,
    Format,
    /// The list of data items as a whole (an item added or removed).
    Items,
    ItemName,
    ItemDataType,
    ItemLength,
    ItemDescription,
    ItemKeyIdentifier,
    ItemGrade,
    ShareType,
    ShareConditions,
    ShareReason,
    ShareLegalBasis,
    ShareMethod,
    OpenType,
    OpenConditions,
    OpenLegalBasis,
    Grade,
    UpdateCycle,
    PublicationDate,
    RelatedCodes,
}

impl Field {
    /// Stable key, e.g. `share.legal_basis`.
    pub fn as_str(self) -> &'static str {
        self.labels().0
    }

    pub fn label_zh(self) -> &'static str {
        self.labels().1
    }

    pub fn label_en(self) -> &'static str {
        self.labels().2
    }

    /// The column of the spreadsheet template that holds the field. Fields the guide's
    /// template has no column for (item description, key flag, grades) name the column
    /// of the row's item or, for the entry's grade, the resource code.
    pub fn column(self) -> &'static str {
        self.labels().3
    }

    fn labels(self) -> (&'static str, &'static str, &'static str, &'static str) {
        match self {
            Field::Code => ("code", "信息资源代码", "resource code", "信息资源代码"),
            Field::Name => ("name", "信息资源名称", "name", "信息资源名称"),
            Field::Summary => ("summary", "信息资源摘要", "summary", "信息资源摘要"),
            Field::ProviderName => ("provider.name", "信息资源提供方", "provider", "信息资源提供方"),
            Field::ProviderCode => ("provider.code", "信息资源提供方代码", "provider code", "信息资源提供方代码"),
            Field::Category => ("category", "信息资源分类", "category", "信息资源分类"),
            Field::Format => ("format", "信息资源格式", "format", "信息资源格式"),
            Field::Items => ("items", "信息项", "data items", "信息项名称"),
            Field::ItemName => ("item.name", "信息项名称", "item name", "信息项名称"),
            Field::ItemDataType => ("item.data_type", "数据类型", "data type", "数据类型"),
            Field::ItemLength => ("item.length", "数据长度", "data length", "数据长度"),
            Field::ItemDescription => ("item.description", "信息项描述", "item description", "信息项名称"),
            Field::ItemKeyIdentifier => ("item.key_identifier", "是否关键标识", "key identifier", "信息项名称"),
            Field::ItemGrade => ("item.grade", "信息项安全级别", "item security level", "信息项名称"),
            Field::ShareType => ("share.type", "共享类型", "share type", "共享类型"),
            Field::ShareConditions => ("share.conditions", "共享条件", "share conditions", "共享条件"),
            Field::ShareReason => ("share.reason", "共享限制理由", "reason for the share limit", "共享条件"),
            Field::ShareLegalBasis => {
                ("share.legal_basis", "共享依据", "legal basis of the share attribute", "共享条件")
            }
            Field::ShareMethod => ("share.method", "共享方式", "share method", "共享方式"),
            Field::OpenType => ("open.type", "开放属性", "open attribute", "是否向社会开放"),
            Field::OpenConditions => ("open.conditions", "开放条件", "open conditions", "开放条件"),
            Field::OpenLegalBasis => ("open.legal_basis", "开放依据", "legal basis of the open attribute", "开放条件"),
            Field::Grade => ("grade", "分类分级", "grade", "信息资源代码"),
            Field::UpdateCycle => ("update_cycle", "更新周期", "update cycle", "更新周期"),
            Field::PublicationDate => ("published_on", "发布日期", "publication date", "发布日期"),
            Field::RelatedCodes => ("related", "关联资源代码", "related resource codes", "关联资源代码"),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
