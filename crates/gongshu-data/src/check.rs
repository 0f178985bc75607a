//! The check of a whole file against the entry's items, and its quality report
//! (AGG-2, AGG-3): completeness per item, violations per item and rule, uniqueness of
//! key identifiers. Valid rows go on to a [`Sink`]; every rejected value is kept with
//! its row, item, rule and value, so a bad record never silently disappears.

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use chrono::NaiveDate;
use serde::Serialize;

use crate::DataError;
use crate::read::Rows;
use crate::schema::ItemSpec;
use crate::validate::{Value, check_value};

/// Where the rows go: a stored version, or nowhere (a dry run).
pub trait Sink {
    /// Whether it keeps rows (a dry run does not: values are checked, not collected).
    fn keeps_rows(&self) -> bool {
        true
    }
    /// A valid row, one value per item in the items' order.
    fn accept(&mut self, values: &[Value<'_>]) -> Result<(), DataError>;
    /// A value that broke a rule (a row with several has several).
    fn reject(&mut self, v: &Violation) -> Result<(), DataError>;
    fn progress(&mut self, _bytes: u64) {}
}

/// A sink that keeps nothing.
pub struct Discard;

impl Sink for Discard {
    fn keeps_rows(&self) -> bool {
        false
    }
    fn accept(&mut self, _: &[Value<'_>]) -> Result<(), DataError> {
        Ok(())
    }
    fn reject(&mut self, _: &Violation) -> Result<(), DataError> {
        Ok(())
    }
}

/// One broken rule of one value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub row: u64,
    pub item: String,
    pub rule: &'static str,
    /// What exactly was wrong (`check_char`, `missing`, `too_long`, …).
    pub detail: &'static str,
    pub value: String,
}

/// What one item's values were like.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ItemReport {
    #[serde(rename = "type")]
    pub item_type: String,
    pub required: bool,
    /// Rows with a value (valid or not).
    pub present: u64,
    /// Rows without one.
    pub missing: u64,
    /// present / rows_total.
    pub completeness: f64,
    /// Share of present values that are valid.
    pub validity: f64,
    /// Violations by rule.
    pub violations: BTreeMap<String, u64>,
    /// For key identifiers: distinct valid values, and valid values seen before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distinct: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub duplicates: Option<u64>,
    /// Beyond four million distinct values the counts are estimates (HyperLogLog).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub distinct_estimated: bool,
}

/// The quality report of a file (a dry run) or of a stored version.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QualityReport {
    pub rows_total: u64,
    pub rows_valid: u64,
    pub rows_rejected: u64,
    /// The file's columns, as in its header.
    pub columns: Vec<String>,
    /// Optional items the file has no column for (all their values are missing).
    pub missing_columns: Vec<String>,
    /// Columns that are no item of the entry (not stored).
    pub extra_columns: Vec<String>,
    /// Per item, in the file's terms.
    pub items: BTreeMap<String, ItemReport>,
    /// Violations by rule over all items.
    pub violations: BTreeMap<String, u64>,
    /// The first violations, for a quick look (all of them are in the reject file).
    pub samples: Vec<Violation>,
}

const SAMPLES: usize = 20;
const MAX_VALUE_CHARS: usize = 200;

/// A hasher for values that are already well mixed (FNV-1a on the bytes).
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type KeySet = HashSet<u64, BuildHasherDefault<Fnv>>;

const SHARDS: usize = 64;
/// Distinct values counted exactly per identifier item; beyond, the count is an
/// estimate (HyperLogLog, about 0.8% error) and memory stops growing.
const EXACT_DISTINCT: usize = 4_000_000;
/// HyperLogLog registers (2^14).
const HLL_BITS: u32 = 14;

/// The distinct values of one identifier item, shared by the workers of a file (in
/// shards, so they rarely wait for each other).
pub struct SharedKeys {
    shards: Vec<std::sync::Mutex<KeySet>>,
    overflow: std::sync::atomic::AtomicBool,
    registers: Vec<std::sync::atomic::AtomicU8>,
}

impl SharedKeys {
    fn new() -> Self {
        SharedKeys {
            shards: (0..SHARDS).map(|_| std::sync::Mutex::new(KeySet::default())).collect(),
            overflow: std::sync::atomic::AtomicBool::new(false),
            registers: (0..1usize << HLL_BITS).map(|_| std::sync::atomic::AtomicU8::new(0)).collect(),
        }
    }

    fn insert(&self, fp: u64) {
        use std::sync::atomic::Ordering::Relaxed;
        let index = (fp >> (64 - HLL_BITS)) as usize;
        let rank = ((fp << HLL_BITS) | (1 << (HLL_BITS - 1))).leading_zeros() as u8 + 1;
        if let Some(r) = self.registers.get(index) {
            r.fetch_max(rank, Relaxed);
        }
        if self.overflow.load(Relaxed) {
            return;
        }
        if let Ok(mut s) = self.shards[(fp >> 20) as usize % SHARDS].lock() {
            s.insert(fp);
            if s.len() > EXACT_DISTINCT / SHARDS {
                self.overflow.store(true, Relaxed);
                *s = KeySet::default();
            }
        }
    }

