//! Parsed metadata values: resource codes, provider codes, categories, formats and
//! data lengths. Each parses the text of the guide's template and shows itself back in
//! the same form, so an export reads back unchanged.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::CatalogError;
use super::vocab::{BaseLibrary, FormatClass};
use crate::DomainError;
use crate::uscc::CreditCode;

/// The most digits either part of a resource code may have.
const MAX_PART_DIGITS: usize = 32;

/// A resource code (信息资源代码): 前段码 `/` 后段码, e.g. `2010300/00017`.
///
/// The 前段码 is the classification code: 类 (1 digit), 项 (2), 目 (3) and a 细目 of any
/// length, so it has at least 6 digits; the 后段码 is the sequence number, at least one
/// digit. The class digit is not checked against the entry's category: the guide's
/// digit assignment was not verified and local platforms differ. Uniqueness is the
/// storage's job.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResourceCode(String);

impl ResourceCode {
    /// Parses a code; surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<Self, CatalogError> {
        let code = input.trim();
        let invalid = |reason| CatalogError::InvalidResourceCode { value: code.to_string(), reason };
        let mut parts = code.split('/');
        let (Some(front), Some(back), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(invalid("must be 前段码/后段码 with exactly one /"));
        };
        if !front.bytes().chain(back.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(invalid("must contain digits only"));
        }
        if front.len() < 6 {
            return Err(invalid("前段码 must have at least 6 digits (类, 项, 目)"));
        }
        if back.is_empty() {
            return Err(invalid("后段码 must not be empty"));
        }
        if front.len() > MAX_PART_DIGITS || back.len() > MAX_PART_DIGITS {
            return Err(invalid("is too long"));
        }
        Ok(ResourceCode(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 前段码 (classification code).
    pub fn front(&self) -> &str {
        self.0.split_once('/').map_or(self.0.as_str(), |(front, _)| front)
    }

    /// The 后段码 (sequence code).
    pub fn back(&self) -> &str {
        self.0.split_once('/').map_or("", |(_, back)| back)
    }
}

impl TryFrom<String> for ResourceCode {
    type Error = CatalogError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ResourceCode::parse(&value)
    }
}

impl From<ResourceCode> for String {
    fn from(value: ResourceCode) -> Self {
        value.0
    }
}

impl fmt::Display for ResourceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses a provider code (信息资源提供方代码), which is the provider's unified social
/// credit code.
pub fn parse_provider_code(input: &str) -> Result<CreditCode, CatalogError> {
    CreditCode::parse(input).map_err(|e| match e {
        DomainError::InvalidCreditCode { value, reason } => CatalogError::InvalidProviderCode { value, reason },
        _ => CatalogError::InvalidProviderCode { value: input.trim().to_string(), reason: "must not be empty" },
    })
}

/// Checks that an entry's provider code is the credit code of the organization that
/// provides it (`org_credit_code`, from the organization record).
pub fn check_provider_code(provider_code: &CreditCode, org_credit_code: &CreditCode) -> Result<(), CatalogError> {
    if provider_code == org_credit_code {
        Ok(())
    } else {
        Err(CatalogError::ProviderCodeMismatch {
            given: provider_code.to_string(),
            expected: org_credit_code.to_string(),
        })
    }
}

/// 信息资源分类 (resource attribute class). Base entries belong to one of the fixed base
/// libraries (CAT-9); thematic and department entries may name a free group, such as a
/// theme (公共服务) or a department's own sub-item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "group", rename_all = "snake_case")]
pub enum Category {
    Base(BaseLibrary),
    Thematic(Option<String>),
    Department(Option<String>),
}

impl Category {
    /// Parses `基础/人口`, `主题`, `主题/公共服务`, `部门/…`. The group is the text after the
    /// first `/`; 法人单位, the guide's name, is accepted for 法人.
    pub fn parse(input: &str) -> Result<Self, CatalogError> {
        let text = input.trim();
        let (class, group) = match text.split_once('/') {
            Some((class, group)) => (class.trim(), Some(group.trim()).filter(|g| !g.is_empty())),
            None => (text, None),
        };
        match class {
            "基础" => match group {
                None => Err(CatalogError::BaseLibraryRequired),
                Some("法人单位") => Ok(Category::Base(BaseLibrary::LegalEntity)),
                Some(g) => BaseLibrary::parse(g).map(Category::Base),
            },
            "主题" => Ok(Category::Thematic(group.map(str::to_string))),
            "部门" => Ok(Category::Department(group.map(str::to_string))),
            _ => Err(CatalogError::UnknownCategory { value: text.to_string() }),
        }
    }

