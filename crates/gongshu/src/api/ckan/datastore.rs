//! CKAN's DataStore over released rows (OPN-1, OPN-6): `datastore_search` (resource_id,
//! q, filters, fields, sort, limit, offset, include_total, distinct) and
//! `datastore_search_sql` (one read-only SELECT over open resources only, under time,
//! memory and row limits). Both read through the shared released reader
//! ([`crate::open::query::Released`]); every call is audited as a data access.

use std::collections::HashMap;

use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gongshu_query::{Limits, QueryError, QueryResult, Search};
use serde_json::{Value, json};

use super::{Params, action, ckan_error, ckan_try, from_api_error, invalid, ok};
use crate::app::{AppState, AppStateExt};
use crate::open::catalog::{OpenCatalog, OpenDataset, open_catalog};
use crate::open::query::{Released, Resolved};

/// CKAN's `ckan.datastore.search.rows_max`.
pub const ROWS_MAX: usize = 32_000;

action!(
    datastore_search,
    datastore_search_post,
    run_search,
    "/api/3/action/datastore_search",
    "Records of an open resource."
);
action!(
    datastore_search_sql,
    datastore_search_sql_post,
    run_sql,
    "/api/3/action/datastore_search_sql",
    "A read-only SQL query over open resources."
);

/// The dataset of a resource id: `NAME.csv` (any format), or the dataset's name.
fn dataset_of<'a>(catalog: &'a OpenCatalog, id: &str) -> Option<&'a std::sync::Arc<OpenDataset>> {
    catalog.get(id).or_else(|| {
        let (name, ext) = id.rsplit_once('.')?;
        gongshu_data::export::ExportFormat::parse(ext)?;
        catalog.get(name)
    })
}

