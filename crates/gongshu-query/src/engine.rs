//! What `search` and `search_sql` share: a fresh, limited DataFusion session
//! per query, the time limit, and the reading of the answer into JSON records
//! under the row limit.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float16Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, UInt8Type, UInt16Type,
    UInt32Type, UInt64Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use datafusion::arrow::util::display::{ArrayFormatter, FormatOptions};
use datafusion::config::ConfigNonZeroUsize;
use datafusion::execution::SessionStateBuilder;
use datafusion::execution::TaskContext;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::memory_pool::GreedyMemoryPool;
use datafusion::execution::runtime_env::RuntimeEnvBuilder;
use datafusion::physical_plan::{ExecutionPlan, execute_stream};
use datafusion::prelude::{SessionConfig, SessionContext};
use futures_util::StreamExt;
use serde_json::{Map, Number, Value};

use crate::source::ckan_type;
use crate::{Field, Limits, QueryError, QueryResult};

/// The parser's recursion limit (nested parentheses, subqueries, …).
pub(crate) const PARSER_RECURSION_LIMIT: usize = 50;

/// A fresh session for one query: a memory pool of `limits.memory_bytes`
/// with no disk to spill to, no table functions, no file formats or table
/// factories, no `information_schema`, and no tables until the caller
/// registers them.
pub(crate) fn new_context(limits: &Limits) -> Result<SessionContext, QueryError> {
    let runtime = RuntimeEnvBuilder::new()
        .with_memory_pool(Arc::new(GreedyMemoryPool::new(limits.memory_bytes)))
        .with_disk_manager_builder(DiskManagerBuilder::default().with_mode(DiskManagerMode::Disabled))
        .build_arc()?;
    let mut config = SessionConfig::new().with_information_schema(false).with_target_partitions(2);
    config.options_mut().sql_parser.recursion_limit = ConfigNonZeroUsize::try_new(PARSER_RECURSION_LIMIT)?;
    let mut state = SessionStateBuilder::new()
        .with_config(config)
        .with_runtime_env(runtime)
        .with_default_features()
        .with_table_functions(HashMap::new())
        .build();
    state.table_factories_mut().clear();
    Ok(SessionContext::new_with_state(state))
}

/// Runs `work` under the time limit.
pub(crate) async fn with_timeout<T>(
    limits: &Limits,
    work: impl Future<Output = Result<T, QueryError>>,
) -> Result<T, QueryError> {
    tokio::time::timeout(limits.timeout, work).await.unwrap_or(Err(QueryError::Timeout))
}

/// The stack of the thread that plans a query. DataFusion's planner and
/// optimizer recurse over the query's tree with large frames (several times
/// larger in debug builds), more than a 2 MiB runtime thread can hold for the
/// deepest queries allowed; only the pages used are ever committed.
const PLANNING_STACK_BYTES: usize = 64 * 1024 * 1024;

/// Runs `work` (parsing, checking and planning) on a thread of its own with
/// a large stack, within a single-threaded runtime of its own, and returns its
/// result. The caller's thread waits, as it would if it planned itself:
/// planning is bounded work, which the time limit does not interrupt.
/// Execution then happens on the caller's runtime, where recursion is bounded
/// by the query's checked depth.
pub(crate) fn on_planning_thread<T, F, Fut>(work: F) -> Result<T, QueryError>
where
    T: Send,
    F: FnOnce() -> Fut + Send,
    Fut: Future<Output = Result<T, QueryError>>,
{
    let failed = |e: std::io::Error| QueryError::Engine(format!("cannot start the query planner: {e}"));
    std::thread::scope(|scope| {
        let planner = std::thread::Builder::new()
            .name("gongshu-query-planner".to_owned())
            .stack_size(PLANNING_STACK_BYTES)
            .spawn_scoped(scope, move || {
                let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(failed)?;
                runtime.block_on(work())
            })
            .map_err(failed)?;
        planner.join().unwrap_or_else(|_| Err(QueryError::Engine("the query planner panicked".to_owned())))
    })
}

