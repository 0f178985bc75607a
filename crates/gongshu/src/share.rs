//! Conditional share requests (SHR-2), the first workflow on the deadline engine: each
//! review step of the active profile is a clock held by the reviewing organization.
//!
//! This is the first cut of sharing: the resource is named by its catalog code as text
//! until the catalog exists; grants (SHR-3) come with the sharing issue.

use axum::http::StatusCode;
use gongshu_domain::org::{OrgKind, parse_name};
use gongshu_rules::deadline::{StepClock, share_review_clocks};
use gongshu_rules::profile::Reviewer;
use gongshu_store::{NewClock, NewNotification, NewShareRequest, ShareAnswer, ShareRequest};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::ApiError;

/// What a consumer organization asks for (SHR-2: legal basis, purpose, data items).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareInput {
    pub provider_org_id: i64,
    /// The catalog code of the resource, e.g. `2010300/00017`.
    pub resource: String,
    pub purpose: String,
    pub legal_basis: String,
    /// The data items wanted, comma-separated.
    pub items: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    /// `approve` or `refuse`.
    pub decision: String,
    /// Required for a refusal: its reason and legal basis.
    pub reason: Option<String>,
}

fn unprocessable(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
}

/// The organization that holds a step: the provider, or the authority of the profile's city.
async fn holder(app: &AppState, step: &StepClock, provider_org_id: i64) -> Result<Option<i64>, ApiError> {
    if step.reviewer == Reviewer::Provider {
        return Ok(Some(provider_org_id));
    }
    let kind = match step.reviewer {
        Reviewer::ServiceAgency => OrgKind::ServiceAgency,
        _ => OrgKind::Authority,
    };
    let city = &app.regulation().profile().region_code;
    let orgs = app.store().orgs().await?;
    let of_kind = || orgs.iter().filter(|o| o.kind == kind.as_str());
    Ok(of_kind().find(|o| &o.region_code == city).or_else(|| of_kind().next()).map(|o| o.id))
}

async fn clock_for(app: &AppState, step: &StepClock, provider_org_id: i64) -> Result<NewClock, ApiError> {
    let holder = holder(app, step, provider_org_id).await?;
    let duty = format!("{}_{}", crate::deadlines::reviewer_key(step.reviewer), stage_key(step));
    crate::deadlines::clock_for_step(app, step, holder, String::new(), duty).await
}

fn stage_key(step: &StepClock) -> &'static str {
    match step.stage {
        gongshu_rules::profile::Stage::FormalReview => "formal_review",
        gongshu_rules::profile::Stage::Review => "review",
        gongshu_rules::profile::Stage::Recheck => "recheck",
        gongshu_rules::profile::Stage::Update => "update",
    }
}

fn new_request_note(org: Option<i64>, resource: &str, due_on: &str) -> NewNotification {
    NewNotification {
        org_id: org,
        kind: "new_request".into(),
        item: String::new(),
        title_zh: format!("新的共享申请待办理：{resource}，期限 {due_on}"),
        title_en: format!("New share request to answer: {resource}, due {due_on}"),
    }
}

/// Files a request for the caller's organization and starts the first step's clock.
pub async fn apply(app: &AppState, ctx: &Ctx, input: &ShareInput) -> Result<ShareRequest, ApiError> {
    let me = ctx.me()?;
    let Some(requester) = me.user.org_id else {
        return Err(unprocessable(
            "no_organization",
            "您的账号未关联机构，不能代表机构申请",
            "Your account belongs to no organization",
        ));
    };
    let provider =
        app.store().org(input.provider_org_id).await?.ok_or_else(|| ApiError::not_found("提供部门", "Provider"))?;
    if provider.id == requester {
        return Err(unprocessable(
            "own_data",
            "不能向本机构申请共享",
            "An organization does not apply for its own data",
        ));
    }
    let steps = share_review_clocks(app.regulation().profile());
    let Some(first) = steps.first() else {
        return Err(unprocessable(
            "no_review_steps",
            "当前政策配置没有共享审核步骤",
            "The active profile has no share review steps",
        ));
    };
    let request = NewShareRequest {
        requester_org_id: requester,
        provider_org_id: provider.id,
        resource: parse_name("resource", &input.resource)?,
        purpose: parse_name("purpose", &input.purpose)?,
        legal_basis: parse_name("legal_basis", &input.legal_basis)?,
        items: parse_name("items", &input.items)?,
    };
    let clock = clock_for(app, first, provider.id).await?;
    let note = new_request_note(clock.holder_org_id, &request.resource, &clock.due_on);
    Ok(app.store().create_share_request(&request, &clock, &[note], &ctx.actor()).await?)
}

/// Answers the current step for the caller's organization, which must hold it.
pub async fn answer(app: &AppState, ctx: &Ctx, id: i64, input: &AnswerInput) -> Result<ShareRequest, ApiError> {
    let me = ctx.me()?;
    let request =
        app.store().share_request(id).await?.ok_or_else(|| ApiError::not_found("共享申请", "Share request"))?;
    if request.state != "pending" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_decided",
            "该申请已办结",
            "This request is already decided",
        ));
    }
    let steps = share_review_clocks(app.regulation().profile());
    let step_index = usize::try_from(request.step).unwrap_or(usize::MAX);
    let Some(step) = steps.get(step_index) else {
        return Err(ApiError::internal());
    };
    let holder_org = holder(app, step, request.provider_org_id).await?;
    if holder_org.is_none() || holder_org != me.user.org_id {
        return Err(ApiError::forbidden());
    }
    let reason = input.reason.as_ref().map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    let (new_state, next) = match input.decision.as_str() {
        "approve" => match steps.get(step_index + 1) {
            Some(next_step) => ("pending", Some(clock_for(app, next_step, request.provider_org_id).await?)),
            None => ("granted", None),
        },
        "refuse" if reason.is_none() => {
            return Err(unprocessable(
                "reason_required",
                "不予共享须说明理由和依据",
                "A refusal must state its reason and legal basis",
            ));
        }
        "refuse" => ("refused", None),
        other => {
            return Err(unprocessable(
                "invalid_decision",
                &format!("“{other}”不是有效决定，应为 approve 或 refuse"),
                "decision must be approve or refuse",
            ));
        }
    };
    let mut notes = vec![NewNotification {
        org_id: Some(request.requester_org_id),
        kind: "answered".into(),
        item: format!("share_request:{id}"),
        title_zh: format!(
            "共享申请 {} 已{}",
            request.resource,
            if new_state == "refused" { "被拒绝" } else { "通过本环节审核" }
        ),
        title_en: format!(
            "Share request {} was {}",
            request.resource,
            if new_state == "refused" { "refused" } else { "approved at this step" }
        ),
    }];
    if let Some(c) = &next {
        notes.push(NewNotification {
            item: format!("share_request:{id}"),
            ..new_request_note(c.holder_org_id, &request.resource, &c.due_on)
        });
    }
    let answer = ShareAnswer { step: request.step, new_state: new_state.into(), reason, decided_by: ctx.actor().who };
    app.store().answer_share_request(id, &answer, next.as_ref(), &notes, &ctx.actor()).await?;
    app.store().share_request(id).await?.ok_or_else(ApiError::internal)
}