    /// The number of distinct values, and whether it is an estimate.
    fn distinct(&self) -> (u64, bool) {
        if !self.overflow.load(std::sync::atomic::Ordering::Relaxed) {
            return (self.shards.iter().map(|s| s.lock().map_or(0, |s| s.len() as u64)).sum(), false);
        }
        let m = (1usize << HLL_BITS) as f64;
        let (mut sum, mut zeros) = (0.0f64, 0usize);
        for r in &self.registers {
            let v = r.load(std::sync::atomic::Ordering::Relaxed);
            sum += 2f64.powi(-i32::from(v));
            zeros += usize::from(v == 0);
        }
        let alpha = 0.7213 / (1.0 + 1.079 / m);
        let raw = alpha * m * m / sum;
        let estimate = if raw <= 2.5 * m && zeros > 0 { m * (m / zeros as f64).ln() } else { raw };
        (estimate.round() as u64, true)
    }
}

/// The shared identifier sets of a file's items, one per identifier item.
pub type KeyRegistry = std::sync::Arc<Vec<Option<SharedKeys>>>;

/// A registry for the items: a set for each key or identifier item.
pub fn key_registry(items: &[ItemSpec]) -> KeyRegistry {
    std::sync::Arc::new(items.iter().map(|i| (i.key || i.item_type.is_identifier()).then(SharedKeys::new)).collect())
}

fn fingerprint(s: &str) -> u64 {
    let mut h = Fnv::default();
    h.write(s.as_bytes());
    // A second mix so that the set's own hashing of the u64 spreads well.
    let x = h.finish();
    x ^ (x >> 31).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

#[derive(Default)]
struct Stats {
    present: u64,
    missing: u64,
    violations: BTreeMap<&'static str, u64>,
    /// Valid identifier values seen (distinct or not).
    seen: u64,
}

/// How the file's columns map to the items (from its header).
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub header: Vec<String>,
    /// For each item, its column in the file.
    pub column_of: Vec<Option<usize>>,
    pub missing: Vec<String>,
    pub extra: Vec<String>,
}

impl Columns {
    /// Maps a header to the items; a required item without a column is an error.
    pub fn map(items: &[ItemSpec], names: &[String]) -> Result<Columns, DataError> {
        let column_of: Vec<Option<usize>> = items.iter().map(|i| names.iter().position(|n| *n == i.name)).collect();
        let missing: Vec<&ItemSpec> =
            items.iter().zip(&column_of).filter(|(_, c)| c.is_none()).map(|(i, _)| i).collect();
        if let Some(required) = missing.iter().find(|i| i.required) {
            return Err(DataError::MissingColumn { name: required.name.clone() });
        }
        Ok(Columns {
            header: names.to_vec(),
            column_of,
            missing: missing.iter().map(|i| i.name.clone()).collect(),
            extra: names.iter().filter(|n| !items.iter().any(|i| i.name == **n)).cloned().collect(),
        })
    }
}

/// The running counts of one reader or worker; tallies of workers merge into one.
pub struct Tally {
    keys: KeyRegistry,
    rows_total: u64,
    rows_valid: u64,
    rows_rejected: u64,
    stats: Vec<Stats>,
    samples: Vec<Violation>,
}

impl Tally {
    pub fn new(items: &[ItemSpec]) -> Self {
        Self::with_keys(items, key_registry(items))
    }

    /// A tally that shares its identifier sets with other workers' tallies.
    pub fn with_keys(items: &[ItemSpec], keys: KeyRegistry) -> Self {
        let stats = items.iter().map(|_| Stats::default()).collect();
        Tally { keys, rows_total: 0, rows_valid: 0, rows_rejected: 0, stats, samples: Vec::new() }
    }

    /// Checks one row; a valid one goes to the sink, every broken rule to its rejects.
    #[allow(clippy::too_many_arguments)]
    pub fn row(
        &mut self,
        items: &[ItemSpec],
        columns: &Columns,
        today: NaiveDate,
        row: u64,
        fields: &[&str],
        sink: &mut dyn Sink,
    ) -> Result<(), DataError> {
        self.rows_total += 1;
        let keep = sink.keeps_rows();
        let mut values: Vec<Value<'_>> = Vec::with_capacity(if keep { items.len() } else { 0 });
        let mut bad = false;
        for (i, item) in items.iter().enumerate() {
            let raw = columns.column_of[i].and_then(|c| fields.get(c).copied()).unwrap_or_default();
            let stats = &mut self.stats[i];
            if raw.is_empty() {
                stats.missing += 1;
            } else {
                stats.present += 1;
            }
            match check_value(item, raw, today) {
                Ok(v) => {
                    if let (Some(Some(keys)), Value::Text(t)) = (self.keys.get(i), &v) {
                        keys.insert(fingerprint(t));
                        stats.seen += 1;
                    }
                    if keep {
                        values.push(v);
                    }
                }
                Err(b) => {
                    bad = true;
                    *stats.violations.entry(b.rule.as_str()).or_insert(0) += 1;
                    let v = Violation {
                        row,
                        item: item.name.clone(),
                        rule: b.rule.as_str(),
                        detail: b.detail,
                        value: raw.chars().take(MAX_VALUE_CHARS).collect(),
                    };
                    sink.reject(&v)?;
                    if self.samples.len() < SAMPLES {
                        self.samples.push(v);
                    }
                }
            }
        }
        if bad {
            self.rows_rejected += 1;
        } else {
            self.rows_valid += 1;
            if keep {
                sink.accept(&values)?;
            }
        }
        Ok(())
    }

