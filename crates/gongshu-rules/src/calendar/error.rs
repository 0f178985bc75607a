//! Errors of the working-day calendar. Each has a stable code and a sentence in Chinese and English.

use chrono::NaiveDate;

/// Why one line of a holiday CSV was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineReason {
    #[error("the header must be `date,kind,name`, found `{found}`")]
    BadHeader { found: String },
    #[error("expected 3 fields (date,kind,name), found {found}")]
    WrongFieldCount { found: usize },
    #[error("`{value}` is not a date of the form YYYY-MM-DD")]
    BadDate { value: String },
    #[error("unknown kind `{value}`: expected `holiday` or `workday`")]
    UnknownKind { value: String },
    #[error("{date} is a make-up workday but falls on a weekday, not a Saturday or Sunday")]
    MakeupNotOnWeekend { date: NaiveDate },
    #[error("{date} is listed both as a holiday and as a make-up workday (other line {other_line})")]
    HolidayAlsoMakeup { date: NaiveDate, other_line: u64 },
    #[error("{date} is listed twice (first on line {other_line})")]
    DuplicateDate { date: NaiveDate, other_line: u64 },
    #[error("{date} lies outside the imported year {year}: an import covers one year")]
    OutsideImportYear { date: NaiveDate, year: i32 },
    #[error("{date} lies outside the supported years 2000-2199")]
    YearOutOfRange { date: NaiveDate },
    #[error("the line cannot be read: {message}")]
    Unreadable { message: String },
}

impl LineReason {
    /// Stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            LineReason::BadHeader { .. } => "bad_header",
            LineReason::WrongFieldCount { .. } => "wrong_field_count",
            LineReason::BadDate { .. } => "bad_date",
            LineReason::UnknownKind { .. } => "unknown_kind",
            LineReason::MakeupNotOnWeekend { .. } => "makeup_not_on_weekend",
            LineReason::HolidayAlsoMakeup { .. } => "holiday_also_makeup",
            LineReason::DuplicateDate { .. } => "duplicate_date",
            LineReason::OutsideImportYear { .. } => "outside_import_year",
            LineReason::YearOutOfRange { .. } => "year_out_of_range",
            LineReason::Unreadable { .. } => "unreadable_line",
        }
    }

    /// The reason in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            LineReason::BadHeader { found } => {
                format!("表头应为“date,kind,name”，实际为“{found}”")
            }
            LineReason::WrongFieldCount { found } => {
                format!("应有 3 个字段（date,kind,name），实际有 {found} 个")
            }
            LineReason::BadDate { value } => format!("“{value}”不是 YYYY-MM-DD 格式的日期"),
            LineReason::UnknownKind { value } => {
                format!("未知的类型“{value}”，应为 holiday（放假）或 workday（调休上班）")
            }
            LineReason::MakeupNotOnWeekend { date } => {
                format!("{date} 标为调休上班日，但不是周六或周日")
            }
            LineReason::HolidayAlsoMakeup { date, other_line } => {
                format!("{date} 同时被列为放假日和调休上班日（另见第 {other_line} 行）")
            }
            LineReason::DuplicateDate { date, other_line } => {
                format!("{date} 重复出现（首次出现在第 {other_line} 行）")
            }
            LineReason::OutsideImportYear { date, year } => {
                format!("{date} 不在导入的年份 {year} 内：一次导入只能包含一个年份")
            }
            LineReason::YearOutOfRange { date } => {
                format!("{date} 超出支持的年份范围 2000—2199")
            }
            LineReason::Unreadable { message } => format!("该行无法读取：{message}"),
        }
    }

    /// The reason in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }
}

/// One refused line of a holiday CSV: its line number (1 = the header) and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineProblem {
    pub line: u64,
    pub reason: LineReason,
}

impl std::fmt::Display for LineProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// Something went wrong building or querying a [`super::Calendar`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("the holiday CSV has {} bad line(s): {}", problems.len(), join(problems))]
    InvalidCsv { problems: Vec<LineProblem> },
    #[error("the holiday CSV has no data rows")]
    EmptyImport,
    #[error("the calendar already has official data for {year}; import it with replace to overwrite")]
    YearAlreadyPresent { year: i32 },
    #[error("`{code}` is not a six-digit GB/T 2260 region code")]
    InvalidRegion { code: String },
    #[error("{date} lies outside the supported years 2000-2199")]
    OverrideOutOfRange { date: NaiveDate },
    #[error("the date falls outside the range of representable dates")]
    OutOfRange,
}

fn join(problems: &[LineProblem]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl CalendarError {
    /// Stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::InvalidCsv { .. } => "invalid_holiday_csv",
            CalendarError::EmptyImport => "empty_holiday_import",
            CalendarError::YearAlreadyPresent { .. } => "holiday_year_present",
            CalendarError::InvalidRegion { .. } => "invalid_region_code",
            CalendarError::OverrideOutOfRange { .. } => "override_out_of_range",
            CalendarError::OutOfRange => "date_out_of_range",
        }
    }

    /// The message in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            CalendarError::InvalidCsv { problems } => {
                let lines: Vec<String> =
                    problems.iter().map(|p| format!("第 {} 行：{}", p.line, p.reason.message_zh())).collect();
                format!("节假日文件有 {} 行错误：{}", problems.len(), lines.join("；"))
            }
            CalendarError::EmptyImport => "节假日文件没有数据行".to_string(),
            CalendarError::YearAlreadyPresent { year } => {
                format!("日历中已有 {year} 年的官方数据；如需覆盖，请以替换方式导入")
            }
            CalendarError::InvalidRegion { code } => {
                format!("“{code}”不是六位 GB/T 2260 行政区划代码")
            }
            CalendarError::OverrideOutOfRange { date } => {
                format!("{date} 超出支持的年份范围 2000—2199")
            }
            CalendarError::OutOfRange => "日期超出可表示的范围".to_string(),
        }
    }

    /// The message in English.
    pub fn message_en(&self) -> String {
        self.to_string()
    }

    /// The refused lines, if this error is about a CSV file.
    pub fn problems(&self) -> &[LineProblem] {
        match self {
            CalendarError::InvalidCsv { problems } => problems,
            _ => &[],
        }
    }
}
