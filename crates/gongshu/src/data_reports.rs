//! What the platform reports of loaded data across entries: overdue entries (AGG-5),
//! multi-source consistency of base libraries (AGG-3) and duplicates of authoritative
//! sources (AGG-6).

use std::path::Path;

use chrono::{DateTime, Utc};
use gongshu_data::{DataError, ItemSpec};
use gongshu_domain::catalog::{NewEntry, UpdateCycle};
use gongshu_store::{Entry, Store};
use serde::Serialize;

use crate::data::{DataFiles, entry_items};
use crate::error::ApiError;

/// The entries whose next load is overdue (AGG-5): published entries with a regular
/// update cycle whose last version is older than the cycle, or that never had one.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Overdue {
    pub entry_id: i64,
    pub code: String,
    pub name: String,
    pub provider_org_id: i64,
    pub update_cycle: String,
    pub last_loaded_at: Option<i64>,
    pub due_at: Option<i64>,
}

pub async fn overdue(store: &Store, now: DateTime<Utc>) -> Result<Vec<Overdue>, ApiError> {
    let latest: std::collections::HashMap<i64, i64> =
        store.latest_data_versions().await?.into_iter().map(|v| (v.entry_id, v.created_at)).collect();
    let filter = gongshu_store::EntryFilter { state: Some("published".into()), limit: 100_000, ..Default::default() };
    let exempt: std::collections::HashSet<i64> = store.exemptions().await?.into_iter().map(|x| x.entry_id).collect();
    let mut out = Vec::new();
    for e in store.entries(&filter).await?.into_iter().filter(|e| !exempt.contains(&e.id)) {
        let Ok(cycle) = UpdateCycle::parse(&e.update_cycle) else { continue };
        if cycle == UpdateCycle::Irregular {
            continue;
        }
        let last = latest.get(&e.id).copied();
        let due = match last.and_then(DateTime::from_timestamp_micros) {
            Some(l) => gongshu_data::timeliness::next_due(cycle, l),
            None => None,
        };
        let late = match (last, due) {
            (None, _) => true,
            (Some(_), Some(d)) => now > d,
            (Some(_), None) => false,
        };
        if late {
            out.push(Overdue {
                entry_id: e.id,
                code: e.code,
                name: e.name,
                provider_org_id: e.provider_org_id,
                update_cycle: cycle.as_str().to_string(),
                last_loaded_at: last,
                due_at: due.map(|d| d.timestamp_micros()),
            });
        }
    }
    Ok(out)
}

/// The item that identifies a record's subject across sources: its first citizen ID or
/// credit code item.
pub fn subject_item(items: &[ItemSpec]) -> Option<&ItemSpec> {
    items.iter().find(|i| i.item_type.is_identifier())
}

/// The item that names a record's subject: 姓名, or a 名称 (企业名称, 单位名称, …).
pub fn name_item(items: &[ItemSpec]) -> Option<&ItemSpec> {
    items
        .iter()
        .find(|i| i.name == "姓名")
        .or_else(|| items.iter().find(|i| i.item_type == gongshu_data::ItemType::Text && i.name.ends_with("名称")))
}

/// A citizen ID or credit code shown with its middle hidden (first 6, last 4).
pub fn mask_key(k: &str) -> String {
    gongshu_data::release::apply(gongshu_data::release::Release::Mask, k, &[]).unwrap_or_default()
}

/// Versions larger than this are not compared record by record at load time (the
/// comparison holds one side's keys in memory).
const CONSISTENCY_MAX_ROWS: i64 = 2_000_000;

