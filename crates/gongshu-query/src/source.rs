//! Table sources: the server's streams of released rows, and their wrapping
//! as DataFusion tables that number the rows with CKAN's `_id`.

use std::sync::Arc;

use arrow_array::{ArrayRef, Int64Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field as ArrowField, Schema, SchemaRef};
use datafusion::catalog::TableProvider;
use datafusion::catalog::streaming::StreamingTable;
use datafusion::error::DataFusionError;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::streaming::PartitionStream;
use datafusion::prelude::ident;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use crate::QueryError;

/// The name of CKAN's row-number column, added to every table.
pub const ID_FIELD: &str = "_id";

/// One open resource's released rows.
///
/// The server implements this over the desensitized data; the query engine
/// reads rows only through [`TableSource::batches`], so nothing can bypass
/// the desensitization. The rows' order is their CKAN `_id` order.
pub trait TableSource: Send + Sync + std::fmt::Debug {
    /// The schema of every batch the source yields (without `_id`).
    fn schema(&self) -> SchemaRef;
    /// A fresh stream of all the rows, from the first. It may be called
    /// several times (once per scan: a self-join scans twice). The stream
    /// should be asynchronous (never block the thread), so that the time
    /// limit can interrupt it.
    fn batches(&self) -> BoxStream<'static, Result<RecordBatch, ArrowError>>;
}

/// Makes the DataFusion table for `source`: its columns are `_id` (the
/// 1-based row number in the source's order, declared as the table's order)
/// followed by the source's own.
pub(crate) fn table_provider(source: Arc<dyn TableSource>) -> Result<Arc<dyn TableProvider>, QueryError> {
    let inner = source.schema();
    if inner.field_with_name(ID_FIELD).is_ok() {
        return Err(QueryError::Engine(format!("the table source already has a field named {ID_FIELD}")));
    }
    let mut fields = vec![Arc::new(ArrowField::new(ID_FIELD, DataType::Int64, false))];
    fields.extend(inner.fields().iter().cloned());
    let schema = Arc::new(Schema::new(fields));
    let partition = Arc::new(NumberedPartition { source, schema: Arc::clone(&schema) });
    let table =
        StreamingTable::try_new(schema, vec![partition])?.with_sort_order(vec![ident(ID_FIELD).sort(true, false)]);
    Ok(Arc::new(table))
}

/// The single partition of a source's table: the source's stream, each batch
/// given its `_id` column.
#[derive(Debug)]
struct NumberedPartition {
    source: Arc<dyn TableSource>,
    schema: SchemaRef,
}

impl PartitionStream for NumberedPartition {
    fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    fn execute(&self, _ctx: Arc<TaskContext>) -> SendableRecordBatchStream {
        let schema = Arc::clone(&self.schema);
        let mut next_id: i64 = 1;
        let numbered = self.source.batches().map(move |batch| {
            let batch = batch?;
            let rows = batch.num_rows();
            let first = next_id;
            next_id = next_id.saturating_add(i64::try_from(rows).unwrap_or(i64::MAX));
            let ids: ArrayRef = Arc::new(Int64Array::from_iter_values(
                (0..rows).map(|i| first.saturating_add(i64::try_from(i).unwrap_or(i64::MAX))),
            ));
            let mut columns = Vec::with_capacity(batch.num_columns() + 1);
            columns.push(ids);
            columns.extend(batch.columns().iter().cloned());
            RecordBatch::try_new(Arc::clone(&schema), columns).map_err(|e| {
                DataFusionError::Execution(format!("a batch of the table source does not fit its schema: {e}"))
            })
        });
        Box::pin(RecordBatchStreamAdapter::new(Arc::clone(&self.schema), numbered))
    }
}

/// The CKAN type name of an Arrow type: "text", "int", "float", "bool",
/// "timestamp", "date", "time" or "numeric"; anything else is "text".
pub(crate) fn ckan_type(data_type: &DataType) -> &'static str {
    match data_type {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => "int",
        DataType::Float16 | DataType::Float32 | DataType::Float64 => "float",
        DataType::Boolean => "bool",
        DataType::Timestamp(_, _) => "timestamp",
        DataType::Date32 | DataType::Date64 => "date",
        DataType::Time32(_) | DataType::Time64(_) => "time",
        DataType::Decimal32(_, _)
        | DataType::Decimal64(_, _)
        | DataType::Decimal128(_, _)
        | DataType::Decimal256(_, _) => "numeric",
        _ => "text",
    }
}

/// Whether a field holds text, for the full-text `q`.
pub(crate) fn is_text(data_type: &DataType) -> bool {
    matches!(data_type, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}
