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

/// Writes `data.parquet` and `rejects.csv` into a directory.
pub struct ParquetSink<'p> {
    schema: SchemaRef,
    columns: Vec<Column>,
    pending: usize,
    writer: ArrowWriter<File>,
    rejects: csv::Writer<File>,
    progress: Option<&'p mut dyn FnMut(u64)>,
}

fn parquet_error(e: impl std::fmt::Display) -> DataError {
    DataError::Write(e.to_string())
}

impl<'p> ParquetSink<'p> {
    pub const DATA_FILE: &'static str = "data.parquet";
    pub const REJECTS_FILE: &'static str = "rejects.csv";

    pub fn create(dir: &Path, items: &[ItemSpec], progress: Option<&'p mut dyn FnMut(u64)>) -> Result<Self, DataError> {
        let schema: SchemaRef = Arc::new(arrow_schema(items));
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        let file = File::create(dir.join(Self::DATA_FILE))?;
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(parquet_error)?;
        let mut rejects = csv::Writer::from_path(dir.join(Self::REJECTS_FILE)).map_err(parquet_error)?;
        rejects.write_record(["row", "item", "rule", "detail", "value"]).map_err(parquet_error)?;
        let columns = items.iter().map(|i| Column::new(i.item_type)).collect();
        Ok(ParquetSink { schema, columns, pending: 0, writer, rejects, progress })
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

    /// Writes what is left and closes both files, synced to disk.
    pub fn finish(mut self) -> Result<(), DataError> {
        self.flush()?;
        let file = self.writer.into_inner().map_err(parquet_error)?;
        file.sync_all()?;
        let rejects = self.rejects.into_inner().map_err(|e| DataError::Write(e.to_string()))?;
        rejects.sync_all()?;
        Ok(())
    }
}

impl Sink for ParquetSink<'_> {
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
        let row = v.row.to_string();
        // A value that a spreadsheet would run as a formula is written as text.
        let value = crate::neutralize_formula(&v.value);
        self.rejects.write_record([row.as_str(), &v.item, v.rule, v.detail, &value]).map_err(parquet_error)
    }

    fn progress(&mut self, bytes: u64) {
        if let Some(p) = self.progress.as_mut() {
            p(bytes);
        }
    }
}
