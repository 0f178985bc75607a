//! A CKAN-compatible Action API at `/api/3/action/` (OPN-1), first part: the open
//! catalog's datasets and organizations, with CKAN's envelope (`help`, `success`,
//! `result`) and error shape (`{"__type": "Not Found Error", ...}`), so that CKAN clients
//! and harvesters read it unchanged.
//!
//! A dataset is a published entry whose open attribute is unconditional. Its `name` is
//! the resource code with `/` written `-` (CKAN names allow no slash), e.g.
//! `1010010-00001`; `id` is the same. An organization's `name` is its credit code in
//! lower case.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongshu_domain::catalog::NewEntry;
use gongshu_store::{Entry, Org};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::app::AppStateExt;
use crate::error::{ApiError, Query};

const HELP: &str = "/api/3/action/help_show?name=";

fn ok(action: &str, result: Value) -> Response {
    axum::Json(json!({ "help": format!("{HELP}{action}"), "success": true, "result": result })).into_response()
}

/// CKAN's error answer: `NotFound` and `ValidationError` are what clients look for.
fn ckan_error(action: &str, status: StatusCode, kind: &str, message: &str) -> Response {
    let body = json!({
        "help": format!("{HELP}{action}"),
        "success": false,
        "error": { "__type": kind, "message": message },
    });
    (status, axum::Json(body)).into_response()
}

fn not_found(action: &str) -> Response {
    ckan_error(action, StatusCode::NOT_FOUND, "Not Found Error", "Not found")
}

/// A dataset's CKAN name: its resource code with `-` for `/`.
pub fn dataset_name(code: &str) -> String {
    code.replace('/', "-")
}

fn org_name(o: &Org) -> String {
    o.credit_code.clone().unwrap_or_else(|| format!("org-{}", o.id)).to_ascii_lowercase()
}

fn iso(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
        .unwrap_or_default()
}

/// The open datasets, by name, with their content.
async fn open_datasets(state: &AppStateExt) -> Result<Vec<(Entry, NewEntry)>, ApiError> {
    let mut out: Vec<(Entry, NewEntry)> = state
        .store()
        .entries_changed_since(0)
        .await?
        .into_iter()
        .filter(|e| {
            e.entry.published_version.is_some() && e.entry.state == "published" && e.entry.open_type == "unconditional"
        })
        .filter_map(|e| serde_json::from_str::<NewEntry>(&e.content).ok().map(|c| (e.entry, c)))
        .collect();
    out.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    Ok(out)
}

fn org_dict(o: &Org, count: usize) -> Value {
    json!({
        "id": org_name(o), "name": org_name(o), "title": o.name, "display_name": o.name,
        "type": "organization", "is_organization": true, "state": "active", "approval_status": "approved",
        "description": "", "image_url": "", "created": iso(o.created_at), "package_count": count,
    })
}

fn package_dict(e: &Entry, c: &NewEntry, org: Option<&Org>) -> Value {
    let name = dataset_name(&e.code);
    let organization = org.map(|o| org_dict(o, 0)).unwrap_or(Value::Null);
    let items: Vec<Value> = c.items.iter().map(|i| json!({ "name": i.name, "display_name": i.name })).collect();
    json!({
        "id": name, "name": name, "title": e.name, "notes": c.summary, "type": "dataset", "state": "active",
        "private": false, "license_id": "other-open", "license_title": "公共数据开放利用协议",
        "metadata_created": iso(e.created_at), "metadata_modified": iso(e.updated_at),
        "owner_org": org.map(org_name), "organization": organization, "author": c.provider.name,
        "maintainer": c.provider.name, "url": "", "version": e.published_version.map(|v| v.to_string()),
        "tags": items, "num_tags": c.items.len(), "groups": [{ "name": category_group(&e.category), "title": e.category }],
        "resources": [], "num_resources": 0,
        "extras": [
            { "key": "resource_code", "value": e.code },
            { "key": "update_cycle", "value": e.update_cycle },
            { "key": "share_type", "value": e.share_type },
            { "key": "format", "value": c.format.to_string() },
        ],
    })
}

/// A category's CKAN group name: its class and group, e.g. `基础-人口`.
fn category_group(category: &str) -> String {
    category.replace('/', "-")
}

/// `status_show` as CKAN clients POST it.
#[utoipa::path(post, path = "/api/3/action/status_show", tag = "ckan", request_body = Object, responses((status = 200, description = "CKAN status")))]
pub async fn status_show_post(state: AppStateExt, _body: axum::body::Bytes) -> Response {
    status_show(state).await
}

/// `status_show`: the site and the API version it speaks.
#[utoipa::path(get, path = "/api/3/action/status_show", tag = "ckan", responses((status = 200, description = "CKAN status")))]
pub async fn status_show(state: AppStateExt) -> Response {
    ok(
        "status_show",
        json!({
            "ckan_version": "2.10.4", "site_title": "公数 gongshu", "site_description": "公共数据开放平台",
            "site_url": state.settings().public_url.clone().unwrap_or_default(), "locale_default": "zh_Hans_CN",
            "extensions": ["gongshu"],
        }),
    )
}

/// `package_list` as CKAN clients POST it.
#[utoipa::path(post, path = "/api/3/action/package_list", tag = "ckan", request_body = Object, responses((status = 200, description = "Dataset names")))]
pub async fn package_list_post(state: AppStateExt, _body: axum::body::Bytes) -> Result<Response, ApiError> {
    package_list(state).await
}

