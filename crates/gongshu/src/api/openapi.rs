//! The OpenAPI 3 document, generated from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    aggregation, audit, calendar, catalog, catalog_search, ckan, data, dcat, deadlines, demand, health, open,
    open_demands, open_lists, orgs, people, profile, projects, release, share, tokens, users,
};
use crate::error::Json;

#[derive(OpenApi)]
#[openapi(
    info(title = "gongshu API", description = "公数 · 公共数据平台 API. Errors: `{\"error\": {\"code\", \"message\", \"message_en\"}}`."),
    paths(
        health::healthz, health::readyz, health::metrics,
        users::me, users::list, users::create, users::show, users::set_password, users::grant, users::revoke,
        orgs::list_regions, orgs::list, orgs::create, orgs::show,
        people::of_org, people::all, people::add, people::remove,
        tokens::list, tokens::create, tokens::revoke,
        audit::list, audit::verify,
        calendar::list_days, calendar::due, calendar::years, calendar::import, calendar::add_override, profile::active,
        deadlines::mine, deadlines::overview, deadlines::notifications, deadlines::mark_read,
        deadlines::webhooks, deadlines::add_webhook, deadlines::remove_webhook, deadlines::outbox,
        share::list, share::create, share::answer,
        open_lists::published, open_lists::all, open_lists::save, open_lists::submit, open_lists::review,
        catalog::list, catalog::create, catalog::show, catalog::update, catalog::submit, catalog::review, catalog::retire, catalog::emergency, catalog::end_emergency, catalog::reevaluate, catalog::compare, catalog::import, catalog::export, catalog_search::search, catalog_search::reindex,
        data::load, data::versions, data::version, data::rejects, data::overdue, data::report_correction, data::corrections, data::duplicates, data::set_pull, data::pulls,
        projects::declare, projects::list, projects::accept,
        ckan::status_show, ckan::status_show_post, ckan::package_list, ckan::package_list_post, ckan::package_show, ckan::package_show_post,
        ckan::organization_list, ckan::organization_list_post, ckan::organization_show, ckan::organization_show_post, demand::save, demand::list,
        ckan::resource_show, ckan::resource_show_post, ckan::search::package_search, ckan::search::package_search_post,
        ckan::search::tag_list, ckan::search::tag_list_post, ckan::search::group_list, ckan::search::group_list_post,
        ckan::search::group_show, ckan::search::group_show_post, crate::open::exports::download, dcat::turtle, dcat::jsonld,
        ckan::datastore::datastore_search, ckan::datastore::datastore_search_post, ckan::datastore::datastore_search_sql, ckan::datastore::datastore_search_sql_post,
        crate::open::bulk::catalog_jsonl, crate::open::bulk::catalog_xlsx, crate::open::bulk::provider_zip, open::datasets, open::dataset, open::records, release::show, release::set,
        aggregation::set, aggregation::exemptions, aggregation::file, aggregation::purchases, aggregation::decide,
        open_demands::submit, open_demands::mine, open_demands::received, open_demands::show, open_demands::answer,
        open_demands::suspend, open_demands::outcome, open_demands::stats, open_demands::my_notifications,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail, crate::error::Problem, crate::catalog_import::ImportReport, crate::catalog_import::ImportProblem)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The document itself (this route describes itself only implicitly).
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
