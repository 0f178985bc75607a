//! The authority's governance pages (AGG-5 to AGG-9): overdue entries, one number one
//! source, IT projects, annual demand plans, aggregation exemptions and purchases.

use minijinja::context;

use super::{PageResult, render, saved};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Path};

fn cst(micros: i64) -> String {
    gongshu_domain::time::format_cst(micros)
}

/// Entries whose data is overdue by their update cycle, and the providers (AGG-5).
pub async fn overdue_page(state: AppStateExt, ctx: Ctx) -> PageResult {
    let list = crate::data::overdue(state.store(), chrono::Utc::now()).await?;
    let names: std::collections::HashMap<i64, String> =
        state.store().orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut per: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for o in &list {
        *per.entry(names.get(&o.provider_org_id).cloned().unwrap_or_default()).or_insert(0) += 1;
    }
    let max = per.values().copied().max().unwrap_or(1).max(1);
    let mut providers: Vec<(String, usize)> = per.into_iter().collect();
    providers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let bars: Vec<minijinja::Value> = providers
        .iter()
        .map(|(name, n)| context! { name, n, width => (*n as f64 * 100.0 / max as f64).round() })
        .collect();
    let rows: Vec<minijinja::Value> = list
        .iter()
        .map(|o| {
            context! {
                o, provider => names.get(&o.provider_org_id),
                last => o.last_loaded_at.map(cst), due => o.due_at.map(cst),
            }
        })
        .collect();
    render(&state, &ctx, "data_overdue.html", context! { rows, bars, total => list.len() })
}

/// One number, one source (AGG-6): duplicates of authoritative sources.
pub async fn duplicates_page(state: AppStateExt, ctx: Ctx) -> PageResult {
    let list = crate::data::duplicates(state.store()).await?;
    let names: std::collections::HashMap<i64, String> =
        state.store().orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let rows: Vec<minijinja::Value> = list
        .iter()
        .map(|d| {
            context! {
                d, provider => names.get(&d.provider_org_id), source_provider => names.get(&d.source_provider_org_id),
                items => d.items.join("、"),
            }
        })
        .collect();
    render(&state, &ctx, "data_duplicates.html", context! { rows })
}