/// `package_list`: the names of every open dataset.
#[utoipa::path(get, path = "/api/3/action/package_list", tag = "ckan", responses((status = 200, description = "Dataset names")))]
pub async fn package_list(state: AppStateExt) -> Result<Response, ApiError> {
    let names: Vec<String> = open_datasets(&state).await?.iter().map(|(e, _)| dataset_name(&e.code)).collect();
    Ok(ok("package_list", json!(names)))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct IdQuery {
    /// A dataset's or organization's name or id.
    pub id: Option<String>,
}

/// The parameters of a POSTed action (CKAN clients such as ckanapi POST JSON).
fn body_params(body: &[u8]) -> IdQuery {
    if body.iter().all(u8::is_ascii_whitespace) {
        return IdQuery::default();
    }
    serde_json::from_slice::<Value>(body)
        .ok()
        .or_else(|| {
            let pairs: serde_json::Map<String, Value> =
                form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), Value::String(v.into_owned()))).collect();
            Some(Value::Object(pairs))
        })
        .map(|v| IdQuery { id: v.get("id").and_then(|i| i.as_str().map(String::from)) })
        .unwrap_or_default()
}

/// `package_show`: one open dataset; `Not Found Error` for any other name.
#[utoipa::path(get, path = "/api/3/action/package_show", tag = "ckan", params(IdQuery),
    responses((status = 200, description = "The dataset"), (status = 404, description = "CKAN NotFound")))]
pub async fn package_show(state: AppStateExt, Query(q): Query<IdQuery>) -> Result<Response, ApiError> {
    package_show_for(state, q).await
}

/// `package_show` as CKAN clients POST it.
#[utoipa::path(post, path = "/api/3/action/package_show", tag = "ckan", request_body = Object,
    responses((status = 200, description = "The dataset"), (status = 404, description = "CKAN NotFound")))]
pub async fn package_show_post(state: AppStateExt, body: axum::body::Bytes) -> Result<Response, ApiError> {
    package_show_for(state, body_params(&body)).await
}

async fn package_show_for(state: AppStateExt, q: IdQuery) -> Result<Response, ApiError> {
    let Some(id) = q.id.filter(|i| !i.is_empty()) else {
        return Ok(ckan_error("package_show", StatusCode::CONFLICT, "Validation Error", "Missing value: id"));
    };
    let orgs: HashMap<i64, Org> = state.store().orgs().await?.iter().map(|o| (o.id, o.clone())).collect();
    Ok(match open_datasets(&state).await?.into_iter().find(|(e, _)| dataset_name(&e.code) == id || e.code == id) {
        Some((e, c)) => ok("package_show", package_dict(&e, &c, orgs.get(&e.provider_org_id))),
        None => not_found("package_show"),
    })
}

/// `organization_list` as CKAN clients POST it.
#[utoipa::path(post, path = "/api/3/action/organization_list", tag = "ckan", request_body = Object, responses((status = 200, description = "Organization names")))]
pub async fn organization_list_post(state: AppStateExt, _body: axum::body::Bytes) -> Result<Response, ApiError> {
    organization_list(state).await
}

/// `organization_list`: the names of organizations that publish open datasets.
#[utoipa::path(get, path = "/api/3/action/organization_list", tag = "ckan", responses((status = 200, description = "Organization names")))]
pub async fn organization_list(state: AppStateExt) -> Result<Response, ApiError> {
    let publishing: std::collections::HashSet<i64> =
        open_datasets(&state).await?.iter().map(|(e, _)| e.provider_org_id).collect();
    let mut names: Vec<String> =
        state.store().orgs().await?.iter().filter(|o| publishing.contains(&o.id)).map(org_name).collect();
    names.sort();
    Ok(ok("organization_list", json!(names)))
}

/// `organization_show`: one publishing organization with its dataset count.
#[utoipa::path(get, path = "/api/3/action/organization_show", tag = "ckan", params(IdQuery),
    responses((status = 200, description = "The organization"), (status = 404, description = "CKAN NotFound")))]
pub async fn organization_show(state: AppStateExt, Query(q): Query<IdQuery>) -> Result<Response, ApiError> {
    organization_show_for(state, q).await
}

/// `organization_show` as CKAN clients POST it.
#[utoipa::path(post, path = "/api/3/action/organization_show", tag = "ckan", request_body = Object,
    responses((status = 200, description = "The organization"), (status = 404, description = "CKAN NotFound")))]
pub async fn organization_show_post(state: AppStateExt, body: axum::body::Bytes) -> Result<Response, ApiError> {
    organization_show_for(state, body_params(&body)).await
}

async fn organization_show_for(state: AppStateExt, q: IdQuery) -> Result<Response, ApiError> {
    let Some(id) = q.id.filter(|i| !i.is_empty()) else {
        return Ok(ckan_error("organization_show", StatusCode::CONFLICT, "Validation Error", "Missing value: id"));
    };
    let datasets = open_datasets(&state).await?;
    let orgs = state.store().orgs().await?;
    let found = orgs.iter().find(|o| org_name(o) == id.to_ascii_lowercase());
    Ok(match found {
        Some(o) => {
            let count = datasets.iter().filter(|(e, _)| e.provider_org_id == o.id).count();
            if count == 0 { not_found("organization_show") } else { ok("organization_show", org_dict(o, count)) }
        }
        None => not_found("organization_show"),
    })
}
