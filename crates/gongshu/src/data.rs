//! Loading providers' data into versions (AGG-1, AGG-2, AGG-3), shared by the API, the
//! console and the CLI.
//!
//! A load reads a staged copy of the file, checks it against the published entry's
//! data items and writes the version's files (Parquet and the reject file) into a
//! staging directory; the directory is renamed into place and only then is the version
//! recorded. A crash at any point leaves the previous version as it was and no partial
//! version: a staged directory is never a version, and one without a row is removed at
//! the next start ([`DataFiles::clean_up`]).

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use gongshu_data::{DataError, Encoding, Format, Input, ItemSpec, QualityReport};
use gongshu_domain::catalog::{NewEntry, UpdateCycle};
use gongshu_store::{Actor, DataVersion, Entry, NewDataVersion, NewNotification, Store};
use serde::{Deserialize, Serialize};

use crate::error::ApiError;

pub use crate::data_files::DataFiles;
use crate::data_files::io_error;

/// A data error as an API error: the file's problem, said in both languages.
pub fn data_error(e: DataError) -> ApiError {
    let status = match e {
        DataError::Io(_) | DataError::Write(_) => {
            tracing::error!(error = %e, "data load");
            return ApiError::internal();
        }
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, e.code(), e.message_zh(), e.to_string())
}

/// The timeliness of a load against the entry's update cycle (AGG-3, WH-13).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Timeliness {
    pub update_cycle: String,
    /// When the previous version was loaded (microseconds), if any.
    pub previous_at: Option<i64>,
    /// When this load was due after the previous one.
    pub due_at: Option<i64>,
    /// Whether it came on time (a first load always does).
    pub on_time: bool,
}

/// A version's report as stored: the quality report, what was read, and timeliness.
#[derive(Debug, Clone, Serialize)]
pub struct VersionReport<'a> {
    #[serde(flatten)]
    pub quality: &'a QualityReport,
    pub format: &'static str,
    pub encoding: Option<&'static str>,
    pub timeliness: Timeliness,
    /// Other base-library sources sharing key identifiers, and how many disagree.
    pub consistency: Vec<serde_json::Value>,
}

/// What to load.
#[derive(Debug, Clone)]
pub struct LoadFile {
    /// A file of the staging area (moved away when the load ends) or the caller's own
    /// file (left alone).
    pub path: PathBuf,
    pub staged: bool,
    pub file_name: String,
    pub format: Option<Format>,
    pub encoding: Option<Encoding>,
    /// `upload`, `api` or `cli`.
    pub source: &'static str,
}

/// The outcome of a load.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Loaded {
    pub version: DataVersion,
    #[schema(value_type = Object)]
    pub report: serde_json::Value,
}

/// The data items of an entry's published version, as the columns a load must have.
pub async fn entry_items(store: &Store, entry: &Entry) -> Result<(NewEntry, Vec<ItemSpec>), ApiError> {
    let Some(published) = entry.published_version else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "entry_not_published",
            "目录尚未发布，不能加载数据",
            "Data can be loaded only for a published entry",
        ));
    };
    let versions = store.entry_versions(entry.id).await?;
    let v = versions.iter().find(|v| v.version == published).ok_or_else(ApiError::internal)?;
    let content = crate::catalog::content(v)?;
    let items = ItemSpec::from_entry(&content);
    if items.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "entry_has_no_items",
            "目录没有信息项，无法校验数据",
            "The entry has no data items to check the data against",
        ));
    }
    Ok((content, items))
}

fn format_of(file: &LoadFile) -> Result<Format, ApiError> {
    file.format.or_else(|| Format::from_name(&file.file_name)).ok_or_else(|| {
        ApiError::bad_request(
            "unknown_format",
            "无法判断文件格式，请注明 csv、xlsx 或 json",
            "Cannot tell the file's format: say csv, xlsx or json",
        )
    })
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
        Format::Json => "json",
    }
}

/// Loads a file as the entry's next data version. `progress` is told the bytes read.
pub async fn load(
    store: &Store,
    files: &DataFiles,
    by: &Actor,
    entry: &Entry,
    file: LoadFile,
    progress: Option<Box<dyn FnMut(u64) + Send>>,
) -> Result<Loaded, ApiError> {
    let result = load_inner(store, files, by, entry, &file, progress).await;
    if file.staged {
        let _ = tokio::fs::remove_file(&file.path).await;
    }
    match &result {
        Ok(loaded) => {
            // A later version may correct reported records (AGG-4).
            let v = &loaded.version;
            if let Err(e) = crate::corrections::verify(store, files, entry, v.version, &v.storage_key).await {
                tracing::warn!(error = ?e, entry = entry.id, "could not check correction tickets");
            }
        }
        // The provider is told at once that a load failed, and why (the outbox carries
        // it to its webhooks).
        Err(e) => {
            let note = NewNotification {
                org_id: Some(entry.provider_org_id),
                kind: "load_failed".into(),
                item: format!("catalog_entry:{}", entry.id),
                title_zh: format!("数据加载失败：“{}”（{}）：{}", entry.name, file.file_name, e.message_zh),
                title_en: format!("Data load failed: \"{}\" ({}): {}", entry.name, file.file_name, e.message_en),
            };
            let event = by
                .event("data.load_failed", format!("catalog_entry:{}", entry.id))
                .detail(serde_json::json!({ "code": e.code, "file": file.file_name, "source": file.source }));
            if let Err(err) = store.notify(&[note], &event).await {
                tracing::warn!(error = %err, "could not record a failed load");
            }
        }
    }
    result
}

