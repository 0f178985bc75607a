//! The public figures of SUP-4: how many demands, objections and suggestions each
//! organization received and answered, how many are overdue, and how fast it answers.
//! The arithmetic is `gongshu_domain::open_demand::stats`; this counts working days on
//! the deployment's calendar and adds the names.

use std::collections::HashMap;

use gongshu_domain::open_demand::stats::{Sample, provider_stats, working_days_after};
use gongshu_domain::time::{cst, now_micros};
use gongshu_store::OpenDemandFilter;
use serde::Serialize;

use crate::app::AppState;
use crate::error::ApiError;

/// One organization's figures.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProviderStatsView {
    pub org_id: i64,
    pub org_name: String,
    pub received: u64,
    pub answered: u64,
    /// Not answered, and past the deadline now.
    pub overdue: u64,
    /// Answered after the deadline.
    pub answered_late: u64,
    /// Median time to answer in working days (counted as deadlines are), over answered items.
    pub median_working_days: Option<f64>,
    /// Median time to answer in hours, to one decimal.
    pub median_hours: Option<f64>,
}

/// The statistics of every organization that received something.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandStats {
    /// The profile's deadline in working days.
    pub deadline_working_days: u32,
    pub received: u64,
    pub answered: u64,
    pub overdue: u64,
    /// Most received first.
    pub items: Vec<ProviderStatsView>,
}

fn date_of(micros: i64) -> Option<chrono::NaiveDate> {
    chrono::DateTime::<chrono::Utc>::from_timestamp_micros(micros).map(|t| t.with_timezone(&cst()).date_naive())
}

/// Figures as of now.
pub async fn stats(app: &AppState) -> Result<DemandStats, ApiError> {
    let store = app.store();
    let cal = app.regulation().calendar(store).await?;
    let profile = app.regulation().profile();
    let region = profile.region();
    let all = store.open_demands(&OpenDemandFilter { limit: 100_000, ..Default::default() }).await?;
    let samples: Vec<Sample> = all
        .iter()
        .map(|d| Sample {
            holder_org_id: d.provider_org_id,
            received_at: d.created_at,
            due_at: d.due_at,
            answered_at: d.answered_at,
            answer_working_days: match (date_of(d.created_at), d.answered_at.and_then(date_of)) {
                (Some(from), Some(to)) => Some(working_days_after(from, to, |day| cal.is_workday(day, region))),
                _ => None,
            },
        })
        .collect();
    let names: HashMap<i64, String> = store.orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut items: Vec<ProviderStatsView> = provider_stats(&samples, now_micros())
        .into_iter()
        .map(|p| ProviderStatsView {
            org_name: names.get(&p.holder_org_id).cloned().unwrap_or_default(),
            org_id: p.holder_org_id,
            received: p.received,
            answered: p.answered,
            overdue: p.overdue,
            answered_late: p.answered_late,
            median_working_days: p.median_working_days,
            median_hours: p.median_hours.map(|h| (h * 10.0).round() / 10.0),
        })
        .collect();
    items.sort_by(|a, b| b.received.cmp(&a.received).then_with(|| a.org_name.cmp(&b.org_name)));
    Ok(DemandStats {
        deadline_working_days: profile.opening.demand_answer.working_days,
        received: items.iter().map(|p| p.received).sum(),
        answered: items.iter().map(|p| p.answered).sum(),
        overdue: items.iter().map(|p| p.overdue).sum(),
        items,
    })
}