/// Executes `plan` and reads at most `max_rows` records, and one more to know
/// whether the answer was cut (then `truncated` is true); the rest is never
/// read. The fields come from the plan's output schema.
pub(crate) async fn read_records(
    plan: Arc<dyn ExecutionPlan>,
    task: Arc<TaskContext>,
    max_rows: usize,
) -> Result<(Vec<Field>, Vec<Map<String, Value>>, bool), QueryError> {
    let fields = plan
        .schema()
        .fields()
        .iter()
        .map(|f| Field { id: f.name().clone(), r#type: ckan_type(f.data_type()).to_owned() })
        .collect();
    let mut stream = execute_stream(plan, task)?;
    let mut records = Vec::new();
    let mut truncated = false;
    while let Some(batch) = stream.next().await {
        let batch = batch?;
        let room = max_rows.saturating_sub(records.len());
        if batch.num_rows() > room {
            truncated = true;
        }
        append_records(&batch, batch.num_rows().min(room), &mut records)?;
        if truncated {
            break;
        }
    }
    Ok((fields, records, truncated))
}

/// Executes `plan`, a count, and reads its single value.
pub(crate) async fn read_count(plan: Arc<dyn ExecutionPlan>, task: Arc<TaskContext>) -> Result<u64, QueryError> {
    let (_, records, _) = read_records(plan, task, 1).await?;
    records
        .first()
        .and_then(|r| r.values().next())
        .and_then(Value::as_u64)
        .ok_or_else(|| QueryError::Engine("the count gave no number".to_owned()))
}

/// Assembles a result.
pub(crate) fn result(
    (fields, records, truncated): (Vec<Field>, Vec<Map<String, Value>>, bool),
    total: Option<u64>,
) -> QueryResult {
    QueryResult { fields, records, total, truncated }
}

/// Appends the first `rows` rows of `batch` as JSON objects.
fn append_records(batch: &RecordBatch, rows: usize, records: &mut Vec<Map<String, Value>>) -> Result<(), QueryError> {
    let schema = batch.schema();
    let columns = batch.columns().iter().map(|c| Column::new(c.as_ref())).collect::<Result<Vec<_>, _>>()?;
    for row in 0..rows {
        let mut record = Map::new();
        for (field, column) in schema.fields().iter().zip(&columns) {
            record.insert(field.name().clone(), column.value(row)?);
        }
        records.push(record);
    }
    Ok(())
}

/// A column of a batch, ready to turn its values into JSON.
struct Column<'a> {
    array: &'a dyn Array,
    formatter: ArrayFormatter<'a>,
}

impl<'a> Column<'a> {
    fn new(array: &'a dyn Array) -> Result<Self, QueryError> {
        let formatter = ArrayFormatter::try_new(array, &FormatOptions::default())?;
        Ok(Self { array, formatter })
    }

    /// The value at `row`: null, a number for integer and float types (NaN
    /// and infinities as null), a bool, or else the value's text.
    fn value(&self, row: usize) -> Result<Value, QueryError> {
        let a = self.array;
        if a.is_null(row) {
            return Ok(Value::Null);
        }
        Ok(match a.data_type() {
            DataType::Utf8 => Value::String(a.as_string::<i32>().value(row).to_owned()),
            DataType::LargeUtf8 => Value::String(a.as_string::<i64>().value(row).to_owned()),
            DataType::Utf8View => Value::String(a.as_string_view().value(row).to_owned()),
            DataType::Boolean => Value::Bool(a.as_boolean().value(row)),
            DataType::Int8 => a.as_primitive::<Int8Type>().value(row).into(),
            DataType::Int16 => a.as_primitive::<Int16Type>().value(row).into(),
            DataType::Int32 => a.as_primitive::<Int32Type>().value(row).into(),
            DataType::Int64 => a.as_primitive::<Int64Type>().value(row).into(),
            DataType::UInt8 => a.as_primitive::<UInt8Type>().value(row).into(),
            DataType::UInt16 => a.as_primitive::<UInt16Type>().value(row).into(),
            DataType::UInt32 => a.as_primitive::<UInt32Type>().value(row).into(),
            DataType::UInt64 => a.as_primitive::<UInt64Type>().value(row).into(),
            DataType::Float16 => float(a.as_primitive::<Float16Type>().value(row).to_f64()),
            DataType::Float32 => float(f64::from(a.as_primitive::<Float32Type>().value(row))),
            DataType::Float64 => float(a.as_primitive::<Float64Type>().value(row)),
            _ => Value::String(self.formatter.value(row).try_to_string()?),
        })
    }
}

fn float(v: f64) -> Value {
    Number::from_f64(v).map_or(Value::Null, Value::Number)
}
