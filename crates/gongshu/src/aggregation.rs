//! Aggregation rules (AGG-7): an entry is left out of aggregation only with a stated
//! legal basis (BZ-17); purchased social data needs the authority's approval and is
//! catalogued and loaded like any other entry (BZ-16, WHN-34).

use axum::http::StatusCode;
use gongshu_store::{Entry, Exemption, Purchase, Store};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::ApiError;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExemptionInput {
    /// `false` to leave the entry out of aggregation (a legal basis is then required),
    /// `true` to aggregate it again.
    pub aggregated: bool,
    pub legal_basis: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInput {
    /// The catalog entry that describes the purchased data (one of the caller's own).
    pub entry_code: String,
    pub supplier: String,
    pub purpose: String,
}

fn unprocessable(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
}

/// Leaves an entry out of aggregation (with its legal basis) or takes it back in.
pub async fn set_exemption(app: &AppState, ctx: &Ctx, entry_id: i64, input: &ExemptionInput) -> Result<(), ApiError> {
    let store = app.store();
    let entry = crate::catalog::own_entry(store, ctx, entry_id).await?;
    let basis = input.legal_basis.as_deref().map(str::trim).filter(|b| !b.is_empty());
    match (input.aggregated, basis) {
        (false, None) => Err(unprocessable(
            "legal_basis_required",
            "不予汇聚的，须说明法律依据",
            "Leaving an entry out of aggregation needs its legal basis",
        )),
        (false, Some(b)) => Ok(store.set_exemption(entry.id, Some(b), &ctx.actor()).await?),
        (true, _) => Ok(store.set_exemption(entry.id, None, &ctx.actor()).await?),
    }
}

/// Files a purchase for the authority's approval.
pub async fn file_purchase(app: &AppState, ctx: &Ctx, input: &PurchaseInput) -> Result<Purchase, ApiError> {
    let store = app.store();
    let entry = store.entry_by_code(input.entry_code.trim()).await?.ok_or_else(|| {
        unprocessable("unknown_entry", "请先为购买的数据编制目录", "Catalogue the purchased data first")
    })?;
    crate::catalog::check_own(ctx, &entry)?;
    if input.supplier.trim().is_empty() || input.purpose.trim().is_empty() {
        return Err(unprocessable(
            "supplier_and_purpose_required",
            "须写明数据供应方和用途",
            "Name the supplier and the purpose",
        ));
    }
    Ok(store
        .create_purchase(entry.id, entry.provider_org_id, input.supplier.trim(), input.purpose.trim(), &ctx.actor())
        .await?)
}

/// The authority decides a purchase; a rejection needs a reason.
pub async fn decide_purchase(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    approve: bool,
    reason: Option<&str>,
) -> Result<(), ApiError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(unprocessable("reason_required", "不予批准须说明理由", "A rejection needs its reason"));
    }
    if !app.store().decide_purchase(id, approve, reason, &ctx.actor()).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_decided",
            "该申请已处理或不存在",
            "Already decided, or no such purchase",
        ));
    }
    Ok(())
}

/// Whether data may be loaded into an entry: not while it is exempt from aggregation,
/// and not while it catalogues a purchase the authority has not approved.
pub async fn check_loadable(store: &Store, entry: &Entry) -> Result<(), ApiError> {
    let exempt: Vec<Exemption> = store.exemptions().await?;
    if let Some(x) = exempt.iter().find(|x| x.entry_id == entry.id) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "entry_not_aggregated",
            format!("该目录依法不予汇聚（{}），不能加载数据", x.legal_basis),
            format!("The entry is not aggregated ({}); no data can be loaded", x.legal_basis),
        ));
    }
    let purchases: Vec<Purchase> = store.purchases().await?.into_iter().filter(|p| p.entry_id == entry.id).collect();
    if !purchases.is_empty() && !purchases.iter().any(|p| p.state == "approved") {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "purchase_not_approved",
            "购买的社会数据须经主管部门批准后方可汇聚",
            "Purchased data is loaded only once the authority has approved the purchase",
        ));
    }
    Ok(())
}
