//! The catalog API (CAT-1, CAT-2): draft, change, submit, review, versions, comparison.

use axum::http::StatusCode;
use gongshu_domain::catalog::{FieldChange, NewEntry, diff};
use gongshu_store::{Entry, EntryFilter};
use serde::{Deserialize, Serialize};

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::catalog;
use crate::error::{ApiError, Json, Path, Query};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EntryQuery {
    /// `draft`, `submitted`, `published`, `rejected` or `retired`.
    pub state: Option<String>,
    /// Provider organization id.
    pub provider: Option<i64>,
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// Catalog entries (staff see drafts too).
#[utoipa::path(get, path = "/api/v1/catalog/entries", tag = "catalog", security(("bearer" = [])), params(EntryQuery),
    responses((status = 200, body = Items<Entry>)))]
pub async fn list(state: AppStateExt, Query(q): Query<EntryQuery>) -> Result<Json<Items<Entry>>, ApiError> {
    let filter = EntryFilter {
        provider_org_id: q.provider,
        state: q.state,
        limit: q.limit.unwrap_or(100),
        offset: q.offset.unwrap_or(0),
    };
    Ok(Json(Items { items: state.store().entries(&filter).await? }))
}

/// Drafts a new entry (JSON of the entry: code, name, summary, provider, category, format,
/// items, share, open, grade, update_cycle, published_on, related). Every problem is listed.
#[utoipa::path(post, path = "/api/v1/catalog/entries", tag = "catalog", security(("bearer" = [])),
    request_body(content = serde_json::Value, description = "The entry (see docs/api.md)"),
    responses((status = 201, body = Entry), (status = 422, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    state: AppStateExt,
    ctx: Ctx,
    Json(entry): Json<NewEntry>,
) -> Result<(StatusCode, Json<Entry>), ApiError> {
    let created = catalog::create(state.store(), Some(&ctx), &ctx.actor(), &entry).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VersionView {
    pub version: i64,
    pub state: String,
    pub created_by: String,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub reason: Option<String>,
    pub kind: String,
    pub step: i64,
    pub basis_changed_on: Option<String>,
    pub late_filing: bool,
    #[schema(value_type = Object)]
    pub content: serde_json::Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EntryDetail {
    pub entry: Entry,
    /// Every version, oldest first (CAT-2).
    pub versions: Vec<VersionView>,
}

pub async fn detail(state: &AppStateExt, id: i64) -> Result<EntryDetail, ApiError> {
    let entry = state.store().entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let t = |v: Option<i64>| v.map(gongshu_domain::time::rfc3339_cst);
    let versions = state
        .store()
        .entry_versions(id)
        .await?
        .into_iter()
        .map(|v| VersionView {
            version: v.version,
            state: v.state,
            created_by: v.created_by,
            created_at: gongshu_domain::time::rfc3339_cst(v.created_at),
            submitted_at: t(v.submitted_at),
            decided_by: v.decided_by,
            decided_at: t(v.decided_at),
            reason: v.reason,
            kind: v.kind,
            step: v.step,
            basis_changed_on: v.basis_changed_on,
            late_filing: v.late_filing,
            content: serde_json::from_str(&v.content).unwrap_or_default(),
        })
        .collect();
    Ok(EntryDetail { entry, versions })
}

/// One entry with every version.
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = EntryDetail), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(state: AppStateExt, Path(id): Path<i64>) -> Result<Json<EntryDetail>, ApiError> {
    Ok(Json(detail(&state, id).await?))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Saved {
    pub version: i64,
}

/// Saves a draft: edits the current draft, or starts a change of a published entry.
#[utoipa::path(put, path = "/api/v1/catalog/entries/{id}", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path), crate::catalog::MoveEvidence),
    request_body(content = serde_json::Value, description = "The entry (see docs/api.md)"),
    responses((status = 200, body = Saved), (status = 422, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Query(evidence): Query<crate::catalog::MoveEvidence>,
    Json(entry): Json<NewEntry>,
) -> Result<Json<Saved>, ApiError> {
    Ok(Json(Saved { version: catalog::update_with(state.store(), &ctx, id, &entry, evidence).await? }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Submitted {
    /// `initial`, `change` or `retire`.
    pub kind: String,
    pub basis_changed_on: Option<String>,
    /// Filed after the profile's limit (CAT-3): allowed, flagged.
    pub late_filing: bool,
}

/// Submits the draft to the authority of the provider's level; its clock starts. A change
/// of a published entry states when its basis changed (CAT-3).
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/submit", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = crate::catalog::SubmitInput,
    responses((status = 200, body = Submitted), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<crate::catalog::SubmitInput>,
) -> Result<Json<Submitted>, ApiError> {
    let m = catalog::submit(&state, &ctx, id, &input).await?;
    Ok(Json(Submitted { kind: m.kind, basis_changed_on: m.basis_changed_on, late_filing: m.late_filing }))
}

/// Files the retirement of a published entry; history is kept (CAT-3).
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/retire", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = crate::catalog::SubmitInput,
    responses((status = 200, body = Submitted), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn retire(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<crate::catalog::SubmitInput>,
) -> Result<Json<Submitted>, ApiError> {
    let m = catalog::retire(&state, &ctx, id, &input).await?;
    Ok(Json(Submitted { kind: m.kind, basis_changed_on: m.basis_changed_on, late_filing: m.late_filing }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// `approve` or `reject`.
    pub decision: String,
    /// Required to reject.
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reviewed {
    /// The review came after its deadline (allowed, recorded).
    pub late: bool,
}

/// Approves (publishes) or rejects the submitted version.
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/review", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReviewInput, responses((status = 200, body = Reviewed), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn review(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(r): Json<ReviewInput>,
) -> Result<Json<Reviewed>, ApiError> {
    let approve = match r.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_decision",
                format!("“{other}”不是有效决定，应为 approve 或 reject"),
                "decision must be approve or reject",
            ));
        }
    };
    Ok(Json(Reviewed { late: catalog::review(&state, &ctx, id, approve, r.reason).await? }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    pub a: i64,
    pub b: i64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Comparison {
    pub a: i64,
    pub b: i64,
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<FieldChange>,
}

pub async fn comparison(state: &AppStateExt, id: i64, a: i64, b: i64) -> Result<Comparison, ApiError> {
    let versions = state.store().entry_versions(id).await?;
    let find = |n: i64| {
        versions
            .iter()
            .find(|v| v.version == n)
            .ok_or_else(|| ApiError::not_found(&format!("第{n}版"), &format!("Version {n}")))
    };
    let (va, vb) = (catalog::content(find(a)?)?, catalog::content(find(b)?)?);
    Ok(Comparison { a, b, changes: diff(&va, &vb) })
}

/// What changed between two versions, field by field and item by item.
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}/compare", tag = "catalog", security(("bearer" = [])),
    params(("id" = i64, Path), CompareQuery), responses((status = 200, body = Comparison), (status = 404, body = crate::error::ErrorBody)))]
pub async fn compare(
    state: AppStateExt,
    Path(id): Path<i64>,
    Query(q): Query<CompareQuery>,
) -> Result<Json<Comparison>, ApiError> {
    Ok(Json(comparison(&state, id, q.a, q.b).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Check and report; change nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Import nothing if any entry is rejected.
    #[serde(default)]
    pub all_or_nothing: bool,
    /// Publish at once (a catalog the city approved already).
    #[serde(default)]
    pub publish: bool,
}

/// Imports the compilation guide's template: the body is the XLSX workbook or UTF-8 CSV.
/// The report lists every problem by row and column.
#[utoipa::path(post, path = "/api/v1/catalog/import", tag = "catalog", security(("bearer" = [])), params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 200, body = crate::catalog_import::ImportReport), (status = 400, body = crate::error::ErrorBody)))]
pub async fn import(
    state: AppStateExt,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
) -> Result<Json<crate::catalog_import::ImportReport>, ApiError> {
    let opts = crate::catalog_import::ImportOptions {
        dry_run: q.dry_run,
        all_or_nothing: q.all_or_nothing,
        publish: q.publish,
    };
    Ok(Json(crate::catalog_import::import_bytes(state.store(), state.regulation(), &ctx.actor(), &body, opts).await?))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `xlsx` (default) or `csv`.
    pub format: Option<String>,
}

/// The published catalog in the template, as XLSX or CSV.
#[utoipa::path(get, path = "/api/v1/catalog/export", tag = "catalog", security(("bearer" = [])), params(ExportQuery),
    responses((status = 200, description = "the template file")))]
pub async fn export(state: AppStateExt, Query(q): Query<ExportQuery>) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let table = crate::catalog_import::export_table(state.store()).await?;
    let (bytes, mime, ext) = match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => (
            crate::catalog_import::table_to_xlsx(&table)?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        "csv" => (crate::catalog_import::table_to_csv(&table)?, "text/csv; charset=utf-8", "csv"),
        other => {
            return Err(ApiError::bad_request(
                "invalid_format",
                format!("“{other}”不是可用格式，应为 xlsx 或 csv"),
                "format must be xlsx or csv",
            ));
        }
    };
    let disposition = format!("attachment; filename=\"catalog.{ext}\"");
    Ok(([("content-type", mime.to_string()), ("content-disposition", disposition)], bytes).into_response())
}

/// An emergency adjustment of the entry's attributes until a last day (CAT-7).
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/emergency", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = crate::catalog::EmergencyInput,
    responses((status = 201, body = gongshu_store::Emergency), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn emergency(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<crate::catalog::EmergencyInput>,
) -> Result<(StatusCode, Json<gongshu_store::Emergency>), ApiError> {
    Ok((StatusCode::CREATED, Json(catalog::start_emergency(&state, &ctx, id, &input).await?)))
}

/// Ends an emergency adjustment early.
#[utoipa::path(post, path = "/api/v1/catalog/emergencies/{id}/end", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn end_emergency(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    if !state.store().end_emergency(id, &ctx.actor()).await? {
        return Err(ApiError::not_found("进行中的应急调整", "Active emergency adjustment"));
    }
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Reevaluated {
    /// For a move to unconditional: the change draft to submit.
    pub draft_version: Option<i64>,
}

/// Answers a due re-evaluation of a conditional entry (CAT-6): keep (with a reason) or
/// move to unconditional (a change draft).
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/reevaluate", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = crate::catalog::ReevaluationInput,
    responses((status = 200, body = Reevaluated), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn reevaluate(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<crate::catalog::ReevaluationInput>,
) -> Result<Json<Reevaluated>, ApiError> {
    Ok(Json(Reevaluated { draft_version: catalog::reevaluate(&state, &ctx, id, &input).await? }))
}
