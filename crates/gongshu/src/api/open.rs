//! The native open data API (OPN-1) under `/api/v1/open`: the same datasets and released
//! records as the CKAN API, with cursor paging, field selection and filters. Public.
//!
//! - `GET /api/v1/open/datasets?q=&org=&group=&format=&cycle=&fields=&limit=&cursor=`
//!   lists datasets by name; `next_cursor` continues after the last one.
//! - `GET /api/v1/open/datasets/{name}?fields=` one dataset (410 when suspended).
//! - `GET /api/v1/open/datasets/{name}/records?fields=a,b&filter=ITEM:VALUE&q=&limit=&cursor=`
//!   released records; a cursor belongs to one data version, and is refused (409
//!   `cursor_expired`) once a newer version is loaded.

use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gongshu_data::export::ExportFormat;
use serde_json::{Map, Value, json};

use super::ckan::search::{Key, find};
use super::ckan::{base_url, group_name};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::open::catalog::{OpenDataset, open_catalog};
use crate::open::query::Released;
use gongshu_open::solr::{Clause, Parsed, Value as Q};

const MAX_LIMIT: usize = 1000;

fn pairs(q: Option<&str>) -> Vec<(String, String)> {
    q.map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect()).unwrap_or_default()
}

fn get<'a>(pairs: &'a [(String, String)], k: &str) -> Option<&'a str> {
    pairs.iter().find(|(key, v)| key == k && !v.is_empty()).map(|(_, v)| v.as_str())
}

fn limit(pairs: &[(String, String)], default: usize) -> Result<usize, ApiError> {
    match get(pairs, "limit") {
        None => Ok(default),
        Some(l) => l.parse::<usize>().ok().filter(|n| (1..=MAX_LIMIT).contains(n)).ok_or_else(|| {
            ApiError::bad_request(
                "invalid_limit",
                format!("limit 应为 1 到 {MAX_LIMIT} 之间的整数"),
                format!("limit must be a whole number from 1 to {MAX_LIMIT}"),
            )
        }),
    }
}

fn bad_cursor() -> ApiError {
    ApiError::bad_request("invalid_cursor", "翻页游标无效", "The cursor is not valid")
}

fn decode_cursor(c: &str) -> Result<String, ApiError> {
    URL_SAFE_NO_PAD.decode(c).ok().and_then(|b| String::from_utf8(b).ok()).ok_or_else(bad_cursor)
}

fn encode_cursor(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s.as_bytes())
}

