//! The domain's error type. Every variant has a stable machine-readable code and a
//! sentence in Chinese and in English, so the HTTP layer and the CLI show the same text.

/// Something a caller can be told in both languages.
pub trait Localized {
    /// Stable, machine-readable code such as `invalid_credit_code`.
    fn code(&self) -> &'static str;
    /// The message in Chinese (zh-CN).
    fn message_zh(&self) -> String;
    /// The message in English.
    fn message_en(&self) -> String;
}

/// A rule of the domain was broken by the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("invalid unified social credit code {value:?}: {reason}")]
    InvalidCreditCode { value: String, reason: &'static str },
    #[error("invalid region code {value:?}: {reason}")]
    InvalidRegionCode { value: String, reason: &'static str },
    #[error("unknown organization kind {0:?}")]
    UnknownOrgKind(String),
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    #[error("unknown duty {0:?}")]
    UnknownDuty(String),
    #[error("invalid {field}: {reason}")]
    InvalidField { field: &'static str, reason: &'static str },
    #[error("a legal person needs a unified social credit code")]
    CreditCodeRequired,
}

impl Localized for DomainError {
    fn code(&self) -> &'static str {
        match self {
            DomainError::InvalidCreditCode { .. } => "invalid_credit_code",
            DomainError::InvalidRegionCode { .. } => "invalid_region_code",
            DomainError::UnknownOrgKind(_) => "unknown_org_kind",
            DomainError::UnknownRole(_) => "unknown_role",
            DomainError::UnknownDuty(_) => "unknown_duty",
            DomainError::InvalidField { .. } => "invalid_field",
            DomainError::CreditCodeRequired => "credit_code_required",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            DomainError::InvalidCreditCode { value, reason } => {
                format!("统一社会信用代码“{value}”无效：{}", reason_zh(reason))
            }
            DomainError::InvalidRegionCode { value, reason } => {
                format!("行政区划代码“{value}”无效：{}", reason_zh(reason))
            }
            DomainError::UnknownOrgKind(k) => format!("未知的机构类型“{k}”"),
            DomainError::UnknownRole(r) => format!("未知的角色“{r}”"),
            DomainError::UnknownDuty(d) => format!("未知的数据工作职责“{d}”"),
            DomainError::InvalidField { field, reason } => {
                format!("字段“{field}”无效：{}", reason_zh(reason))
            }
            DomainError::CreditCodeRequired => "法人机构必须填写统一社会信用代码".to_string(),
        }
    }

    fn message_en(&self) -> String {
        self.to_string()
    }
}

/// Chinese wording of the short English reasons used across the domain.
pub fn reason_zh(reason: &str) -> &'static str {
    match reason {
        "must be 18 characters" => "必须为18位",
        "contains a character outside the GB 32100 charset" => "含有 GB 32100 字符集以外的字符",
        "check character does not match" => "校验码不符",
        "must be 6 digits" => "必须为6位数字",
        "province part must not be 00" => "省级代码不能为00",
        "must not be empty" => "不能为空",
        "is too long" => "过长",
        "must be 3 to 32 letters, digits, '.', '_' or '-'" => "须为3至32位字母、数字、“.”、“_”或“-”",
        "must be at least 10 characters" => "至少10个字符",
        "must be 200 characters or fewer" => "不能超过200个字符",
        "is not a valid e-mail address" => "不是有效的电子邮件地址",
        "parent must be in the same or a higher region" => "上级机构须位于同级或上级行政区划",
        _ => "不符合规则",
    }
}
