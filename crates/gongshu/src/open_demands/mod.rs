//! Demands, objections and suggestions about open data (OPN-7, OPN-8; WH-25, ZJ-21,
//! ZJ-22, ZJ-35, LS-17, QQ-19, WHN-24).
//!
//! A data user sends one about a published open entry, or a demand for data outside
//! the catalog. It goes to an organization, never to a person: the entry's provider;
//! for data outside the catalog the organization the requester names, else the city
//! authority, which evaluates it (ZJ-22). Any of that organization's staff who may
//! answer does so; the requester sees the organization's name, the audit log and the
//! row keep the person. The profile's `opening.demand_answer` clock starts at once
//! (held by the organization, escalated to the authority when missed) and stops with
//! the answer, or with the outcome of a suspended infringement objection.

mod stats;
pub mod texts;
mod views;

use axum::http::StatusCode;
use chrono::Utc;
use gongshu_domain::Localized;
use gongshu_domain::open_demand::{
    self as rules, Action, DemandDraft, DemandKind, DemandState, NewDemand, OpenDemandError, Outcome, TEXT_MAX,
};
use gongshu_domain::role::{Permission, allows};
use gongshu_store::{AfterOutcome, NewClock, NewNotification, NewOpenDemand, OpenDemand, OpenDemandFilter, StoreError};
use serde::Deserialize;

pub use stats::{DemandStats, ProviderStatsView, stats};
pub use views::{DemandView, view, views};

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::ApiError;

/// What a requester sends.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    /// `demand` (需求), `objection` (异议), `infringement` (侵权异议) or `suggestion` (建议).
    pub kind: String,
    /// The published open entry it is about; absent for a demand for data outside the catalog.
    pub entry_id: Option<i64>,
    /// For data outside the catalog: the organization believed to hold it; absent, the
    /// city authority evaluates the demand and answers.
    pub org_id: Option<i64>,
    /// For an infringement objection: `trade_secret`, `privacy` or `other`.
    pub infringement_kind: Option<String>,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub answer: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendInput {
    /// Why opening is suspended; shown with the 410 of downloads and APIs.
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeInput {
    /// `withdraw` (撤回开放), `restore` (恢复开放) or `reopen` (整改后重新开放).
    pub outcome: String,
    /// The reasons; for `reopen`, what was fixed.
    pub note: String,
}

impl From<OpenDemandError> for ApiError {
    fn from(e: OpenDemandError) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message_zh(), e.message_en())
    }
}

fn unprocessable(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
}

fn changed_meanwhile() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        "changed_meanwhile",
        "该事项刚被他人办理，请刷新后查看",
        "Someone acted on this item meanwhile; reload it",
    )
}

fn not_found() -> ApiError {
    ApiError::not_found("需求、异议或建议", "Demand, objection or suggestion")
}

/// Checks a `?state=` filter.
pub fn state_filter(state: Option<&str>) -> Result<Option<String>, ApiError> {
    match state.map(str::trim).filter(|s| !s.is_empty() && *s != "all") {
        None => Ok(None),
        Some(s) => match DemandState::from_code(s) {
            Some(st) => Ok(Some(st.as_str().to_string())),
            None => Err(ApiError::bad_request(
                "invalid_state",
                format!("“{s}”不是有效状态"),
                format!(
                    "{s:?} is not a state: use submitted, read, answered, suspended, withdrawn, restored, reopened or all"
                ),
            )),
        },
    }
}

/// Sends a demand, objection or suggestion; the holder is told at once and its clock starts.
pub async fn submit(app: &AppState, ctx: &Ctx, input: &SubmitInput) -> Result<DemandView, ApiError> {
    let me = ctx.me()?;
    let store = app.store();
    let new = NewDemand::parse(&DemandDraft {
        kind: &input.kind,
        entry_id: input.entry_id,
        org_id: input.org_id,
        infringement_kind: input.infringement_kind.as_deref(),
        title: &input.title,
        body: &input.body,
    })?;
    let holder = match (new.entry_id, new.named_org_id) {
        (Some(id), _) => {
            let entry = store.entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
            rules::entry_takes_submissions(
                entry.published_version.is_some() && entry.state != "retired",
                &entry.open_type,
            )?;
            entry.provider_org_id
        }
        (None, Some(org)) => {
            let o = store
                .org(org)
                .await?
                .ok_or_else(|| unprocessable("unknown_org", "所选机构不存在", "No such organization"))?;
            if o.kind == "social_entity" {
                return Err(unprocessable(
                    "not_a_provider",
                    format!("“{}”不是公共管理和服务机构，请选择掌握数据的部门或单位", o.name),
                    format!("{} is not a public body; name the department or body that holds the data", o.name),
                ));
            }
            o.id
        }
        (None, None) => crate::deadlines::authority_org(store, app.regulation().profile().region_code.as_str())
            .await?
            .ok_or_else(|| {
                unprocessable(
                    "no_authority",
                    "平台尚未登记主管部门，请指明掌握数据的机构",
                    "No authority is registered; name the organization that holds the data",
                )
            })?,
    };
    let clock = answer_clock(app, holder).await?;
    let kind = new.kind;
    let note = NewNotification {
        org_id: Some(holder),
        kind: "open_demand".into(),
        item: String::new(),
        title_zh: format!("收到开放数据{}：“{}”，请于 {} 前答复", kind.label_zh(), new.title, clock.due_on),
        title_en: format!("New open-data {}: \"{}\"; answer by {}", kind.label_en(), new.title, clock.due_on),
    };
    let record = NewOpenDemand {
        kind: kind.as_str().into(),
        entry_id: new.entry_id,
        provider_org_id: holder,
        requester_user_id: me.user.id,
        infringement_kind: new.infringement_kind.map(|k| k.as_str().to_string()),
        title: new.title,
        body: new.body,
    };
    let d = store.create_open_demand(&record, &clock, &[note], &ctx.actor()).await?;
    view(app, ctx, d).await
}