fn fields_json(r: &QueryResult) -> Vec<Value> {
    r.fields.iter().map(|f| json!({ "id": f.id, "type": f.r#type })).collect()
}

/// A query error in CKAN's shape: 409 Validation Error, with our code and both languages.
fn query_error(action: &str, e: &QueryError) -> Response {
    let status = match e {
        QueryError::Engine(_) => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::CONFLICT,
    };
    let field = match e {
        QueryError::UnknownField(_) => "fields",
        _ if action == "datastore_search_sql" => "sql",
        _ => "query",
    };
    let body = json!({
        "help": format!("/api/3/action/help_show?name={action}"), "success": false,
        "error": {
            "__type": "Validation Error", field: [e.message_en()],
            "info": { "orig": [e.message_en()] }, "code": e.code(), "message": e.message_en(), "message_zh": e.message_zh(),
        },
    });
    (status, axum::Json(body)).into_response()
}

async fn audit(state: &AppState, p: &Params, action: &str, datasets: &[&OpenDataset], records: usize) {
    let mut event = p.actor.event(&format!("open.{action}"), "open_data".to_string());
    event = event.detail(json!({
        "entries": datasets.iter().map(|d| d.entry.id).collect::<Vec<_>>(), "records": records,
    }));
    if let Err(e) = state.store().append(&event).await {
        tracing::error!(error = %e, "a data access was not audited");
    }
}

fn filters(action: &str, p: &Params) -> Result<Vec<(String, Vec<String>)>, Box<Response>> {
    let Some(obj) = p.object("filters") else { return Ok(Vec::new()) };
    let Ok(obj) = obj else { return Err(Box::new(invalid(action, "filters", "Not a JSON object"))) };
    obj.into_iter()
        .map(|(k, v)| {
            let text = |v: &Value| match v {
                Value::String(s) => Ok(s.clone()),
                Value::Number(_) | Value::Bool(_) => Ok(v.to_string()),
                _ => Err(Box::new(invalid(action, "filters", &format!("Bad value for field {k}")))),
            };
            let values = match &v {
                Value::Array(a) => a.iter().map(text).collect::<Result<Vec<_>, _>>()?,
                other => vec![text(other)?],
            };
            Ok((k, values))
        })
        .collect()
}

async fn run_search(state: &AppState, _h: &HeaderMap, p: Params) -> Response {
    let action = "datastore_search";
    let Some(id) = p.str("resource_id").or_else(|| p.str("id")).filter(|i| !i.is_empty()) else {
        return invalid(action, "resource_id", "Missing value");
    };
    let catalog = ckan_try!(action, open_catalog(state).await);
    let Some(ds) = dataset_of(&catalog, &id) else {
        return ckan_error(
            action,
            StatusCode::NOT_FOUND,
            "Not Found Error",
            &format!("Resource \"{id}\" was not found."),
        );
    };
    let table = match Released::open(state, ds).await {
        Ok(t) => t,
        Err(e) => return from_api_error(action, e),
    };
    let (limit, offset) = match (p.count(action, "limit", 100, ROWS_MAX), p.count(action, "offset", 0, usize::MAX)) {
        (Ok(l), Ok(o)) => (l, o),
        (Err(r), _) | (_, Err(r)) => return *r,
    };
    let sort = match p.str("sort").map(|s| gongshu_query::parse_sort(&s)).transpose() {
        Ok(s) => s.unwrap_or_default(),
        Err(e) => return query_error(action, &e),
    };
    let filters = match filters(action, &p) {
        Ok(f) => f,
        Err(r) => return *r,
    };
    let q = match p.object("q") {
        Some(Ok(_)) => return invalid(action, "q", "Searching fields one by one is not supported; use filters"),
        _ => p.str("q").filter(|q| !q.trim().is_empty()),
    };
    let search = Search {
        q,
        filters,
        fields: p.list("fields"),
        sort,
        limit,
        offset,
        include_total: p.flag("include_total", true),
        distinct: p.flag("distinct", false),
    };
    let limits = Limits { max_rows: ROWS_MAX, ..Limits::default() };
    let result = match gongshu_query::search(table, &search, &limits).await {
        Ok(r) => r,
        Err(e) => return query_error(action, &e),
    };
    audit(state, &p, action, &[ds], result.records.len()).await;
    let start = format!("/api/3/action/datastore_search?resource_id={id}");
    let mut out = json!({
        "resource_id": id, "fields": fields_json(&result), "records": result.records,
        "limit": limit, "offset": offset, "records_format": "objects", "include_total": search.include_total,
        "_links": { "start": start, "next": format!("{start}&offset={}", offset + limit) },
    });
    if let Some(total) = result.total {
        out["total"] = json!(total);
        out["total_was_estimated"] = json!(false);
    }
    if result.truncated {
        out["records_truncated"] = json!(true);
    }
    ok(action, out)
}

/// The double-quoted names in a statement: the candidates for table names.
fn quoted_names(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            // Skip a string literal ('' is a quote inside it).
            while let Some(c) = chars.next() {
                if c == '\'' && chars.peek() != Some(&'\'') {
                    break;
                }
                if c == '\'' {
                    chars.next();
                }
            }
        } else if c == '"' {
            let mut name = String::new();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        name.push('"');
                        continue;
                    }
                    break;
                }
                name.push(c);
            }
            out.push(name);
        }
    }
    out
}

async fn run_sql(state: &AppState, _h: &HeaderMap, p: Params) -> Response {
    let action = "datastore_search_sql";
    let Some(sql) = p.str("sql").filter(|s| !s.trim().is_empty()) else {
        return invalid(action, "sql", "Missing value");
    };
    let catalog = ckan_try!(action, open_catalog(state).await);
    let mut tables: HashMap<String, std::sync::Arc<Released>> = HashMap::new();
    let mut used: Vec<&OpenDataset> = Vec::new();
    for name in quoted_names(&sql) {
        if tables.contains_key(&name) {
            continue;
        }
        let Some(ds) = dataset_of(&catalog, &name) else { continue };
        match Released::open(state, ds).await {
            Ok(t) => {
                tables.insert(name, t);
                used.push(ds);
            }
            Err(e) => return from_api_error(action, e),
        }
    }
    let limits = Limits { max_rows: ROWS_MAX, ..Limits::default() };
    let result = match gongshu_query::search_sql(&sql, &Resolved(tables), &limits).await {
        Ok(r) => r,
        Err(e) => return query_error(action, &e),
    };
    audit(state, &p, action, &used, result.records.len()).await;
    let mut out =
        json!({ "sql": sql, "fields": fields_json(&result), "records": result.records, "records_format": "objects" });
    if result.truncated {
        out["records_truncated"] = json!(true);
    }
    ok(action, out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn opn_1_quoted_names_skip_string_literals() {
        let names = super::quoted_names(r#"SELECT "a b" FROM "1010010-00001.csv" WHERE x = 'say "no"' AND "q""x" = 1"#);
        assert_eq!(names, ["a b", "1010010-00001.csv", "q\"x"]);
    }
}
