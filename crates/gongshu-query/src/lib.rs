//! Queries over released open data: CKAN's `datastore_search` and a read-only
//! `datastore_search_sql`, on DataFusion, with time, memory and row limits.
//!
//! The crate never reads files: every table is a [`TableSource`], a stream of
//! the rows the server has already desensitized. Each query gets a fresh
//! DataFusion session holding only the tables it names, with a memory pool of
//! [`Limits::memory_bytes`] and no disk to spill to, under
//! [`Limits::timeout`], and reads at most [`Limits::max_rows`] records.
//!
//! Every table has CKAN's `_id` column first: the 1-based row number in the
//! source's order, numbered as the rows stream out of the source (before any
//! filter), so a row keeps its `_id` whatever the query.
//!
//! Both entry points must run inside a Tokio runtime with the time driver on.

mod engine;
mod error;
mod fulltext;
mod search;
mod source;
mod sql;

use std::time::Duration;

pub use error::QueryError;
pub use search::{MAX_FILTERS, MAX_Q_WORDS, Search, parse_sort, search};
pub use source::{ID_FIELD, TableSource};
pub use sql::{MAX_EXPR_DEPTH, MAX_QUERY_DEPTH, MAX_SQL_BYTES, Tables, search_sql};

/// The limits one query runs under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Wall-clock time for the whole query, planning and reading included;
    /// past it the query fails with [`QueryError::Timeout`].
    pub timeout: Duration,
    /// Memory the engine may reserve for its operators (sorts, joins,
    /// aggregates); past it the query fails with [`QueryError::MemoryLimit`]
    /// (nothing is spilled to disk).
    pub memory_bytes: usize,
    /// Records returned at most; a longer answer is cut and flagged
    /// [`QueryResult::truncated`].
    pub max_rows: usize,
}

impl Default for Limits {
    /// 10 s, 256 MiB and 32,000 rows (CKAN's `ckan.datastore.search.rows_max`).
    fn default() -> Self {
        Self { timeout: Duration::from_secs(10), memory_bytes: 256 * 1024 * 1024, max_rows: 32_000 }
    }
}

/// A field of the answer, as CKAN describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The field's name.
    pub id: String,
    /// The CKAN type name: "text", "int", "float", "bool", "timestamp",
    /// "date", "time" or "numeric".
    pub r#type: String,
}

/// The answer of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryResult {
    /// The answer's fields, in order.
    pub fields: Vec<Field>,
    /// The records, each a JSON object from field name to value (a string,
    /// number, bool or null).
    pub records: Vec<serde_json::Map<String, serde_json::Value>>,
    /// The number of matching rows, ignoring `limit` and `offset`, when it
    /// was asked for ([`search`] with `include_total`); `None` for SQL.
    pub total: Option<u64>,
    /// True when [`Limits::max_rows`] cut the answer (CKAN's
    /// `records_truncated`).
    pub truncated: bool,
}
