//! `package_search`, `tag_list`, `group_list` and `group_show` over the open catalog.
//! Free words go to the catalog's full-text search (CAT-11: Chinese words, ranked);
//! `field:value` clauses of `q` and `fq` filter the open datasets; facets count over
//! every match, not only the page.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::RawQuery;
use axum::http::HeaderMap;
use axum::response::Response;
use gongshu_data::export::ExportFormat;
use gongshu_search::{Filters, SearchIndex, SearchQuery, Sort, Visibility};
use serde_json::{Value, json};

use super::{
    Params, action, base_url, ckan_try, from_api_error, group_name, invalid, iso, not_found, ok, package_dict, tags,
};
use crate::app::{AppState, AppStateExt};
use crate::open::catalog::{OpenCatalog, OpenDataset, open_catalog};
use gongshu_open::solr::{Clause, Parsed, parse};

/// CKAN's most rows per page.
const MAX_ROWS: usize = 1000;

action!(
    package_search,
    package_search_post,
    run_package_search,
    "/api/3/action/package_search",
    "Search the open datasets (q, fq, rows, start, sort, facet.field)."
);
action!(tag_list, tag_list_post, run_tag_list, "/api/3/action/tag_list", "The tags of open datasets.");
action!(
    group_list,
    group_list_post,
    run_group_list,
    "/api/3/action/group_list",
    "The groups (catalog categories) of open datasets."
);
action!(group_show, group_show_post, run_group_show, "/api/3/action/group_show", "One group.");

/// A dataset's values for a searchable field.
fn field_values(ds: &OpenDataset, field: &str) -> Vec<String> {
    let one = |s: &str| vec![s.to_string()];
    match field {
        "name" | "id" => vec![ds.name.clone(), ds.entry.code.clone()],
        "title" | "title_string" => one(&ds.entry.name),
        "organization" | "owner_org" => one(&ds.org_name()),
        "tags" => tags(ds),
        "groups" => one(&group_name(&ds.entry.category)),
        "res_format" => {
            if ds.version.is_some() {
                ExportFormat::ALL.iter().map(|f| f.label().to_string()).collect()
            } else {
                Vec::new()
            }
        }
        "license_id" => one("other-open"),
        "state" => one("active"),
        "type" | "dataset_type" => one("dataset"),
        "metadata_modified" => one(&iso(ds.entry.updated_at)),
        "metadata_created" => one(&iso(ds.entry.created_at)),
        "update_cycle" => one(&ds.entry.update_cycle),
        "format" => one(&ds.content.format.to_string()),
        "resource_code" => one(&ds.entry.code),
        "author" | "maintainer" => one(&ds.content.provider.name),
        _ => Vec::new(),
    }
}

fn matches(ds: &OpenDataset, clauses: &[Clause]) -> bool {
    clauses.iter().all(|c| c.matches_any(&field_values(ds, &c.field)))
}

#[derive(Debug, Clone, Copy)]
pub enum Key {
    Score,
    Name,
    Title,
    Modified,
    Created,
}

pub fn parse_sort(s: &str) -> Result<Vec<(Key, bool)>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (field, dir) = p.split_once(' ').map(|(f, d)| (f.trim(), d.trim())).unwrap_or((p, "asc"));
            let key = match field {
                "score" | "rank" => Key::Score,
                "name" => Key::Name,
                "title_string" | "title" => Key::Title,
                "metadata_modified" => Key::Modified,
                "metadata_created" => Key::Created,
                other => return Err(format!("Cannot sort by field `{other}`")),
            };
            match dir.to_ascii_lowercase().as_str() {
                "asc" => Ok((key, false)),
                "desc" => Ok((key, true)),
                other => Err(format!("Sort direction must be asc or desc, not `{other}`")),
            }
        })
        .collect()
}

