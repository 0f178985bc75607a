//! IT projects over the API (AGG-9).

use axum::http::StatusCode;

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::projects::{ProjectInput, ProjectView};

/// Declares an IT project of the caller's organization with its supply list.
#[utoipa::path(post, path = "/api/v1/projects", tag = "data", security(("bearer" = [])), request_body = ProjectInput,
    responses((status = 201, body = ProjectView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn declare(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<ProjectInput>,
) -> Result<(StatusCode, Json<ProjectView>), ApiError> {
    Ok((StatusCode::CREATED, Json(crate::projects::declare(&state, &ctx, &input).await?)))
}

/// Every IT project.
#[utoipa::path(get, path = "/api/v1/projects", tag = "data", security(("bearer" = [])), responses((status = 200, body = Items<ProjectView>)))]
pub async fn list(state: AppStateExt) -> Result<Json<Items<ProjectView>>, ApiError> {
    let items = state.store().projects().await?.into_iter().map(crate::projects::view).collect();
    Ok(Json(Items { items }))
}

/// The acceptance check: 200 when accepted; 422 `acceptance_refused` listing each
/// supplied entry that has no data, is stale or is below the quality bar.
#[utoipa::path(post, path = "/api/v1/projects/{id}/accept", tag = "data", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 422, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn accept(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<ProjectView>, ApiError> {
    Ok(Json(crate::projects::accept(&state, &ctx, id).await?))
}
