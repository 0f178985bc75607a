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
    /// A valid row, one value per item in the items' order.
    fn accept(&mut self, values: &[Value<'_>]) -> Result<(), DataError>;
    /// A value that broke a rule (a row with several has several).
    fn reject(&mut self, v: &Violation) -> Result<(), DataError>;
    fn progress(&mut self, _bytes: u64) {}
}

/// A sink that keeps nothing.
pub struct Discard;

impl Sink for Discard {
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
    keys: Option<KeySet>,
    duplicates: u64,
}

/// Checks rows as a [`Rows`] handler; finish with [`Checker::report`].
pub struct Checker<'a> {
    items: &'a [ItemSpec],
    today: NaiveDate,
    sink: &'a mut dyn Sink,
    column_of: Vec<Option<usize>>,
    stats: Vec<Stats>,
    report: QualityReport,
}

impl<'a> Checker<'a> {
    pub fn new(items: &'a [ItemSpec], today: NaiveDate, sink: &'a mut dyn Sink) -> Self {
        let stats = items
            .iter()
            .map(|i| Stats { keys: (i.key || i.item_type.is_identifier()).then(KeySet::default), ..Default::default() })
            .collect();
        Checker { items, today, sink, column_of: Vec::new(), stats, report: QualityReport::default() }
    }

    /// The report, once every row is read.
    pub fn report(mut self) -> QualityReport {
        let total = self.report.rows_total;
        let ratio = |n: u64, d: u64| if d == 0 { 1.0 } else { n as f64 / d as f64 };
        for (item, s) in self.items.iter().zip(self.stats) {
            let invalid: u64 = s.violations.iter().filter(|(r, _)| **r != "required").map(|(_, n)| n).sum();
            for (rule, n) in &s.violations {
                *self.report.violations.entry(rule.to_string()).or_insert(0) += n;
            }
            let r = ItemReport {
                item_type: item.item_type.as_str().to_string(),
                required: item.required,
                present: s.present,
                missing: s.missing,
                completeness: ratio(s.present, total),
                validity: ratio(s.present - invalid.min(s.present), s.present),
                violations: s.violations.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
                distinct: s.keys.as_ref().map(|k| k.len() as u64),
                duplicates: s.keys.as_ref().map(|_| s.duplicates),
            };
            self.report.items.insert(item.name.clone(), r);
        }
        self.report
    }
}

impl Rows for Checker<'_> {
    fn header(&mut self, names: &[String]) -> Result<(), DataError> {
        self.report.columns = names.to_vec();
        self.column_of = self.items.iter().map(|i| names.iter().position(|n| *n == i.name)).collect();
        let missing: Vec<&ItemSpec> =
            self.items.iter().zip(&self.column_of).filter(|(_, c)| c.is_none()).map(|(i, _)| i).collect();
        if let Some(required) = missing.iter().find(|i| i.required) {
            return Err(DataError::MissingColumn { name: required.name.clone() });
        }
        self.report.missing_columns = missing.iter().map(|i| i.name.clone()).collect();
        self.report.extra_columns =
            names.iter().filter(|n| !self.items.iter().any(|i| i.name == **n)).cloned().collect();
        Ok(())
    }

    fn row(&mut self, row: u64, fields: &[&str]) -> Result<(), DataError> {
        self.report.rows_total += 1;
        let mut values: Vec<Value<'_>> = Vec::with_capacity(self.items.len());
        let mut bad = false;
        for (i, item) in self.items.iter().enumerate() {
            let raw = self.column_of[i].and_then(|c| fields.get(c).copied()).unwrap_or_default();
            let stats = &mut self.stats[i];
            if raw.is_empty() {
                stats.missing += 1;
            } else {
                stats.present += 1;
            }
            match check_value(item, raw, self.today) {
                Ok(v) => {
                    if let (Some(keys), Value::Text(t)) = (stats.keys.as_mut(), &v)
                        && !keys.insert(fingerprint(t))
                    {
                        stats.duplicates += 1;
                    }
                    values.push(v);
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
                    self.sink.reject(&v)?;
                    if self.report.samples.len() < SAMPLES {
                        self.report.samples.push(v);
                    }
                }
            }
        }
        if bad {
            self.report.rows_rejected += 1;
        } else {
            self.report.rows_valid += 1;
            self.sink.accept(&values)?;
        }
        Ok(())
    }

    fn progress(&mut self, bytes: u64) {
        self.sink.progress(bytes);
    }
}
