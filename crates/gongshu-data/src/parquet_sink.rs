//! A stored version: valid rows as Parquet with typed columns, rejected values as a
//! CSV reject file (row, item, rule, detail, value). Rows are written in batches, so
//! memory stays flat whatever the size of the file.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Date32Builder, Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::DataError;
use crate::check::{Sink, Violation};
use crate::schema::{ItemSpec, ItemType, arrow_schema};
use crate::validate::Value;

/// Rows per Arrow batch.
const BATCH_ROWS: usize = 32_768;
/// Rows per Parquet row group (the writer buffers one row group).
const ROW_GROUP_ROWS: usize = 131_072;

enum Column {
    Text(StringBuilder),
    Int(Int64Builder),
    Float(Float64Builder),
    Date(Date32Builder),
    Timestamp(TimestampMicrosecondBuilder),
    Bool(BooleanBuilder),
}

impl Column {
    fn new(t: ItemType) -> Column {
        match t {
            ItemType::Integer => Column::Int(Int64Builder::with_capacity(BATCH_ROWS)),
            ItemType::Decimal => Column::Float(Float64Builder::with_capacity(BATCH_ROWS)),
            ItemType::Date => Column::Date(Date32Builder::with_capacity(BATCH_ROWS)),
            ItemType::Datetime => {
                Column::Timestamp(TimestampMicrosecondBuilder::with_capacity(BATCH_ROWS).with_timezone("+08:00"))
            }
            ItemType::Boolean => Column::Bool(BooleanBuilder::with_capacity(BATCH_ROWS)),
            _ => Column::Text(StringBuilder::with_capacity(BATCH_ROWS, BATCH_ROWS * 16)),
        }
    }

    fn push(&mut self, v: &Value<'_>) {
        match (self, v) {
            (Column::Text(b), Value::Text(s)) => b.append_value(s),
            (Column::Int(b), Value::Int(n)) => b.append_value(*n),
            (Column::Float(b), Value::Float(f)) => b.append_value(*f),
            (Column::Date(b), Value::Date(d)) => b.append_value(*d),
            (Column::Timestamp(b), Value::Timestamp(t)) => b.append_value(*t),
            (Column::Bool(b), Value::Bool(x)) => b.append_value(*x),
            (Column::Text(b), _) => b.append_null(),
            (Column::Int(b), _) => b.append_null(),
            (Column::Float(b), _) => b.append_null(),
            (Column::Date(b), _) => b.append_null(),
            (Column::Timestamp(b), _) => b.append_null(),
            (Column::Bool(b), _) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Column::Text(b) => Arc::new(b.finish()),
            Column::Int(b) => Arc::new(b.finish()),
            Column::Float(b) => Arc::new(b.finish()),
            Column::Date(b) => Arc::new(b.finish()),
            Column::Timestamp(b) => Arc::new(b.finish()),
            Column::Bool(b) => Arc::new(b.finish()),
        }
    }
}

/// The reject file of a version, shared by the workers that write its parts.
pub struct Rejects {
    writer: std::sync::Mutex<csv::Writer<File>>,
}

impl Rejects {
    pub const FILE: &'static str = "rejects.csv";

    pub fn create(dir: &Path) -> Result<Arc<Self>, DataError> {
        let mut writer = csv::Writer::from_path(dir.join(Self::FILE)).map_err(parquet_error)?;
        writer.write_record(["row", "item", "rule", "detail", "value"]).map_err(parquet_error)?;
        Ok(Arc::new(Rejects { writer: std::sync::Mutex::new(writer) }))
    }

    fn write(&self, v: &Violation) -> Result<(), DataError> {
        let row = v.row.to_string();
        // A value that a spreadsheet would run as a formula is written as text.
        let value = crate::neutralize_formula(&v.value);
        let mut w = self.writer.lock().map_err(|_| DataError::Write("the reject file's lock".into()))?;
        w.write_record([row.as_str(), &v.item, v.rule, v.detail, &value]).map_err(parquet_error)
    }

    /// Flushes and syncs the file (after every part is finished).
    pub fn finish(self: Arc<Self>) -> Result<(), DataError> {
        let rejects = Arc::try_unwrap(self).map_err(|_| DataError::Write("the reject file is still in use".into()))?;
        let writer = rejects.writer.into_inner().map_err(|_| DataError::Write("the reject file's lock".into()))?;
        let file = writer.into_inner().map_err(|e| DataError::Write(e.to_string()))?;
        file.sync_all()?;
        Ok(())
    }
}

/// Writes one part of a version, `data-<n>.parquet`; a version has a part per worker
/// that wrote it (`data-0.parquet` when one did).
pub struct ParquetSink {
    schema: SchemaRef,
    columns: Vec<Column>,
    pending: usize,
    writer: ArrowWriter<File>,
    rejects: Arc<Rejects>,
}

fn parquet_error(e: impl std::fmt::Display) -> DataError {
    DataError::Write(e.to_string())
}

/// The Parquet parts of a version directory, in order.
pub fn parts(dir: &Path) -> Result<Vec<std::path::PathBuf>, DataError> {
    let mut parts: Vec<(usize, std::path::PathBuf)> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_str()?.to_string();
            let n = name.strip_prefix("data-")?.strip_suffix(".parquet")?.parse().ok()?;
            Some((n, e.path()))
        })
        .collect();
    parts.sort();
    Ok(parts.into_iter().map(|(_, p)| p).collect())
}

impl ParquetSink {
    pub fn part_file(part: usize) -> String {
        format!("data-{part}.parquet")
    }

    pub fn create(dir: &Path, part: usize, items: &[ItemSpec], rejects: Arc<Rejects>) -> Result<Self, DataError> {
        let schema: SchemaRef = Arc::new(arrow_schema(items));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        let file = File::create(dir.join(Self::part_file(part)))?;
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(parquet_error)?;
        let columns = items.iter().map(|i| Column::new(i.item_type)).collect();
        Ok(ParquetSink { schema, columns, pending: 0, writer, rejects })
    }

    fn flush(&mut self) -> Result<(), DataError> {
        if self.pending == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Column::finish).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays).map_err(parquet_error)?;
        self.writer.write(&batch).map_err(parquet_error)?;
        self.pending = 0;
        Ok(())
    }

    /// Writes what is left and closes the part, synced to disk.
    pub fn finish(mut self) -> Result<(), DataError> {
        self.flush()?;
        let file = self.writer.into_inner().map_err(parquet_error)?;
        file.sync_all()?;
        Ok(())
    }
}

impl Sink for ParquetSink {
    fn accept(&mut self, values: &[Value<'_>]) -> Result<(), DataError> {
        for (c, v) in self.columns.iter_mut().zip(values) {
            c.push(v);
        }
        self.pending += 1;
        if self.pending == BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn reject(&mut self, v: &Violation) -> Result<(), DataError> {
        self.rejects.write(v)
    }
}
