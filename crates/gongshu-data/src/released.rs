//! Released data (OPN-6, SEC-3): a stored version's rows as they may leave the
//! platform. A [`ReleasePlan`] holds each item's rule (see [`crate::release`]); a
//! [`ReleasedReader`] reads a version's Parquet parts batch by batch and applies the
//! plan to every batch. Every path that lets open data out (page preview, downloads,
//! CKAN DataStore, SQL, the native API) reads through this one reader, so none can skip
//! the rules.
//!
//! Items kept as they are keep their stored type; items masked, pseudonymized or
//! generalized become text; suppressed items are left out. A stored column the plan
//! does not name (an item since removed from the entry) is suppressed: deny by default.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::StringBuilder;
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::DataError;
use crate::lookup::value_text;
use crate::release::{Level, Release, apply, default_rule};
use crate::schema::ItemSpec;

/// Rows per batch read from a version.
pub const BATCH_ROWS: usize = 8192;

/// Where an item's rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    /// Derived from the item's level and kind.
    Default,
    /// Set by the provider for this item.
    Provider,
}

/// One item's rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemRule {
    pub name: String,
    pub rule: Release,
    pub default: Release,
    pub source: RuleSource,
}

/// The rules of every item of an entry, with the platform's pseudonym key.
#[derive(Clone)]
pub struct ReleasePlan {
    pub items: Vec<ItemRule>,
    key: Arc<[u8]>,
}

impl std::fmt::Debug for ReleasePlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The key stays out of logs.
        f.debug_struct("ReleasePlan").field("items", &self.items).finish_non_exhaustive()
    }
}

impl ReleasePlan {
    /// The plan for `items` (each with its level), with the provider's `overrides` by
    /// item name; overrides naming no item are ignored.
    pub fn new(items: &[(ItemSpec, Level)], overrides: &HashMap<String, Release>, key: &[u8]) -> Self {
        let items = items
            .iter()
            .map(|(spec, level)| {
                let default = default_rule(spec, *level);
                match overrides.get(&spec.name) {
                    Some(rule) => {
                        ItemRule { name: spec.name.clone(), rule: *rule, default, source: RuleSource::Provider }
                    }
                    None => ItemRule { name: spec.name.clone(), rule: default, default, source: RuleSource::Default },
                }
            })
            .collect();
        ReleasePlan { items, key: Arc::from(key) }
    }

    fn rule(&self, name: &str) -> Release {
        self.items.iter().find(|i| i.name == name).map(|i| i.rule).unwrap_or(Release::Suppress)
    }

    /// The released schema of a version stored with `stored`.
    pub fn schema(&self, stored: &Schema) -> SchemaRef {
        let fields: Vec<Field> = stored
            .fields()
            .iter()
            .filter_map(|f| match self.rule(f.name()) {
                Release::Suppress => None,
                Release::Keep => Some(f.as_ref().clone().with_nullable(true)),
                _ => Some(Field::new(f.name(), DataType::Utf8, true)),
            })
            .collect();
        Arc::new(Schema::new(fields))
    }

    /// A batch as it may leave the platform.
    pub fn apply(&self, batch: &RecordBatch) -> Result<RecordBatch, DataError> {
        let stored = batch.schema();
        let schema = self.schema(&stored);
        let mut columns: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        for (field, column) in stored.fields().iter().zip(batch.columns()) {
            match self.rule(field.name()) {
                Release::Suppress => {}
                Release::Keep => columns.push(column.clone()),
                rule => columns.push(self.transform(rule, column.as_ref())),
            }
        }
        RecordBatch::try_new(schema, columns).map_err(|e| DataError::Write(e.to_string()))
    }

    fn transform(&self, rule: Release, column: &dyn Array) -> ArrayRef {
        let mut out = StringBuilder::with_capacity(column.len(), column.len() * 12);
        for i in 0..column.len() {
            match value_text(column, i).and_then(|v| apply(rule, &v, &self.key)) {
                Some(v) => out.append_value(v),
                None => out.append_null(),
            }
        }
        Arc::new(out.finish())
    }

    /// A short digest of the rules and the key: released files made under one plan
    /// are reused only under the same plan.
    pub fn fingerprint(&self) -> String {
        let mut h = Sha256::new();
        for i in &self.items {
            h.update(i.name.as_bytes());
            h.update([0]);
            h.update(serde_json::to_vec(&i.rule).unwrap_or_default());
            h.update([0]);
        }
        h.update(Sha256::digest(&self.key));
        h.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

fn read_error(e: impl std::fmt::Display) -> DataError {
    DataError::Unreadable { format: "Parquet", reason: e.to_string() }
}

/// A version's released rows, batch by batch, part after part: memory stays flat.
pub struct ReleasedReader {
    parts: std::vec::IntoIter<PathBuf>,
    current: Option<ParquetRecordBatchReader>,
    plan: ReleasePlan,
    schema: SchemaRef,
}

impl ReleasedReader {
    /// Opens the version stored in `dir` under `plan`.
    pub fn open(dir: &Path, plan: ReleasePlan) -> Result<Self, DataError> {
        let parts = crate::parts(dir)?;
        let stored = match parts.first() {
            Some(p) => {
                let b = ParquetRecordBatchReaderBuilder::try_new(File::open(p)?).map_err(read_error)?;
                b.schema().as_ref().clone()
            }
            None => Schema::empty(),
        };
        let schema = plan.schema(&stored);
        Ok(ReleasedReader { parts: parts.into_iter(), current: None, plan, schema })
    }

    /// The released schema.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn next_part(&mut self) -> Result<bool, DataError> {
        let Some(path) = self.parts.next() else { return Ok(false) };
        let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path)?)
            .map_err(read_error)?
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(read_error)?;
        self.current = Some(reader);
        Ok(true)
    }
}