/// The `opening.demand_answer` clock from now, held by `holder`, escalated if missed.
async fn answer_clock(app: &AppState, holder: i64) -> Result<NewClock, ApiError> {
    let cal = app.regulation().calendar(app.store()).await?;
    let profile = app.regulation().profile();
    let rule = &profile.opening.demand_answer;
    let p = gongshu_rules::deadline::plan(&cal, Utc::now(), rule.working_days, profile.region())?;
    Ok(NewClock {
        item: String::new(),
        duty: "demand_answer".into(),
        rule: "opening.demand_answer".into(),
        source: rule.source.clone(),
        holder_org_id: Some(holder),
        received_on: p.received.to_string(),
        working_days: i64::from(rule.working_days),
        due_on: p.due.date.to_string(),
        due_at: p.due_at.timestamp_micros(),
        remind_at: p.remind_at.timestamp_micros(),
        provisional: p.due.provisional,
        on_miss: "escalate".into(),
    })
}

/// Whether the caller is staff of the organization that holds the item and may answer.
pub fn is_holder(ctx: &Ctx, d: &OpenDemand) -> bool {
    ctx.principal
        .as_ref()
        .is_some_and(|p| p.user.org_id == Some(d.provider_org_id) && allows(&p.roles, Permission::OpenDemandAnswer))
}

/// Whether the caller may see the item: its requester, the holder's staff, or the
/// authority side's overview.
pub fn may_see(ctx: &Ctx, d: &OpenDemand) -> bool {
    ctx.principal.as_ref().is_some_and(|p| {
        p.user.id == d.requester_user_id || is_holder(ctx, d) || allows(&p.roles, Permission::DeadlineOverview)
    })
}

/// The caller's own submissions.
pub async fn mine(app: &AppState, ctx: &Ctx, state: Option<&str>) -> Result<Vec<DemandView>, ApiError> {
    let filter = OpenDemandFilter {
        requester_user_id: Some(ctx.me()?.user.id),
        state: state_filter(state)?,
        limit: 1000,
        ..Default::default()
    };
    views(app, ctx, app.store().open_demands(&filter).await?).await
}

/// What was sent to the caller's organization.
pub async fn received(app: &AppState, ctx: &Ctx, state: Option<&str>) -> Result<Vec<DemandView>, ApiError> {
    let state = state_filter(state)?;
    let Some(org) = ctx.me()?.user.org_id else { return Ok(Vec::new()) };
    let filter = OpenDemandFilter { provider_org_id: Some(org), state, limit: 1000, ..Default::default() };
    views(app, ctx, app.store().open_demands(&filter).await?).await
}

/// One item, for someone who may see it; the holder's staff opening it marks it read.
pub async fn open(app: &AppState, ctx: &Ctx, id: i64) -> Result<DemandView, ApiError> {
    let store = app.store();
    let mut d = store.open_demand(id).await?.filter(|d| may_see(ctx, d)).ok_or_else(not_found)?;
    if is_holder(ctx, &d)
        && d.state == DemandState::Submitted.as_str()
        && store.mark_open_demand_read(id, &ctx.actor()).await?
    {
        d = store.open_demand(id).await?.ok_or_else(not_found)?;
    }
    view(app, ctx, d).await
}