/// A dataset as the native API shows it.
pub fn dataset_json(ds: &OpenDataset, base: &str) -> Map<String, Value> {
    let items: Vec<Value> = ds
        .plan
        .items
        .iter()
        .zip(&ds.content.items)
        .map(|(r, i)| json!({ "name": r.name, "data_type": i.data_type.to_string(), "description": i.description, "release": r.rule }))
        .collect();
    let downloads: Map<String, Value> = if ds.version.is_some() {
        ExportFormat::ALL
            .iter()
            .map(|f| (f.ext().to_string(), json!(format!("{base}/open/download/{}.{}", ds.name, f.ext()))))
            .collect()
    } else {
        Map::new()
    };
    let v = ds.version.as_ref();
    let out = json!({
        "name": ds.name, "title": ds.entry.name, "code": ds.entry.code, "summary": ds.content.summary,
        "provider": { "name": ds.org.as_ref().map(|o| o.name.clone()), "organization": ds.org_name(),
            "credit_code": ds.org.as_ref().and_then(|o| o.credit_code.clone()) },
        "category": ds.entry.category, "group": group_name(&ds.entry.category), "update_cycle": ds.entry.update_cycle,
        "format": ds.content.format.to_string(), "updated_at": gongshu_domain::time::rfc3339_cst(ds.entry.updated_at),
        "items": items, "downloads": downloads, "page": format!("{base}/open/datasets/{}", ds.name),
        "data_version": v.map(|v| json!({ "version": v.version, "records": v.rows_valid,
            "loaded_at": gongshu_domain::time::rfc3339_cst(v.created_at) })),
    });
    match out {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn select(mut m: Map<String, Value>, fields: Option<&str>) -> Map<String, Value> {
    if let Some(f) = fields {
        let keep: Vec<&str> = f.split(',').map(str::trim).collect();
        m.retain(|k, _| keep.contains(&k.as_str()));
    }
    m
}

/// `GET /api/v1/open/datasets`
#[utoipa::path(get, path = "/api/v1/open/datasets", tag = "open",
    params(("q" = Option<String>, Query, description = "Words"), ("org" = Option<String>, Query, description = "Provider (organization name)"),
        ("group" = Option<String>, Query, description = "Topic"), ("format" = Option<String>, Query), ("cycle" = Option<String>, Query, description = "Update cycle code"),
        ("fields" = Option<String>, Query, description = "Comma-separated fields to return"), ("limit" = Option<usize>, Query, description = "1–1000, default 100"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "Datasets by name, with `next_cursor`"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn datasets(state: AppStateExt, headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Json<Value>, ApiError> {
    let p = pairs(q.as_deref());
    let limit = limit(&p, 100)?;
    let after = get(&p, "cursor").map(decode_cursor).transpose()?;
    let catalog = open_catalog(&state).await?;
    let clause = |field: &str, k: &str| {
        get(&p, k).map(|v| Clause { field: field.into(), value: Q::Is(v.to_string()), negated: false })
    };
    let clauses = [
        clause("organization", "org"),
        clause("groups", "group"),
        clause("format", "format"),
        clause("update_cycle", "cycle"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let words = get(&p, "q").unwrap_or_default().split_whitespace().map(String::from).collect();
    let found = find(&state, &catalog, &Parsed { clauses, words }, &[(Key::Name, false)]).await?;
    let base = base_url(&state, &headers);
    let page: Vec<_> =
        found.iter().filter(|d| after.as_deref().is_none_or(|a| d.name.as_str() > a)).take(limit + 1).collect();
    let next = (page.len() > limit).then(|| page.get(limit - 1).map(|d| encode_cursor(&d.name))).flatten();
    let items: Vec<Value> =
        page.iter().take(limit).map(|d| Value::Object(select(dataset_json(d, &base), get(&p, "fields")))).collect();
    Ok(Json(json!({ "total": found.len(), "items": items, "next_cursor": next })))
}

/// `GET /api/v1/open/datasets/{name}`
#[utoipa::path(get, path = "/api/v1/open/datasets/{name}", tag = "open",
    params(("name" = String, Path), ("fields" = Option<String>, Query, description = "Comma-separated fields to return")),
    responses((status = 200, description = "The dataset"), (status = 404, body = crate::error::ErrorBody), (status = 410, body = crate::error::ErrorBody)))]
pub async fn dataset(
    state: AppStateExt,
    headers: HeaderMap,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = pairs(q.as_deref());
    let catalog = open_catalog(&state).await?;
    let ds = catalog.get(&name).ok_or_else(|| ApiError::not_found("开放数据", "Open dataset"))?.served()?;
    Ok(Json(Value::Object(select(dataset_json(ds, &base_url(&state, &headers)), get(&p, "fields")))))
}

/// `GET /api/v1/open/datasets/{name}/records`
#[utoipa::path(get, path = "/api/v1/open/datasets/{name}/records", tag = "open",
    params(("name" = String, Path), ("fields" = Option<String>, Query, description = "Comma-separated items"),
        ("filter" = Option<String>, Query, description = "`ITEM:VALUE`, repeatable; values of one item are alternatives"),
        ("q" = Option<String>, Query, description = "Words in any text item"), ("limit" = Option<usize>, Query, description = "1–1000, default 100"),
        ("cursor" = Option<String>, Query, description = "`next_cursor` of the previous page")),
    responses((status = 200, description = "Released records with `next_cursor`"), (status = 400, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody), (status = 410, body = crate::error::ErrorBody)))]
pub async fn records(
    state: AppStateExt,
    ctx: Ctx,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = pairs(q.as_deref());
    let limit = limit(&p, 100)?;
    let catalog = open_catalog(&state).await?;
    let ds = catalog.get(&name).ok_or_else(|| ApiError::not_found("开放数据", "Open dataset"))?;
    let version = ds.data()?.version;
    let offset = match get(&p, "cursor").map(decode_cursor).transpose()? {
        None => 0,
        Some(c) => {
            let (v, o) = c.split_once(':').ok_or_else(bad_cursor)?;
            let (v, o): (i64, usize) = (v.parse().map_err(|_| bad_cursor())?, o.parse().map_err(|_| bad_cursor())?);
            if v != version {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "cursor_expired",
                    "数据已更新为新版本，请从第一页重新读取",
                    "A newer data version was loaded: start again from the first page",
                ));
            }
            o
        }
    };
    let mut filters: Vec<(String, Vec<String>)> = Vec::new();
    for (k, v) in &p {
        if k != "filter" {
            continue;
        }
        let (item, value) = v.split_once(':').ok_or_else(|| {
            ApiError::bad_request("invalid_filter", "filter 应写作 信息项:值", "A filter is written ITEM:VALUE")
        })?;
        match filters.iter_mut().find(|(i, _)| i == item) {
            Some((_, vals)) => vals.push(value.to_string()),
            None => filters.push((item.to_string(), vec![value.to_string()])),
        }
    }
    let search = gongshu_query::Search {
        q: get(&p, "q").map(String::from),
        filters,
        fields: get(&p, "fields").map(|f| f.split(',').map(|s| s.trim().to_string()).collect()),
        limit,
        offset,
        include_total: true,
        ..Default::default()
    };
    let table = Released::open(&state, ds).await?;
    let result = gongshu_query::search(table, &search, &gongshu_query::Limits::default()).await.map_err(|e| {
        let status = match e {
            gongshu_query::QueryError::Engine(_) => StatusCode::INTERNAL_SERVER_ERROR,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        ApiError::new(status, e.code(), e.message_zh(), e.message_en())
    })?;
    let event = ctx
        .actor()
        .event("open.records", format!("catalog_entry:{}", ds.entry.id))
        .detail(json!({ "records": result.records.len(), "version": version }));
    if let Err(e) = state.store().append(&event).await {
        tracing::error!(error = %e, "a data access was not audited");
    }
    let total = result.total.unwrap_or_default() as usize;
    let next = (offset + result.records.len() < total && !result.records.is_empty())
        .then(|| encode_cursor(&format!("{version}:{}", offset + result.records.len())));
    let fields: Vec<Value> = result.fields.iter().map(|f| json!({ "name": f.id, "type": f.r#type })).collect();
    Ok(Json(json!({
        "dataset": ds.name, "data_version": version, "total": total, "fields": fields,
        "records": result.records, "next_cursor": next,
    })))
}
