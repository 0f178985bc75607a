//! A CKAN-compatible Action API at `/api/3/action/` (OPN-1), so that CKAN clients and
//! harvesters read the open catalog unchanged: CKAN's envelope (`help`, `success`,
//! `result`), its error shape (`{"__type": "Not Found Error", ...}`), and its field
//! names. Every action answers GET (parameters in the query) and POST (JSON or form).
//!
//! A dataset is an open entry (see [`crate::open`]). Its `name` and `id` are the
//! resource code with `/` written `-` (CKAN names allow no slash), e.g.
//! `1010010-00001`. An organization's `name` is its credit code in lower case; a group
//! is a catalog category. A dataset with data has four resources, one per download
//! format, with ids `NAME.csv`, `NAME.xlsx`, `NAME.json` and `NAME.parquet`; each is
//! DataStore-active (they are the same table). Differences from CKAN are listed in
//! `docs/api.md`.

pub mod datastore;
mod dicts;
pub mod search;

pub use dicts::{base_url, group_name, iso, org_dict, package_dict, resource_dict, resource_id, tags};

use axum::extract::RawQuery;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gongshu_data::export::ExportFormat;
use serde_json::{Map, Value, json};

use crate::app::{AppState, AppStateExt};
use crate::error::ApiError;
use crate::open::catalog::{open_catalog, org_name};

const HELP: &str = "/api/3/action/help_show?name=";

pub fn ok(action: &str, result: Value) -> Response {
    axum::Json(json!({ "help": format!("{HELP}{action}"), "success": true, "result": result })).into_response()
}

/// CKAN's error answer: `Not Found Error` and `Validation Error` are what clients look for.
pub fn ckan_error(action: &str, status: StatusCode, kind: &str, message: &str) -> Response {
    error_with(action, status, json!({ "__type": kind, "message": message }))
}

fn error_with(action: &str, status: StatusCode, error: Value) -> Response {
    let body = json!({ "help": format!("{HELP}{action}"), "success": false, "error": error });
    (status, axum::Json(body)).into_response()
}

pub fn not_found(action: &str) -> Response {
    ckan_error(action, StatusCode::NOT_FOUND, "Not Found Error", "Not found")
}

/// CKAN's `ValidationError`: 409 with the problem under the parameter's name.
pub fn invalid(action: &str, field: &str, message: &str) -> Response {
    error_with(action, StatusCode::CONFLICT, json!({ "__type": "Validation Error", field: [message] }))
}

/// A platform error in CKAN's shape: 410 for a suspended dataset keeps its reason.
pub fn from_api_error(action: &str, e: ApiError) -> Response {
    let status = e.status;
    let kind = match status {
        StatusCode::NOT_FOUND => "Not Found Error",
        StatusCode::GONE => "Gone",
        StatusCode::FORBIDDEN => "Authorization Error",
        s if s.is_client_error() => "Validation Error",
        _ => "Internal Error",
    };
    error_with(
        action,
        status,
        json!({ "__type": kind, "message": e.message_en, "message_zh": e.message_zh, "code": e.code }),
    )
}

/// An action's parameters, from the query string (GET) or the body (POST, JSON or form).
#[derive(Debug)]
pub struct Params {
    map: Map<String, Value>,
    /// Who asks, for the audit log.
    pub actor: gongshu_store::Actor,
}