/// Multi-source consistency (AGG-3, QQ-6, WHN-15): for a base-library entry, the
/// records that share a citizen ID or credit code with another provider's base-library
/// data but carry a different name, per other source, with a few (masked) examples.
pub async fn consistency(
    store: &Store,
    files: &DataFiles,
    entry: &Entry,
    content: &NewEntry,
    items: &[ItemSpec],
    new_parquet: &Path,
    new_rows: u64,
) -> Result<Vec<serde_json::Value>, ApiError> {
    use gongshu_domain::catalog::Category;
    if !matches!(content.category, Category::Base(_)) || new_rows as i64 > CONSISTENCY_MAX_ROWS {
        return Ok(Vec::new());
    }
    let (Some(key), Some(name)) = (subject_item(items), name_item(items)) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for other in store.latest_data_versions().await? {
        if other.entry_id == entry.id || other.rows_total > CONSISTENCY_MAX_ROWS {
            continue;
        }
        let Some(o) = store.entry(other.entry_id).await? else { continue };
        if o.provider_org_id == entry.provider_org_id || !o.category.starts_with("基础") {
            continue;
        }
        let Ok((oc, oitems)) = entry_items(store, &o).await else { continue };
        let (Some(okey), Some(oname)) = (subject_item(&oitems), name_item(&oitems)) else { continue };
        if okey.item_type != key.item_type || !matches!(oc.category, gongshu_domain::catalog::Category::Base(_)) {
            continue;
        }
        let Ok(there_path) = files.local(&other.storage_key).await else { continue };
        let here_path = new_parquet.to_path_buf();
        let (k1, n1, k2, n2) = (key.name.clone(), name.name.clone(), okey.name.clone(), oname.name.clone());
        let compared = tokio::task::spawn_blocking(move || -> Result<gongshu_data::lookup::Comparison, DataError> {
            let there = gongshu_data::lookup::key_names(&there_path, &k2, &n2)?;
            let here = gongshu_data::lookup::key_names(&here_path, &k1, &n1)?;
            Ok(gongshu_data::lookup::compare_names(&here, &there, 20))
        })
        .await
        .map_err(|_| ApiError::internal())?;
        let Ok(gongshu_data::lookup::Comparison { shared, conflicts, examples }) = compared else { continue };
        if shared == 0 {
            continue;
        }
        let examples: Vec<serde_json::Value> = examples
            .into_iter()
            .map(|c| serde_json::json!({ "key": mask_key(&c.key), "here": c.here, "there": c.there }))
            .collect();
        out.push(serde_json::json!({
            "entry_id": o.id, "code": o.code, "name": o.name, "provider_org_id": o.provider_org_id,
            "version": other.version, "key_item": key.name, "shared": shared, "conflicts": conflicts, "examples": examples,
        }));
    }
    Ok(out)
}

/// An entry that holds again what another provider's authoritative source holds
/// (AGG-6), and whether its provider loads it though it could get it by sharing.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DuplicateView {
    pub entry_id: i64,
    pub code: String,
    pub name: String,
    pub provider_org_id: i64,
    pub source_id: i64,
    pub source_code: String,
    pub source_name: String,
    pub source_provider_org_id: i64,
    pub identifier: String,
    pub items: Vec<String>,
    /// The provider loads data for it.
    pub loaded: bool,
    /// The source is shared (unconditionally or on conditions), so the data could be
    /// had by sharing instead.
    pub obtainable_by_sharing: bool,
}

/// Published entries that duplicate an authoritative base-library source (AGG-6).
pub async fn duplicates(store: &Store) -> Result<Vec<DuplicateView>, ApiError> {
    use gongshu_domain::catalog::one_source::{Source, duplicates as find};
    let all: Vec<(Entry, NewEntry)> = store
        .entries_changed_since(0)
        .await?
        .into_iter()
        .filter(|e| e.entry.published_version.is_some() && e.entry.state != "retired")
        .filter_map(|e| serde_json::from_str::<NewEntry>(&e.content).ok().map(|c| (e.entry, c)))
        .collect();
    let sources: Vec<Source<'_>> =
        all.iter().map(|(e, c)| Source { id: e.id, provider_org_id: e.provider_org_id, entry: c }).collect();
    let loaded: std::collections::HashSet<i64> =
        store.latest_data_versions().await?.into_iter().map(|v| v.entry_id).collect();
    let by_id: std::collections::HashMap<i64, &(Entry, NewEntry)> = all.iter().map(|p| (p.0.id, p)).collect();
    Ok(find(&sources)
        .into_iter()
        .filter_map(|d| {
            let (e, _) = by_id.get(&d.entry_id)?;
            let (s, sc) = by_id.get(&d.source_id)?;
            Some(DuplicateView {
                entry_id: e.id,
                code: e.code.clone(),
                name: e.name.clone(),
                provider_org_id: e.provider_org_id,
                source_id: s.id,
                source_code: s.code.clone(),
                source_name: s.name.clone(),
                source_provider_org_id: s.provider_org_id,
                identifier: d.identifier,
                items: d.items,
                loaded: loaded.contains(&e.id),
                obtainable_by_sharing: sc.share.share_type != gongshu_domain::catalog::ShareType::NotShared,
            })
        })
        .collect())
}
