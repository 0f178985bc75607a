//! Share request pages: apply, see the steps and their clocks, answer.

use gongshu_domain::role::{Permission, allows};
use gongshu_store::ClockFilter;
use minijinja::context;
use serde::Deserialize;

use super::{Notice, PageResult, render, saved};
use crate::api::deadlines::ClockView;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Path, Query};
use crate::share::{self, AnswerInput, ShareInput};

pub async fn list(state: AppStateExt, ctx: Ctx, Query(n): Query<Notice>) -> PageResult {
    let me = ctx.me()?;
    let all = allows(&me.roles, Permission::DeadlineOverview);
    let requests = state.store().share_requests(if all { None } else { Some(me.user.org_id.unwrap_or(-1)) }).await?;
    let now = gongshu_domain::time::now_micros();
    let mut rows = Vec::new();
    for r in requests {
        let filter = ClockFilter { item: Some(format!("share_request:{}", r.id)), limit: 20, ..Default::default() };
        let clocks: Vec<ClockView> =
            state.store().clocks(&filter).await?.into_iter().map(|c| ClockView::new(c, now)).collect();
        let holder = clocks.iter().find(|c| c.state == "open").and_then(|c| c.holder_org_id);
        let can_answer = allows(&me.roles, Permission::ShareAnswer) && holder.is_some() && holder == me.user.org_id;
        rows.push(context! { r, clocks, can_answer });
    }
    let names: std::collections::HashMap<i64, String> =
        state.store().orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let providers: Vec<(i64, String)> = state
        .store()
        .orgs()
        .await?
        .iter()
        .filter(|o| o.kind == "department" || o.kind == "public_enterprise")
        .map(|o| (o.id, o.name.clone()))
        .collect();
    let steps: Vec<String> = gongshu_rules::deadline::share_review_clocks(state.regulation().profile())
        .iter()
        .map(|s| {
            format!("{} {} · {} 个工作日 · {}", s.reviewer.label_zh(), s.stage.label_zh(), s.working_days, s.source)
        })
        .collect();
    let can_apply = allows(&me.roles, Permission::ShareApply);
    render(
        &state,
        &ctx,
        "share.html",
        context! { rows, names, providers, steps, can_apply, saved => n.saved.is_some() },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplyForm {
    #[serde(default)]
    pub csrf: String,
    pub provider_org_id: String,
    pub resource: String,
    pub purpose: String,
    pub legal_basis: String,
    pub items: String,
}

pub async fn create(state: AppStateExt, ctx: Ctx, Form(f): Form<ApplyForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let provider_org_id = f
        .provider_org_id
        .trim()
        .parse()
        .map_err(|_| ApiError::bad_request("invalid_provider", "请选择提供部门", "Choose a provider"))?;
    let input = ShareInput {
        provider_org_id,
        resource: f.resource,
        purpose: f.purpose,
        legal_basis: f.legal_basis,
        items: f.items,
    };
    share::apply(&state, &ctx, &input).await?;
    saved("/console/share-requests")
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerForm {
    #[serde(default)]
    pub csrf: String,
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

pub async fn answer(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<AnswerForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    share::answer(&state, &ctx, id, &AnswerInput { decision: f.decision, reason: Some(f.reason) }).await?;
    saved("/console/share-requests")
}