impl Params {
    pub fn from_request(query: Option<&str>, body: &[u8], ctx: &crate::auth::Ctx) -> Params {
        let mut map: Map<String, Value> = query
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                    .collect()
            })
            .unwrap_or_default();
        if !body.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(o)) => map.extend(o),
                _ => map
                    .extend(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))),
            }
        }
        Params { map, actor: ctx.actor() }
    }

    /// A text parameter (numbers and booleans as text).
    pub fn str(&self, k: &str) -> Option<String> {
        match self.map.get(k)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// A non-negative whole number, at most `max`.
    pub fn count(&self, action: &str, k: &str, default: usize, max: usize) -> Result<usize, Box<Response>> {
        match self.str(k).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => match s.trim().parse::<usize>() {
                Ok(n) if n <= max => Ok(n),
                Ok(_) => Err(Box::new(invalid(action, k, &format!("Must be at most {max}")))),
                Err(_) => Err(Box::new(invalid(action, k, "Invalid integer"))),
            },
        }
    }

    pub fn flag(&self, k: &str, default: bool) -> bool {
        match self.str(k).map(|s| s.to_ascii_lowercase()) {
            Some(s) if s == "true" || s == "1" || s == "yes" => true,
            Some(s) if s == "false" || s == "0" || s == "no" => false,
            _ => default,
        }
    }

    /// A list: a JSON list, a text holding a JSON list (CKAN's GET form), or words
    /// separated by commas.
    pub fn list(&self, k: &str) -> Option<Vec<String>> {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match self.map.get(k)? {
            Value::Array(a) => Some(a.iter().map(text).collect()),
            Value::String(s) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Array(a)) => Some(a.iter().map(text).collect()),
                _ => Some(s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()),
            },
            _ => None,
        }
    }

    /// An object: a JSON object or a text holding one.
    pub fn object(&self, k: &str) -> Option<Result<Map<String, Value>, ()>> {
        match self.map.get(k)? {
            Value::Object(o) => Some(Ok(o.clone())),
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) => Some(match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(o)) => Ok(o),
                _ => Err(()),
            }),
            _ => Some(Err(())),
        }
    }
}

/// The value of a platform result, or the action's CKAN-shaped error answer.
macro_rules! ckan_try {
    ($action:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return $crate::api::ckan::from_api_error($action, e),
        }
    };
}
pub(crate) use ckan_try;

/// Runs an action: parameters from the query or the body, platform errors in CKAN's shape.
macro_rules! action {
    ($(#[$m:meta])* $name:ident, $post:ident, $run:path, $path:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(get, path = $path, tag = "ckan", responses((status = 200, description = $doc), (status = 404, description = "CKAN NotFound"), (status = 409, description = "CKAN ValidationError")))]
        pub async fn $name(
            state: AppStateExt,
            ctx: crate::auth::Ctx,
            headers: HeaderMap,
            RawQuery(q): RawQuery,
        ) -> Response {
            let p = Params::from_request(q.as_deref(), &[], &ctx);
            $run(&state, &headers, p).await
        }

        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "ckan", request_body = Object, responses((status = 200, description = $doc), (status = 404, description = "CKAN NotFound"), (status = 409, description = "CKAN ValidationError")))]
        pub async fn $post(
            state: AppStateExt,
            ctx: crate::auth::Ctx,
            headers: HeaderMap,
            RawQuery(q): RawQuery,
            body: axum::body::Bytes,
        ) -> Response {
            let p = Params::from_request(q.as_deref(), &body, &ctx);
            $run(&state, &headers, p).await
        }
    };
}
pub(crate) use action;

action!(
    status_show,
    status_show_post,
    run_status_show,
    "/api/3/action/status_show",
    "The site and the API version it speaks."
);
action!(
    package_list,
    package_list_post,
    run_package_list,
    "/api/3/action/package_list",
    "The names of every open dataset."
);
action!(package_show, package_show_post, run_package_show, "/api/3/action/package_show", "One open dataset.");
action!(
    organization_list,
    organization_list_post,
    run_organization_list,
    "/api/3/action/organization_list",
    "Organizations that publish open datasets."
);
action!(
    organization_show,
    organization_show_post,
    run_organization_show,
    "/api/3/action/organization_show",
    "One publishing organization."
);
action!(
    resource_show,
    resource_show_post,
    run_resource_show,
    "/api/3/action/resource_show",
    "One resource of an open dataset."
);