/// IT projects (AGG-9): the supply lists, where each supplied entry stands, the
/// declaration form and the acceptance check.
pub async fn projects_page(
    state: AppStateExt,
    ctx: Ctx,
    crate::error::Query(n): crate::error::Query<super::Notice>,
) -> PageResult {
    use gongshu_domain::role::{Permission, allows};
    let now = chrono::Utc::now();
    let mut rows = Vec::new();
    for p in state.store().projects().await? {
        let supply = crate::projects::supply_status(&state, &p, now).await?;
        let short = gongshu_data::acceptance::shortfalls(&supply, p.min_valid_share);
        let items: Vec<minijinja::Value> = supply
            .iter()
            .map(|s| {
                let reason = short.iter().find(|f| f.entry_id == s.entry_id).map(|f| f.reason);
                context! { s => context! { entry_id => s.entry_id, code => s.code }, valid => s.valid_share.map(|v| format!("{:.1}", v * 100.0)), reason }
            })
            .collect();
        rows.push(context! { p, items, ready => short.is_empty(), bar => format!("{:.0}", p.min_valid_share * 100.0) });
    }
    let can_declare = allows(ctx.roles(), Permission::CatalogDraft);
    let can_accept = allows(ctx.roles(), Permission::CatalogReview);
    render(&state, &ctx, "projects.html", context! { rows, can_declare, can_accept, saved => n.saved.is_some() })
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectForm {
    #[serde(default)]
    pub csrf: String,
    pub name: String,
    pub entries: String,
    #[serde(default)]
    pub min_valid_percent: String,
}

pub async fn declare_project(
    state: AppStateExt,
    ctx: Ctx,
    crate::error::Form(f): crate::error::Form<ProjectForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let min = match f.min_valid_percent.trim() {
        "" => None,
        s => Some(s.parse::<f64>().map(|v| v / 100.0).map_err(|_| {
            ApiError::bad_request("bad_quality_bar", "合格率须为数字（百分比）", "The bar must be a percentage")
        })?),
    };
    let entries =
        f.entries.split([',', '，', '\n', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    let input = crate::projects::ProjectInput { name: f.name, entries, min_valid_share: min };
    crate::projects::declare(&state, &ctx, &input).await?;
    saved("/console/projects")
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

pub async fn accept_project(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::error::Form(f): crate::error::Form<CsrfForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    crate::projects::accept(&state, &ctx, id).await?;
    saved("/console/projects")
}

/// Demand plans (AGG-8): the caller's organization files its plan; everyone on the staff
/// sees each plan's demands and which are unmet.
pub async fn demand_page(
    state: AppStateExt,
    ctx: Ctx,
    crate::error::Query(n): crate::error::Query<super::Notice>,
) -> PageResult {
    use chrono::Datelike;
    use gongshu_domain::role::{Permission, allows};
    let year = i64::from(gongshu_rules::calendar::cst_date(chrono::Utc::now()).year());
    let plans = crate::demand::views(&state, None).await?;
    let me = ctx.me()?;
    let mine = plans.iter().find(|p| Some(p.plan.org_id) == me.user.org_id && p.plan.year == year).map(|p| {
        p.demands
            .iter()
            .map(|d| format!("{}|{}|{}", d.item.name, d.item.entry_code.clone().unwrap_or_default(), d.item.purpose))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let due = state.regulation().profile().planning.annual_demand_plan.as_ref().map(|p| p.due.to_string());
    let can_file = allows(&me.roles, Permission::ShareApply) && me.user.org_id.is_some();
    let unmet: usize = plans.iter().map(|p| p.unmet).sum();
    render(
        &state,
        &ctx,
        "demand_plans.html",
        context! { plans, mine, year, due, can_file, unmet, saved => n.saved.is_some() },
    )
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemandForm {
    #[serde(default)]
    pub csrf: String,
    pub year: i64,
    pub items: String,
}

/// Each line of the form is one demand: `name|entry code|purpose`.
pub async fn save_demand(
    state: AppStateExt,
    ctx: Ctx,
    crate::error::Form(f): crate::error::Form<DemandForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let items = f
        .items
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(3, '|').map(str::trim);
            crate::demand::DemandItem {
                name: parts.next().unwrap_or_default().to_string(),
                entry_code: parts.next().filter(|c| !c.is_empty()).map(String::from),
                purpose: parts.next().unwrap_or_default().to_string(),
            }
        })
        .collect();
    crate::demand::save(&state, &ctx, f.year, &crate::demand::PlanInput { items }).await?;
    saved("/console/demand-plans")
}

/// Aggregation rules (AGG-7): entries left out with their legal basis, and purchases
/// of social data with the authority's decisions.
pub async fn aggregation_page(
    state: AppStateExt,
    ctx: Ctx,
    crate::error::Query(n): crate::error::Query<super::Notice>,
) -> PageResult {
    use gongshu_domain::role::{Permission, allows};
    let store = state.store();
    let mut exemptions = Vec::new();
    for x in store.exemptions().await? {
        let entry = store.entry(x.entry_id).await?;
        exemptions.push(context! { x, entry });
    }
    let names: std::collections::HashMap<i64, String> =
        store.orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut purchases = Vec::new();
    for p in store.purchases().await? {
        let entry = store.entry(p.entry_id).await?;
        purchases.push(context! { org => names.get(&p.org_id), p, entry });
    }
    let can_file = allows(ctx.roles(), Permission::CatalogDraft);
    let can_decide = allows(ctx.roles(), Permission::CatalogReview);
    render(
        &state,
        &ctx,
        "data_aggregation.html",
        context! { exemptions, purchases, can_file, can_decide, saved => n.saved.is_some() },
    )
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExemptionForm {
    #[serde(default)]
    pub csrf: String,
    pub entry_code: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub aggregated: Option<String>,
}

pub async fn exemption_form(
    state: AppStateExt,
    ctx: Ctx,
    crate::error::Form(f): crate::error::Form<ExemptionForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let entry = state
        .store()
        .entry_by_code(f.entry_code.trim())
        .await?
        .ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let input =
        crate::aggregation::ExemptionInput { aggregated: f.aggregated.is_some(), legal_basis: Some(f.legal_basis) };
    crate::aggregation::set_exemption(&state, &ctx, entry.id, &input).await?;
    saved("/console/data/aggregation")
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseForm {
    #[serde(default)]
    pub csrf: String,
    pub entry_code: String,
    pub supplier: String,
    pub purpose: String,
}

pub async fn purchase_form(
    state: AppStateExt,
    ctx: Ctx,
    crate::error::Form(f): crate::error::Form<PurchaseForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let input =
        crate::aggregation::PurchaseInput { entry_code: f.entry_code, supplier: f.supplier, purpose: f.purpose };
    crate::aggregation::file_purchase(&state, &ctx, &input).await?;
    saved("/console/data/aggregation")
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseDecisionForm {
    #[serde(default)]
    pub csrf: String,
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn purchase_decision(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::error::Form(f): crate::error::Form<PurchaseDecisionForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    crate::aggregation::decide_purchase(&state, &ctx, id, f.decision == "approve", Some(&f.reason)).await?;
    saved("/console/data/aggregation")
}
