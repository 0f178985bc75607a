//! The route table: every route and page, with the access it demands. The router is
//! built from this table alone, so no route can exist without a declared access, and
//! the permission test walks the same table.

use axum::Router;
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, delete, get, post, put};
use gongshu_domain::audit::Outcome;
use gongshu_domain::role::{Access, Decision, Permission as P, decide};

use crate::app::AppState;
use crate::auth::{CSRF_HEADER, Caller, Via};
use crate::error::ApiError;
use crate::{api, web};

/// Whether a route answers with JSON (API) or HTML (page); they fail differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Api,
    Page,
}

#[derive(Debug, Clone)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub surface: Surface,
}

pub struct Route {
    pub spec: RouteSpec,
    pub handler: MethodRouter<AppState>,
}

fn r(method: Method, path: &'static str, access: Access, surface: Surface, handler: MethodRouter<AppState>) -> Route {
    Route { spec: RouteSpec { method, path, access, surface }, handler }
}

/// Every route of the server.
pub fn routes() -> Vec<Route> {
    use Access::{Needs, Public, SignedIn};
    use Surface::{Api, Page};
    let (g, po, pu, de) = (Method::GET, Method::POST, Method::PUT, Method::DELETE);
    vec![
        r(g.clone(), "/healthz", Public, Api, get(api::health::healthz)),
        r(g.clone(), "/readyz", Public, Api, get(api::health::readyz)),
        r(g.clone(), "/metrics", Needs(P::MetricsRead), Api, get(api::health::metrics)),
        r(g.clone(), "/api/v1/openapi.json", Public, Api, get(api::openapi::document)),
        // The CKAN-compatible Action API (GET with a query, or POST as CKAN clients do).
        r(g.clone(), "/api/3/action/status_show", Public, Api, get(api::ckan::status_show)),
        r(po.clone(), "/api/3/action/status_show", Public, Api, post(api::ckan::status_show_post)),
        r(g.clone(), "/api/3/action/package_list", Public, Api, get(api::ckan::package_list)),
        r(po.clone(), "/api/3/action/package_list", Public, Api, post(api::ckan::package_list_post)),
        r(g.clone(), "/api/3/action/package_show", Public, Api, get(api::ckan::package_show)),
        r(po.clone(), "/api/3/action/package_show", Public, Api, post(api::ckan::package_show_post)),
        r(g.clone(), "/api/3/action/package_search", Public, Api, get(api::ckan::search::package_search)),
        r(po.clone(), "/api/3/action/package_search", Public, Api, post(api::ckan::search::package_search_post)),
        r(g.clone(), "/api/3/action/organization_list", Public, Api, get(api::ckan::organization_list)),
        r(po.clone(), "/api/3/action/organization_list", Public, Api, post(api::ckan::organization_list_post)),
        r(g.clone(), "/api/3/action/organization_show", Public, Api, get(api::ckan::organization_show)),
        r(po.clone(), "/api/3/action/organization_show", Public, Api, post(api::ckan::organization_show_post)),
        r(g.clone(), "/api/3/action/group_list", Public, Api, get(api::ckan::search::group_list)),
        r(po.clone(), "/api/3/action/group_list", Public, Api, post(api::ckan::search::group_list_post)),
        r(g.clone(), "/api/3/action/group_show", Public, Api, get(api::ckan::search::group_show)),
        r(po.clone(), "/api/3/action/group_show", Public, Api, post(api::ckan::search::group_show_post)),
        r(g.clone(), "/api/3/action/tag_list", Public, Api, get(api::ckan::search::tag_list)),
        r(po.clone(), "/api/3/action/tag_list", Public, Api, post(api::ckan::search::tag_list_post)),
        r(g.clone(), "/api/3/action/resource_show", Public, Api, get(api::ckan::resource_show)),
        r(po.clone(), "/api/3/action/resource_show", Public, Api, post(api::ckan::resource_show_post)),
        r(g.clone(), "/open/download/{file}", Public, Api, get(crate::open::exports::download)),
        r(g.clone(), "/catalog.ttl", Public, Api, get(api::dcat::turtle)),
        r(g.clone(), "/api/3/action/datastore_search", Public, Api, get(api::ckan::datastore::datastore_search)),
        r(po.clone(), "/api/3/action/datastore_search", Public, Api, post(api::ckan::datastore::datastore_search_post)),
        r(
            g.clone(),
            "/api/3/action/datastore_search_sql",
            Public,
            Api,
            get(api::ckan::datastore::datastore_search_sql),
        ),
        r(
            po.clone(),
            "/api/3/action/datastore_search_sql",
            Public,
            Api,
            post(api::ckan::datastore::datastore_search_sql_post),
        ),
        r(g.clone(), "/open/catalog.jsonl", Public, Api, get(crate::open::bulk::catalog_jsonl)),
        r(g.clone(), "/open/catalog.xlsx", Public, Api, get(crate::open::bulk::catalog_xlsx)),
        r(g.clone(), "/open/bulk/{file}", Public, Api, get(crate::open::bulk::provider_zip)),
        r(g.clone(), "/api/v1/open/datasets", Public, Api, get(api::open::datasets)),
        r(g.clone(), "/api/v1/catalog/entries/{id}/release-rules", Needs(P::CatalogRead), Api, get(api::release::show)),
        r(
            pu.clone(),
            "/api/v1/catalog/entries/{id}/release-rules",
            Needs(P::CatalogDraft),
            Api,
            put(api::release::set),
        ),
        r(g.clone(), "/api/v1/open/datasets/{name}", Public, Api, get(api::open::dataset)),
        r(g.clone(), "/api/v1/open/datasets/{name}/records", Public, Api, get(api::open::records)),
        r(g.clone(), "/catalog.jsonld", Public, Api, get(api::dcat::jsonld)),
        r(g.clone(), "/api/v1/me", SignedIn, Api, get(api::users::me)),
        r(g.clone(), "/api/v1/regions", Needs(P::OrgRead), Api, get(api::orgs::list_regions)),
        r(g.clone(), "/api/v1/orgs", Needs(P::OrgRead), Api, get(api::orgs::list)),
        r(po.clone(), "/api/v1/orgs", Needs(P::OrgWrite), Api, post(api::orgs::create)),
        r(g.clone(), "/api/v1/orgs/{id}", Needs(P::OrgRead), Api, get(api::orgs::show)),
        r(g.clone(), "/api/v1/orgs/{id}/people", Needs(P::OrgRead), Api, get(api::people::of_org)),
        r(po.clone(), "/api/v1/orgs/{id}/people", Needs(P::PeopleWriteOwn), Api, post(api::people::add)),
        r(g.clone(), "/api/v1/people", Needs(P::PeopleReadAll), Api, get(api::people::all)),
        r(de.clone(), "/api/v1/people/{id}", Needs(P::PeopleWriteOwn), Api, delete(api::people::remove)),
        r(g.clone(), "/api/v1/users", Needs(P::UserRead), Api, get(api::users::list)),
        r(po.clone(), "/api/v1/users", Needs(P::UserWrite), Api, post(api::users::create)),
        r(g.clone(), "/api/v1/users/{id}", Needs(P::UserRead), Api, get(api::users::show)),
        r(pu.clone(), "/api/v1/users/{id}/password", Needs(P::UserWrite), Api, put(api::users::set_password)),
        r(po.clone(), "/api/v1/users/{id}/roles", Needs(P::RoleGrant), Api, post(api::users::grant)),
        r(de.clone(), "/api/v1/users/{id}/roles/{role}", Needs(P::RoleGrant), Api, delete(api::users::revoke)),
        r(g.clone(), "/api/v1/tokens", Needs(P::TokenOwn), Api, get(api::tokens::list)),
        r(po.clone(), "/api/v1/tokens", Needs(P::TokenOwn), Api, post(api::tokens::create)),
        r(de.clone(), "/api/v1/tokens/{id}", Needs(P::TokenOwn), Api, delete(api::tokens::revoke)),
        r(g.clone(), "/api/v1/audit", Needs(P::AuditRead), Api, get(api::audit::list)),
        r(g.clone(), "/api/v1/audit/verify", Needs(P::AuditRead), Api, get(api::audit::verify)),
        r(g.clone(), "/api/v1/calendar/days", Public, Api, get(api::calendar::list_days)),
        r(g.clone(), "/api/v1/calendar/due", Public, Api, get(api::calendar::due)),
        r(g.clone(), "/api/v1/calendar/years", Public, Api, get(api::calendar::years)),
        r(po.clone(), "/api/v1/calendar/years", Needs(P::CalendarWrite), Api, post(api::calendar::import)),
        r(po.clone(), "/api/v1/calendar/overrides", Needs(P::CalendarWrite), Api, post(api::calendar::add_override)),
        r(g.clone(), "/api/v1/profile", Public, Api, get(api::profile::active)),
        r(g.clone(), "/api/v1/deadlines/mine", Needs(P::DeadlineOwn), Api, get(api::deadlines::mine)),
        r(g.clone(), "/api/v1/deadlines", Needs(P::DeadlineOverview), Api, get(api::deadlines::overview)),
        r(g.clone(), "/api/v1/notifications", Needs(P::DeadlineOwn), Api, get(api::deadlines::notifications)),
        r(po.clone(), "/api/v1/notifications/{id}/read", Needs(P::DeadlineOwn), Api, post(api::deadlines::mark_read)),
        r(g.clone(), "/api/v1/webhooks", Needs(P::OutboxManage), Api, get(api::deadlines::webhooks)),
        r(po.clone(), "/api/v1/webhooks", Needs(P::OutboxManage), Api, post(api::deadlines::add_webhook)),
        r(de.clone(), "/api/v1/webhooks/{id}", Needs(P::OutboxManage), Api, delete(api::deadlines::remove_webhook)),
        r(g.clone(), "/api/v1/outbox", Needs(P::OutboxManage), Api, get(api::deadlines::outbox)),
        r(g.clone(), "/api/v1/share-requests", Needs(P::DeadlineOwn), Api, get(api::share::list)),
        r(po.clone(), "/api/v1/share-requests", Needs(P::ShareApply), Api, post(api::share::create)),
        r(po.clone(), "/api/v1/share-requests/{id}/answer", Needs(P::ShareAnswer), Api, post(api::share::answer)),
        r(g.clone(), "/api/v1/catalog/entries", Needs(P::CatalogRead), Api, get(api::catalog::list)),
        r(po.clone(), "/api/v1/catalog/entries", Needs(P::CatalogDraft), Api, post(api::catalog::create)),
        r(g.clone(), "/api/v1/catalog/entries/{id}", Needs(P::CatalogRead), Api, get(api::catalog::show)),
        r(pu.clone(), "/api/v1/catalog/entries/{id}", Needs(P::CatalogDraft), Api, put(api::catalog::update)),
        r(po.clone(), "/api/v1/catalog/entries/{id}/submit", Needs(P::CatalogDraft), Api, post(api::catalog::submit)),
        r(po.clone(), "/api/v1/catalog/entries/{id}/review", Needs(P::CatalogReview), Api, post(api::catalog::review)),
        r(po.clone(), "/api/v1/catalog/entries/{id}/retire", Needs(P::CatalogDraft), Api, post(api::catalog::retire)),
        r(
            po.clone(),
            "/api/v1/catalog/entries/{id}/emergency",
            Needs(P::CatalogReview),
            Api,
            post(api::catalog::emergency),
        ),
        r(
            po.clone(),
            "/api/v1/catalog/emergencies/{id}/end",
            Needs(P::CatalogReview),
            Api,
            post(api::catalog::end_emergency),
        ),
        r(
            po.clone(),
            "/api/v1/catalog/entries/{id}/reevaluate",
            Needs(P::CatalogDraft),
            Api,
            post(api::catalog::reevaluate),
        ),
        r(g.clone(), "/api/v1/catalog/entries/{id}/compare", Needs(P::CatalogRead), Api, get(api::catalog::compare)),
        r(po.clone(), "/api/v1/catalog/import", Needs(P::CatalogImport), Api, post(api::catalog::import)),
        r(g.clone(), "/api/v1/catalog/search", Public, Api, get(api::catalog_search::search)),
        r(g.clone(), "/api/v1/open-lists", Public, Api, get(api::open_lists::published)),
        r(g.clone(), "/api/v1/open-lists/all", Needs(P::CatalogRead), Api, get(api::open_lists::all)),
        r(po.clone(), "/api/v1/open-lists", Needs(P::CatalogDraft), Api, post(api::open_lists::save)),
        r(po.clone(), "/api/v1/open-lists/{id}/submit", Needs(P::CatalogDraft), Api, post(api::open_lists::submit)),
        r(po.clone(), "/api/v1/open-lists/{id}/review", Needs(P::CatalogReview), Api, post(api::open_lists::review)),
        r(po.clone(), "/api/v1/catalog/reindex", Needs(P::CatalogImport), Api, post(api::catalog_search::reindex)),
        r(g.clone(), "/api/v1/catalog/export", Needs(P::CatalogRead), Api, get(api::catalog::export)),
        r(po.clone(), "/api/v1/catalog/entries/{id}/data", Needs(P::DataLoad), Api, post(api::data::load)),
        r(g.clone(), "/api/v1/catalog/entries/{id}/data", Needs(P::CatalogRead), Api, get(api::data::versions)),
        r(
            g.clone(),
            "/api/v1/catalog/entries/{id}/data/{version}",
            Needs(P::CatalogRead),
            Api,
            get(api::data::version),
        ),
        r(
            g.clone(),
            "/api/v1/catalog/entries/{id}/data/{version}/rejects",
            Needs(P::DataLoad),
            Api,
            get(api::data::rejects),
        ),
        r(
            po.clone(),
            "/api/v1/catalog/entries/{id}/corrections",
            Needs(P::CatalogRead),
            Api,
            post(api::data::report_correction),
        ),
        r(
            g.clone(),
            "/api/v1/catalog/entries/{id}/corrections",
            Needs(P::CatalogRead),
            Api,
            get(api::data::corrections),
        ),
        r(po.clone(), "/api/v1/projects", Needs(P::CatalogDraft), Api, post(api::projects::declare)),
        r(g.clone(), "/api/v1/demand-plans", Needs(P::CatalogRead), Api, get(api::demand::list)),
        r(
            pu.clone(),
            "/api/v1/catalog/entries/{id}/aggregation",
            Needs(P::CatalogDraft),
            Api,
            put(api::aggregation::set),
        ),
        r(pu.clone(), "/api/v1/catalog/entries/{id}/pull", Needs(P::DataLoad), Api, put(api::data::set_pull)),
        r(g.clone(), "/api/v1/data/pulls", Needs(P::CatalogRead), Api, get(api::data::pulls)),
        r(g.clone(), "/api/v1/data/exemptions", Needs(P::CatalogRead), Api, get(api::aggregation::exemptions)),
        r(po.clone(), "/api/v1/data/purchases", Needs(P::CatalogDraft), Api, post(api::aggregation::file)),
        r(g.clone(), "/api/v1/data/purchases", Needs(P::CatalogRead), Api, get(api::aggregation::purchases)),
        r(
            po.clone(),
            "/api/v1/data/purchases/{id}/decision",
            Needs(P::CatalogReview),
            Api,
            post(api::aggregation::decide),
        ),
        r(pu.clone(), "/api/v1/demand-plans/{year}", Needs(P::ShareApply), Api, put(api::demand::save)),
        r(g.clone(), "/api/v1/projects", Needs(P::CatalogRead), Api, get(api::projects::list)),
        r(po.clone(), "/api/v1/projects/{id}/accept", Needs(P::CatalogReview), Api, post(api::projects::accept)),
        r(g.clone(), "/api/v1/data/duplicates", Needs(P::DeadlineOverview), Api, get(api::data::duplicates)),
        r(g.clone(), "/api/v1/data/overdue", Needs(P::DeadlineOverview), Api, get(api::data::overdue)),
        // Demands, objections and suggestions about open data (OPN-7, OPN-8, SUP-4).
        r(po.clone(), "/api/v1/open/demands", Needs(P::OpenDemandSubmit), Api, post(api::open_demands::submit)),
        r(g.clone(), "/api/v1/open/demands", Needs(P::OpenDemandSubmit), Api, get(api::open_demands::mine)),
        r(
            g.clone(),
            "/api/v1/open/demands/received",
            Needs(P::OpenDemandAnswer),
            Api,
            get(api::open_demands::received),
        ),
        r(g.clone(), "/api/v1/open/demands/{id}", SignedIn, Api, get(api::open_demands::show)),
        r(
            po.clone(),
            "/api/v1/open/demands/{id}/answer",
            Needs(P::OpenDemandAnswer),
            Api,
            post(api::open_demands::answer),
        ),
        r(
            po.clone(),
            "/api/v1/open/demands/{id}/suspend",
            Needs(P::OpenDemandAnswer),
            Api,
            post(api::open_demands::suspend),
        ),
        r(
            po.clone(),
            "/api/v1/open/demands/{id}/outcome",
            Needs(P::OpenDemandAnswer),
            Api,
            post(api::open_demands::outcome),
        ),
        r(g.clone(), "/api/v1/open/demand-stats", Public, Api, get(api::open_demands::stats)),
        r(g.clone(), "/api/v1/me/notifications", SignedIn, Api, get(api::open_demands::my_notifications)),
        // Pages.
        r(g.clone(), "/", Public, Page, get(web::portal::home)),
        r(g.clone(), "/static/app.css", Public, Page, get(web::assets::css)),
        r(g.clone(), "/catalog", Public, Page, get(web::catalog::search_page)),
        r(g.clone(), "/open", Public, Page, get(web::open::browse)),
        r(g.clone(), "/open/datasets/{name}", Public, Page, get(web::open::dataset)),
        r(g.clone(), "/open/license", Public, Page, get(web::open::license)),
        r(g.clone(), "/open/stats", Public, Page, get(web::open::stats)),
        r(g.clone(), "/open-lists", Public, Page, get(web::open_lists::page)),
        r(g.clone(), "/open/demand-stats", Public, Page, get(web::open_demands::stats_page)),
        r(g.clone(), "/open/demands", Needs(P::OpenDemandSubmit), Page, get(web::open_demands::mine_page)),
        r(po.clone(), "/open/demands", Needs(P::OpenDemandSubmit), Page, post(web::open_demands::submit)),
        r(g.clone(), "/open/demands/new", Needs(P::OpenDemandSubmit), Page, get(web::open_demands::new_page)),
        r(g.clone(), "/console/open-demands", Needs(P::OpenDemandAnswer), Page, get(web::open_demands::list_page)),
        r(g.clone(), "/console/open-demands/{id}", Needs(P::OpenDemandAnswer), Page, get(web::open_demands::show_page)),
        r(
            po.clone(),
            "/console/open-demands/{id}/answer",
            Needs(P::OpenDemandAnswer),
            Page,
            post(web::open_demands::answer),
        ),
        r(
            po.clone(),
            "/console/open-demands/{id}/suspend",
            Needs(P::OpenDemandAnswer),
            Page,
            post(web::open_demands::suspend),
        ),
        r(
            po.clone(),
            "/console/open-demands/{id}/outcome",
            Needs(P::OpenDemandAnswer),
            Page,
            post(web::open_demands::outcome),
        ),
        r(g.clone(), "/lang", Public, Page, get(web::session::switch_lang)),
        r(g.clone(), "/login", Public, Page, get(web::session::login_page)),
        r(po.clone(), "/login", Public, Page, post(web::session::login)),
        r(po.clone(), "/logout", SignedIn, Page, post(web::session::logout)),
        r(g.clone(), "/console", Needs(P::ConsoleAccess), Page, get(web::console::home)),
        r(g.clone(), "/console/orgs", Needs(P::OrgRead), Page, get(web::orgs::list)),
        r(po.clone(), "/console/orgs", Needs(P::OrgWrite), Page, post(web::orgs::create)),
        r(g.clone(), "/console/orgs/{id}", Needs(P::OrgRead), Page, get(web::orgs::show)),
        r(po.clone(), "/console/orgs/{id}/people", Needs(P::PeopleWriteOwn), Page, post(web::orgs::add_person)),
        r(po.clone(), "/console/people/{id}/delete", Needs(P::PeopleWriteOwn), Page, post(web::orgs::remove_person)),
        r(g.clone(), "/console/people", Needs(P::PeopleReadAll), Page, get(web::orgs::people)),
        r(g.clone(), "/console/users", Needs(P::UserRead), Page, get(web::users::list)),
        r(po.clone(), "/console/users", Needs(P::UserWrite), Page, post(web::users::create)),
        r(g.clone(), "/console/users/{id}", Needs(P::UserRead), Page, get(web::users::show)),
        r(po.clone(), "/console/users/{id}/roles", Needs(P::RoleGrant), Page, post(web::users::change_role)),
        r(po.clone(), "/console/users/{id}/password", Needs(P::UserWrite), Page, post(web::users::set_password)),
        r(g.clone(), "/console/tokens", Needs(P::TokenOwn), Page, get(web::tokens::list)),
        r(po.clone(), "/console/tokens", Needs(P::TokenOwn), Page, post(web::tokens::create)),
        r(po.clone(), "/console/tokens/{id}/revoke", Needs(P::TokenOwn), Page, post(web::tokens::revoke)),
        r(g.clone(), "/console/audit", Needs(P::AuditRead), Page, get(web::audit::list)),
        r(g.clone(), "/console/calendar", Needs(P::ConsoleAccess), Page, get(web::calendar::page)),
        r(po.clone(), "/console/calendar/import", Needs(P::CalendarWrite), Page, post(web::calendar::import)),
        r(po.clone(), "/console/calendar/overrides", Needs(P::CalendarWrite), Page, post(web::calendar::add_override)),
        r(g.clone(), "/console/profile", Needs(P::ConsoleAccess), Page, get(web::calendar::profile)),
        r(g.clone(), "/console/deadlines", Needs(P::DeadlineOwn), Page, get(web::deadlines::mine)),
        r(g.clone(), "/console/deadlines/all", Needs(P::DeadlineOverview), Page, get(web::deadlines::overview)),
        r(g.clone(), "/console/notifications", Needs(P::DeadlineOwn), Page, get(web::deadlines::notifications)),
        r(g.clone(), "/console/outbox", Needs(P::OutboxManage), Page, get(web::deadlines::outbox)),
        r(po.clone(), "/console/webhooks", Needs(P::OutboxManage), Page, post(web::deadlines::add_webhook)),
        r(g.clone(), "/console/share-requests", Needs(P::DeadlineOwn), Page, get(web::share::list)),
        r(po.clone(), "/console/share-requests", Needs(P::ShareApply), Page, post(web::share::create)),
        r(po.clone(), "/console/share-requests/{id}/answer", Needs(P::ShareAnswer), Page, post(web::share::answer)),
        r(g.clone(), "/console/catalog", Needs(P::CatalogRead), Page, get(web::catalog::list)),
        r(po.clone(), "/console/catalog", Needs(P::CatalogDraft), Page, post(web::catalog::create)),
        r(g.clone(), "/console/catalog/new", Needs(P::CatalogDraft), Page, get(web::catalog::new_form)),
        r(g.clone(), "/console/catalog/import", Needs(P::CatalogImport), Page, get(web::catalog::import_page)),
        r(po.clone(), "/console/catalog/import", Needs(P::CatalogImport), Page, post(web::catalog::import)),
        r(g.clone(), "/console/catalog/{id}", Needs(P::CatalogRead), Page, get(web::catalog::show)),
        r(g.clone(), "/console/catalog/{id}/edit", Needs(P::CatalogDraft), Page, get(web::catalog::edit_form)),
        r(po.clone(), "/console/catalog/{id}/edit", Needs(P::CatalogDraft), Page, post(web::catalog::update)),
        r(
            po.clone(),
            "/console/catalog/{id}/data",
            Needs(P::DataLoad),
            Page,
            post(web::data::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        ),
        r(g.clone(), "/console/catalog/{id}/data/{version}", Needs(P::CatalogRead), Page, get(web::data::report)),
        r(g.clone(), "/console/data/overdue", Needs(P::DeadlineOverview), Page, get(web::governance::overdue_page)),
        r(
            g.clone(),
            "/console/data/duplicates",
            Needs(P::DeadlineOverview),
            Page,
            get(web::governance::duplicates_page),
        ),
        r(g.clone(), "/console/projects", Needs(P::CatalogRead), Page, get(web::governance::projects_page)),
        r(g.clone(), "/console/demand-plans", Needs(P::CatalogRead), Page, get(web::governance::demand_page)),
        r(g.clone(), "/console/data/aggregation", Needs(P::CatalogRead), Page, get(web::governance::aggregation_page)),
        r(
            po.clone(),
            "/console/data/aggregation/exemptions",
            Needs(P::CatalogDraft),
            Page,
            post(web::governance::exemption_form),
        ),
        r(po.clone(), "/console/data/purchases", Needs(P::CatalogDraft), Page, post(web::governance::purchase_form)),
        r(
            po.clone(),
            "/console/data/purchases/{id}/decision",
            Needs(P::CatalogReview),
            Page,
            post(web::governance::purchase_decision),
        ),
        r(po.clone(), "/console/demand-plans", Needs(P::ShareApply), Page, post(web::governance::save_demand)),
        r(po.clone(), "/console/projects", Needs(P::CatalogDraft), Page, post(web::governance::declare_project)),
        r(
            po.clone(),
            "/console/projects/{id}/accept",
            Needs(P::CatalogReview),
            Page,
            post(web::governance::accept_project),
        ),
        r(
            po.clone(),
            "/console/catalog/{id}/corrections",
            Needs(P::CatalogRead),
            Page,
            post(web::data::report_correction),
        ),
        r(po.clone(), "/console/catalog/{id}/reevaluate", Needs(P::CatalogDraft), Page, post(web::catalog::reevaluate)),
        r(po.clone(), "/console/catalog/{id}/submit", Needs(P::CatalogDraft), Page, post(web::catalog::submit)),
        r(g.clone(), "/console/catalog/{id}/release-rules", Needs(P::CatalogRead), Page, get(web::release::page)),
        r(po.clone(), "/console/catalog/{id}/release-rules", Needs(P::CatalogDraft), Page, post(web::release::save)),
        r(po.clone(), "/console/catalog/{id}/retire", Needs(P::CatalogDraft), Page, post(web::catalog::retire)),
        r(po.clone(), "/console/catalog/{id}/emergency", Needs(P::CatalogReview), Page, post(web::catalog::emergency)),
        r(po, "/console/catalog/{id}/review", Needs(P::CatalogReview), Page, post(web::catalog::review)),
    ]
}

/// The table without handlers, for tests and the OpenAPI drift check.
pub fn specs() -> Vec<RouteSpec> {
    routes().into_iter().map(|r| r.spec).collect()
}

/// Builds the router: each route wrapped in its access check.
pub fn router(state: &AppState) -> Router<AppState> {
    routes().into_iter().fold(Router::new(), |router, route| {
        let spec = route.spec;
        let path = spec.path;
        let st = state.clone();
        let guarded = route.handler.route_layer(middleware::from_fn(move |req: Request, next: Next| {
            let (st, spec) = (st.clone(), spec.clone());
            async move { guard(st, spec, req, next).await }
        }));
        router.route(path, guarded)
    })
}

/// Checks the caller against the route's access: deny by default. A denial of a
/// signed-in caller is a decision and goes into the audit log.
async fn guard(app: AppState, spec: RouteSpec, req: Request, next: Next) -> Response {
    let principal = req.extensions().get::<Caller>().and_then(|c| c.0.as_ref());
    let decision = decide(spec.access, principal.map(|p| p.roles.as_slice()));
    match decision {
        Decision::Allow => {}
        Decision::Unauthenticated => {
            return match spec.surface {
                Surface::Api => ApiError::unauthenticated().into_response(),
                Surface::Page => {
                    let next_url = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
                    let target = format!(
                        "/login?next={}",
                        form_urlencoded::byte_serialize(next_url.as_bytes()).collect::<String>()
                    );
                    Redirect::to(&target).into_response()
                }
            };
        }
        Decision::Forbidden => {
            if let Some(p) = principal {
                let request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
                let event = gongshu_domain::audit::AuditEvent::new(p.who(), "access.denied", req.uri().path())
                    .outcome(Outcome::Denied)
                    .request_id(request_id)
                    .detail(serde_json::json!({ "method": req.method().as_str(), "route": spec.path }));
                if let Err(e) = app.store().append(&event).await {
                    tracing::error!(error = %e, "could not audit a denial");
                }
            }
            return match spec.surface {
                Surface::Api => ApiError::forbidden().into_response(),
                Surface::Page => web::error_page(&app, &req, &ApiError::forbidden()),
            };
        }
    }
    // A browser session writing through the API must prove the request came from our
    // pages: the session's CSRF token in a header. Tokens are not sent by browsers
    // on their own, so bearer calls need no such proof.
    if spec.surface == Surface::Api
        && !is_safe(req.method())
        && let Some(Via::Session { csrf, .. }) = principal.map(|p| &p.via)
    {
        let sent = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok());
        if sent != Some(csrf.as_str()) {
            return ApiError::csrf().into_response();
        }
    }
    next.run(req).await
}

fn is_safe(m: &Method) -> bool {
    matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The answer for paths no route matches.
pub async fn fallback(app: axum::extract::State<AppState>, req: Request) -> Response {
    if req.uri().path().starts_with("/api/") || req.uri().path() == "/metrics" {
        ApiError::no_route().into_response()
    } else {
        let e = ApiError::new(StatusCode::NOT_FOUND, "no_such_page", "页面不存在", "No such page");
        web::error_page(&app.0, &req, &e)
    }
}

/// The answer for a known path with a method it does not take.
pub async fn method_not_allowed() -> Response {
    ApiError::method_not_allowed().into_response()
}
