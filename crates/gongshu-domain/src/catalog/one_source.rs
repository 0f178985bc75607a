//! One number, one source (一数一源, AGG-6, WH-10, QQ-6, WHN-12): an entry that collects
//! again what another provider's authoritative base-library entry already holds.
//!
//! An authoritative source is a base-library entry whose key identifier (关键标识) is
//! the subject's citizen ID number or credit code: the master record of a person or an
//! organization. Another provider's entry duplicates it when it carries the same
//! identifier and at least two more of its items (by name), not all of them dates:
//! names, sexes and addresses of people the population library already holds.

use super::entry::NewEntry;
use super::metadata::Category;
use super::vocab::DataType;

/// Whether an item's name is a subject identifier that sources share.
pub fn is_subject_identifier(name: &str) -> bool {
    name.contains("身份号码") || name.contains("身份证") || name.contains("统一社会信用代码")
}

/// An entry and who provides it.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub id: i64,
    pub provider_org_id: i64,
    pub entry: &'a NewEntry,
}

/// One duplicate: `entry` holds `items` that `authority` is the source of, for the same
/// subjects (`identifier`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub entry_id: i64,
    pub source_id: i64,
    pub identifier: String,
    pub items: Vec<String>,
}

fn master_identifier(e: &NewEntry) -> Option<&str> {
    if !matches!(e.category, Category::Base(_)) {
        return None;
    }
    e.items.iter().find(|i| i.key_identifier && is_subject_identifier(&i.name)).map(|i| i.name.as_str())
}

/// Every entry that duplicates another provider's authoritative source.
pub fn duplicates(sources: &[Source<'_>]) -> Vec<Duplicate> {
    let mut out = Vec::new();
    for master in sources {
        let Some(id_item) = master_identifier(master.entry) else { continue };
        for other in sources {
            if other.id == master.id || other.provider_org_id == master.provider_org_id {
                continue;
            }
            // Another master record of the same kind of subject is a source of its own.
            if master_identifier(other.entry) == Some(id_item) {
                continue;
            }
            if !other.entry.items.iter().any(|i| i.name == id_item) {
                continue;
            }
            let shared: Vec<&super::entry::DataItem> = other
                .entry
                .items
                .iter()
                .filter(|i| i.name != id_item && master.entry.items.iter().any(|m| m.name == i.name))
                .collect();
            let all_dates = shared.iter().all(|i| matches!(i.data_type, DataType::Date | DataType::DateTime));
            if shared.len() >= 2 && !all_dates {
                out.push(Duplicate {
                    entry_id: other.id,
                    source_id: master.id,
                    identifier: id_item.to_string(),
                    items: shared.iter().map(|i| i.name.clone()).collect(),
                });
            }
        }
    }
    out.sort_by_key(|d| (d.entry_id, d.source_id));
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::fixtures::{bus_stops, item, population};
    use super::*;
    use crate::catalog::{Category, DataItem};

    #[test]
    fn agg_6_entries_that_collect_the_population_library_again_are_flagged() {
        let master = population();
        // A school roll: the same citizen IDs with names and birth dates.
        let mut roll = bus_stops();
        roll.category = Category::Thematic(None);
        roll.items = vec![
            DataItem { key_identifier: true, ..item("学籍号", DataType::Character, Some(20)) },
            item("公民身份号码", DataType::Character, Some(18)),
            item("姓名", DataType::Character, Some(50)),
            item("出生日期", DataType::Date, None),
        ];
        // Only dates in common: not a duplicate.
        let mut dates = roll.clone();
        dates.items.retain(|i| i.name != "姓名");
        dates.items.push(item("出生日期2", DataType::Date, None));
        let sources = [
            Source { id: 1, provider_org_id: 10, entry: &master },
            Source { id: 2, provider_org_id: 20, entry: &roll },
            Source { id: 3, provider_org_id: 10, entry: &roll },
            Source { id: 4, provider_org_id: 30, entry: &dates },
            Source { id: 5, provider_org_id: 40, entry: &bus_stops() },
        ];
        let d = duplicates(&sources);
        assert_eq!(
            d,
            [Duplicate {
                entry_id: 2,
                source_id: 1,
                identifier: "公民身份号码".into(),
                items: vec!["姓名".into(), "出生日期".into()]
            }],
            "the provider's own entries and date-only overlaps are not flagged"
        );
        // Another master record of people is a source of its own.
        let other_master = Source { id: 6, provider_org_id: 50, entry: &master };
        assert!(duplicates(&[sources[0], other_master]).is_empty());
    }
}
