//! Aggregation rules over the API (AGG-7).

use axum::http::StatusCode;
use gongshu_store::{Exemption, Purchase};
use serde::Deserialize;

use super::Items;
use crate::aggregation::{ExemptionInput, PurchaseInput};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};

/// Leaves an entry out of aggregation (its legal basis required) or takes it back in.
#[utoipa::path(put, path = "/api/v1/catalog/entries/{id}/aggregation", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ExemptionInput, responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<ExemptionInput>,
) -> Result<StatusCode, ApiError> {
    crate::aggregation::set_exemption(&state, &ctx, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Entries not aggregated, with their legal bases.
#[utoipa::path(get, path = "/api/v1/data/exemptions", tag = "data", security(("bearer" = [])), responses((status = 200, body = Items<Exemption>)))]
pub async fn exemptions(state: AppStateExt) -> Result<Json<Items<Exemption>>, ApiError> {
    Ok(Json(Items { items: state.store().exemptions().await? }))
}

/// Files the purchase of social data, catalogued by one of the caller's entries.
#[utoipa::path(post, path = "/api/v1/data/purchases", tag = "data", security(("bearer" = [])), request_body = PurchaseInput,
    responses((status = 201, body = Purchase), (status = 422, body = crate::error::ErrorBody)))]
pub async fn file(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<PurchaseInput>,
) -> Result<(StatusCode, Json<Purchase>), ApiError> {
    Ok((StatusCode::CREATED, Json(crate::aggregation::file_purchase(&state, &ctx, &input).await?)))
}

/// Every purchase.
#[utoipa::path(get, path = "/api/v1/data/purchases", tag = "data", security(("bearer" = [])), responses((status = 200, body = Items<Purchase>)))]
pub async fn purchases(state: AppStateExt) -> Result<Json<Items<Purchase>>, ApiError> {
    Ok(Json(Items { items: state.store().purchases().await? }))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    /// `approve` or `reject`.
    pub decision: String,
    pub reason: Option<String>,
}

/// The authority approves or rejects a purchase (a rejection needs a reason).
#[utoipa::path(post, path = "/api/v1/data/purchases/{id}/decision", tag = "data", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = DecisionInput, responses((status = 204), (status = 409, body = crate::error::ErrorBody)))]
pub async fn decide(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(d): Json<DecisionInput>,
) -> Result<StatusCode, ApiError> {
    let approve = match d.decision.as_str() {
        "approve" => true,
        "reject" => false,
        other => {
            return Err(ApiError::bad_request(
                "bad_decision",
                format!("“{other}”不是有效决定，应为 approve 或 reject"),
                "decision must be approve or reject",
            ));
        }
    };
    crate::aggregation::decide_purchase(&state, &ctx, id, approve, d.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}
