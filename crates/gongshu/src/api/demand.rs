//! Annual data demand plans over the API (AGG-8).

use serde::Deserialize;

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::demand::{PlanInput, PlanView};
use crate::error::{ApiError, Json, Path, Query};

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    pub year: Option<i64>,
}

/// Files or revises the caller's organization's demand plan for a year.
#[utoipa::path(put, path = "/api/v1/demand-plans/{year}", tag = "data", security(("bearer" = [])), params(("year" = i64, Path)),
    request_body = PlanInput, responses((status = 200, body = PlanView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn save(
    state: AppStateExt,
    ctx: Ctx,
    Path(year): Path<i64>,
    Json(input): Json<PlanInput>,
) -> Result<Json<PlanView>, ApiError> {
    Ok(Json(crate::demand::save(&state, &ctx, year, &input).await?))
}

/// Every plan, with each demand met, catalogued without data, or unmet.
#[utoipa::path(get, path = "/api/v1/demand-plans", tag = "data", security(("bearer" = [])), params(YearQuery),
    responses((status = 200, body = Items<PlanView>)))]
pub async fn list(state: AppStateExt, Query(q): Query<YearQuery>) -> Result<Json<Items<PlanView>>, ApiError> {
    Ok(Json(Items { items: crate::demand::views(&state, q.year).await? }))
}
