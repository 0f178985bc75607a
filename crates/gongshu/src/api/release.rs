//! Release rules per data item (OPN-6, SEC-3) over the API: the effective rule of each
//! item of an entry (the default from its level and kind, or the provider's override),
//! and the provider's overrides, replaced as a whole.
//!
//! `PUT /api/v1/catalog/entries/{id}/release-rules` with
//! `{"rules": {"姓名": {"rule": "suppress"}, "住址": {"rule": "generalize", "how": "district"}}}`;
//! an item left out goes back to its default.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use gongshu_data::release::Release;
use gongshu_data::released::{ItemRule, ReleasePlan};
use serde::{Deserialize, Serialize};

use crate::app::{AppState, AppStateExt};
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::open::catalog::leveled_items;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesInput {
    /// Item name → rule, e.g. `{"rule": "mask"}`, `{"rule": "generalize", "how": "year"}`
    /// (`how`: `year`, `month`, `district`, `age_band`).
    #[schema(value_type = Object)]
    pub rules: BTreeMap<String, Release>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RulesView {
    pub entry_id: i64,
    /// Each item's rule: `rule` in force, `default`, and `source` (`default` or `provider`).
    #[schema(value_type = Vec<Object>)]
    pub items: Vec<ItemRule>,
}

pub async fn view(state: &AppState, id: i64) -> Result<RulesView, ApiError> {
    let entry = state.store().entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let (content, _) = crate::data::entry_items(state.store(), &entry).await?;
    let overrides = state
        .store()
        .release_rules(Some(id))
        .await?
        .iter()
        .filter_map(|r| Some((r.item.clone(), serde_json::from_str::<Release>(&r.rule).ok()?)))
        .collect();
    let plan = ReleasePlan::new(&leveled_items(&content), &overrides, b"");
    Ok(RulesView { entry_id: id, items: plan.items })
}

/// The release rule of every item of a published entry.
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}/release-rules", tag = "open", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = RulesView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(state: AppStateExt, Path(id): Path<i64>) -> Result<Json<RulesView>, ApiError> {
    Ok(Json(view(&state, id).await?))
}

/// Replaces the provider's overrides of an entry's release rules; audited.
#[utoipa::path(put, path = "/api/v1/catalog/entries/{id}/release-rules", tag = "open", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RulesInput,
    responses((status = 200, body = RulesView), (status = 403, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<RulesInput>,
) -> Result<Json<RulesView>, ApiError> {
    apply(&state, &ctx, id, &input.rules).await?;
    Ok(Json(view(&state, id).await?))
}

/// Replaces an entry's overrides (the API and the console form).
pub async fn apply(state: &AppState, ctx: &Ctx, id: i64, rules: &BTreeMap<String, Release>) -> Result<(), ApiError> {
    let entry = crate::catalog::own_entry(state.store(), ctx, id).await?;
    let (content, _) = crate::data::entry_items(state.store(), &entry).await?;
    if let Some(unknown) = rules.keys().find(|k| !content.items.iter().any(|i| &i.name == *k)) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_item",
            format!("目录没有信息项“{unknown}”"),
            format!("The entry has no data item {unknown:?}"),
        ));
    }
    let rules: Vec<(String, String)> =
        rules.iter().map(|(k, r)| (k.clone(), serde_json::to_string(r).unwrap_or_default())).collect();
    let now = chrono::Utc::now().timestamp_micros();
    state.store().set_release_rules(id, &rules, now, &ctx.actor()).await?;
    state.open().touch();
    Ok(())
}