    /// Adds another worker's counts (its identifier sets must be this tally's: see
    /// [`Tally::with_keys`]).
    pub fn merge(&mut self, other: Tally) {
        self.rows_total += other.rows_total;
        self.rows_valid += other.rows_valid;
        self.rows_rejected += other.rows_rejected;
        for (mine, theirs) in self.stats.iter_mut().zip(other.stats) {
            mine.present += theirs.present;
            mine.missing += theirs.missing;
            mine.seen += theirs.seen;
            for (rule, n) in theirs.violations {
                *mine.violations.entry(rule).or_insert(0) += n;
            }
        }
        self.samples.extend(other.samples);
        self.samples.sort_by_key(|v| v.row);
        self.samples.truncate(SAMPLES);
    }

    /// The report of everything tallied.
    pub fn report(self, items: &[ItemSpec], columns: &Columns) -> QualityReport {
        let total = self.rows_total;
        let ratio = |n: u64, d: u64| if d == 0 { 1.0 } else { n as f64 / d as f64 };
        let mut report = QualityReport {
            rows_total: self.rows_total,
            rows_valid: self.rows_valid,
            rows_rejected: self.rows_rejected,
            columns: columns.header.clone(),
            missing_columns: columns.missing.clone(),
            extra_columns: columns.extra.clone(),
            samples: self.samples,
            ..Default::default()
        };
        for ((item, s), keys) in items.iter().zip(self.stats).zip(self.keys.iter()) {
            let invalid: u64 = s.violations.iter().filter(|(r, _)| **r != "required").map(|(_, n)| n).sum();
            for (rule, n) in &s.violations {
                *report.violations.entry(rule.to_string()).or_insert(0) += n;
            }
            let counted = keys.as_ref().map(SharedKeys::distinct);
            let distinct = counted.map(|c| c.0);
            let r = ItemReport {
                item_type: item.item_type.as_str().to_string(),
                required: item.required,
                present: s.present,
                missing: s.missing,
                completeness: ratio(s.present, total),
                validity: ratio(s.present - invalid.min(s.present), s.present),
                violations: s.violations.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                distinct,
                duplicates: distinct.map(|d| s.seen.saturating_sub(d)),
                distinct_estimated: counted.is_some_and(|c| c.1),
            };
            report.items.insert(item.name.clone(), r);
        }
        report
    }
}

/// Checks rows one by one as a [`Rows`] handler (XLSX, JSON, and small files);
/// finish with [`Checker::report`].
pub struct Checker<'a> {
    items: &'a [ItemSpec],
    today: NaiveDate,
    sink: &'a mut dyn Sink,
    columns: Columns,
    tally: Tally,
}

impl<'a> Checker<'a> {
    pub fn new(items: &'a [ItemSpec], today: NaiveDate, sink: &'a mut dyn Sink) -> Self {
        Checker { items, today, sink, columns: Columns::default(), tally: Tally::new(items) }
    }

    /// The report, once every row is read.
    pub fn report(self) -> QualityReport {
        self.tally.report(self.items, &self.columns)
    }
}

impl Rows for Checker<'_> {
    fn header(&mut self, names: &[String]) -> Result<(), DataError> {
        self.columns = Columns::map(self.items, names)?;
        Ok(())
    }

    fn row(&mut self, row: u64, fields: &[&str]) -> Result<(), DataError> {
        self.tally.row(self.items, &self.columns, self.today, row, fields, self.sink)
    }

    fn progress(&mut self, bytes: u64) {
        self.sink.progress(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agg_3_distinct_counts_are_exact_then_estimated_within_two_percent() {
        let keys = SharedKeys::new();
        for i in 0..100_000u64 {
            keys.insert(fingerprint(&format!("k{}", i % 60_000)));
        }
        assert_eq!(keys.distinct(), (60_000, false));
        let big = SharedKeys::new();
        let n = EXACT_DISTINCT as u64 + 500_000;
        for i in 0..n {
            big.insert(fingerprint(&i.to_string()));
        }
        let (d, estimated) = big.distinct();
        assert!(estimated);
        let error = (d as f64 - n as f64).abs() / n as f64;
        assert!(error < 0.02, "{d} for {n}: {error}");
        assert!(big.shards.iter().all(|s| s.lock().map_or(0, |s| s.len()) <= EXACT_DISTINCT / SHARDS + 1));
    }
}
