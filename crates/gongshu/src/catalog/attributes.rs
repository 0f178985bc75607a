//! Attribute adjustments outside the normal change: emergencies (CAT-7) and the
//! periodic re-evaluation of conditional entries (CAT-6).

use super::*;

/// An emergency adjustment (CAT-7, WHN-16, BZ-22): for national security, public
/// interest or an emergency, the authority changes an entry's share and open attributes
/// until a last day; the platform restores them by itself when it ends.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmergencyInput {
    /// `unconditional`, `conditional` or `not_shared`.
    pub share_type: String,
    /// `unconditional`, `conditional` or `not_open`.
    pub open_type: String,
    pub reason: String,
    /// The last day of the adjustment (YYYY-MM-DD, CST); it ends at 23:59:59.
    pub until: String,
}

pub async fn start_emergency(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    input: &EmergencyInput,
) -> Result<gongshu_store::Emergency, ApiError> {
    use gongshu_domain::catalog::{OpenType, ShareType};
    let store = app.store();
    let entry = store.entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    if entry.state != "published" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_published",
            "只能对已发布的目录进行应急调整",
            "Only a published entry can be adjusted",
        ));
    }
    let me = ctx.me()?;
    let authority = reviewing_authority(store, entry.provider_org_id).await?;
    if authority.as_ref().map(|a| a.id) != me.user.org_id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_the_reviewer",
            "应急调整由本级主管部门作出",
            "The provider's authority makes emergency adjustments",
        ));
    }
    let share = ShareType::parse(&input.share_type).map_err(|e| invalid(&[e]))?;
    let open = OpenType::parse(&input.open_type).map_err(|e| invalid(&[e]))?;
    let reason = input.reason.trim();
    if reason.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_required",
            "应急调整须说明理由",
            "An emergency adjustment must state its reason",
        ));
    }
    let until = crate::regulation::parse_date("until", &input.until)?;
    let today = gongshu_rules::calendar::cst_date(Utc::now());
    if until < today {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "end_in_the_past",
            "结束日期不能早于今天",
            "The last day cannot be in the past",
        ));
    }
    let due = gongshu_rules::Due { date: until, provisional: false };
    let clock = NewClock {
        item: String::new(),
        duty: "emergency_end".into(),
        rule: "CAT-7".into(),
        source: "WHN-16, BZ-22".into(),
        holder_org_id: Some(entry.provider_org_id),
        received_on: today.to_string(),
        working_days: 0,
        due_on: until.to_string(),
        due_at: due.closes_at_utc().timestamp_micros(),
        remind_at: i64::MAX / 2,
        provisional: false,
        on_miss: gongshu_rules::deadline::OnMiss::Act(gongshu_rules::deadline::Act::RevertEmergency).as_str().into(),
    };
    let note = NewNotification {
        org_id: Some(entry.provider_org_id),
        kind: "emergency".into(),
        item: String::new(),
        title_zh: format!("“{}”共享、开放属性应急调整至 {}：{}", entry.name, until, reason),
        title_en: format!("\"{}\" attributes adjusted for an emergency until {}: {}", entry.name, until, reason),
    };
    Ok(store.start_emergency(id, share.as_str(), open.as_str(), reason, &clock, &[note], &ctx.actor()).await?)
}

/// The clock of a conditional entry's next re-evaluation (CAT-6): the profile's period
/// (default yearly) from today; the provider is reminded before it falls due.
pub(crate) async fn reevaluation_clock(
    regulation: &Regulation,
    store: &Store,
    provider_org_id: i64,
) -> Result<NewClock, ApiError> {
    let profile = regulation.profile();
    let period = &profile.catalog.conditional_reevaluation;
    let cal = regulation.calendar(store).await?;
    let today = gongshu_rules::calendar::cst_date(Utc::now());
    let due = period.due(&cal, today, profile.region())?;
    let remind = due.date.checked_sub_signed(chrono::Duration::days(30)).unwrap_or(due.date);
    let remind_at =
        gongshu_rules::Due { date: remind, provisional: false }.closes_at_utc() - chrono::Duration::hours(15);
    Ok(NewClock {
        item: String::new(),
        duty: "reevaluation".into(),
        rule: "catalog.conditional_reevaluation".into(),
        source: period.source.clone(),
        holder_org_id: Some(provider_org_id),
        received_on: today.to_string(),
        working_days: 0,
        due_on: due.date.to_string(),
        due_at: due.closes_at_utc().timestamp_micros(),
        remind_at: remind_at.timestamp_micros(),
        provisional: due.provisional,
        on_miss: "remind".into(),
    })
}

/// The provider's answer to a due re-evaluation (CAT-6).
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReevaluationInput {
    /// `keep` (with the reason it still qualifies) or `unconditional`.
    pub decision: String,
    pub reason: Option<String>,
}

/// Keeps the entry conditional for another period (a reason is required), or moves it
/// to unconditional sharing: a change draft the provider then submits for review.
pub async fn reevaluate(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    input: &ReevaluationInput,
) -> Result<Option<i64>, ApiError> {
    use gongshu_domain::catalog::ShareType;
    let store = app.store();
    let entry = own_entry(store, ctx, id).await?;
    let reason = input.reason.as_deref().map(str::trim).unwrap_or_default();
    match input.decision.as_str() {
        "keep" => {
            if reason.is_empty() {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "reason_required",
                    "保持有条件共享须说明理由",
                    "Keeping the entry conditional needs a reason",
                ));
            }
            let next = reevaluation_clock(app.regulation(), app.store(), entry.provider_org_id).await?;
            store.answer_reevaluation(id, true, reason, Some(&next), &ctx.actor()).await.map_err(not_due)?;
            Ok(None)
        }
        "unconditional" => {
            let versions = store.entry_versions(id).await?;
            let Some(published) = versions.iter().find(|v| Some(v.version) == entry.published_version) else {
                return Err(ApiError::new(
                    StatusCode::CONFLICT,
                    "not_published",
                    "该目录尚未发布",
                    "The entry is not published",
                ));
            };
            let mut next = content(published)?;
            next.share.share_type = ShareType::Unconditional;
            next.share.conditions.clear();
            next.share.reason.clear();
            next.share.legal_basis.clear();
            store.answer_reevaluation(id, false, reason, None, &ctx.actor()).await.map_err(not_due)?;
            Ok(Some(update(store, ctx, id, &next).await?))
        }
        other => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_decision",
            format!("“{other}”不是有效决定，应为 keep 或 unconditional"),
            "decision must be keep or unconditional",
        )),
    }
}

fn not_due(e: gongshu_store::StoreError) -> ApiError {
    match e {
        gongshu_store::StoreError::Conflict(_) => ApiError::new(
            StatusCode::CONFLICT,
            "no_reevaluation_due",
            "该目录没有待答复的重新评估",
            "No re-evaluation of this entry is waiting",
        ),
        other => other.into(),
    }
}
