//! Downloads of open data (OPN-1) as CSV, XLSX, JSON and Parquet. A download is made
//! once per data version, format and release plan, by the shared released reader, into
//! a file under `exports/` of the data directory (staged, then renamed); later downloads
//! stream that file. So a download of any size streams in constant memory at the
//! speed of a file, and a changed rule or a new version makes new files. Each download
//! is counted and audited.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongshu_data::DataError;
use gongshu_data::export::{self, ExportFormat};

use super::OpenDataset;
use super::catalog::open_catalog;
use crate::app::{AppState, AppStateExt};
use crate::auth::Ctx;
use crate::error::{ApiError, Path};

/// One lock per export file, so two first downloads do not both make it.
#[derive(Default)]
pub struct ExportLocks(Mutex<HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>);

impl ExportLocks {
    fn lock_for(&self, path: &std::path::Path) -> Arc<tokio::sync::Mutex<()>> {
        match self.0.lock() {
            Ok(mut m) => m.entry(path.to_path_buf()).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }
}

/// A made download: its file and the records it holds.
pub struct Export {
    pub path: PathBuf,
    pub records: u64,
    pub bytes: u64,
}

fn export_failed(e: DataError) -> ApiError {
    match e {
        DataError::TooManyRowsForXlsx { .. } => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message_zh(), e.to_string())
        }
        e => {
            tracing::error!(error = %e, "an export could not be made");
            ApiError::internal()
        }
    }
}

fn io_failed(e: std::io::Error) -> ApiError {
    tracing::error!(error = %e, "export file");
    ApiError::internal()
}

/// The dataset's current version as `format`, made if it is not yet.
pub async fn export(state: &AppState, ds: &OpenDataset, format: ExportFormat) -> Result<Export, ApiError> {
    let v = ds.data()?;
    let dir = state.settings().data_dir.join("exports").join(&v.storage_key).join(ds.plan.fingerprint());
    let path = dir.join(format!("data.{}", format.ext()));
    let count = dir.join(format!("data.{}.records", format.ext()));
    let lock = state.export_locks().lock_for(&path);
    let _held = lock.lock().await;
    if let (Ok(meta), Ok(records)) = (tokio::fs::metadata(&path).await, tokio::fs::read_to_string(&count).await)
        && let Ok(records) = records.trim().parse()
    {
        return Ok(Export { path, records, bytes: meta.len() });
    }
    let reader = super::release::reader(state, ds).await?;
    let staged = state.data_files().stage(&format!(".{}", format.ext()))?;
    let target = staged.clone();
    let made = tokio::task::spawn_blocking(move || -> Result<u64, DataError> {
        let schema = reader.schema();
        match format {
            ExportFormat::Csv => export::write_csv(&schema, reader, std::fs::File::create(&target)?),
            ExportFormat::Json => export::write_json(reader, std::fs::File::create(&target)?),
            ExportFormat::Parquet => export::write_parquet(&schema, reader, std::fs::File::create(&target)?),
            ExportFormat::Xlsx => export::write_xlsx(&schema, reader, &target),
        }
    })
    .await
    .map_err(|_| ApiError::internal())?;
    let records = match made {
        Ok(r) => r,
        Err(e) => {
            let _ = tokio::fs::remove_file(&staged).await;
            return Err(export_failed(e));
        }
    };
    tokio::fs::create_dir_all(&dir).await.map_err(io_failed)?;
    tokio::fs::rename(&staged, &path).await.map_err(io_failed)?;
    tokio::fs::write(&count, records.to_string()).await.map_err(io_failed)?;
    let bytes = tokio::fs::metadata(&path).await.map_err(io_failed)?.len();
    Ok(Export { path, records, bytes })
}

/// `name.ext` → the dataset name and the format.
pub fn parse_file(file: &str) -> Result<(&str, ExportFormat), ApiError> {
    file.rsplit_once('.').and_then(|(name, ext)| Some((name, ExportFormat::parse(ext)?))).ok_or_else(|| {
        ApiError::bad_request(
            "unknown_download_format",
            format!("“{file}”不是可下载的文件，格式应为 csv、xlsx、json 或 parquet"),
            format!("{file:?} is not a download: the format must be csv, xlsx, json or parquet"),
        )
    })
}

