//! The open catalog as one snapshot per process, shared by every open surface so they
//! all describe the same datasets. It is rebuilt when the database says something
//! changed (entries, data versions, release rules, suspensions): a process checks at
//! most once a second, and at once after any write it served itself. A change made
//! through another server shows here within a second.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::http::StatusCode;
use gongshu_data::ItemSpec;
use gongshu_data::release::{Level, Release};
use gongshu_data::released::ReleasePlan;
use gongshu_domain::catalog::{Grade, NewEntry, OpenType};
use gongshu_store::{DataVersion, Entry, Org, Store};

use crate::error::ApiError;

/// How long a snapshot is trusted without asking the database.
const FRESH_FOR: Duration = Duration::from_secs(1);

/// One open dataset.
#[derive(Debug)]
pub struct OpenDataset {
    pub entry: Entry,
    /// The published version's content.
    pub content: NewEntry,
    /// The CKAN name: the resource code with `-` for `/`.
    pub name: String,
    pub org: Option<Org>,
    /// The current data version, if any data was loaded.
    pub version: Option<DataVersion>,
    pub plan: ReleasePlan,
    /// Why opening is suspended (OPN-8), if it is.
    pub suspended: Option<String>,
}

impl OpenDataset {
    /// The organization's CKAN name: its credit code in lower case.
    pub fn org_name(&self) -> String {
        self.org.as_ref().map(org_name).unwrap_or_default()
    }

    /// The dataset, if it may be served: 410 with the reason when suspended.
    pub fn served(&self) -> Result<&Self, ApiError> {
        match &self.suspended {
            Some(reason) => Err(gone(reason)),
            None => Ok(self),
        }
    }

    /// The current data version, for a download or a query.
    pub fn data(&self) -> Result<&DataVersion, ApiError> {
        self.served()?.version.as_ref().ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "no_open_data",
                "该目录尚未加载数据，暂无可下载的数据",
                "No data has been loaded for this entry yet",
            )
        })
    }
}

/// 410 Gone for a suspended entry, with the reason.
pub fn gone(reason: &str) -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        "opening_suspended",
        format!("该数据已暂停开放：{reason}"),
        format!("Opening of this data is suspended: {reason}"),
    )
}

/// An organization's CKAN name: its credit code in lower case.
pub fn org_name(o: &Org) -> String {
    o.credit_code.clone().unwrap_or_else(|| format!("org-{}", o.id)).to_ascii_lowercase()
}

/// A dataset's CKAN name: its resource code with `-` for `/`.
pub fn dataset_name(code: &str) -> String {
    code.replace('/', "-")
}

/// The release level of an item: its own grade, else the entry's; an ungraded item is
/// treated as general level 3 (text pseudonymized), never as freely releasable.
pub fn level(grade: Option<Grade>) -> Level {
    match grade {
        Some(Grade::General1) => Level::General(1),
        Some(Grade::General2) => Level::General(2),
        Some(Grade::General3) | None => Level::General(3),
        Some(Grade::General4) => Level::General(4),
        Some(Grade::Important) => Level::Important,
        Some(Grade::Core) => Level::Core,
    }
}

/// The items of an entry with their levels.
pub fn leveled_items(content: &NewEntry) -> Vec<(ItemSpec, Level)> {
    ItemSpec::from_entry(content)
        .into_iter()
        .zip(&content.items)
        .map(|(spec, item)| (spec, level(item.grade.or(content.grade))))
        .collect()
}

/// The snapshot.
#[derive(Debug, Default)]
pub struct OpenCatalog {
    /// Every open entry, suspended ones too, by name.
    pub datasets: Vec<Arc<OpenDataset>>,
    by_name: HashMap<String, usize>,
    by_id: HashMap<i64, usize>,
    stamp: Stamp,
}

impl OpenCatalog {
    /// A dataset by CKAN name, resource code or entry id (suspended ones too).
    pub fn get(&self, id: &str) -> Option<&Arc<OpenDataset>> {
        let i = self.by_name.get(id).or_else(|| self.by_name.get(&dataset_name(id)))?;
        self.datasets.get(*i)
    }

    pub fn by_entry(&self, entry_id: i64) -> Option<&Arc<OpenDataset>> {
        self.datasets.get(*self.by_id.get(&entry_id)?)
    }

    /// The datasets that lists, searches and DCAT-AP show: all but the suspended.
    pub fn listed(&self) -> impl Iterator<Item = &Arc<OpenDataset>> {
        self.datasets.iter().filter(|d| d.suspended.is_none())
    }

    /// The organizations that publish listed datasets, with their counts, by name.
    pub fn organizations(&self) -> Vec<(Org, usize)> {
        let mut by: HashMap<i64, (Org, usize)> = HashMap::new();
        for d in self.listed() {
            if let Some(o) = &d.org {
                by.entry(o.id).or_insert_with(|| (o.clone(), 0)).1 += 1;
            }
        }
        let mut out: Vec<(Org, usize)> = by.into_values().collect();
        out.sort_by_key(|(o, _)| org_name(o));
        out
    }
}

type Stamp = (i64, i64, i64, i64, i64, i64);

