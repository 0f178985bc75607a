//! Writing released rows out (OPN-1) as CSV, XLSX, JSON or Parquet, batch by batch so
//! memory stays flat. Text that a spreadsheet would take for a formula (starting with
//! `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralized with a leading `'`
//! in CSV and XLSX (OWASP's advice against CSV injection); numbers stay numbers.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, SchemaRef};

use crate::DataError;
use crate::lookup::value_text;

/// The most rows a worksheet holds, after its header row.
pub const XLSX_MAX_ROWS: u64 = 1_048_575;

/// A download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Json,
    Parquet,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] =
        [ExportFormat::Csv, ExportFormat::Xlsx, ExportFormat::Json, ExportFormat::Parquet];

    /// From a file extension or format name, in any case.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "csv" => Some(ExportFormat::Csv),
            "xlsx" => Some(ExportFormat::Xlsx),
            "json" => Some(ExportFormat::Json),
            "parquet" => Some(ExportFormat::Parquet),
            _ => None,
        }
    }

    /// The file extension, which is also the format's name in URLs.
    pub fn ext(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Json => "json",
            ExportFormat::Parquet => "parquet",
        }
    }

    /// The format's name as CKAN and DCAT show it.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Csv => "CSV",
            ExportFormat::Xlsx => "XLSX",
            ExportFormat::Json => "JSON",
            ExportFormat::Parquet => "PARQUET",
        }
    }

    /// The IANA media type.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv",
            ExportFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            ExportFormat::Json => "application/json",
            ExportFormat::Parquet => "application/vnd.apache.parquet",
        }
    }
}

/// A text value made safe for a spreadsheet.
pub fn neutralize(value: &str) -> Cow<'_, str> {
    match value.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

fn is_number(t: &DataType) -> bool {
    matches!(t, DataType::Int64 | DataType::Float64)
}

fn write_error(e: impl std::fmt::Display) -> DataError {
    DataError::Write(e.to_string())
}

/// Rows written.
pub type Rows = u64;

/// CSV (UTF-8 with a byte order mark, so spreadsheets read Chinese right).
pub fn write_csv(
    schema: &SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch, DataError>>,
    out: impl Write,
) -> Result<Rows, DataError> {
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, out);
    out.write_all("\u{feff}".as_bytes())?;
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(schema.fields().iter().map(|f| f.name().as_str())).map_err(write_error)?;
    let mut rows = 0;
    for batch in batches {
        let batch = batch?;
        let numbers: Vec<bool> = batch.columns().iter().map(|c| is_number(c.data_type())).collect();
        for r in 0..batch.num_rows() {
            for (c, column) in batch.columns().iter().enumerate() {
                let v = value_text(column.as_ref(), r).unwrap_or_default();
                if numbers[c] {
                    w.write_field(v.as_bytes()).map_err(write_error)?;
                } else {
                    w.write_field(neutralize(&v).as_bytes()).map_err(write_error)?;
                }
            }
            w.write_record(None::<&[u8]>).map_err(write_error)?;
            rows += 1;
        }
    }
    w.flush()?;
    Ok(rows)
}

fn json_value(column: &dyn Array, r: usize) -> serde_json::Value {
    use serde_json::Value;
    if column.is_null(r) {
        return Value::Null;
    }
    match column.data_type() {
        DataType::Int64 => Value::from(column.as_primitive::<Int64Type>().value(r)),
        DataType::Float64 => Value::from(column.as_primitive::<Float64Type>().value(r)),
        DataType::Boolean => Value::Bool(column.as_boolean().value(r)),
        _ => value_text(column, r).map(Value::String).unwrap_or(Value::Null),
    }
}

/// One record as a JSON object, values typed (numbers, booleans, text, null).
pub fn json_record(batch: &RecordBatch, r: usize) -> serde_json::Map<String, serde_json::Value> {
    let schema = batch.schema();
    schema.fields().iter().zip(batch.columns()).map(|(f, c)| (f.name().clone(), json_value(c.as_ref(), r))).collect()
}

/// A JSON array of records.
pub fn write_json(
    batches: impl Iterator<Item = Result<RecordBatch, DataError>>,
    out: impl Write,
) -> Result<Rows, DataError> {
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, out);
    out.write_all(b"[")?;
    let mut rows = 0;
    for batch in batches {
        let batch = batch?;
        for r in 0..batch.num_rows() {
            if rows > 0 {
                out.write_all(b",\n")?;
            }
            serde_json::to_writer(&mut out, &json_record(&batch, r)).map_err(write_error)?;
            rows += 1;
        }
    }
    out.write_all(b"]\n")?;
    out.flush()?;
    Ok(rows)
}

