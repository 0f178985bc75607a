//! Annual open lists (CAT-10).

use axum::http::StatusCode;
use gongshu_store::OpenList;
use serde::Deserialize;

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use crate::open_lists::{self, OpenListInput, OpenListView};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    pub year: Option<i64>,
}

/// The published annual open lists (public).
#[utoipa::path(get, path = "/api/v1/open-lists", tag = "catalog", params(YearQuery), responses((status = 200, body = Items<OpenListView>)))]
pub async fn published(state: AppStateExt, Query(q): Query<YearQuery>) -> Result<Json<Items<OpenListView>>, ApiError> {
    Ok(Json(Items { items: open_lists::views(state.store(), q.year, Some("published")).await? }))
}

/// Every list in any state, for staff.
#[utoipa::path(get, path = "/api/v1/open-lists/all", tag = "catalog", security(("bearer" = [])), params(YearQuery), responses((status = 200, body = Items<OpenListView>)))]
pub async fn all(state: AppStateExt, Query(q): Query<YearQuery>) -> Result<Json<Items<OpenListView>>, ApiError> {
    Ok(Json(Items { items: open_lists::views(state.store(), q.year, None).await? }))
}

/// Saves the caller's organization's draft list for a year.
#[utoipa::path(post, path = "/api/v1/open-lists", tag = "catalog", security(("bearer" = [])), request_body = OpenListInput,
    responses((status = 201, body = OpenList), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<OpenListInput>,
) -> Result<(StatusCode, Json<OpenList>), ApiError> {
    Ok((StatusCode::CREATED, Json(open_lists::save(&state, &ctx, &input).await?)))
}

/// Submits a draft list to the city authority.
#[utoipa::path(post, path = "/api/v1/open-lists/{id}/submit", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 409, body = crate::error::ErrorBody)))]
pub async fn submit(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    open_lists::submit(&state, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The city authority publishes or rejects a submitted list.
#[utoipa::path(post, path = "/api/v1/open-lists/{id}/review", tag = "catalog", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = super::catalog::ReviewInput, responses((status = 204), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn review(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(r): Json<super::catalog::ReviewInput>,
) -> Result<StatusCode, ApiError> {
    let approve = match r.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_decision",
                format!("“{other}”不是有效决定，应为 approve 或 reject"),
                "decision must be approve or reject",
            ));
        }
    };
    open_lists::review(&state, &ctx, id, approve, r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
