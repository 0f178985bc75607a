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
pub use crate::data_reports::{
    DuplicateView, Overdue, consistency, duplicates, mask_key, name_item, overdue, subject_item,
};

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

/// Parses the `--item`/`?item=` specs, or reports the first bad one.
pub fn parse_items(specs: &[String]) -> Result<Vec<ItemSpec>, DataError> {
    specs.iter().map(|s| ItemSpec::parse(s)).collect()
}

/// The day a check counts birth dates against: today in China Standard Time.
pub fn today() -> NaiveDate {
    gongshu_rules::calendar::cst_date(Utc::now())
}