/// The text matches' ranks by entry id (0 best), or `None` when there are no free words.
async fn ranked(state: &AppState, words: &[String]) -> Result<Option<HashMap<i64, usize>>, crate::error::ApiError> {
    if words.is_empty() {
        return Ok(None);
    }
    let q = SearchQuery {
        text: words.join(" "),
        filters: Filters { open_type: Some("unconditional".into()), ..Default::default() },
        visibility: Visibility::PublishedOnly,
        sort: Sort::Relevance,
        offset: 0,
        limit: SearchIndex::MAX_LIMIT,
    };
    let hits = state.search()?.search_following(state.store(), &q, state.open().generation()).await?;
    Ok(Some(hits.hits.iter().enumerate().map(|(i, h)| (h.id, i)).collect()))
}

/// The listed datasets that match `q`, in `sort` order (the portal's search uses it too).
pub async fn find<'a>(
    state: &AppState,
    catalog: &'a OpenCatalog,
    q: &Parsed,
    sort: &[(Key, bool)],
) -> Result<Vec<&'a Arc<OpenDataset>>, crate::error::ApiError> {
    let ranks = ranked(state, &q.words).await?;
    let mut found: Vec<&Arc<OpenDataset>> = catalog
        .listed()
        .filter(|d| ranks.as_ref().is_none_or(|r| r.contains_key(&d.entry.id)))
        .filter(|d| matches(d, &q.clauses))
        .collect();
    let rank = |d: &OpenDataset| ranks.as_ref().and_then(|r| r.get(&d.entry.id).copied()).unwrap_or(0);
    found.sort_by(|a, b| {
        for (key, desc) in sort {
            let o = match key {
                // A lower rank is a better score: "score desc" puts it first.
                Key::Score => rank(b).cmp(&rank(a)),
                Key::Name => a.name.cmp(&b.name),
                Key::Title => a.entry.name.cmp(&b.entry.name),
                Key::Modified => a.entry.updated_at.cmp(&b.entry.updated_at),
                Key::Created => a.entry.created_at.cmp(&b.entry.created_at),
            };
            let o = if *desc { o.reverse() } else { o };
            if o.is_ne() {
                return o;
            }
        }
        a.name.cmp(&b.name)
    });
    Ok(found)
}

/// Counts of a facet over `found`: (name, title, count), most first, at most `limit`.
pub fn facet(found: &[&Arc<OpenDataset>], field: &str, mincount: usize, limit: i64) -> Vec<(String, String, usize)> {
    let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for d in found {
        for (name, title) in facet_values(d, field) {
            counts.entry(name).or_insert((title, 0)).1 += 1;
        }
    }
    let mut items: Vec<(String, String, usize)> =
        counts.into_iter().filter(|(_, (_, n))| *n >= mincount).map(|(k, (t, n))| (k, t, n)).collect();
    items.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    if limit >= 0 {
        items.truncate(limit as usize);
    }
    items
}

fn facet_values(ds: &OpenDataset, field: &str) -> Vec<(String, String)> {
    match field {
        "organization" => {
            let title = ds.org.as_ref().map(|o| o.name.clone()).unwrap_or_default();
            vec![(ds.org_name(), title)]
        }
        "groups" => vec![(group_name(&ds.entry.category), ds.entry.category.clone())],
        f => field_values(ds, f).into_iter().map(|v| (v.clone(), v)).collect(),
    }
}