/// The item, if the caller's organization holds it: 404 if the caller may not see it,
/// 403 if it may see it but its organization does not hold it.
async fn held(app: &AppState, ctx: &Ctx, id: i64) -> Result<(OpenDemand, DemandKind, DemandState), ApiError> {
    let d = app
        .store()
        .open_demand(id)
        .await?
        .filter(|d| may_see(ctx, d) || allows(ctx.roles(), Permission::OpenDemandAnswer))
        .ok_or_else(not_found)?;
    if !is_holder(ctx, &d) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_your_org",
            "只有承办机构的工作人员可以办理",
            "Only the staff of the organization that holds it may act on it",
        ));
    }
    let kind =
        DemandKind::from_code(&d.kind).ok_or_else(|| StoreError::Corrupt(format!("open demand kind {:?}", d.kind)))?;
    let state = DemandState::from_code(&d.state)
        .ok_or_else(|| StoreError::Corrupt(format!("open demand state {:?}", d.state)))?;
    Ok((d, kind, state))
}

async fn holder_name(app: &AppState, org: i64) -> Result<String, ApiError> {
    Ok(app.store().org(org).await?.map(|o| o.name).unwrap_or_default())
}

/// Answers an item (once); the requester is told.
pub async fn answer(app: &AppState, ctx: &Ctx, id: i64, input: &AnswerInput) -> Result<DemandView, ApiError> {
    let (d, kind, state) = held(app, ctx, id).await?;
    rules::next(kind, state, Action::Answer)?;
    let text = rules::text("answer", &input.answer, TEXT_MAX)?;
    let org = holder_name(app, d.provider_org_id).await?;
    let note = NewNotification {
        org_id: None,
        kind: "open_demand_answered".into(),
        item: String::new(),
        title_zh: format!("您的{}“{}”已由{}答复", kind.label_zh(), d.title, org),
        title_en: format!("Your {} \"{}\" was answered by {}", kind.label_en(), d.title, org),
    };
    let me = ctx.me()?;
    let done = app.store().answer_open_demand(id, &d.state, &text, me.user.id, &note, &ctx.actor()).await?;
    view(app, ctx, done.ok_or_else(changed_meanwhile)?).await
}

/// Suspends the opening of an infringement objection's entry at once (OPN-8).
pub async fn suspend(app: &AppState, ctx: &Ctx, id: i64, input: &SuspendInput) -> Result<DemandView, ApiError> {
    let (d, kind, state) = held(app, ctx, id).await?;
    rules::next(kind, state, Action::Suspend)?;
    let reason = rules::text("reason", &input.reason, TEXT_MAX)?;
    let org = holder_name(app, d.provider_org_id).await?;
    let note = NewNotification {
        org_id: None,
        kind: "open_demand_suspended".into(),
        item: String::new(),
        title_zh: format!("您的侵权异议“{}”：{}已中止该数据的开放，正在核实", d.title, org),
        title_en: format!("Your infringement objection \"{}\": {} suspended opening while it verifies", d.title, org),
    };
    let me = ctx.me()?;
    match app.store().suspend_for_objection(id, &d.state, &reason, me.user.id, &note, &ctx.actor()).await {
        Ok(Some(_)) => {}
        Ok(None) => return Err(changed_meanwhile()),
        Err(StoreError::Conflict(_)) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "entry_already_suspended",
                "该目录已因其他异议中止开放；请先确定那项异议的处理结果，或直接答复本异议",
                "The entry is already suspended for another objection; decide that one first, or answer this one",
            ));
        }
        Err(e) => return Err(e.into()),
    }
    view(app, ctx, app.store().open_demand(id).await?.ok_or_else(not_found)?).await
}

/// Decides a suspended infringement objection: withdraw, restore, or fix and reopen.
pub async fn decide(app: &AppState, ctx: &Ctx, id: i64, input: &OutcomeInput) -> Result<DemandView, ApiError> {
    let (d, kind, state) = held(app, ctx, id).await?;
    let outcome = Outcome::from_code(&input.outcome)
        .ok_or_else(|| OpenDemandError::UnknownOutcome(input.outcome.trim().into()))?;
    let to = rules::next(kind, state, Action::Decide(outcome))?;
    let note_text = rules::text("note", &input.note, TEXT_MAX)?;
    let after = if outcome.lifts_suspension() {
        AfterOutcome::Lift
    } else {
        AfterOutcome::KeepSuspended(format!("已撤回开放：{note_text}"))
    };
    let org = holder_name(app, d.provider_org_id).await?;
    let note = NewNotification {
        org_id: None,
        kind: "open_demand_decided".into(),
        item: String::new(),
        title_zh: format!("您的侵权异议“{}”处理结果：{}（{}）", d.title, outcome.label_zh(), org),
        title_en: format!("Your infringement objection \"{}\": {} ({})", d.title, outcome.label_en(), org),
    };
    let me = ctx.me()?;
    let done = app
        .store()
        .decide_objection(id, outcome.as_str(), to.as_str(), &note_text, &after, me.user.id, &note, &ctx.actor())
        .await?;
    view(app, ctx, done.ok_or_else(changed_meanwhile)?).await
}