async fn load_inner(
    store: &Store,
    files: &DataFiles,
    by: &Actor,
    entry: &Entry,
    file: &LoadFile,
    progress: Option<Box<dyn FnMut(u64) + Send>>,
) -> Result<Loaded, ApiError> {
    let (content, items) = entry_items(store, entry).await?;
    crate::aggregation::check_loadable(store, entry).await?;
    let format = format_of(file)?;
    let how = Input { format, encoding: file.encoding };
    let staged_dir = files.stage("")?;
    std::fs::create_dir_all(&staged_dir).map_err(io_error)?;
    let today = gongshu_rules::calendar::cst_date(Utc::now());
    let input_path = file.path.clone();
    let dir = staged_dir.clone();
    let items_copy = items.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let input = std::fs::File::open(&input_path)?;
        let mut progress = progress;
        let p: Option<&mut dyn FnMut(u64)> = match progress.as_mut() {
            Some(p) => Some(p.as_mut()),
            None => None,
        };
        gongshu_data::load(input, how, &items, today, &dir, p)
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let (quality, encoding) = match outcome {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staged_dir);
            return Err(data_error(e));
        }
    };
    let previous = store.data_versions(entry.id).await?.pop();
    let timeliness = timeliness(content.update_cycle, previous.as_ref().map(|p| p.created_at), Utc::now());
    let staged_parquet = staged_dir.clone();
    let consistency =
        match consistency(store, files, entry, &content, &items_copy, &staged_parquet, quality.rows_valid).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = ?e, "consistency check skipped");
                Vec::new()
            }
        };
    let report = VersionReport {
        quality: &quality,
        format: format_name(format),
        encoding: encoding.map(Encoding::as_str),
        timeliness,
        consistency,
    };
    let report_json = serde_json::to_value(&report).map_err(|_| ApiError::internal())?;
    let key = format!("{}/{}", entry.id, uuid::Uuid::new_v4().simple());
    let target = files.version_dir(&key);
    let bytes = dir_size(&staged_dir);
    let placed =
        target.parent().map_or(Ok(()), std::fs::create_dir_all).and_then(|_| std::fs::rename(&staged_dir, &target));
    if let Err(e) = placed {
        let _ = std::fs::remove_dir_all(&staged_dir);
        return Err(io_error(e));
    }
    let new = NewDataVersion {
        entry_id: entry.id,
        storage_key: key,
        source: file.source.to_string(),
        file_name: file.file_name.clone(),
        rows_total: quality.rows_total as i64,
        rows_valid: quality.rows_valid as i64,
        rows_rejected: quality.rows_rejected as i64,
        bytes: bytes as i64,
        report: report_json.to_string(),
    };
    let next_update = update_clock(content.update_cycle, entry.provider_org_id, Utc::now());
    if let Err(e) = files.publish(&new.storage_key).await {
        let _ = std::fs::remove_dir_all(&target);
        return Err(e);
    }
    match store.add_data_version(&new, next_update.as_ref(), by).await {
        Ok(version) => Ok(Loaded { version, report: report_json }),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&target);
            Err(e.into())
        }
    }
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|it| it.filter_map(Result::ok).filter_map(|e| e.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

/// The clock of an entry's next load after one at `now` (AGG-5, WH-13): due when the
/// update cycle comes round, the provider reminded a day before and told when it is
/// missed; none for an irregular cycle.
pub fn update_clock(cycle: UpdateCycle, provider_org_id: i64, now: DateTime<Utc>) -> Option<gongshu_store::NewClock> {
    let due = gongshu_data::timeliness::next_due(cycle, now)?;
    let cst = |t: DateTime<Utc>| gongshu_rules::calendar::cst_date(t).to_string();
    Some(gongshu_store::NewClock {
        item: String::new(),
        duty: "data_update".into(),
        rule: "catalog.update_cycle".into(),
        source: "WH-13".into(),
        holder_org_id: Some(provider_org_id),
        received_on: cst(now),
        working_days: 0,
        due_on: cst(due),
        due_at: due.timestamp_micros(),
        remind_at: (due - chrono::Duration::days(1)).timestamp_micros(),
        provisional: false,
        on_miss: "remind".into(),
    })
}

/// Timeliness of a load at `now` after one at `previous` (microseconds).
pub fn timeliness(cycle: UpdateCycle, previous: Option<i64>, now: DateTime<Utc>) -> Timeliness {
    let prev = previous.and_then(DateTime::from_timestamp_micros);
    let due = prev.and_then(|p| gongshu_data::timeliness::next_due(cycle, p));
    Timeliness {
        update_cycle: cycle.as_str().to_string(),
        previous_at: previous,
        due_at: due.map(|d| d.timestamp_micros()),
        on_time: due.is_none_or(|d| now <= d),
    }
}

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

/// Parses the `--item`/`?item=` specs, or reports the first bad one.
pub fn parse_items(specs: &[String]) -> Result<Vec<ItemSpec>, DataError> {
    specs.iter().map(|s| ItemSpec::parse(s)).collect()
}

/// The day a check counts birth dates against: today in China Standard Time.
pub fn today() -> NaiveDate {
    gongshu_rules::calendar::cst_date(Utc::now())
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
    let chars: Vec<char> = k.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
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
