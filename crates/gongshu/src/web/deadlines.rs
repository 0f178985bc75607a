//! "My deadlines", the authority's overview, notifications and the outbox (SUP-1).

use minijinja::context;
use serde::Deserialize;

use super::{Notice, PageResult, render, saved};
use crate::api::deadlines::{ClockQuery, ClockView, NotificationView, clocks_of};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Query};

async fn org_names(state: &AppStateExt) -> Result<std::collections::HashMap<i64, String>, ApiError> {
    Ok(state.store().orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect())
}

fn group(clocks: Vec<ClockView>) -> (Vec<ClockView>, Vec<ClockView>, Vec<ClockView>) {
    let (mut overdue, mut soon, mut open) = (Vec::new(), Vec::new(), Vec::new());
    for c in clocks {
        match c.standing.as_deref() {
            Some("overdue") => overdue.push(c),
            Some("due_soon") => soon.push(c),
            _ => open.push(c),
        }
    }
    (overdue, soon, open)
}

pub async fn mine(state: AppStateExt, ctx: Ctx) -> PageResult {
    let org = ctx.me()?.user.org_id;
    let clocks = match org {
        Some(o) => clocks_of(&state, Some(o), &ClockQuery::default()).await?,
        None => Vec::new(),
    };
    let (overdue, soon, open) = group(clocks);
    render(
        &state,
        &ctx,
        "deadlines.html",
        context! { overview => false, overdue, soon, open, orgs => org_names(&state).await? },
    )
}

pub async fn overview(state: AppStateExt, ctx: Ctx) -> PageResult {
    let clocks = clocks_of(&state, None, &ClockQuery::default()).await?;
    let names = org_names(&state).await?;
    let mut per_org: Vec<(String, usize, usize, usize)> = Vec::new();
    for c in &clocks {
        let name = c.holder_org_id.and_then(|o| names.get(&o).cloned()).unwrap_or_else(|| "-".into());
        let i = match per_org.iter().position(|p| p.0 == name) {
            Some(i) => i,
            None => {
                per_org.push((name, 0, 0, 0));
                per_org.len() - 1
            }
        };
        match c.standing.as_deref() {
            Some("overdue") => per_org[i].1 += 1,
            Some("due_soon") => per_org[i].2 += 1,
            _ => per_org[i].3 += 1,
        }
    }
    per_org.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    let max = per_org.iter().map(|p| p.1 + p.2 + p.3).max().unwrap_or(1).max(1);
    let bars: Vec<minijinja::Value> = per_org
        .iter()
        .map(|(name, o, s, n)| {
            context! { name, overdue => o, soon => s, open => n,
            w_overdue => o * 100 / max, w_soon => s * 100 / max, w_open => n * 100 / max }
        })
        .collect();
    let (overdue, soon, open) = group(clocks);
    render(&state, &ctx, "deadlines.html", context! { overview => true, overdue, soon, open, orgs => names, bars })
}

pub async fn notifications(state: AppStateExt, ctx: Ctx) -> PageResult {
    let items: Vec<NotificationView> = match ctx.me()?.user.org_id {
        Some(o) => state.store().notifications(Some(o), 200).await?.into_iter().map(NotificationView::new).collect(),
        None => Vec::new(),
    };
    render(&state, &ctx, "notifications.html", context! { items })
}

pub async fn outbox(state: AppStateExt, ctx: Ctx, Query(n): Query<Notice>) -> PageResult {
    let items = state.store().outbox(200).await?;
    let hooks = state.store().webhooks().await?;
    render(&state, &ctx, "outbox.html", context! { items, hooks, saved => n.saved.is_some() })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookForm {
    #[serde(default)]
    pub csrf: String,
    pub url: String,
}

pub async fn add_webhook(state: AppStateExt, ctx: Ctx, Form(f): Form<WebhookForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let input = crate::api::deadlines::WebhookInput { url: f.url, org_id: None };
    crate::api::deadlines::add_webhook(state, ctx, crate::error::Json(input)).await?;
    saved("/console/outbox")
}
