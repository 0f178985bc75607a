//! Annual data demand plans (AGG-8, WH-18): each consumer organization files what data
//! it needs for the year, by the profile's day (the end of February in Weihai), and
//! updates it during the year; the authority sees which demands the catalog and the
//! loaded data meet and which are unmet.

use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate, Utc};
use gongshu_store::DemandPlan;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::{ApiError, Problem};

/// One demand: the data wanted, the catalog entry that has it if the requester knows
/// one, and what for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandItem {
    pub name: String,
    #[serde(default)]
    pub entry_code: Option<String>,
    #[serde(default)]
    pub purpose: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    pub items: Vec<DemandItem>,
}

/// A demand and whether supply meets it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandStatus {
    #[serde(flatten)]
    pub item: DemandItem,
    /// `met` (a published entry with data), `no_data` (catalogued, nothing loaded) or
    /// `unmet` (no published entry).
    pub status: &'static str,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PlanView {
    #[serde(flatten)]
    pub plan: DemandPlan,
    pub org_name: String,
    pub demands: Vec<DemandStatus>,
    pub unmet: usize,
}

/// Whether a plan filed on `filed_on` for `year` is late under the profile (the city
/// may set no due day: then never).
pub fn is_late(due: Option<gongshu_rules::MonthDay>, year: i32, filed_on: NaiveDate) -> bool {
    due.and_then(|d| d.in_year(year)).is_some_and(|due| filed_on > due)
}

/// Files or revises the caller's organization's plan for `year`.
pub async fn save(app: &AppState, ctx: &Ctx, year: i64, input: &PlanInput) -> Result<PlanView, ApiError> {
    let store = app.store();
    let org = ctx.me()?.user.org_id.ok_or_else(ApiError::forbidden)?;
    let today = gongshu_rules::calendar::cst_date(Utc::now());
    if !(2000..=2100).contains(&year) || year < i64::from(today.year()) - 1 {
        return Err(ApiError::bad_request("bad_year", "年度不在可申报范围内", "The year is out of range"));
    }
    if input.items.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "plan_empty",
            "需求计划至少包含一项需求",
            "A plan has at least one demand",
        ));
    }
    let mut problems = Vec::new();
    let mut items = Vec::new();
    for (i, d) in input.items.iter().enumerate() {
        let name = d.name.trim().to_string();
        if name.is_empty() {
            problems.push(Problem {
                code: "name_required".into(),
                field: Some(format!("items[{i}].name")),
                message: format!("第 {} 项需求缺少数据名称", i + 1),
                message_en: format!("Demand {} has no name", i + 1),
            });
        }
        let code = d.entry_code.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(String::from);
        if let Some(c) = &code
            && store.entry_by_code(c).await?.is_none()
        {
            problems.push(Problem {
                code: "unknown_entry".into(),
                field: Some(format!("items[{i}].entry_code")),
                message: format!("“{c}”不是目录中的信息资源代码"),
                message_en: format!("{c:?} is not a catalog code"),
            });
        }
        items.push(DemandItem { name, entry_code: code, purpose: d.purpose.trim().to_string() });
    }
    if !problems.is_empty() {
        return Err(ApiError::with_problems("bad_plan", problems));
    }
    let due = app.regulation().profile().planning.annual_demand_plan.as_ref().map(|p| p.due);
    let late = is_late(due, year as i32, today);
    let json = serde_json::to_string(&items).map_err(|_| ApiError::internal())?;
    let plan = store.save_demand_plan(org, year, &json, late, &ctx.actor()).await?;
    let mut views = views_of(app, vec![plan]).await?;
    views.pop().ok_or_else(ApiError::internal)
}

async fn views_of(app: &AppState, plans: Vec<DemandPlan>) -> Result<Vec<PlanView>, ApiError> {
    let store = app.store();
    let names: std::collections::HashMap<i64, String> =
        store.orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let loaded: std::collections::HashSet<i64> =
        store.latest_data_versions().await?.into_iter().map(|v| v.entry_id).collect();
    let mut out = Vec::new();
    for plan in plans {
        let items: Vec<DemandItem> = serde_json::from_str(&plan.items).unwrap_or_default();
        let mut demands = Vec::new();
        for item in items {
            let entry = match &item.entry_code {
                Some(c) => {
                    store.entry_by_code(c).await?.filter(|e| e.published_version.is_some() && e.state != "retired")
                }
                None => None,
            };
            let status = match entry {
                Some(e) if loaded.contains(&e.id) => "met",
                Some(_) => "no_data",
                None => "unmet",
            };
            demands.push(DemandStatus { item, status });
        }
        let unmet = demands.iter().filter(|d| d.status != "met").count();
        out.push(PlanView { org_name: names.get(&plan.org_id).cloned().unwrap_or_default(), plan, demands, unmet });
    }
    Ok(out)
}

/// Every plan of a year (or all years), with each demand's status.
pub async fn views(app: &AppState, year: Option<i64>) -> Result<Vec<PlanView>, ApiError> {
    views_of(app, app.store().demand_plans(year).await?).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agg_8_plans_are_late_after_the_end_of_february() {
        let due: Option<gongshu_rules::MonthDay> = "02-end".parse().ok();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        assert!(!is_late(due, 2028, d(2028, 2, 29)), "leap year: the 29th is in time");
        assert!(is_late(due, 2027, d(2027, 3, 1)));
        assert!(!is_late(due, 2027, d(2027, 2, 28)));
        assert!(!is_late(due, 2027, d(2026, 12, 1)), "filed ahead for next year");
        assert!(!is_late(None, 2027, d(2027, 12, 31)), "a city without a due day");
    }
}
