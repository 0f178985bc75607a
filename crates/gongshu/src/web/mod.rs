//! Server-rendered pages: templates compiled into the binary, no JavaScript build
//! step. Chinese first, English through the switch in the header.

pub mod assets;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod charts;
pub mod console;
pub mod data;
pub mod deadlines;
pub mod governance;
pub mod open;
pub mod open_demands;
pub mod open_lists;
pub mod orgs;
pub mod portal;
pub mod release;
pub mod session;
pub mod share;
pub mod tokens;
pub mod users;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongshu_domain::role::{Permission, allows};
use minijinja::{Environment, Value, context};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::ApiError;
use crate::i18n::{self, Lang};

macro_rules! template_files {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../templates/", $name)))),*]
    };
}

const TEMPLATES: &[(&str, &str)] = template_files![
    "base.html",
    "error.html",
    "portal.html",
    "open_browse.html",
    "open_dataset.html",
    "open_license.html",
    "open_stats.html",
    "release_rules.html",
    "login.html",
    "console.html",
    "orgs.html",
    "org.html",
    "people.html",
    "users.html",
    "user.html",
    "tokens.html",
    "audit.html",
    "calendar.html",
    "profile.html",
    "deadlines.html",
    "notifications.html",
    "outbox.html",
    "share.html",
    "catalog.html",
    "catalog_form.html",
    "catalog_entry.html",
    "catalog_import.html",
    "catalog_search.html",
    "open_lists.html",
    "data_version.html",
    "data_versions.html",
    "data_overdue.html",
    "data_duplicates.html",
    "projects.html",
    "demand_plans.html",
    "data_aggregation.html",
    "open_demands.html",
    "open_demand_new.html",
    "open_demand_form.html",
    "open_demands_console.html",
    "open_demand.html",
    "open_demand_stats.html",
];

/// The template environment, with `t(key)` for texts and `cst` for times.
pub fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        if let Err(e) = env.add_template(name, source) {
            // Templates are part of the binary; a broken one is a build defect that the
            // page tests catch. Log it rather than refuse to start.
            tracing::error!(template = name, error = %e, "template does not compile");
        }
    }
    env.add_function("t", |state: &minijinja::State, key: &str| -> String {
        let lang = state.lookup("lang").and_then(|v| v.as_str().and_then(Lang::parse)).unwrap_or_default();
        i18n::text(lang, key)
    });
    env.add_filter("cst", |micros: i64| gongshu_domain::time::format_cst(micros));
    env
}

/// A page that could not be shown; rendered as an HTML error page by [`html_errors`].
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut response = self.0.status.into_response();
        response.extensions_mut().insert(self.0);
        response
    }
}

pub type PageResult = Result<Response, PageError>;

/// Turns a [`PageError`] into an error page in the visitor's language.
pub async fn html_errors(app: axum::extract::State<AppState>, req: Request, next: Next) -> Response {
    let lang = crate::auth::cookie(req.headers(), crate::auth::LANG_COOKIE).and_then(Lang::parse).unwrap_or_default();
    let mut response = next.run(req).await;
    match response.extensions_mut().remove::<ApiError>() {
        Some(e) => render_error(&app, lang, &e),
        None => response,
    }
}

/// An error page for a request that never reached a handler.
pub fn error_page(app: &AppState, req: &Request, e: &ApiError) -> Response {
    let lang = crate::auth::cookie(req.headers(), crate::auth::LANG_COOKIE).and_then(Lang::parse).unwrap_or_default();
    render_error(app, lang, e)
}

fn render_error(app: &AppState, lang: Lang, e: &ApiError) -> Response {
    let ctx = context! { lang => lang.code(), status => e.status.as_u16(), code => e.code, message => e.message(lang),
    other_message => if lang == Lang::Zh { &e.message_en } else { &e.message_zh } };
    match app.templates().get_template("error.html").and_then(|t| t.render(ctx)) {
        Ok(html) => (e.status, Html(html)).into_response(),
        Err(err) => {
            tracing::error!(error = %err, "error page does not render");
            (e.status, e.message(lang).to_string()).into_response()
        }
    }
}

/// The navigation entries the caller may use.
fn nav(ctx: &Ctx) -> Vec<Value> {
    let roles = ctx.roles();
    [
        ("/console", "nav.console", Permission::ConsoleAccess),
        ("/console/orgs", "nav.orgs", Permission::OrgRead),
        ("/console/people", "nav.people", Permission::PeopleReadAll),
        ("/console/users", "nav.users", Permission::UserRead),
        ("/console/tokens", "nav.tokens", Permission::TokenOwn),
        ("/console/audit", "nav.audit", Permission::AuditRead),
        ("/console/catalog", "nav.catalog", Permission::CatalogRead),
        ("/console/deadlines", "nav.deadlines", Permission::DeadlineOwn),
        ("/console/deadlines/all", "nav.overview", Permission::DeadlineOverview),
        ("/console/data/overdue", "nav.data_overdue", Permission::DeadlineOverview),
        ("/console/data/duplicates", "nav.data_duplicates", Permission::DeadlineOverview),
        ("/console/projects", "nav.projects", Permission::CatalogRead),
        ("/console/demand-plans", "nav.demand", Permission::CatalogRead),
        ("/console/data/aggregation", "nav.aggregation", Permission::CatalogRead),
        ("/console/share-requests", "nav.share", Permission::DeadlineOwn),
        ("/console/open-demands", "nav.open_demands", Permission::OpenDemandAnswer),
        ("/open/demands", "nav.my_demands", Permission::OpenDemandSubmit),
        ("/console/notifications", "nav.notifications", Permission::DeadlineOwn),
        ("/console/calendar", "nav.calendar", Permission::ConsoleAccess),
        ("/console/profile", "nav.profile", Permission::ConsoleAccess),
        ("/console/outbox", "nav.outbox", Permission::OutboxManage),
    ]
    .into_iter()
    .filter(|(_, _, p)| allows(roles, *p))
    .map(|(href, key, _)| context! { href, key })
    .collect()
}

/// Renders a page with the common context (language, caller, navigation, CSRF token).
pub fn render(app: &AppState, ctx: &Ctx, name: &str, extra: Value) -> PageResult {
    let user =
        ctx.principal.as_ref().map(|p| context! { username => p.user.username, display_name => p.user.display_name });
    let full = context! {
        lang => ctx.lang.code(),
        user => user,
        nav => nav(ctx),
        csrf => ctx.csrf_token(),
        ..extra
    };
    let html = app.templates().get_template(name).and_then(|t| t.render(full)).map_err(|e| {
        tracing::error!(template = name, error = %e, "template failed");
        ApiError::internal()
    })?;
    Ok(Html(html).into_response())
}

/// After a successful form: back to a page, with a "saved" notice.
pub fn saved(to: &str) -> PageResult {
    let sep = if to.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{to}{sep}saved=1")).into_response())
}

/// The `?saved=1` notice after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct Notice {
    pub saved: Option<u8>,
}

/// A 404 for pages.
pub fn not_found() -> PageError {
    PageError(ApiError::new(StatusCode::NOT_FOUND, "not_found", "您要找的内容不存在", "Not found"))
}
