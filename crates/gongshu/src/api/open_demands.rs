//! Demands, objections and suggestions about open data over the API (OPN-7, OPN-8),
//! the requester's personal notifications, and the public answer statistics (SUP-4).

use axum::http::StatusCode;
use serde::Deserialize;

use super::Items;
use super::deadlines::NotificationView;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path, Query};
use crate::open_demands::{self, AnswerInput, DemandStats, DemandView, OutcomeInput, SubmitInput, SuspendInput};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StateQuery {
    /// `submitted`, `read`, `answered`, `suspended`, `withdrawn`, `restored`, `reopened`
    /// or `all` (default).
    pub state: Option<String>,
}

/// Sends a demand, objection or suggestion about a published open entry, or a demand
/// for data outside the catalog; the holding organization's clock starts at once.
#[utoipa::path(post, path = "/api/v1/open/demands", tag = "open", security(("bearer" = [])), request_body = SubmitInput,
    responses((status = 201, body = DemandView), (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn submit(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<SubmitInput>,
) -> Result<(StatusCode, Json<DemandView>), ApiError> {
    Ok((StatusCode::CREATED, Json(open_demands::submit(&state, &ctx, &input).await?)))
}

/// My submissions, newest first.
#[utoipa::path(get, path = "/api/v1/open/demands", tag = "open", security(("bearer" = [])), params(StateQuery),
    responses((status = 200, body = Items<DemandView>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn mine(
    state: AppStateExt,
    ctx: Ctx,
    Query(q): Query<StateQuery>,
) -> Result<Json<Items<DemandView>>, ApiError> {
    Ok(Json(Items { items: open_demands::mine(&state, &ctx, q.state.as_deref()).await? }))
}

/// What was sent to my organization, newest first.
#[utoipa::path(get, path = "/api/v1/open/demands/received", tag = "open", security(("bearer" = [])), params(StateQuery),
    responses((status = 200, body = Items<DemandView>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn received(
    state: AppStateExt,
    ctx: Ctx,
    Query(q): Query<StateQuery>,
) -> Result<Json<Items<DemandView>>, ApiError> {
    Ok(Json(Items { items: open_demands::received(&state, &ctx, q.state.as_deref()).await? }))
}

/// One item, for its requester, the holding organization's staff (opening it marks it
/// read) and the authority side.
#[utoipa::path(get, path = "/api/v1/open/demands/{id}", tag = "open", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = DemandView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<Json<DemandView>, ApiError> {
    Ok(Json(open_demands::open(&state, &ctx, id).await?))
}

/// Answers an item, once; the requester is told.
#[utoipa::path(post, path = "/api/v1/open/demands/{id}/answer", tag = "open", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AnswerInput,
    responses((status = 200, body = DemandView), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn answer(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<AnswerInput>,
) -> Result<Json<DemandView>, ApiError> {
    Ok(Json(open_demands::answer(&state, &ctx, id, &input).await?))
}

/// Suspends the opening of an infringement objection's entry at once (OPN-8).
#[utoipa::path(post, path = "/api/v1/open/demands/{id}/suspend", tag = "open", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SuspendInput,
    responses((status = 200, body = DemandView), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn suspend(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<SuspendInput>,
) -> Result<Json<DemandView>, ApiError> {
    Ok(Json(open_demands::suspend(&state, &ctx, id, &input).await?))
}

/// Decides a suspended infringement objection: `withdraw`, `restore` or `reopen`.
#[utoipa::path(post, path = "/api/v1/open/demands/{id}/outcome", tag = "open", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = OutcomeInput,
    responses((status = 200, body = DemandView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn outcome(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<OutcomeInput>,
) -> Result<Json<DemandView>, ApiError> {
    Ok(Json(open_demands::decide(&state, &ctx, id, &input).await?))
}

/// How fast each organization answers demands, objections and suggestions (SUP-4).
#[utoipa::path(get, path = "/api/v1/open/demand-stats", tag = "open", responses((status = 200, body = DemandStats)))]
pub async fn stats(state: AppStateExt) -> Result<Json<DemandStats>, ApiError> {
    Ok(Json(open_demands::stats(&state).await?))
}

/// My personal notifications (answers to what I sent), newest first.
#[utoipa::path(get, path = "/api/v1/me/notifications", tag = "open", security(("bearer" = [])),
    responses((status = 200, body = Items<NotificationView>)))]
pub async fn my_notifications(state: AppStateExt, ctx: Ctx) -> Result<Json<Items<NotificationView>>, ApiError> {
    let me = ctx.me()?;
    let items =
        state.store().user_notifications(me.user.id, 200).await?.into_iter().map(NotificationView::new).collect();
    Ok(Json(Items { items }))
}