    /// The free group of a thematic or department category.
    pub fn group(&self) -> Option<&str> {
        match self {
            Category::Base(_) => None,
            Category::Thematic(g) | Category::Department(g) => g.as_deref(),
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Category::Base(lib) => write!(f, "基础/{}", lib.label_zh()),
            Category::Thematic(None) => f.write_str("主题"),
            Category::Thematic(Some(g)) => write!(f, "主题/{g}"),
            Category::Department(None) => f.write_str("部门"),
            Category::Department(Some(g)) => write!(f, "部门/{g}"),
        }
    }
}

/// 信息资源格式: 格式分类 and 格式类型, e.g. 数据库/mysql.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Format {
    pub class: FormatClass,
    /// 格式类型. A type of the guide's dictionary is spelled as the dictionary does
    /// (`MySQL` becomes `mysql`); others (e.g. `postgresql`) are kept as written.
    pub kind: String,
}

impl Format {
    /// Parses `格式分类/格式类型`.
    pub fn parse(input: &str) -> Result<Self, CatalogError> {
        let text = input.trim();
        let invalid = || CatalogError::InvalidFormat { value: text.to_string() };
        let (class, kind) = text.split_once('/').ok_or_else(invalid)?;
        let class = FormatClass::parse(class)?;
        let kind = kind.trim();
        if kind.is_empty() {
            return Err(invalid());
        }
        let known = class.known_types().iter().find(|k| k.eq_ignore_ascii_case(kind));
        Ok(Format { class, kind: known.map_or_else(|| kind.to_string(), |k| k.to_string()) })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.class.label_zh(), self.kind)
    }
}

/// 数据长度 of a data item, in bytes, with decimal places for numeric types (`10,2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DataLength {
    pub total: u32,
    pub scale: Option<u32>,
}

impl DataLength {
    /// Parses `18` or `10,2` (a full-width comma is accepted).
    pub fn parse(input: &str) -> Result<Self, CatalogError> {
        let text = input.trim();
        let invalid = |reason| CatalogError::InvalidDataLength { value: text.to_string(), reason };
        let number = |s: &str| {
            let s = s.trim();
            if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse::<u32>().ok()
        };
        let format_reason = "must be a positive whole number, or total,decimals";
        let (total, scale) = match text.replace('，', ",").split_once(',') {
            Some((t, s)) => (number(t), Some(number(s).ok_or_else(|| invalid(format_reason))?)),
            None => (number(text), None),
        };
        let total = total.filter(|t| *t > 0).ok_or_else(|| invalid(format_reason))?;
        if scale.is_some_and(|s| s >= total) {
            return Err(invalid("decimals must be fewer than the total length"));
        }
        Ok(DataLength { total, scale })
    }
}

impl fmt::Display for DataLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scale {
            Some(scale) => write!(f, "{},{scale}", self.total),
            None => write!(f, "{}", self.total),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CAT-1: a resource code is 前段码/后段码 in digits with exactly one slash.
    #[test]
    fn cat_1_resource_code_is_front_and_back_part() {
        let code = ResourceCode::parse(" 2010300/00017 ").unwrap();
        assert_eq!((code.as_str(), code.front(), code.back()), ("2010300/00017", "2010300", "00017"));
        assert_eq!(code.to_string(), "2010300/00017");
    }

    /// CAT-1: malformed resource codes are refused with the reason.
    #[test]
    fn cat_1_resource_code_rejects_malformed_codes() {
        let reason = |s: &str| match ResourceCode::parse(s) {
            Err(CatalogError::InvalidResourceCode { reason, .. }) => reason,
            other => panic!("{s}: {other:?}"),
        };
        assert_eq!(reason("201030000017"), "must be 前段码/后段码 with exactly one /");
        assert_eq!(reason("2010300/000/17"), "must be 前段码/后段码 with exactly one /");
        assert_eq!(reason("20103A0/00017"), "must contain digits only");
        assert_eq!(reason("2010300/ 0017"), "must contain digits only");
        assert_eq!(reason("20103/00017"), "前段码 must have at least 6 digits (类, 项, 目)");
        assert_eq!(reason("2010300/"), "后段码 must not be empty");
        assert_eq!(reason(&format!("{}/1", "1".repeat(33))), "is too long");
        assert!(ResourceCode::try_from("2010300/1".to_string()).is_ok());
    }