async fn run_status_show(state: &AppState, _h: &HeaderMap, _p: Params) -> Response {
    ok(
        "status_show",
        json!({
            "ckan_version": "2.10.4", "site_title": "公数 gongshu", "site_description": "公共数据开放平台",
            "site_url": state.settings().public_url.clone().unwrap_or_default(), "locale_default": "zh_Hans_CN",
            "extensions": ["gongshu", "datastore"],
        }),
    )
}

async fn run_package_list(state: &AppState, _h: &HeaderMap, p: Params) -> Response {
    let action = "package_list";
    let catalog = ckan_try!(action, open_catalog(state).await);
    let (limit, offset) =
        match (p.count(action, "limit", usize::MAX, usize::MAX), p.count(action, "offset", 0, usize::MAX)) {
            (Ok(l), Ok(o)) => (l, o),
            (Err(r), _) | (_, Err(r)) => return *r,
        };
    let names: Vec<&str> = catalog.listed().map(|d| d.name.as_str()).skip(offset).take(limit).collect();
    ok(action, json!(names))
}

fn required_id(action: &str, p: &Params) -> Result<String, Box<Response>> {
    p.str("id").filter(|i| !i.is_empty()).ok_or_else(|| Box::new(invalid(action, "id", "Missing value")))
}

async fn run_package_show(state: &AppState, h: &HeaderMap, p: Params) -> Response {
    let action = "package_show";
    let id = match required_id(action, &p) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let catalog = ckan_try!(action, open_catalog(state).await);
    match catalog.get(&id) {
        Some(ds) => match ds.served() {
            Ok(ds) => ok(action, package_dict(ds, &base_url(state, h))),
            Err(e) => from_api_error(action, e),
        },
        None => not_found(action),
    }
}

async fn run_organization_list(state: &AppState, _h: &HeaderMap, p: Params) -> Response {
    let action = "organization_list";
    let catalog = ckan_try!(action, open_catalog(state).await);
    let orgs = catalog.organizations();
    if p.flag("all_fields", false) {
        return ok(action, Value::Array(orgs.iter().map(|(o, n)| org_dict(o, *n)).collect()));
    }
    ok(action, json!(orgs.iter().map(|(o, _)| org_name(o)).collect::<Vec<_>>()))
}

async fn run_organization_show(state: &AppState, h: &HeaderMap, p: Params) -> Response {
    let action = "organization_show";
    let id = match required_id(action, &p) {
        Ok(id) => id.to_ascii_lowercase(),
        Err(r) => return *r,
    };
    let catalog = ckan_try!(action, open_catalog(state).await);
    let Some((o, n)) = catalog.organizations().into_iter().find(|(o, _)| org_name(o) == id) else {
        return not_found(action);
    };
    let mut dict = org_dict(&o, n);
    if p.flag("include_datasets", false) {
        let base = base_url(state, h);
        let packages: Vec<Value> = catalog
            .listed()
            .filter(|d| d.entry.provider_org_id == o.id)
            .take(10)
            .map(|d| package_dict(d, &base))
            .collect();
        dict["packages"] = Value::Array(packages);
    }
    ok(action, dict)
}

async fn run_resource_show(state: &AppState, h: &HeaderMap, p: Params) -> Response {
    let action = "resource_show";
    let id = match required_id(action, &p) {
        Ok(id) => id,
        Err(r) => return *r,
    };
    let catalog = ckan_try!(action, open_catalog(state).await);
    let found = id
        .rsplit_once('.')
        .and_then(|(name, ext)| Some((catalog.get(name)?, ExportFormat::parse(ext)?)))
        .filter(|(ds, _)| ds.version.is_some());
    match found {
        Some((ds, f)) => match ds.served() {
            Ok(ds) => {
                let position = ExportFormat::ALL.iter().position(|x| *x == f).unwrap_or_default();
                ok(action, resource_dict(ds, f, position, &base_url(state, h)))
            }
            Err(e) => from_api_error(action, e),
        },
        None => not_found(action),
    }
}
