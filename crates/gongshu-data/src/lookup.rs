//! Reading stored versions back: the records with given key identifiers (to check a
//! correction, AGG-4, or to compare sources, AGG-3), and values as text.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{DataType, TimeUnit};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::DataError;

fn read_error(e: impl std::fmt::Display) -> DataError {
    DataError::Unreadable { format: "Parquet", reason: e.to_string() }
}

/// A value of a stored column as text (dates as `YYYY-MM-DD`, times in China Standard
/// Time as `YYYY-MM-DD HH:MM:SS`); `None` for a null.
pub fn value_text(array: &dyn Array, i: usize) -> Option<String> {
    if array.is_null(i) {
        return None;
    }
    Some(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(i).to_string(),
        DataType::Int64 => array.as_primitive::<Int64Type>().value(i).to_string(),
        DataType::Float64 => array.as_primitive::<Float64Type>().value(i).to_string(),
        DataType::Boolean => array.as_boolean().value(i).to_string(),
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(i);
            chrono::NaiveDate::from_num_days_from_ce_opt(days + 719_163).map(|d| d.to_string()).unwrap_or_default()
        }
        DataType::Timestamp(TimeUnit::Microsecond, _) => {
            let micros = array.as_primitive::<TimestampMicrosecondType>().value(i);
            gongshu_domain::time::format_cst(micros)
        }
        _ => String::new(),
    })
}

/// Reads `columns` of a version (every part of its directory) batch by batch.
fn scan(
    dir: &Path,
    columns: &[&str],
    mut f: impl FnMut(&RecordBatch) -> Result<(), DataError>,
) -> Result<(), DataError> {
    for part in crate::parts(dir)? {
        scan_part(&part, columns, &mut f)?;
    }
    Ok(())
}

fn scan_part(
    path: &Path,
    columns: &[&str],
    f: &mut impl FnMut(&RecordBatch) -> Result<(), DataError>,
) -> Result<(), DataError> {
    let file = File::open(path)?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(read_error)?;
    let names: Vec<String> = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
    if let Some(m) = columns.iter().find(|c| !names.iter().any(|n| n == *c)) {
        return Err(DataError::MissingColumn { name: m.to_string() });
    }
    let schema = builder.parquet_schema();
    let leaves: Vec<usize> =
        (0..schema.num_columns()).filter(|i| columns.contains(&schema.column(*i).name())).collect();
    let mask = ProjectionMask::leaves(schema, leaves);
    let reader = builder.with_projection(mask).with_batch_size(8192).build().map_err(read_error)?;
    for batch in reader {
        f(&batch.map_err(read_error)?)?;
    }
    Ok(())
}

/// The values of `items` for the records whose `key` column is one of `keys` (the
/// first record of each key).
pub fn lookup(
    dir: &Path,
    key: &str,
    keys: &HashSet<String>,
    items: &[&str],
) -> Result<HashMap<String, HashMap<String, Option<String>>>, DataError> {
    let mut columns = vec![key];
    columns.extend(items.iter().filter(|i| **i != key));
    let mut found: HashMap<String, HashMap<String, Option<String>>> = HashMap::new();
    scan(dir, &columns, |batch| {
        let Some(k) = batch.column_by_name(key) else { return Ok(()) };
        if k.data_type() != &DataType::Utf8 {
            return Ok(());
        }
        let k = k.as_string::<i32>();
        for i in 0..batch.num_rows() {
            if k.is_null(i) || !keys.contains(k.value(i)) || found.contains_key(k.value(i)) {
                continue;
            }
            let values = items
                .iter()
                .map(|item| (item.to_string(), batch.column_by_name(item).and_then(|a| value_text(a.as_ref(), i))))
                .collect();
            found.insert(k.value(i).to_string(), values);
        }
        Ok(())
    })?;
    Ok(found)
}

/// For each key of `key` in the version, a fingerprint of its `name` value: what the
/// cross-source consistency check compares (AGG-3).
pub fn key_names(dir: &Path, key: &str, name: &str) -> Result<HashMap<String, String>, DataError> {
    let mut out = HashMap::new();
    scan(dir, &[key, name], |batch| {
        let (Some(k), Some(n)) = (batch.column_by_name(key), batch.column_by_name(name)) else { return Ok(()) };
        for i in 0..batch.num_rows() {
            if let (Some(k), Some(n)) = (value_text(k.as_ref(), i), value_text(n.as_ref(), i)) {
                out.entry(k).or_insert(n);
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// A subject both sources hold under different names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub key: String,
    pub here: String,
    pub there: String,
}

/// How two sources' names agree on the subjects they share (AGG-3).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparison {
    pub shared: u64,
    pub conflicts: u64,
    /// The first `max_examples` conflicts, in key order.
    pub examples: Vec<Conflict>,
}

/// Compares two sources' key → name maps.
pub fn compare_names(
    here: &HashMap<String, String>,
    there: &HashMap<String, String>,
    max_examples: usize,
) -> Comparison {
    let mut c = Comparison::default();
    let mut keys: Vec<&String> = here.keys().filter(|k| there.contains_key(*k)).collect();
    keys.sort();
    for k in keys {
        c.shared += 1;
        let (h, t) = (&here[k], &there[k]);
        if h != t {
            c.conflicts += 1;
            if c.examples.len() < max_examples {
                c.examples.push(Conflict { key: k.clone(), here: h.clone(), there: t.clone() });
            }
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agg_3_compare_names_counts_shared_subjects_and_conflicts() {
        let map = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let here = map(&[("a", "张三"), ("b", "李四"), ("c", "王五"), ("d", "赵六")]);
        let there = map(&[("b", "李四"), ("c", "王武"), ("d", "赵陆"), ("e", "钱七")]);
        let c = compare_names(&here, &there, 1);
        assert_eq!((c.shared, c.conflicts), (3, 2));
        assert_eq!(c.examples, [Conflict { key: "c".into(), here: "王五".into(), there: "王武".into() }]);
        assert_eq!(compare_names(&here, &HashMap::new(), 5), Comparison::default());
    }
}