async fn run_package_search(state: &AppState, h: &HeaderMap, p: Params) -> Response {
    let action = "package_search";
    let catalog = ckan_try!(action, open_catalog(state).await);
    let (rows, start) = match (p.count(action, "rows", 10, MAX_ROWS), p.count(action, "start", 0, usize::MAX)) {
        (Ok(r), Ok(s)) => (r, s),
        (Err(r), _) | (_, Err(r)) => return *r,
    };
    let sort_text = p.str("sort").unwrap_or_else(|| "score desc, metadata_modified desc".into());
    let sort = match parse_sort(&sort_text) {
        Ok(s) => s,
        Err(m) => return invalid(action, "sort", &m),
    };
    let mut q = parse(&p.str("q").unwrap_or_default());
    for fq in p.list("fq_list").unwrap_or_default().iter().chain(p.str("fq").iter()) {
        let f = parse(fq);
        q.clauses.extend(f.clauses);
        q.words.extend(f.words);
    }
    let found = match find(state, &catalog, &q, &sort).await {
        Ok(f) => f,
        Err(e) => return from_api_error(action, e),
    };
    let fields = p.list("facet.field").unwrap_or_default();
    let facet_limit = p.str("facet.limit").and_then(|l| l.parse::<i64>().ok()).unwrap_or(50);
    let mincount = p.str("facet.mincount").and_then(|l| l.parse::<usize>().ok()).unwrap_or(1);
    let mut facets = serde_json::Map::new();
    let mut search_facets = serde_json::Map::new();
    for field in &fields {
        let items = facet(&found, field, mincount, facet_limit);
        facets.insert(field.clone(), items.iter().map(|(k, _, n)| (k.clone(), json!(n))).collect());
        let listed: Vec<Value> =
            items.iter().map(|(k, t, n)| json!({ "name": k, "display_name": t, "count": n })).collect();
        search_facets.insert(field.clone(), json!({ "title": field, "items": listed }));
    }
    let base = base_url(state, h);
    let results: Vec<Value> = found.iter().skip(start).take(rows).map(|d| package_dict(d, &base)).collect();
    ok(
        action,
        json!({
            "count": found.len(), "sort": sort_text, "results": results,
            "facets": facets, "search_facets": search_facets,
        }),
    )
}

async fn run_tag_list(state: &AppState, _h: &HeaderMap, p: Params) -> Response {
    let action = "tag_list";
    let catalog = ckan_try!(action, open_catalog(state).await);
    let query = p.str("query").unwrap_or_default();
    let mut all: Vec<String> = catalog.listed().flat_map(|d| tags(d)).filter(|t| t.contains(query.as_str())).collect();
    all.sort();
    all.dedup();
    if p.flag("all_fields", false) {
        return ok(
            action,
            Value::Array(all.iter().map(|t| json!({ "id": t, "name": t, "display_name": t })).collect()),
        );
    }
    ok(action, json!(all))
}

/// The groups with their titles and counts, by name.
fn groups(catalog: &OpenCatalog) -> BTreeMap<String, (String, usize)> {
    let mut out: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for d in catalog.listed() {
        out.entry(group_name(&d.entry.category)).or_insert((d.entry.category.clone(), 0)).1 += 1;
    }
    out
}

fn group_dict(name: &str, title: &str, count: usize) -> Value {
    json!({
        "id": name, "name": name, "title": title, "display_name": title, "type": "group", "is_organization": false,
        "state": "active", "approval_status": "approved", "description": "", "image_url": "", "package_count": count,
    })
}

async fn run_group_list(state: &AppState, _h: &HeaderMap, p: Params) -> Response {
    let action = "group_list";
    let catalog = ckan_try!(action, open_catalog(state).await);
    let g = groups(&catalog);
    if p.flag("all_fields", false) {
        return ok(action, Value::Array(g.iter().map(|(n, (t, c))| group_dict(n, t, *c)).collect()));
    }
    ok(action, json!(g.keys().collect::<Vec<_>>()))
}

async fn run_group_show(state: &AppState, h: &HeaderMap, p: Params) -> Response {
    let action = "group_show";
    let Some(id) = p.str("id").filter(|i| !i.is_empty()) else { return invalid(action, "id", "Missing value") };
    let catalog = ckan_try!(action, open_catalog(state).await);
    let name = group_name(&id);
    let Some((title, count)) = groups(&catalog).get(&name).cloned() else { return not_found(action) };
    let mut dict = group_dict(&name, &title, count);
    if p.flag("include_datasets", false) {
        let base = base_url(state, h);
        let packages: Vec<Value> = catalog
            .listed()
            .filter(|d| group_name(&d.entry.category) == name)
            .take(10)
            .map(|d| package_dict(d, &base))
            .collect();
        dict["packages"] = Value::Array(packages);
    }
    ok(action, dict)
}
