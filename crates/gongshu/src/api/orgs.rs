use axum::http::StatusCode;
use gongshu_domain::org::OrgKind;
use gongshu_store::{Org, Region};
use serde::Serialize;

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::service::{self, OrgInput};

/// An organization as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OrgView {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub kind: String,
    pub kind_label: String,
    pub region_code: String,
    pub parent_id: Option<i64>,
    /// RFC 3339, China Standard Time.
    pub created_at: String,
}

impl OrgView {
    pub fn new(o: &Org, lang: crate::i18n::Lang) -> Self {
        let kind_label =
            OrgKind::parse(&o.kind).map(|k| lang.pick(k.label_zh(), k.label_en()).to_string()).unwrap_or_default();
        OrgView {
            id: o.id,
            name: o.name.clone(),
            credit_code: o.credit_code.clone(),
            kind: o.kind.clone(),
            kind_label,
            region_code: o.region_code.clone(),
            parent_id: o.parent_id,
            created_at: gongshu_domain::time::rfc3339_cst(o.created_at),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegionView {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
}

impl From<Region> for RegionView {
    fn from(r: Region) -> Self {
        RegionView { code: r.code, name: r.name, level: r.level, parent_code: r.parent_code }
    }
}

/// The region tree (ORG-1): province, city, county-level nodes and functional zones.
#[utoipa::path(get, path = "/api/v1/regions", tag = "organizations", security(("bearer" = [])),
    responses((status = 200, body = Items<RegionView>)))]
pub async fn list_regions(state: AppStateExt) -> Result<Json<Items<RegionView>>, ApiError> {
    let items = state.store().regions().await?.into_iter().map(Into::into).collect();
    Ok(Json(Items { items }))
}

/// All organizations (ORG-1).
#[utoipa::path(get, path = "/api/v1/orgs", tag = "organizations", security(("bearer" = [])),
    responses((status = 200, body = Items<OrgView>)))]
pub async fn list(state: AppStateExt, ctx: Ctx) -> Result<Json<Items<OrgView>>, ApiError> {
    let items = state.store().orgs().await?.iter().map(|o| OrgView::new(o, ctx.lang)).collect();
    Ok(Json(Items { items }))
}

/// Creates an organization; its credit code is checked per GB 32100.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "organizations", security(("bearer" = [])),
    request_body = OrgInput,
    responses((status = 201, body = OrgView), (status = 422, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody)))]
pub async fn create(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<OrgInput>,
) -> Result<(StatusCode, Json<OrgView>), ApiError> {
    let org = service::create_org(state.store(), &input, &ctx.actor()).await?;
    Ok((StatusCode::CREATED, Json(OrgView::new(&org, ctx.lang))))
}

/// One organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "organizations", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = OrgView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<OrgView>, ApiError> {
    let org = state.store().org(id).await?.ok_or_else(|| ApiError::not_found("机构", "Organization"))?;
    Ok(Json(OrgView::new(&org, ctx.lang)))
}
