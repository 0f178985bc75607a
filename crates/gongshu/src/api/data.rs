//! Data versions over the API (AGG-1, AGG-3, AGG-5): push a file or a batch with an API
//! token, list an entry's versions with their quality reports, fetch a reject file,
//! and list overdue entries.

use axum::body::Body;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongshu_data::{Encoding, Format};
use gongshu_store::{DataVersion, Entry};
use serde::{Deserialize, Serialize};
use tokio::io::AsyncWriteExt;

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::data::{LoadFile, Loaded, Overdue};
use crate::error::{ApiError, Json, Path, Query};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LoadQuery {
    /// `csv`, `xlsx` or `json` (default: from `file_name`, else from the content type).
    pub format: Option<String>,
    /// For CSV: `utf-8` or `gbk`/`gb18030` (default: detected).
    pub encoding: Option<String>,
    /// The file's name, kept with the version.
    pub file_name: Option<String>,
}

/// The entry, if the caller may load its data: its provider's staff, or the platform's
/// operators.
pub async fn loadable_entry(state: &crate::app::AppState, ctx: &Ctx, id: i64) -> Result<Entry, ApiError> {
    crate::catalog::own_entry(state.store(), ctx, id).await
}

fn format_from(q: &LoadQuery, content_type: Option<&str>) -> Result<Option<Format>, ApiError> {
    if let Some(f) = &q.format {
        return Format::parse(f).map(Some).ok_or_else(|| {
            ApiError::bad_request(
                "unknown_format",
                format!("“{f}”不是支持的格式，应为 csv、xlsx 或 json"),
                format!("{f:?} is not a supported format: use csv, xlsx or json"),
            )
        });
    }
    if let Some(f) = q.file_name.as_deref().and_then(Format::from_name) {
        return Ok(Some(f));
    }
    Ok(match content_type.unwrap_or_default().split(';').next().unwrap_or_default().trim() {
        "text/csv" => Some(Format::Csv),
        "application/json" | "application/x-ndjson" | "application/jsonl" => Some(Format::Json),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(Format::Xlsx),
        _ => None,
    })
}

pub fn encoding_from(e: Option<&str>) -> Result<Option<Encoding>, ApiError> {
    e.filter(|e| !e.is_empty())
        .map(|e| {
            Encoding::parse(e).ok_or_else(|| {
                ApiError::bad_request(
                    "unknown_encoding",
                    format!("“{e}”不是支持的编码，应为 utf-8 或 gbk"),
                    format!("{e:?} is not a supported encoding: use utf-8 or gbk"),
                )
            })
        })
        .transpose()
}

/// Streams an upload (a request body, or a form's file field) into a staged file,
/// refusing more than the configured limit; memory stays flat whatever the size.
pub async fn stage_stream<S, E>(state: &crate::app::AppState, stream: S) -> Result<std::path::PathBuf, ApiError>
where
    S: futures_util::Stream<Item = Result<axum::body::Bytes, E>>,
{
    use futures_util::StreamExt;
    let path = state.data_files().stage(".upload")?;
    let mut file = tokio::fs::File::create(&path).await.map_err(|_| ApiError::internal())?;
    let limit = state.settings().max_upload_bytes;
    let mut written = 0u64;
    let mut stream = std::pin::pin!(stream);
    let result = async {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk
                .map_err(|_| ApiError::bad_request("upload_interrupted", "上传中断", "The upload was interrupted"))?;
            written += chunk.len() as u64;
            if written > limit {
                return Err(ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "file_too_large",
                    format!("文件超过上限 {} MB", limit >> 20),
                    format!("The file is larger than the limit of {} MB", limit >> 20),
                ));
            }
            file.write_all(&chunk).await.map_err(|_| ApiError::internal())?;
        }
        file.flush().await.map_err(|_| ApiError::internal())?;
        Ok(())
    }
    .await;
    if let Err(e) = result {
        let _ = tokio::fs::remove_file(&path).await;
        return Err(e);
    }
    Ok(path)
}

/// Loads the body (CSV, XLSX, JSON array or JSON lines) as the entry's next data
/// version. Rejected records do not stop the good ones; the report says why each was
/// rejected, and the reject file lists every one.
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/data", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path), LoadQuery), request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 201, body = Loaded), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn load(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(q): Query<LoadQuery>,
    headers: axum::http::HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Loaded>), ApiError> {
    let entry = loadable_entry(&state, &ctx, id).await?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let format = format_from(&q, content_type)?;
    let encoding = encoding_from(q.encoding.as_deref())?;
    let path = stage_stream(&state, body.into_data_stream()).await?;
    let file = LoadFile {
        path,
        staged: true,
        file_name: q.file_name.clone().unwrap_or_else(|| "api".into()),
        format,
        encoding,
        source: "api",
    };
    let loaded = crate::data::load(state.store(), state.data_files(), &ctx.actor(), &entry, file, None).await?;
    Ok((StatusCode::CREATED, Json(loaded)))
}

/// A version as listed: its record with the report as JSON.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    #[serde(flatten)]
    pub version: DataVersion,
    #[schema(value_type = Object)]
    pub quality: serde_json::Value,
}

