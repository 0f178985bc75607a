//! Pages of demands, objections and suggestions about open data (OPN-7, OPN-8): the
//! requester's own list and form on the portal, the holding organization's console
//! (open marks read, answer, suspend, outcome), and the public statistics (SUP-4).

use gongshu_domain::open_demand::{DemandKind, InfringementKind, Outcome};
use minijinja::context;
use serde::Deserialize;

use super::{Notice, PageResult, render, saved};
use crate::api::deadlines::NotificationView;
use crate::app::{AppState, AppStateExt};
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Path, Query};
use crate::open_demands::{self, AnswerInput, OutcomeInput, SubmitInput, SuspendInput};

type Label<T> = fn(T) -> &'static str;

/// `(code, Chinese, English)` for a select.
fn choices<T: Copy>(
    all: &[T],
    code: Label<T>,
    zh: Label<T>,
    en: Label<T>,
) -> Vec<(&'static str, &'static str, &'static str)> {
    all.iter().map(|v| (code(*v), zh(*v), en(*v))).collect()
}

/// What the submit form offers: kinds, rights, and the organizations that may hold data.
async fn form_context(state: &AppState) -> Result<minijinja::Value, ApiError> {
    let orgs: Vec<(i64, String)> = state
        .store()
        .orgs()
        .await?
        .iter()
        .filter(|o| o.kind != "social_entity")
        .map(|o| (o.id, o.name.clone()))
        .collect();
    Ok(context! {
        kinds => choices(DemandKind::ALL, DemandKind::as_str, DemandKind::label_zh, DemandKind::label_en),
        rights => choices(InfringementKind::ALL, InfringementKind::as_str, InfringementKind::label_zh, InfringementKind::label_en),
        orgs,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MineQuery {
    pub saved: Option<u8>,
    pub state: Option<String>,
}

/// My submissions, my notifications, and the form to send another.
pub async fn mine_page(state: AppStateExt, ctx: Ctx, Query(q): Query<MineQuery>) -> PageResult {
    let items = open_demands::mine(&state, &ctx, q.state.as_deref()).await?;
    let me = ctx.me()?;
    let notes: Vec<NotificationView> =
        state.store().user_notifications(me.user.id, 50).await?.into_iter().map(NotificationView::new).collect();
    let form = form_context(&state).await?;
    render(&state, &ctx, "open_demands.html", context! { items, notes, form, saved => q.saved.is_some() })
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewQuery {
    pub entry: Option<i64>,
}

/// The form, about one entry.
pub async fn new_page(state: AppStateExt, ctx: Ctx, Query(q): Query<NewQuery>) -> PageResult {
    let entry = match q.entry {
        Some(id) => Some(state.store().entry(id).await?.ok_or_else(super::not_found)?),
        None => None,
    };
    let form = form_context(&state).await?;
    render(&state, &ctx, "open_demand_new.html", context! { entry, form })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitForm {
    #[serde(default)]
    pub csrf: String,
    pub kind: String,
    /// An entry's id or its resource code; empty for data outside the catalog.
    #[serde(default)]
    pub entry: String,
    #[serde(default)]
    pub org_id: String,
    #[serde(default)]
    pub infringement_kind: String,
    pub title: String,
    pub body: String,
}

fn optional_id(value: &str, code: &'static str) -> Result<Option<i64>, ApiError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    v.parse().map(Some).map_err(|_| ApiError::bad_request(code, "所选项无效", "The choice is not valid"))
}

pub async fn submit(state: AppStateExt, ctx: Ctx, Form(f): Form<SubmitForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let entry = f.entry.trim();
    let entry_id = match entry.parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) if entry.is_empty() => None,
        Err(_) => Some(
            state
                .store()
                .entry_by_code(entry)
                .await?
                .map(|e| e.id)
                .ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?,
        ),
    };
    let input = SubmitInput {
        kind: f.kind,
        entry_id,
        org_id: optional_id(&f.org_id, "invalid_org")?,
        infringement_kind: Some(f.infringement_kind).filter(|k| !k.trim().is_empty()),
        title: f.title,
        body: f.body,
    };
    open_demands::submit(&state, &ctx, &input).await?;
    saved("/open/demands")
}

/// What was sent to my organization.
pub async fn list_page(state: AppStateExt, ctx: Ctx, Query(q): Query<MineQuery>) -> PageResult {
    let items = open_demands::received(&state, &ctx, q.state.as_deref()).await?;
    let filter = q.state.unwrap_or_default();
    render(&state, &ctx, "open_demands_console.html", context! { items, filter, saved => q.saved.is_some() })
}

/// One item; opening it marks it read.
pub async fn show_page(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Query(n): Query<Notice>) -> PageResult {
    let d = open_demands::open(&state, &ctx, id).await?;
    let outcomes = choices(Outcome::ALL, Outcome::as_str, Outcome::label_zh, Outcome::label_en);
    render(&state, &ctx, "open_demand.html", context! { d, outcomes, saved => n.saved.is_some() })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerForm {
    #[serde(default)]
    pub csrf: String,
    pub answer: String,
}

pub async fn answer(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<AnswerForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    open_demands::answer(&state, &ctx, id, &AnswerInput { answer: f.answer }).await?;
    saved(&format!("/console/open-demands/{id}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuspendForm {
    #[serde(default)]
    pub csrf: String,
    pub reason: String,
}

pub async fn suspend(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<SuspendForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    open_demands::suspend(&state, &ctx, id, &SuspendInput { reason: f.reason }).await?;
    saved(&format!("/console/open-demands/{id}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeForm {
    #[serde(default)]
    pub csrf: String,
    pub outcome: String,
    pub note: String,
}

pub async fn outcome(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<OutcomeForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    open_demands::decide(&state, &ctx, id, &OutcomeInput { outcome: f.outcome, note: f.note }).await?;
    saved(&format!("/console/open-demands/{id}"))
}

/// Width of the chart's plotting area, in SVG units.
const CHART_WIDTH: f64 = 480.0;

/// The public statistics with a bar chart of the median answer time per organization.
pub async fn stats_page(state: AppStateExt, ctx: Ctx) -> PageResult {
    let stats = open_demands::stats(&state).await?;
    let deadline = f64::from(stats.deadline_working_days);
    let max = stats.items.iter().filter_map(|p| p.median_working_days).fold(deadline, f64::max).max(1.0);
    let bars: Vec<minijinja::Value> = stats
        .items
        .iter()
        .filter_map(|p| p.median_working_days.map(|m| (p, m)))
        .enumerate()
        .map(|(i, (p, m))| {
            context! {
                name => p.org_name, days => m, y => i * 28, text_y => i * 28 + 15,
                width => (m / max * CHART_WIDTH).max(2.0).round(),
                label_x => 200.0 + (m / max * CHART_WIDTH).max(2.0).round() + 6.0,
            }
        })
        .collect();
    let height = bars.len() * 28 + 24;
    let deadline_x = 200.0 + (deadline / max * CHART_WIDTH).round();
    render(
        &state,
        &ctx,
        "open_demand_stats.html",
        context! { stats, bars, height, deadline_x, axis_y => height - 18, chart_width => CHART_WIDTH + 260.0 },
    )
}