/// A header value for `Content-Disposition` with a UTF-8 file name (RFC 6266).
fn disposition(file: &str) -> String {
    let ascii: String =
        file.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let encoded: String = file
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// Streams a made file with its length.
pub async fn file_response(path: &std::path::Path, media_type: &str, file_name: &str) -> Result<Response, ApiError> {
    let file = tokio::fs::File::open(path).await.map_err(io_failed)?;
    let len = file.metadata().await.map_err(io_failed)?.len();
    let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024));
    Ok((
        [
            (header::CONTENT_TYPE, media_type.to_string()),
            (header::CONTENT_LENGTH, len.to_string()),
            (header::CONTENT_DISPOSITION, disposition(file_name)),
            (header::CACHE_CONTROL, "public, max-age=60".to_string()),
        ],
        body,
    )
        .into_response())
}

/// Counts a download and audits it as a data access (SEC-1). A failure to count is
/// logged, not shown to the downloader.
pub async fn count(state: &AppState, ctx: &Ctx, ds: &OpenDataset, format: &str, records: u64) {
    let day = chrono::Utc::now().with_timezone(&gongshu_domain::time::cst()).format("%Y-%m-%d").to_string();
    let records = i64::try_from(records).unwrap_or(i64::MAX);
    if let Err(e) = state.store().count_download(ds.entry.id, format, &day, records, &ctx.actor()).await {
        tracing::error!(error = %e, "a download was not counted");
    }
}

/// `GET /open/download/{file}`: the current version of an open dataset, e.g.
/// `1010010-00001.csv`. Public; 410 when opening is suspended.
#[utoipa::path(get, path = "/open/download/{file}", tag = "open",
    params(("file" = String, Path, description = "Dataset name and format, e.g. `1010010-00001.csv`")),
    responses((status = 200, description = "The released data"), (status = 404, description = "No such open dataset"),
        (status = 410, description = "Opening suspended"), (status = 422, description = "Too many rows for XLSX")))]
pub async fn download(state: AppStateExt, ctx: Ctx, Path(file): Path<String>) -> Result<Response, ApiError> {
    let (name, format) = parse_file(&file)?;
    let catalog = open_catalog(&state).await?;
    let ds = catalog.get(name).ok_or_else(|| ApiError::not_found("开放数据", "Open dataset"))?;
    let made = export(&state, ds, format).await?;
    count(&state, &ctx, ds, format.ext(), made.records).await;
    file_response(&made.path, format.media_type(), &format!("{}.{}", ds.name, format.ext())).await
}

/// Removes made downloads nobody will be served again: those of superseded versions or
/// of rules no longer in force, and every bulk ZIP (they are made again on demand).
/// Run at start. Returns how many directories and files were removed.
pub async fn prune(state: &AppState) -> Result<usize, ApiError> {
    let root = state.settings().data_dir.join("exports");
    if !tokio::fs::try_exists(&root).await.unwrap_or(false) {
        return Ok(0);
    }
    let catalog = open_catalog(state).await?;
    let keep: std::collections::HashSet<PathBuf> = catalog
        .datasets
        .iter()
        .filter_map(|d| Some(root.join(&d.version.as_ref()?.storage_key).join(d.plan.fingerprint())))
        .collect();
    tokio::task::spawn_blocking(move || {
        let mut removed = 0;
        let _ = std::fs::remove_dir_all(root.join("bulk")).map(|_| removed += 1);
        // Export directories are the ones holding `data.*` files.
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            let mut is_export = false;
            for e in entries.flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else if e.file_name().to_string_lossy().starts_with("data.") {
                    is_export = true;
                }
            }
            if is_export && !keep.contains(&dir) && std::fs::remove_dir_all(&dir).is_ok() {
                removed += 1;
            }
        }
        removed
    })
    .await
    .map_err(|_| ApiError::internal())
}