pub fn view(v: DataVersion) -> VersionView {
    let quality = serde_json::from_str(&v.report).unwrap_or(serde_json::Value::Null);
    VersionView { version: DataVersion { report: String::new(), ..v }, quality }
}

/// An entry's data versions, oldest first, each with its quality report.
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}/data", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Items<VersionView>)))]
pub async fn versions(state: AppStateExt, Path(id): Path<i64>) -> Result<Json<Items<VersionView>>, ApiError> {
    state.store().entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let items = state.store().data_versions(id).await?.into_iter().map(view).collect();
    Ok(Json(Items { items }))
}

async fn one(state: &AppStateExt, id: i64, version: i64) -> Result<DataVersion, ApiError> {
    state.store().data_version(id, version).await?.ok_or_else(|| ApiError::not_found("数据版本", "Data version"))
}

/// One data version and its quality report.
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}/data/{version}", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path), ("version" = i64, Path)), responses((status = 200, body = VersionView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn version(state: AppStateExt, Path((id, version)): Path<(i64, i64)>) -> Result<Json<VersionView>, ApiError> {
    Ok(Json(view(one(&state, id, version).await?)))
}

/// The reject file of a version (row, item, rule, detail, value), for the provider: it
/// holds the rejected values themselves.
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}/data/{version}/rejects", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path), ("version" = i64, Path)), responses((status = 200, content_type = "text/csv", body = String)))]
pub async fn rejects(
    state: AppStateExt,
    ctx: Ctx,
    Path((id, version)): Path<(i64, i64)>,
) -> Result<Response, ApiError> {
    loadable_entry(&state, &ctx, id).await?;
    let v = one(&state, id, version).await?;
    let path = state.data_files().local(&v.storage_key).await?.join(gongshu_data::Rejects::FILE);
    let file = tokio::fs::File::open(&path).await.map_err(|_| ApiError::internal())?;
    state
        .store()
        .append(
            &ctx.actor()
                .event("data.rejects_read", format!("catalog_entry:{id}"))
                .detail(serde_json::json!({"version": version})),
        )
        .await?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let disposition = format!("attachment; filename=\"rejects-{id}-v{version}.csv\"");
    Ok((
        [(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()), (header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// Published entries whose next load is overdue by their update cycle (AGG-5).
#[utoipa::path(get, path = "/api/v1/data/overdue", tag = "data", security(("bearer" = [])), responses((status = 200, body = Items<Overdue>)))]
pub async fn overdue(state: AppStateExt, Query(_q): Query<NoQuery>) -> Result<Json<Items<Overdue>>, ApiError> {
    Ok(Json(Items { items: crate::data::overdue(state.store(), chrono::Utc::now()).await? }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoQuery {}

/// Reports an error on a record of a data version (AGG-4): a ticket for the provider,
/// with the profile's deadline; the provider is told at once.
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/corrections", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = crate::corrections::CorrectionInput,
    responses((status = 201, body = gongshu_store::Correction), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn report_correction(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<crate::corrections::CorrectionInput>,
) -> Result<(StatusCode, Json<gongshu_store::Correction>), ApiError> {
    Ok((StatusCode::CREATED, Json(crate::corrections::report(&state, &ctx, id, &input).await?)))
}

/// The correction tickets of an entry, oldest first.
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}/corrections", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Items<gongshu_store::Correction>)))]
pub async fn corrections(
    state: AppStateExt,
    Path(id): Path<i64>,
) -> Result<Json<Items<gongshu_store::Correction>>, ApiError> {
    Ok(Json(Items { items: state.store().corrections(Some(id), None).await? }))
}

/// Entries that duplicate another provider's authoritative base-library source, and
/// loads of data that could be had by sharing (AGG-6).
#[utoipa::path(get, path = "/api/v1/data/duplicates", tag = "data", security(("bearer" = [])), responses((status = 200, body = Items<crate::data::DuplicateView>)))]
pub async fn duplicates(state: AppStateExt) -> Result<Json<Items<crate::data::DuplicateView>>, ApiError> {
    Ok(Json(Items { items: crate::data::duplicates(state.store()).await? }))
}

/// Sets an entry's scheduled pull from the provider's address; the first run is due at
/// once, and each later one `every_minutes` after the last.
#[utoipa::path(put, path = "/api/v1/catalog/entries/{id}/pull", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = crate::pulls::PullInput,
    responses((status = 200, body = gongshu_store::Pull), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_pull(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<crate::pulls::PullInput>,
) -> Result<Json<gongshu_store::Pull>, ApiError> {
    Ok(Json(crate::pulls::set(&state, &ctx, id, &input).await?))
}

/// Every scheduled pull, with how its last run went.
#[utoipa::path(get, path = "/api/v1/data/pulls", tag = "data", security(("bearer" = [])), responses((status = 200, body = Items<gongshu_store::Pull>)))]
pub async fn pulls(state: AppStateExt) -> Result<Json<Items<gongshu_store::Pull>>, ApiError> {
    Ok(Json(Items { items: state.store().pulls().await? }))
}
