//! Table sources for the tests: small fixed tables, generated ones, and one
//! that never answers.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::{ArrayRef, BooleanArray, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use futures_util::StreamExt;
use futures_util::stream::{self, BoxStream};
use gongshu_query::{TableSource, Tables};
use serde_json::Value;

/// A table held in memory, yielded batch by batch.
#[derive(Debug)]
pub struct MemSource {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
}

impl TableSource for MemSource {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.schema)
    }
    fn batches(&self) -> BoxStream<'static, Result<RecordBatch, ArrowError>> {
        stream::iter(self.batches.clone().into_iter().map(Ok)).boxed()
    }
}

fn text_schema(names: &[&str]) -> SchemaRef {
    Arc::new(Schema::new(names.iter().map(|n| Field::new(*n, DataType::Utf8, true)).collect::<Vec<_>>()))
}

fn text_batch(schema: &SchemaRef, rows: &[[Option<&str>; 4]]) -> RecordBatch {
    let columns = (0..4).map(|c| Arc::new(rows.iter().map(|r| r[c]).collect::<StringArray>()) as ArrayRef).collect();
    RecordBatch::try_new(Arc::clone(schema), columns).unwrap()
}

/// Cities, in two batches; row 6 repeats row 1. The field `a"b` has a quote
/// in its name.
pub fn cities() -> Arc<dyn TableSource> {
    let schema = text_schema(&["city", "district", "note", "a\"b"]);
    let first = text_batch(
        &schema,
        &[
            [Some("杭州"), Some("拱墅区"), Some("Grand Canal"), Some("x")],
            [Some("杭州"), Some("西湖区"), Some("West Lake"), Some("y")],
            [Some("宁波"), Some("海曙区"), Some("O'Brien's shop"), Some("x")],
        ],
    );
    let second = text_batch(
        &schema,
        &[
            [Some("杭州"), Some("上城区"), None, None],
            [Some("温州"), Some("鹿城区"), Some("grand bazaar"), Some("z")],
            [Some("杭州"), Some("拱墅区"), Some("Grand Canal"), Some("x")],
        ],
    );
    Arc::new(MemSource { schema, batches: vec![first, second] })
}

/// A table with typed columns: `n` Int64, `score` Float64, `ok` Boolean,
/// `name` Utf8.
pub fn typed() -> Arc<dyn TableSource> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("n", DataType::Int64, true),
        Field::new("score", DataType::Float64, true),
        Field::new("ok", DataType::Boolean, true),
        Field::new("name", DataType::Utf8, true),
    ]));
    let batch = RecordBatch::try_new(
        Arc::clone(&schema),
        vec![
            Arc::new(Int64Array::from(vec![Some(10), Some(20), None])),
            Arc::new(Float64Array::from(vec![Some(1.5), None, Some(-2.0)])),
            Arc::new(BooleanArray::from(vec![Some(true), Some(false), None])),
            Arc::new(StringArray::from(vec![Some("a"), Some("b"), Some("c")])),
        ],
    )
    .unwrap();
    Arc::new(MemSource { schema, batches: vec![batch] })
}

/// Generated rows `k` = the zero-padded row index, `v` = a `width`-byte
/// string; `rows: None` never ends.
#[derive(Debug)]
pub struct Generated {
    pub rows: Option<usize>,
    pub batch_rows: usize,
    pub width: usize,
}

impl TableSource for Generated {
    fn schema(&self) -> SchemaRef {
        text_schema(&["k", "v"])
    }
    fn batches(&self) -> BoxStream<'static, Result<RecordBatch, ArrowError>> {
        let (rows, batch_rows, width, schema) = (self.rows, self.batch_rows, self.width, self.schema());
        stream::unfold(0usize, move |start| {
            let schema = Arc::clone(&schema);
            async move {
                let end = rows.map_or(start + batch_rows, |n| n.min(start + batch_rows));
                if end <= start {
                    return None;
                }
                let k: StringArray = (start..end).map(|i| Some(format!("{i:010}"))).collect();
                let v: StringArray = (start..end).map(|i| Some(format!("{i:0width$}"))).collect();
                let batch = RecordBatch::try_new(schema, vec![Arc::new(k), Arc::new(v)]);
                Some((batch, end))
            }
        })
        .boxed()
    }
}

/// A table whose stream never yields anything.
#[derive(Debug)]
pub struct Stuck;

impl TableSource for Stuck {
    fn schema(&self) -> SchemaRef {
        text_schema(&["k"])
    }
    fn batches(&self) -> BoxStream<'static, Result<RecordBatch, ArrowError>> {
        stream::pending().boxed()
    }
}

/// Tables by name.
#[derive(Default)]
pub struct Catalog(pub HashMap<String, Arc<dyn TableSource>>);

impl Catalog {
    pub fn with(mut self, name: &str, source: Arc<dyn TableSource>) -> Self {
        self.0.insert(name.to_owned(), source);
        self
    }
}

impl Tables for Catalog {
    fn table(&self, name: &str) -> Option<Arc<dyn TableSource>> {
        self.0.get(name).cloned()
    }
}

/// The catalog most SQL tests use: `cities` (also as "1010010-00001") and
/// `typed`.
pub fn catalog() -> Catalog {
    Catalog::default().with("cities", cities()).with("1010010-00001", cities()).with("typed", typed())
}

/// The values of `field` in the records, in order.
pub fn column(records: &[serde_json::Map<String, Value>], field: &str) -> Vec<Value> {
    records.iter().map(|r| r.get(field).cloned().unwrap_or(Value::Null)).collect()
}

/// The `_id`s of the records.
pub fn ids(records: &[serde_json::Map<String, Value>]) -> Vec<i64> {
    records.iter().map(|r| r["_id"].as_i64().unwrap()).collect()
}

/// A table whose stream fails after one batch.
#[derive(Debug)]
pub struct Failing;

impl TableSource for Failing {
    fn schema(&self) -> SchemaRef {
        text_schema(&["k"])
    }
    fn batches(&self) -> BoxStream<'static, Result<RecordBatch, ArrowError>> {
        let batch = RecordBatch::try_new(self.schema(), vec![Arc::new(StringArray::from(vec!["a"]))]);
        stream::iter([
            batch,
            Err(ArrowError::IoError("the store is gone".to_owned(), std::io::ErrorKind::Other.into())),
        ])
        .boxed()
    }
}

/// A table that names a field `_id` itself.
#[derive(Debug)]
pub struct WithId;

impl TableSource for WithId {
    fn schema(&self) -> SchemaRef {
        text_schema(&["_id"])
    }
    fn batches(&self) -> BoxStream<'static, Result<RecordBatch, ArrowError>> {
        stream::empty().boxed()
    }
}
