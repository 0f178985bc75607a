//! The CKAN dictionaries of the open catalog: packages, resources, organizations and
//! groups, with CKAN's field names (see the parent module for the naming).

use axum::http::HeaderMap;
use gongshu_data::export::ExportFormat;
use gongshu_store::Org;
use serde_json::{Value, json};

use crate::app::AppState;
use crate::open::catalog::{OpenDataset, org_name};

/// The site's address for absolute links: `public_url`, else the request's host.
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.settings().public_url {
        return u.trim_end_matches('/').to_string();
    }
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    format!("http://{host}")
}

pub fn iso(micros: i64) -> String {
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
        .unwrap_or_default()
}

pub fn org_dict(o: &Org, count: usize) -> Value {
    json!({
        "id": org_name(o), "name": org_name(o), "title": o.name, "display_name": o.name,
        "type": "organization", "is_organization": true, "state": "active", "approval_status": "approved",
        "description": "", "image_url": "", "created": iso(o.created_at), "package_count": count,
    })
}

/// A category's CKAN group name: its path with `-`, e.g. `基础-人口`.
pub fn group_name(category: &str) -> String {
    category.replace('/', "-")
}

/// A resource's id: the dataset's name and the format.
pub fn resource_id(ds: &OpenDataset, f: ExportFormat) -> String {
    format!("{}.{}", ds.name, f.ext())
}

pub fn resource_dict(ds: &OpenDataset, f: ExportFormat, position: usize, base: &str) -> Value {
    let v = ds.version.as_ref();
    let modified = v.map(|v| iso(v.created_at));
    json!({
        "id": resource_id(ds, f), "package_id": ds.name, "name": format!("{}（{}）", ds.entry.name, f.label()),
        "description": "", "format": f.label(), "mimetype": f.media_type(), "state": "active", "position": position,
        "url": format!("{base}/open/download/{}.{}", ds.name, f.ext()), "url_type": Value::Null,
        "created": modified, "last_modified": modified, "metadata_modified": modified,
        "datastore_active": true, "size": Value::Null, "resource_type": Value::Null,
        "data_version": v.map(|v| v.version), "records": v.map(|v| v.rows_valid),
    })
}

/// The tags of a dataset: its data items' names.
pub fn tags(ds: &OpenDataset) -> Vec<String> {
    ds.content.items.iter().map(|i| i.name.clone()).collect()
}

pub fn package_dict(ds: &OpenDataset, base: &str) -> Value {
    let e = &ds.entry;
    let c = &ds.content;
    let organization = ds.org.as_ref().map(|o| org_dict(o, 0)).unwrap_or(Value::Null);
    let tags: Vec<Value> =
        tags(ds).iter().map(|t| json!({ "name": t, "display_name": t, "state": "active" })).collect();
    let resources: Vec<Value> = if ds.version.is_some() {
        ExportFormat::ALL.iter().enumerate().map(|(i, f)| resource_dict(ds, *f, i, base)).collect()
    } else {
        Vec::new()
    };
    json!({
        "id": ds.name, "name": ds.name, "title": e.name, "notes": c.summary, "type": "dataset", "state": "active",
        "private": false, "license_id": "other-open", "license_title": "公共数据开放利用协议",
        "metadata_created": iso(e.created_at), "metadata_modified": iso(e.updated_at),
        "owner_org": ds.org.as_ref().map(org_name), "organization": organization, "author": c.provider.name,
        "maintainer": c.provider.name, "url": format!("{base}/open/datasets/{}", ds.name),
        "version": e.published_version.map(|v| v.to_string()), "num_tags": tags.len(), "tags": tags,
        "groups": [{ "name": group_name(&e.category), "title": e.category, "display_name": e.category }],
        "num_resources": resources.len(), "resources": resources,
        "extras": [
            { "key": "resource_code", "value": e.code },
            { "key": "update_cycle", "value": e.update_cycle },
            { "key": "share_type", "value": e.share_type },
            { "key": "format", "value": c.format.to_string() },
        ],
    })
}
