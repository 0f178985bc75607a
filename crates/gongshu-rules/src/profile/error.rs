//! Errors of loading and checking policy profiles: each names the file, the key path and the reason.

/// A semantic rule of profiles that a file broke.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("the name must equal the file name `{expected}`")]
    NameMismatch { expected: String },
    #[error("must not be empty")]
    Empty,
    #[error("`{value}` is not a six-digit GB/T 2260 region code")]
    BadRegionCode { value: String },
    #[error("a deadline must be at least 1 working day")]
    ZeroWorkingDays,
    #[error("a period must be at least 1 month")]
    ZeroMonths,
    #[error("`{source_ref}` is not an article reference such as WH-17")]
    SourceNotArticle { source_ref: String },
    #[error("`{source_ref}` is not an article of this profile's regulation ({prefixes})")]
    SourceOutsideRegulation { source_ref: String, prefixes: String },
    #[error("a default (basis `promptly`, `periodically` or `silent`) needs a note saying which default and why")]
    DefaultWithoutNote,
    #[error("silence means consent needs a provider step with a working-day deadline")]
    ConsentWithoutProviderDeadline,
    #[error("a deadline for the city authority's consent is needed exactly when that consent is")]
    ConsentReviewMismatch,
    #[error("a rating that applies needs restricted_min, sandbox_min and min_protection_level")]
    RatingIncomplete,
    #[error("sandbox_min must not be below restricted_min")]
    RatingOrder,
    #[error("a security protection level (等保) is between 1 and 5")]
    ProtectionLevel,
    #[error("the dates must be in ascending order within the year")]
    UnsortedDates,
}

impl Problem {
    /// Stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NameMismatch { .. } => "profile_name_mismatch",
            Problem::Empty => "profile_empty_value",
            Problem::BadRegionCode { .. } => "profile_bad_region_code",
            Problem::ZeroWorkingDays => "profile_zero_working_days",
            Problem::ZeroMonths => "profile_zero_months",
            Problem::SourceNotArticle { .. } => "profile_source_not_article",
            Problem::SourceOutsideRegulation { .. } => "profile_source_outside_regulation",
            Problem::DefaultWithoutNote => "profile_default_without_note",
            Problem::ConsentWithoutProviderDeadline => "profile_consent_without_deadline",
            Problem::ConsentReviewMismatch => "profile_consent_review_mismatch",
            Problem::RatingIncomplete => "profile_rating_incomplete",
            Problem::RatingOrder => "profile_rating_order",
            Problem::ProtectionLevel => "profile_protection_level",
            Problem::UnsortedDates => "profile_unsorted_dates",
        }
    }

    /// The reason in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Problem::NameMismatch { expected } => format!("name 必须与文件名“{expected}”一致"),
            Problem::Empty => "不能为空".to_string(),
            Problem::BadRegionCode { value } => format!("“{value}”不是六位 GB/T 2260 行政区划代码"),
            Problem::ZeroWorkingDays => "期限至少为 1 个工作日".to_string(),
            Problem::ZeroMonths => "期间至少为 1 个月".to_string(),
            Problem::SourceNotArticle { source_ref } => {
                format!("“{source_ref}”不是条款引用（例如 WH-17）")
            }
            Problem::SourceOutsideRegulation { source_ref, prefixes } => {
                format!("“{source_ref}”不是本配置所依据法规（{prefixes}）的条款")
            }
            Problem::DefaultWithoutNote => {
                "默认值（basis 为 promptly、periodically 或 silent）必须用 note 说明采用何种默认值及理由".to_string()
            }
            Problem::ConsentWithoutProviderDeadline => {
                "“逾期视为同意”需要一个有工作日期限的提供部门审核环节".to_string()
            }
            Problem::ConsentReviewMismatch => "仅当需要市级主管部门同意时，才应设置其同意期限".to_string(),
            Problem::RatingIncomplete => {
                "启用用户评级时必须设置 restricted_min、sandbox_min 和 min_protection_level".to_string()
            }
            Problem::RatingOrder => "sandbox_min 不得低于 restricted_min".to_string(),
            Problem::ProtectionLevel => "等级保护级别应在 1 至 5 之间".to_string(),
            Problem::UnsortedDates => "日期必须按年内先后顺序排列".to_string(),
        }
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}

