//! The errors of a query, each with a machine-readable code and a sentence in
//! Chinese and in English.

use datafusion::common::SchemaError;
use datafusion::error::DataFusionError;

/// Why a query was refused or failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The SQL text could not be parsed.
    #[error("SQL syntax error: {0}")]
    Syntax(String),
    /// The SQL is not a single read-only `SELECT` (DDL, DML, `COPY`, `SET`,
    /// `EXPLAIN`, several statements, table functions, `SELECT … INTO` …).
    #[error("only a single read-only SELECT is allowed: {0}")]
    NotReadOnly(String),
    /// A table named in the SQL is not an open resource.
    #[error("unknown table: {0}")]
    UnknownTable(String),
    /// A field named in the parameters or the SQL does not exist.
    #[error("unknown field: {0}")]
    UnknownField(String),
    /// A parameter is malformed (a sort, a filter value that does not fit
    /// the field's type, …).
    #[error("bad parameter: {0}")]
    BadParameter(String),
    /// The SQL is too long or too deeply nested to be planned safely.
    #[error("query too complex: {0}")]
    TooComplex(String),
    /// The query ran longer than [`crate::Limits::timeout`].
    #[error("query timed out")]
    Timeout,
    /// The query needed more memory than [`crate::Limits::memory_bytes`].
    #[error("query exceeded its memory limit")]
    MemoryLimit,
    /// Any other failure of the engine or of a table source.
    #[error("query failed: {0}")]
    Engine(String),
}

impl QueryError {
    /// A machine-readable code for the error.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Syntax(_) => "sql_syntax",
            Self::NotReadOnly(_) => "sql_not_read_only",
            Self::UnknownTable(_) => "unknown_table",
            Self::UnknownField(_) => "unknown_field",
            Self::BadParameter(_) => "bad_parameter",
            Self::TooComplex(_) => "query_too_complex",
            Self::Timeout => "query_timeout",
            Self::MemoryLimit => "query_memory_limit",
            Self::Engine(_) => "query_failed",
        }
    }

    /// The error as a sentence in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            Self::Syntax(d) => format!("SQL 语法错误：{d}"),
            Self::NotReadOnly(d) => format!("只允许执行一条只读的 SELECT 语句：{d}"),
            Self::UnknownTable(t) => format!("数据表“{t}”不存在或未开放。"),
            Self::UnknownField(f) => format!("字段“{f}”不存在。"),
            Self::BadParameter(d) => format!("参数有误：{d}"),
            Self::TooComplex(d) => format!("查询过长或嵌套过深：{d}"),
            Self::Timeout => "查询超时，请缩小查询范围后重试。".to_owned(),
            Self::MemoryLimit => "查询所需内存超出限制，请缩小查询范围后重试。".to_owned(),
            Self::Engine(d) => format!("查询失败：{d}"),
        }
    }

    /// The error as a sentence in English.
    pub fn message_en(&self) -> String {
        match self {
            Self::Syntax(d) => format!("SQL syntax error: {d}"),
            Self::NotReadOnly(d) => format!("Only a single read-only SELECT statement is allowed: {d}"),
            Self::UnknownTable(t) => format!("The table \"{t}\" does not exist or is not open."),
            Self::UnknownField(f) => format!("The field \"{f}\" does not exist."),
            Self::BadParameter(d) => format!("Bad parameter: {d}"),
            Self::TooComplex(d) => format!("The query is too long or too deeply nested: {d}"),
            Self::Timeout => "The query timed out; narrow it down and try again.".to_owned(),
            Self::MemoryLimit => "The query needed more memory than allowed; narrow it down and try again.".to_owned(),
            Self::Engine(d) => format!("The query failed: {d}"),
        }
    }
}

impl From<DataFusionError> for QueryError {
    fn from(e: DataFusionError) -> Self {
        match e.find_root() {
            DataFusionError::ResourcesExhausted(_) => Self::MemoryLimit,
            DataFusionError::SQL(p, _) => Self::Syntax(p.to_string()),
            DataFusionError::SchemaError(schema_error, _) => match schema_error.as_ref() {
                SchemaError::FieldNotFound { field, .. } => Self::UnknownField(field.name.clone()),
                _ => Self::Engine(e.strip_backtrace()),
            },
            root => Self::Engine(root.strip_backtrace()),
        }
    }
}

impl From<arrow_schema::ArrowError> for QueryError {
    fn from(e: arrow_schema::ArrowError) -> Self {
        DataFusionError::from(e).into()
    }
}
