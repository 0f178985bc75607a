//! The people responsible for each organization's data work (ORG-2).

use axum::http::StatusCode;
use gongshu_domain::org::Duty;
use gongshu_domain::role::{Permission, allows, may_edit_people};
use gongshu_store::Person;
use serde::Serialize;

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::service::{self, PersonInput};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PersonView {
    pub id: i64,
    pub org_id: i64,
    pub duty: String,
    pub duty_label: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub user_id: Option<i64>,
}

impl PersonView {
    pub fn new(p: Person, lang: crate::i18n::Lang) -> Self {
        let duty_label =
            Duty::parse(&p.duty).map(|d| lang.pick(d.label_zh(), d.label_en()).to_string()).unwrap_or_default();
        PersonView {
            id: p.id,
            org_id: p.org_id,
            duty: p.duty,
            duty_label,
            name: p.name,
            phone: p.phone,
            email: p.email,
            user_id: p.user_id,
        }
    }
}

/// Whether the caller may see the people of `org_id`: the authority side sees every
/// organization's list (it is filed with them); others see their own organization's.
pub fn may_see_people(ctx: &Ctx, org_id: i64) -> bool {
    allows(ctx.roles(), Permission::PeopleReadAll) || ctx.principal.as_ref().and_then(|p| p.user.org_id) == Some(org_id)
}

/// The people of one organization.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/people", tag = "organizations", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Items<PersonView>), (status = 403, body = crate::error::ErrorBody)))]
pub async fn of_org(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<Items<PersonView>>, ApiError> {
    if !may_see_people(&ctx, id) {
        return Err(ApiError::forbidden());
    }
    state.store().org(id).await?.ok_or_else(|| ApiError::not_found("机构", "Organization"))?;
    let items = state.store().people(Some(id)).await?.into_iter().map(|p| PersonView::new(p, ctx.lang)).collect();
    Ok(Json(Items { items }))
}

/// Every organization's people, for the authority (ORG-2).
#[utoipa::path(get, path = "/api/v1/people", tag = "organizations", security(("bearer" = [])),
    responses((status = 200, body = Items<PersonView>)))]
pub async fn all(state: AppStateExt, ctx: Ctx) -> Result<Json<Items<PersonView>>, ApiError> {
    let items = state.store().people(None).await?.into_iter().map(|p| PersonView::new(p, ctx.lang)).collect();
    Ok(Json(Items { items }))
}

/// Registers a person for an organization: its own data officers, or the admin.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/people", tag = "organizations", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PersonInput,
    responses((status = 201, body = PersonView), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<PersonInput>,
) -> Result<(StatusCode, Json<PersonView>), ApiError> {
    let me = ctx.me()?;
    if !may_edit_people(&me.roles, me.user.org_id, id) {
        return Err(ApiError::forbidden());
    }
    let person = service::add_person(state.store(), id, &input, &ctx.actor()).await?;
    Ok((StatusCode::CREATED, Json(PersonView::new(person, ctx.lang))))
}

/// Removes a person from their organization's list.
#[utoipa::path(delete, path = "/api/v1/people/{id}", tag = "organizations", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn remove(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    let me = ctx.me()?;
    let person = state.store().person(id).await?.ok_or_else(|| ApiError::not_found("人员", "Person"))?;
    if !may_edit_people(&me.roles, me.user.org_id, person.org_id) {
        return Err(ApiError::forbidden());
    }
    state.store().remove_person(id, &ctx.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}