/// The per-process cache of the snapshot.
#[derive(Default)]
pub struct OpenCache {
    catalog: RwLock<Option<Arc<OpenCatalog>>>,
    checked: Mutex<Option<(Instant, u64)>>,
    generation: AtomicU64,
    rebuild: tokio::sync::Mutex<()>,
    key: tokio::sync::OnceCell<Arc<[u8]>>,
}

impl OpenCache {
    /// Something was written through this process: check the database next time.
    pub fn touch(&self) {
        self.generation.fetch_add(1, Ordering::Relaxed);
    }

    /// The count of writes served by this process.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Relaxed)
    }

    fn fresh(&self) -> Option<Arc<OpenCatalog>> {
        let generation = self.generation.load(Ordering::Relaxed);
        let checked = *self.checked.lock().ok()?;
        match checked {
            Some((at, g)) if g == generation && at.elapsed() < FRESH_FOR => self.catalog.read().ok()?.clone(),
            _ => None,
        }
    }

    /// The platform's pseudonym key (OPN-6), made once for all servers of a database.
    pub async fn key(&self, store: &Store) -> Result<Arc<[u8]>, ApiError> {
        let key = self
            .key
            .get_or_try_init(|| async {
                let candidate = hex::encode(rand::random::<[u8; 32]>());
                let now = chrono::Utc::now().timestamp_micros();
                let k = store.platform_key("pseudonym", &candidate, now).await?;
                Ok::<_, ApiError>(Arc::from(k.into_bytes()))
            })
            .await?;
        Ok(key.clone())
    }

    /// The current snapshot.
    pub async fn get(&self, store: &Store) -> Result<Arc<OpenCatalog>, ApiError> {
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let _one = self.rebuild.lock().await;
        if let Some(c) = self.fresh() {
            return Ok(c);
        }
        let generation = self.generation.load(Ordering::Relaxed);
        let stamp = stamp(store).await?;
        let current = self.catalog.read().ok().and_then(|c| c.clone());
        let catalog = match current {
            Some(c) if c.stamp == stamp => c,
            _ => Arc::new(build(store, stamp, &self.key(store).await?).await?),
        };
        if let Ok(mut c) = self.catalog.write() {
            *c = Some(catalog.clone());
        }
        if let Ok(mut c) = self.checked.lock() {
            *c = Some((Instant::now(), generation));
        }
        Ok(catalog)
    }
}

async fn stamp(store: &Store) -> Result<Stamp, ApiError> {
    let (newest, count) = store.catalog_stamp().await?;
    let (versions, rules, rules_at, suspensions) = store.open_stamp().await?;
    Ok((newest, count, versions, rules, rules_at, suspensions))
}

/// The provider's overrides of an entry, parsed; rules that no longer parse are
/// skipped (the default then applies) and logged.
fn overrides(rules: &[gongshu_store::ReleaseRule]) -> HashMap<String, Release> {
    rules
        .iter()
        .filter_map(|r| match serde_json::from_str::<Release>(&r.rule) {
            Ok(rule) => Some((r.item.clone(), rule)),
            Err(e) => {
                tracing::warn!(entry = r.entry_id, item = %r.item, error = %e, "unreadable release rule skipped");
                None
            }
        })
        .collect()
}

async fn build(store: &Store, stamp: Stamp, key: &[u8]) -> Result<OpenCatalog, ApiError> {
    let entries = store.entries_changed_since(0).await?;
    let orgs: HashMap<i64, Org> = store.orgs().await?.iter().map(|o| (o.id, o.clone())).collect();
    let mut latest: HashMap<i64, DataVersion> =
        store.latest_data_versions().await?.into_iter().map(|v| (v.entry_id, v)).collect();
    let mut rules: HashMap<i64, Vec<gongshu_store::ReleaseRule>> = HashMap::new();
    for r in store.release_rules(None).await? {
        rules.entry(r.entry_id).or_default().push(r);
    }
    let suspended: HashMap<i64, String> = crate::open::release::suspensions(store).await?;
    let mut datasets: Vec<Arc<OpenDataset>> = Vec::new();
    for e in entries {
        let entry = e.entry;
        if entry.published_version.is_none() || entry.state == "retired" {
            continue;
        }
        let Ok(content) = serde_json::from_str::<NewEntry>(&e.content) else { continue };
        if content.open.open_type != OpenType::Unconditional {
            continue;
        }
        let plan = ReleasePlan::new(
            &leveled_items(&content),
            &overrides(rules.get(&entry.id).map(Vec::as_slice).unwrap_or_default()),
            key,
        );
        datasets.push(Arc::new(OpenDataset {
            name: dataset_name(&entry.code),
            org: orgs.get(&entry.provider_org_id).cloned(),
            version: latest.remove(&entry.id),
            suspended: suspended.get(&entry.id).cloned(),
            plan,
            content,
            entry,
        }));
    }
    datasets.sort_by(|a, b| a.name.cmp(&b.name));
    let by_name = datasets.iter().enumerate().map(|(i, d)| (d.name.clone(), i)).collect();
    let by_id = datasets.iter().enumerate().map(|(i, d)| (d.entry.id, i)).collect();
    Ok(OpenCatalog { datasets, by_name, by_id, stamp })
}

/// The snapshot of a state.
pub async fn open_catalog(state: &crate::app::AppState) -> Result<Arc<OpenCatalog>, ApiError> {
    state.open().get(state.store()).await
}