    /// CAT-1: the provider code is the provider's unified social credit code.
    #[test]
    fn cat_1_provider_code_must_equal_the_providers_credit_code() {
        let org = CreditCode::parse("11100000000013127D").unwrap();
        let same = parse_provider_code("11100000000013127d").unwrap();
        assert_eq!(check_provider_code(&same, &org), Ok(()));
        let other = parse_provider_code("91110000600037341L").unwrap();
        assert_eq!(
            check_provider_code(&other, &org),
            Err(CatalogError::ProviderCodeMismatch {
                given: "91110000600037341L".into(),
                expected: "11100000000013127D".into()
            })
        );
        assert!(matches!(
            parse_provider_code("11100000000013127E"),
            Err(CatalogError::InvalidProviderCode { reason: "check character does not match", .. })
        ));
    }

    /// CAT-9: base entries name one of the fixed base libraries; other classes a free group.
    #[test]
    fn cat_9_category_parses_base_libraries_and_free_groups() {
        assert_eq!(Category::parse("基础/人口"), Ok(Category::Base(BaseLibrary::Population)));
        assert_eq!(Category::parse("基础/法人单位"), Ok(Category::Base(BaseLibrary::LegalEntity)));
        assert_eq!(Category::parse("基础"), Err(CatalogError::BaseLibraryRequired));
        assert_eq!(
            Category::parse("基础/公共服务"),
            Err(CatalogError::UnknownBaseLibrary { value: "公共服务".into() })
        );
        assert_eq!(Category::parse("主题"), Ok(Category::Thematic(None)));
        assert_eq!(Category::parse("主题/ 公共服务 "), Ok(Category::Thematic(Some("公共服务".into()))));
        assert_eq!(Category::parse("部门/"), Ok(Category::Department(None)));
        assert_eq!(Category::parse("国家"), Err(CatalogError::UnknownCategory { value: "国家".into() }));
        for text in ["基础/人口", "基础/宏观经济", "主题", "主题/公共服务", "部门/市公安局"] {
            assert_eq!(Category::parse(text).unwrap().to_string(), text);
        }
    }

    /// CAT-1: a format is 格式分类/格式类型; dictionary types take the dictionary's spelling.
    #[test]
    fn cat_1_format_is_class_and_type() {
        let f = Format::parse("数据库/MySQL").unwrap();
        assert_eq!((f.class, f.kind.as_str()), (FormatClass::Database, "mysql"));
        assert_eq!(f.to_string(), "数据库/mysql");
        assert_eq!(Format::parse("数据库/postgresql").unwrap().kind, "postgresql");
        assert_eq!(Format::parse("数据库"), Err(CatalogError::InvalidFormat { value: "数据库".into() }));
        assert_eq!(Format::parse("数据库/ "), Err(CatalogError::InvalidFormat { value: "数据库/".into() }));
        assert_eq!(Format::parse("胶片/x"), Err(CatalogError::UnknownFormatClass { value: "胶片".into() }));
    }

    /// CAT-1: data lengths are positive, with decimal places fewer than the length.
    #[test]
    fn cat_1_data_length_is_positive_with_optional_decimals() {
        assert_eq!(DataLength::parse("18"), Ok(DataLength { total: 18, scale: None }));
        assert_eq!(DataLength::parse("10，2"), Ok(DataLength { total: 10, scale: Some(2) }));
        assert_eq!(DataLength::parse("10,2").unwrap().to_string(), "10,2");
        for bad in ["0", "-1", "abc", "10,", "1.5", "99999999999"] {
            assert!(matches!(DataLength::parse(bad), Err(CatalogError::InvalidDataLength { .. })), "{bad}");
        }
        assert!(matches!(
            DataLength::parse("4,4"),
            Err(CatalogError::InvalidDataLength { reason: "decimals must be fewer than the total length", .. })
        ));
    }
}
