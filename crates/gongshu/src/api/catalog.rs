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

#[derive(Debug, Default, Clone, Deserialize, Serialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words in Chinese or English, or a resource code (or its prefix).
    pub q: Option<String>,
    pub provider: Option<i64>,
    /// Category or its prefix, e.g. `基础` or `基础/人口`.
    pub category: Option<String>,
    pub share_type: Option<String>,
    pub open_type: Option<String>,
    pub format: Option<String>,
    pub update_cycle: Option<String>,
    pub level: Option<i64>,
    /// `relevance` (default), `name` or `updated`.
    pub sort: Option<String>,
    pub offset: Option<usize>,
    /// 1–100, default 20.
    pub limit: Option<usize>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HighlightView {
    pub field: String,
    /// HTML-escaped text with the matched terms in `<mark>`.
    pub html: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HitView {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub score: f32,
    pub highlights: Vec<HighlightView>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FacetValue {
    pub value: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SearchView {
    pub total: usize,
    pub hits: Vec<HitView>,
    /// Counts over the whole filtered result.
    pub facets: std::collections::BTreeMap<String, Vec<FacetValue>>,
}

fn blank(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

pub async fn run_search(state: &AppStateExt, ctx: &Ctx, p: &SearchParams) -> Result<SearchView, ApiError> {
    use gongshu_domain::role::{Permission, allows};
    use gongshu_search::{Filters, SearchQuery, Sort, Visibility};
    let sort = match p.sort.as_deref().unwrap_or("relevance") {
        "relevance" => Sort::Relevance,
        "name" => Sort::Name,
        "updated" => Sort::Updated,
        other => {
            return Err(ApiError::bad_request(
                "invalid_sort",
                format!("“{other}”不是有效排序，应为 relevance、name 或 updated"),
                "sort must be relevance, name or updated",
            ));
        }
    };
    let visibility = match ctx.principal.as_ref() {
        Some(me) if allows(&me.roles, Permission::CatalogRead) && me.user.org_id.is_some() => {
            Visibility::PublishedPlusOwnDrafts { provider_id: me.user.org_id.unwrap_or_default() }
        }
        _ => Visibility::PublishedOnly,
    };
    let q = SearchQuery {
        text: p.q.clone().unwrap_or_default(),
        filters: Filters {
            provider_id: p.provider,
            category: blank(&p.category),
            share_type: blank(&p.share_type),
            open_type: blank(&p.open_type),
            format: blank(&p.format),
            update_cycle: blank(&p.update_cycle),
            level: p.level,
        },
        visibility,
        sort,
        offset: p.offset.unwrap_or(0),
        limit: p.limit.unwrap_or(20).clamp(1, 100),
    };
    let search = state.search()?;
    let r = search.search(state.store(), &q).await?;
    let label = |kind: &str, v: &str| -> String {
        match kind {
            "share_type" => crate::i18n::text(ctx.lang, &format!("cat.share.{v}")),
            "open_type" => crate::i18n::text(ctx.lang, &format!("cat.open.{v}")),
            _ => v.to_string(),
        }
    };
    let strings = |kind: &str, list: &[(String, usize)]| -> Vec<FacetValue> {
        list.iter().map(|(v, n)| FacetValue { value: v.clone(), label: label(kind, v), count: *n }).collect()
    };
    let mut facets = std::collections::BTreeMap::new();
    facets.insert(
        "provider".to_string(),
        r.facets
            .provider
            .iter()
            .map(|(id, n)| FacetValue { value: id.to_string(), label: search.provider_name(*id), count: *n })
            .collect(),
    );
    facets.insert("category".to_string(), strings("category", &r.facets.category));
    facets.insert("share_type".to_string(), strings("share_type", &r.facets.share_type));
    facets.insert("open_type".to_string(), strings("open_type", &r.facets.open_type));
    facets.insert("format".to_string(), strings("format", &r.facets.format));
    facets.insert("update_cycle".to_string(), strings("update_cycle", &r.facets.update_cycle));
    facets.insert(
        "level".to_string(),
        r.facets
            .level
            .iter()
            .map(|(l, n)| FacetValue { value: l.to_string(), label: l.to_string(), count: *n })
            .collect(),
    );
    let hits = r
        .hits
        .into_iter()
        .map(|h| HitView {
            id: h.id,
            code: h.code,
            name: h.name,
            score: h.score,
            highlights: h
                .highlights
                .into_iter()
                .map(|x| HighlightView { field: x.field, html: x.fragment_html })
                .collect(),
        })
        .collect();
    Ok(SearchView { total: r.total, hits, facets })
}

/// Searches the catalog (CAT-11): relevance ranking with Chinese word segmentation,
/// facets, paging. Anyone sees published entries; staff also see their own drafts.
#[utoipa::path(get, path = "/api/v1/catalog/search", tag = "catalog", params(SearchParams), responses((status = 200, body = SearchView)))]
pub async fn search(state: AppStateExt, ctx: Ctx, Query(p): Query<SearchParams>) -> Result<Json<SearchView>, ApiError> {
    Ok(Json(run_search(&state, &ctx, &p).await?))
}

/// Asks every server process to rebuild its search index.
#[utoipa::path(post, path = "/api/v1/catalog/reindex", tag = "catalog", security(("bearer" = [])), responses((status = 204)))]
pub async fn reindex(state: AppStateExt, ctx: Ctx) -> Result<StatusCode, ApiError> {
    state.store().bump_cache_version("search_rebuild", &ctx.actor()).await?;
    state.search()?.sync(state.store()).await?;
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