/// A profile could not be loaded or broke a rule. Every variant but `UnknownBuiltin` names the
/// file, the key path (e.g. `sharing.conditional_review[1].working_days`) and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProfileError {
    #[error("{file}: {key}: TOML syntax error: {reason}")]
    Syntax { file: String, key: String, reason: String },
    #[error("{file}: {key}: unknown key: {reason}")]
    UnknownKey { file: String, key: String, reason: String },
    #[error("{file}: {key}: missing key: {reason}")]
    MissingKey { file: String, key: String, reason: String },
    #[error("{file}: {key}: bad value: {reason}")]
    BadValue { file: String, key: String, reason: String },
    #[error("{file}: {key}: {problem}")]
    Invalid { file: String, key: String, problem: Problem },
    #[error("there is no built-in profile `{name}`")]
    UnknownBuiltin { name: String },
}

impl ProfileError {
    /// Stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ProfileError::Syntax { .. } => "profile_syntax",
            ProfileError::UnknownKey { .. } => "profile_unknown_key",
            ProfileError::MissingKey { .. } => "profile_missing_key",
            ProfileError::BadValue { .. } => "profile_bad_value",
            ProfileError::Invalid { problem, .. } => problem.code(),
            ProfileError::UnknownBuiltin { .. } => "profile_unknown",
        }
    }

    /// The file the error is about (empty for `UnknownBuiltin`).
    pub fn file(&self) -> &str {
        match self {
            ProfileError::Syntax { file, .. }
            | ProfileError::UnknownKey { file, .. }
            | ProfileError::MissingKey { file, .. }
            | ProfileError::BadValue { file, .. }
            | ProfileError::Invalid { file, .. } => file,
            ProfileError::UnknownBuiltin { .. } => "",
        }
    }

    /// The key path the error is about; `""` is the document root.
    pub fn key(&self) -> &str {
        match self {
            ProfileError::Syntax { key, .. }
            | ProfileError::UnknownKey { key, .. }
            | ProfileError::MissingKey { key, .. }
            | ProfileError::BadValue { key, .. }
            | ProfileError::Invalid { key, .. } => key,
            ProfileError::UnknownBuiltin { .. } => "",
        }
    }

    /// The reason, in English.
    pub fn reason(&self) -> String {
        match self {
            ProfileError::Syntax { reason, .. }
            | ProfileError::UnknownKey { reason, .. }
            | ProfileError::MissingKey { reason, .. }
            | ProfileError::BadValue { reason, .. } => reason.clone(),
            ProfileError::Invalid { problem, .. } => problem.to_string(),
            ProfileError::UnknownBuiltin { name } => format!("no built-in profile `{name}`"),
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        let at = |file: &str, key: &str| {
            if key.is_empty() { format!("配置文件 {file}") } else { format!("配置文件 {file} 的 {key}") }
        };
        match self {
            ProfileError::Syntax { file, key, reason } => {
                format!("{}：TOML 语法错误：{reason}", at(file, key))
            }
            ProfileError::UnknownKey { file, key, reason } => {
                format!("{}：未知的键（{reason}）", at(file, key))
            }
            ProfileError::MissingKey { file, key, reason } => {
                format!("{}：缺少必填的键（{reason}）", at(file, key))
            }
            ProfileError::BadValue { file, key, reason } => {
                format!("{}：取值无效（{reason}）", at(file, key))
            }
            ProfileError::Invalid { file, key, problem } => {
                format!("{}：{}", at(file, key), problem.message_zh())
            }
            ProfileError::UnknownBuiltin { name } => format!("没有名为“{name}”的内置政策配置"),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}
