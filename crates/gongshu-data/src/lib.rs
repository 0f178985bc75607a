//! Providers' data (AGG-1, AGG-2, AGG-3), without I/O beyond the files it is given:
//! read a CSV (UTF-8 or GB18030), XLSX or JSON file, check every value against the
//! entry's data items (types, required items, lengths, citizen ID numbers, credit
//! codes, phone numbers, region codes, dates), and either report (a dry run) or write
//! a version: valid rows as Parquet, every rejected value in a reject file, and the
//! quality report.

pub mod acceptance;
mod check;
pub mod export;
pub mod ids;
pub mod lookup;
mod parallel;
mod parquet_sink;
pub mod read;
pub mod release;
pub mod released;
mod schema;
pub mod timeliness;
pub mod validate;

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;

pub use check::{Checker, Columns, Discard, ItemReport, QualityReport, Sink, Tally, Violation};
pub use parquet_sink::{ParquetSink, Rejects, parts};
pub use read::{Encoding, Format, Rows};
pub use schema::{ItemSpec, ItemType, arrow_schema};

/// Why a file cannot be checked or loaded (a value that breaks a rule is not an error:
/// it is a rejected record in the report).
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read or write the file: {0}")]
    Io(#[from] std::io::Error),
    #[error("the {format} file cannot be read: {reason}")]
    Unreadable { format: &'static str, reason: String },
    #[error("the file has no header row or no records")]
    Empty,
    #[error("the file has no column {name:?}, which is a required item")]
    MissingColumn { name: String },
    #[error("bad item {spec:?}: {reason}")]
    BadItemSpec { spec: String, reason: String },
    #[error("the version cannot be written: {0}")]
    Write(String),
    #[error("a worksheet holds at most {max} rows; download CSV instead")]
    TooManyRowsForXlsx { max: u64 },
}

impl DataError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            DataError::Io(_) => "io_error",
            DataError::Unreadable { .. } => "unreadable_file",
            DataError::Empty => "empty_file",
            DataError::MissingColumn { .. } => "missing_column",
            DataError::BadItemSpec { .. } => "bad_item_spec",
            DataError::Write(_) => "write_failed",
            DataError::TooManyRowsForXlsx { .. } => "too_many_rows_for_xlsx",
        }
    }

    /// The same in Chinese.
    pub fn message_zh(&self) -> String {
        match self {
            DataError::Io(e) => format!("无法读写文件：{e}"),
            DataError::Unreadable { format, reason } => format!("无法读取 {format} 文件：{reason}"),
            DataError::Empty => "文件没有表头或没有数据".into(),
            DataError::MissingColumn { name } => format!("文件缺少必填信息项“{name}”所在的列"),
            DataError::BadItemSpec { spec, reason } => format!("信息项“{spec}”写法有误：{reason}"),
            DataError::Write(e) => format!("无法写入数据版本：{e}"),
            DataError::TooManyRowsForXlsx { max } => format!("XLSX 工作表最多容纳 {max} 行，请下载 CSV"),
        }
    }
}

/// What to read.
#[derive(Debug, Clone, Copy)]
pub struct Input {
    pub format: Format,
    /// For CSV: the declared encoding, else detected.
    pub encoding: Option<Encoding>,
}

/// Reads `input` as `how` into `rows`; returns the encoding of a CSV.
pub fn read_into<R: Read>(input: R, how: Input, rows: &mut dyn Rows) -> Result<Option<Encoding>, DataError> {
    match how.format {
        Format::Csv => read::read_csv(input, how.encoding, rows).map(Some),
        Format::Json => read::read_json(input, rows).map(|_| None),
        Format::Xlsx => {
            let mut bytes = Vec::new();
            let mut input = input;
            input.read_to_end(&mut bytes)?;
            read::read_xlsx(&bytes, rows).map(|_| None)
        }
    }
}

/// Checks a file and reports; stores nothing (`gongshu data check`). Also returns the
/// encoding a CSV was read in. A CSV is checked on every core.
pub fn check<R: Read>(
    input: R,
    how: Input,
    items: &[ItemSpec],
    today: NaiveDate,
) -> Result<(QualityReport, Option<Encoding>), DataError> {
    if how.format == Format::Csv {
        let mut sinks: Vec<Discard> = (0..parallel::workers()).map(|_| Discard).collect();
        let (report, encoding) = parallel::run_csv(input, how.encoding, items, today, &mut sinks, None)?;
        return Ok((report, Some(encoding)));
    }
    let mut sink = Discard;
    let mut checker = Checker::new(items, today, &mut sink);
    let encoding = read_into(input, how, &mut checker)?;
    Ok((checker.report(), encoding))
}

/// Checks a file and writes the version into `dir` (which must exist and be empty):
/// the valid rows as Parquet parts (`data-<n>.parquet`, one per worker) and every
/// rejected value in `rejects.csv`. `progress` is told the bytes read so far.
pub fn load<R: Read>(
    input: R,
    how: Input,
    items: &[ItemSpec],
    today: NaiveDate,
    dir: &Path,
    progress: Option<&mut dyn FnMut(u64)>,
) -> Result<(QualityReport, Option<Encoding>), DataError> {
    let rejects = Rejects::create(dir)?;
    let (report, encoding) = if how.format == Format::Csv {
        let mut sinks = (0..parallel::workers())
            .map(|n| ParquetSink::create(dir, n, items, rejects.clone()))
            .collect::<Result<Vec<_>, _>>()?;
        let (report, encoding) = parallel::run_csv(input, how.encoding, items, today, &mut sinks, progress)?;
        for s in sinks {
            s.finish()?;
        }
        (report, Some(encoding))
    } else {
        let mut sink = ParquetSink::create(dir, 0, items, rejects.clone())?;
        let (report, encoding) = {
            let mut with_progress = WithProgress { inner: &mut sink, progress };
            let mut checker = Checker::new(items, today, &mut with_progress);
            let encoding = read_into(input, how, &mut checker)?;
            (checker.report(), encoding)
        };
        sink.finish()?;
        (report, encoding)
    };
    rejects.finish()?;
    Ok((report, encoding))
}

/// A sink that also reports progress.
struct WithProgress<'a, 'p> {
    inner: &'a mut ParquetSink,
    progress: Option<&'p mut dyn FnMut(u64)>,
}

impl Sink for WithProgress<'_, '_> {
    fn accept(&mut self, values: &[validate::Value<'_>]) -> Result<(), DataError> {
        self.inner.accept(values)
    }
    fn reject(&mut self, v: &Violation) -> Result<(), DataError> {
        self.inner.reject(v)
    }
    fn progress(&mut self, bytes: u64) {
        if let Some(p) = self.progress.as_mut() {
            p(bytes);
        }
    }
}

/// A value a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, tab, CR) gets
/// a leading apostrophe, so that opening an export never runs it.
pub fn neutralize_formula(value: &str) -> std::borrow::Cow<'_, str> {
    match value.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => std::borrow::Cow::Owned(format!("'{value}")),
        _ => std::borrow::Cow::Borrowed(value),
    }
}
