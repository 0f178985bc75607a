//! Catalog search (CAT-11): published entries for anyone, also the caller's drafts for
//! staff; facets, highlights, paging and sorting; and the rebuild of the index.

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Query};

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