/// Parquet, one row group per 128k rows.
pub fn write_parquet(
    schema: &SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch, DataError>>,
    out: impl Write + Send,
) -> Result<Rows, DataError> {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::SNAPPY)
        .set_max_row_group_row_count(Some(131_072))
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(out, schema.clone(), Some(props)).map_err(write_error)?;
    let mut rows = 0;
    for batch in batches {
        let batch = batch?;
        rows += batch.num_rows() as u64;
        w.write(&batch).map_err(write_error)?;
    }
    w.close().map_err(write_error)?;
    Ok(rows)
}

/// XLSX in constant-memory mode (rows go to a temporary file as they are written), at
/// most [`XLSX_MAX_ROWS`] rows: a longer version is refused, CSV has no such limit.
pub fn write_xlsx(
    schema: &SchemaRef,
    batches: impl Iterator<Item = Result<RecordBatch, DataError>>,
    path: &Path,
) -> Result<Rows, DataError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().map_err(write_error)?;
    for (c, f) in schema.fields().iter().enumerate() {
        sheet.write_string(0, c as u16, f.name()).map_err(write_error)?;
    }
    let mut rows: Rows = 0;
    for batch in batches {
        let batch = batch?;
        if rows + batch.num_rows() as u64 > XLSX_MAX_ROWS {
            return Err(DataError::TooManyRowsForXlsx { max: XLSX_MAX_ROWS });
        }
        for r in 0..batch.num_rows() {
            let row = (rows + 1) as u32;
            for (c, column) in batch.columns().iter().enumerate() {
                let col = c as u16;
                if column.is_null(r) {
                    continue;
                }
                match column.data_type() {
                    DataType::Int64 => sheet.write_number(row, col, column.as_primitive::<Int64Type>().value(r) as f64),
                    DataType::Float64 => sheet.write_number(row, col, column.as_primitive::<Float64Type>().value(r)),
                    DataType::Boolean => sheet.write_boolean(row, col, column.as_boolean().value(r)),
                    _ => {
                        let v = value_text(column.as_ref(), r).unwrap_or_default();
                        sheet.write_string(row, col, neutralize(&v))
                    }
                }
                .map_err(write_error)?;
            }
            rows += 1;
        }
    }
    book.save(path).map_err(write_error)?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use super::*;
    use arrow_array::{ArrayRef, Int64Array, StringArray};
    use arrow_schema::{Field, Schema};

    fn batch() -> RecordBatch {
        let schema =
            Schema::new(vec![Field::new("名称", DataType::Utf8, true), Field::new("数量", DataType::Int64, true)]);
        let cols: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec![Some("=1+2"), Some("东站, \"北\""), None, Some("-5"), Some("@x")])),
            Arc::new(Int64Array::from(vec![Some(-3), Some(4), None, Some(5), Some(6)])),
        ];
        RecordBatch::try_new(Arc::new(schema), cols).unwrap()
    }

    #[test]
    fn opn_1_formulas_are_neutralized() {
        for (v, want) in [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-1", "'-1"), ("@a", "'@a"), ("\tx", "'\tx")] {
            assert_eq!(neutralize(v), want);
        }
        assert_eq!(neutralize("东站"), "东站");
        assert_eq!(neutralize(""), "");
    }

    #[test]
    fn opn_1_csv_neutralizes_text_not_numbers() {
        let b = batch();
        let mut out = Vec::new();
        let rows = write_csv(&b.schema(), std::iter::once(Ok(b.clone())), &mut out).unwrap();
        assert_eq!(rows, 5);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(lines, ["名称,数量", "'=1+2,-3", "\"东站, \"\"北\"\"\",4", ",", "'-5,5", "'@x,6"]);
    }

    #[test]
    fn opn_1_json_keeps_types() {
        let b = batch();
        let mut out = Vec::new();
        write_json(std::iter::once(Ok(b)), &mut out).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["名称"], "=1+2", "JSON is not a spreadsheet: values stay as they are");
        assert_eq!(v[0]["数量"], -3);
        assert_eq!(v[2]["名称"], serde_json::Value::Null);
        assert_eq!(v.as_array().map(Vec::len), Some(5));
    }

    #[test]
    fn opn_1_parquet_and_xlsx_round_trip() {
        let b = batch();
        let dir = tempfile::tempdir().unwrap();
        let pq = dir.path().join("x.parquet");
        let file = std::fs::File::create(&pq).unwrap();
        assert_eq!(write_parquet(&b.schema(), std::iter::once(Ok(b.clone())), file).unwrap(), 5);
        let reader =
            parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&pq).unwrap())
                .unwrap()
                .build()
                .unwrap();
        assert_eq!(reader.map(|b| b.unwrap().num_rows()).sum::<usize>(), 5);
        let path = dir.path().join("x.xlsx");
        assert_eq!(write_xlsx(&b.schema(), std::iter::once(Ok(b)), &path).unwrap(), 5);
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        assert_eq!(range.get((1, 0)).map(|c| c.to_string()).as_deref(), Some("'=1+2"));
        assert_eq!(range.get((1, 1)).map(|c| c.to_string()).as_deref(), Some("-3"));
    }
}
