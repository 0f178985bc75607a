//! Conditional share requests (SHR-2) on the deadline engine.

use axum::http::StatusCode;
use gongshu_domain::role::{Permission, allows};
use gongshu_store::ShareRequest;

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::share::{self, AnswerInput, ShareInput};

/// Requests my organization made or received (the overview roles see all).
#[utoipa::path(get, path = "/api/v1/share-requests", tag = "sharing", security(("bearer" = [])), responses((status = 200, body = Items<ShareRequest>)))]
pub async fn list(state: AppStateExt, ctx: Ctx) -> Result<Json<Items<ShareRequest>>, ApiError> {
    let me = ctx.me()?;
    let scope = if allows(&me.roles, Permission::DeadlineOverview) { None } else { Some(me.user.org_id.unwrap_or(-1)) };
    Ok(Json(Items { items: state.store().share_requests(scope).await? }))
}

/// Applies for conditional shared data; the profile's first review step starts its clock.
#[utoipa::path(post, path = "/api/v1/share-requests", tag = "sharing", security(("bearer" = [])), request_body = ShareInput,
    responses((status = 201, body = ShareRequest), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<ShareInput>,
) -> Result<(StatusCode, Json<ShareRequest>), ApiError> {
    Ok((StatusCode::CREATED, Json(share::apply(&state, &ctx, &input).await?)))
}

/// Answers the current step (approve, or refuse with reason); late answers are allowed and recorded as late.
#[utoipa::path(post, path = "/api/v1/share-requests/{id}/answer", tag = "sharing", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AnswerInput,
    responses((status = 200, body = ShareRequest), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn answer(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<AnswerInput>,
) -> Result<Json<ShareRequest>, ApiError> {
    Ok(Json(share::answer(&state, &ctx, id, &input).await?))
}