impl Iterator for ReleasedReader {
    type Item = Result<RecordBatch, DataError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(reader) = self.current.as_mut() {
                match reader.next() {
                    Some(Ok(batch)) => return Some(self.plan.apply(&batch)),
                    Some(Err(e)) => return Some(Err(read_error(e))),
                    None => self.current = None,
                }
            }
            match self.next_part() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::release::Generalize;
    use crate::schema::ItemType;
    use arrow_array::cast::AsArray;
    use arrow_array::{Int64Array, StringArray};

    fn spec(name: &str, t: ItemType) -> ItemSpec {
        ItemSpec { name: name.into(), item_type: t, required: false, max_len: None, key: false }
    }

    fn plan(overrides: &[(&str, Release)]) -> ReleasePlan {
        let items = [
            (spec("公民身份号码", ItemType::CitizenId), Level::General(1)),
            (spec("姓名", ItemType::Text), Level::General(1)),
            (spec("年龄", ItemType::Integer), Level::General(1)),
            (spec("站点", ItemType::Text), Level::General(1)),
            (spec("病史", ItemType::Text), Level::Important),
        ];
        let o = overrides.iter().map(|(n, r)| (n.to_string(), *r)).collect();
        ReleasePlan::new(&items, &o, b"k")
    }

    fn batch() -> RecordBatch {
        let schema = Schema::new(vec![
            Field::new("公民身份号码", DataType::Utf8, true),
            Field::new("姓名", DataType::Utf8, true),
            Field::new("年龄", DataType::Int64, true),
            Field::new("站点", DataType::Utf8, true),
            Field::new("病史", DataType::Utf8, true),
            Field::new("已删除的项", DataType::Utf8, true),
        ]);
        let cols: Vec<ArrayRef> = vec![
            Arc::new(StringArray::from(vec![Some("11010519491231002X"), None])),
            Arc::new(StringArray::from(vec![Some("王芳"), Some("李四")])),
            Arc::new(Int64Array::from(vec![Some(37), Some(8)])),
            Arc::new(StringArray::from(vec![Some("=HYPERLINK(1)"), Some("东站")])),
            Arc::new(StringArray::from(vec![Some("x"), Some("y")])),
            Arc::new(StringArray::from(vec![Some("secret"), Some("secret")])),
        ];
        RecordBatch::try_new(Arc::new(schema), cols).unwrap()
    }

    #[test]
    fn opn_6_plan_masks_generalizes_and_suppresses() {
        let out = plan(&[]).apply(&batch()).unwrap();
        let names: Vec<String> = out.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(names, ["公民身份号码", "姓名", "年龄", "站点"], "important and unknown items are left out");
        let text = |c: usize, r: usize| value_text(out.column(c).as_ref(), r);
        assert_eq!(text(0, 0).as_deref(), Some("110105********002X"));
        assert_eq!(text(0, 1), None, "a null stays null");
        assert_eq!(text(1, 0).as_deref(), Some("王*"));
        assert_eq!(text(2, 0).as_deref(), Some("35-39"));
        assert_eq!(out.column(2).data_type(), &DataType::Utf8, "a generalized number becomes text");
        assert_eq!(out.column(3).as_string::<i32>().value(1), "东站", "kept as it is");
    }

    #[test]
    fn opn_6_provider_overrides_win_and_change_the_fingerprint() {
        let base = plan(&[]);
        let over = plan(&[("姓名", Release::Suppress), ("年龄", Release::Keep), ("无此项", Release::Keep)]);
        assert_ne!(base.fingerprint(), over.fingerprint());
        assert_eq!(base.fingerprint(), plan(&[]).fingerprint());
        let out = over.apply(&batch()).unwrap();
        let names: Vec<String> = out.schema().fields().iter().map(|f| f.name().clone()).collect();
        assert_eq!(names, ["公民身份号码", "年龄", "站点"]);
        assert_eq!(out.column(1).data_type(), &DataType::Int64, "kept items keep their type");
        let rule = over.items.iter().find(|i| i.name == "姓名").unwrap();
        assert_eq!((rule.source, rule.default), (RuleSource::Provider, Release::Mask));
        let g = plan(&[("年龄", Release::Generalize(Generalize::AgeBand))]);
        assert_eq!(g.items[2].source, RuleSource::Provider);
    }

    #[test]
    fn opn_6_reader_applies_the_plan_to_every_part() {
        let dir = tempfile::tempdir().unwrap();
        for part in 0..2 {
            let b = batch();
            let f = File::create(dir.path().join(crate::ParquetSink::part_file(part))).unwrap();
            let mut w = parquet::arrow::ArrowWriter::try_new(f, b.schema(), None).unwrap();
            w.write(&b).unwrap();
            w.close().unwrap();
        }
        let reader = ReleasedReader::open(dir.path(), plan(&[])).unwrap();
        assert_eq!(reader.schema().fields().len(), 4);
        let batches: Vec<RecordBatch> = reader.collect::<Result<_, _>>().unwrap();
        assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 4);
        for b in &batches {
            assert_eq!(b.column(0).as_string::<i32>().value(0), "110105********002X");
            assert!(b.schema().field_with_name("病史").is_err());
        }
        let empty = tempfile::tempdir().unwrap();
        assert_eq!(ReleasedReader::open(empty.path(), plan(&[])).unwrap().count(), 0);
    }
}
