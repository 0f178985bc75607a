//! Bulk downloads (OPN-1), so nobody has to script thousands of calls: the whole open
//! catalog's metadata as JSON Lines (one CKAN package per line) and as the catalog
//! spreadsheet template, and all open data of one provider as one ZIP of CSV files
//! (the same released CSV files single downloads serve). The ZIP is made once per
//! set of versions and plans, then streamed from disk.

use std::io::Write;

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongshu_data::export::ExportFormat;
use sha2::{Digest, Sha256};

use super::catalog::{open_catalog, org_name};
use super::exports::{count, export, file_response};
use crate::api::ckan::{base_url, package_dict};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Path};

/// `GET /open/catalog.jsonl`: every listed dataset's CKAN package, one per line.
#[utoipa::path(get, path = "/open/catalog.jsonl", tag = "open", responses((status = 200, description = "JSON Lines")))]
pub async fn catalog_jsonl(state: AppStateExt, headers: HeaderMap) -> Result<Response, ApiError> {
    let catalog = open_catalog(&state).await?;
    let base = base_url(&state, &headers);
    let mut out = Vec::new();
    for d in catalog.listed() {
        let _ = serde_json::to_writer(&mut out, &package_dict(d, &base));
        out.push(b'\n');
    }
    Ok(([(header::CONTENT_TYPE, "application/jsonl; charset=utf-8")], out).into_response())
}

/// `GET /open/catalog.xlsx`: the listed datasets in the catalog spreadsheet template.
#[utoipa::path(get, path = "/open/catalog.xlsx", tag = "open", responses((status = 200, description = "The catalog template")))]
pub async fn catalog_xlsx(state: AppStateExt) -> Result<Response, ApiError> {
    let catalog = open_catalog(&state).await?;
    let header: Vec<String> = gongshu_domain::catalog::TEMPLATE_COLUMNS.iter().map(|c| c.to_string()).collect();
    let rows: Vec<Vec<String>> = catalog
        .listed()
        .flat_map(|d| gongshu_domain::catalog::rows_from_entry(&d.content))
        .map(|r| r.cells().iter().map(|c| gongshu_data::export::neutralize(c).into_owned()).collect())
        .collect();
    let bytes = crate::catalog_import::table_to_xlsx(&crate::catalog_import::Table { header, rows })?;
    Ok((
        [
            (header::CONTENT_TYPE, ExportFormat::Xlsx.media_type()),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"open-catalog.xlsx\""),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /open/bulk/{org}.zip`: all open data of one provider, a CSV per dataset.
#[utoipa::path(get, path = "/open/bulk/{file}", tag = "open",
    params(("file" = String, Path, description = "The provider's name and `.zip`, e.g. `11371000004190187a.zip`")),
    responses((status = 200, description = "ZIP of CSV files"), (status = 404, description = "No open data of this provider")))]
pub async fn provider_zip(state: AppStateExt, ctx: Ctx, Path(file): Path<String>) -> Result<Response, ApiError> {
    let org = file.strip_suffix(".zip").unwrap_or(&file).to_ascii_lowercase();
    let catalog = open_catalog(&state).await?;
    let datasets: Vec<_> = catalog
        .listed()
        .filter(|d| d.org.as_ref().is_some_and(|o| org_name(o) == org) && d.version.is_some())
        .collect();
    if datasets.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "no_open_data",
            "该单位没有可批量下载的开放数据",
            "This provider has no open data to download in bulk",
        ));
    }
    let mut parts = Vec::new();
    let mut digest = Sha256::new();
    for d in &datasets {
        let made = export(&state, d, ExportFormat::Csv).await?;
        digest.update(made.path.to_string_lossy().as_bytes());
        parts.push((format!("{}.csv", d.name), made.path, made.records, d));
    }
    let key: String = digest.finalize().iter().take(8).map(|b| format!("{b:02x}")).collect();
    let dir = state.settings().data_dir.join("exports").join("bulk");
    let path = dir.join(format!("{org}-{key}.zip"));
    if tokio::fs::metadata(&path).await.is_err() {
        let staged = state.data_files().stage(".zip")?;
        let target = staged.clone();
        let files: Vec<(String, std::path::PathBuf)> =
            parts.iter().map(|(n, p, _, _)| (n.clone(), p.clone())).collect();
        let made = tokio::task::spawn_blocking(move || -> Result<(), zip::result::ZipError> {
            let mut zip = zip::ZipWriter::new(std::fs::File::create(&target)?);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .large_file(true);
            for (name, path) in files {
                zip.start_file(name, options)?;
                std::io::copy(&mut std::fs::File::open(path)?, &mut zip)?;
            }
            zip.finish()?.flush()?;
            Ok(())
        })
        .await
        .map_err(|_| ApiError::internal())?;
        if let Err(e) = made {
            tracing::error!(error = %e, "bulk ZIP could not be made");
            let _ = tokio::fs::remove_file(&staged).await;
            return Err(ApiError::internal());
        }
        tokio::fs::create_dir_all(&dir).await.map_err(|_| ApiError::internal())?;
        tokio::fs::rename(&staged, &path).await.map_err(|_| ApiError::internal())?;
    }
    for (_, _, records, d) in &parts {
        count(&state, &ctx, d, "bulk_csv", *records).await;
    }
    file_response(&path, "application/zip", &format!("{org}.zip")).await
}
