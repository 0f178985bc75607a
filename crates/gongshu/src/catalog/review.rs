//! Submission and review of entries (CAT-2, CAT-3): the profile's review steps, each
//! with its clock; filing limits of changes; retirement.

use super::*;

/// The organization holding a review step: the authority of the provider's level, the
/// city's authority, or the city's service agency.
async fn step_holder(
    store: &Store,
    city: &str,
    reviewer: Reviewer,
    provider_org_id: i64,
) -> Result<Option<Org>, ApiError> {
    let kind = match reviewer {
        Reviewer::Authority => return reviewing_authority(store, provider_org_id).await,
        Reviewer::ServiceAgency => OrgKind::ServiceAgency,
        _ => OrgKind::Authority,
    };
    let orgs = store.orgs().await?;
    let of_kind = || orgs.iter().filter(|o| o.kind == kind.as_str());
    Ok(of_kind().find(|o| o.region_code == city).or_else(|| of_kind().next()).cloned())
}

async fn step_clock(app: &AppState, entry: &Entry, version: i64, step: &StepClock) -> Result<NewClock, ApiError> {
    let profile = app.regulation().profile();
    let holder = step_holder(app.store(), &profile.region_code, step.reviewer, entry.provider_org_id).await?;
    let item = format!("catalog_entry:{}:v{version}", entry.id);
    let duty = format!("{}_review", crate::deadlines::reviewer_key(step.reviewer));
    crate::deadlines::clock_for_step(app, step, holder.map(|h| h.id), item, duty).await
}

fn review_note(clock: &NewClock, entry: &Entry) -> NewNotification {
    NewNotification {
        org_id: clock.holder_org_id,
        kind: "new_request".into(),
        item: clock.item.clone(),
        title_zh: format!("目录待审核：{}（{}），期限 {}", entry.name, entry.code, clock.due_on),
        title_en: format!("Catalog entry to review: {} ({}), due {}", entry.name, entry.code, clock.due_on),
    }
}

/// What a submission of a change or retirement states (CAT-3).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitInput {
    /// For a change of a published entry: the day the legal basis or the provider's
    /// duties changed (YYYY-MM-DD). The profile limits how long the provider may wait.
    pub basis_changed_on: Option<String>,
}

/// Checks a change's filing date against the profile's limit: late filing is allowed
/// but flagged (CAT-3).
async fn filing(app: &AppState, kind: &str, input: &SubmitInput) -> Result<Submission, ApiError> {
    if kind == "initial" {
        return Ok(Submission { kind: kind.into(), basis_changed_on: None, late_filing: false });
    }
    let Some(text) = input.basis_changed_on.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "basis_date_required",
            "变更须填写依据或职责发生变化的日期",
            "A change must state the day its legal basis or duties changed",
        ));
    };
    let changed = crate::regulation::parse_date("basis_changed_on", text)?;
    let today = gongshu_rules::calendar::cst_date(Utc::now());
    if changed > today {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "basis_date_in_future",
            "依据变化日期不能晚于今天",
            "The day of the change cannot be in the future",
        ));
    }
    let profile = app.regulation().profile();
    let cal = app.regulation().calendar(app.store()).await?;
    let limit = profile.catalog.change_filing.due(&cal, changed, profile.region())?;
    Ok(Submission { kind: kind.into(), basis_changed_on: Some(changed.to_string()), late_filing: today > limit.date })
}

/// Submits the latest draft for review; the profile's first review step starts its clock.
pub async fn submit(app: &AppState, ctx: &Ctx, id: i64, input: &SubmitInput) -> Result<Submission, ApiError> {
    let store = app.store();
    let entry = own_entry(store, ctx, id).await?;
    let versions = store.entry_versions(id).await?;
    let Some(latest) = versions.iter().find(|v| v.version == entry.latest_version) else {
        return Err(ApiError::internal());
    };
    if latest.state != "draft" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_to_submit",
            "没有待提交的草稿",
            "There is no draft to submit",
        ));
    }
    content(latest)?.check_ready_for_review().map_err(|e| invalid(&e))?;
    let kind = if entry.published_version.is_some() { "change" } else { "initial" };
    let meta = filing(app, kind, input).await?;
    let steps = catalog_review_clocks(app.regulation().profile(), kind != "initial");
    let Some(first) = steps.first() else { return Err(ApiError::internal()) };
    let clock = step_clock(app, &entry, latest.version, first).await?;
    store.submit_entry(id, latest.version, &meta, &clock, &[review_note(&clock, &entry)], &ctx.actor()).await?;
    Ok(meta)
}

/// Files the retirement of a published entry: it goes through the same review (and, in
/// Binzhou, the city's consent, BZ-12); once approved the entry is retired with its
/// history kept.
pub async fn retire(app: &AppState, ctx: &Ctx, id: i64, input: &SubmitInput) -> Result<Submission, ApiError> {
    let store = app.store();
    let entry = own_entry(store, ctx, id).await?;
    if entry.state != "published" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_published",
            "只有已发布的目录可以撤销",
            "Only a published entry can be retired",
        ));
    }
    let versions = store.entry_versions(id).await?;
    if versions.iter().any(|v| v.state == "submitted" || (v.version == entry.latest_version && v.state == "draft")) {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "change_pending",
            "该目录有未办结的变更",
            "This entry has a change in progress",
        ));
    }
    let meta = filing(app, "retire", input).await?;
    let steps = catalog_review_clocks(app.regulation().profile(), true);
    let Some(first) = steps.first() else { return Err(ApiError::internal()) };
    let version = entry.latest_version + 1;
    let clock = step_clock(app, &entry, version, first).await?;
    store.submit_entry(id, version, &meta, &clock, &[review_note(&clock, &entry)], &ctx.actor()).await?;
    Ok(meta)
}

/// Decides the current review step of the submitted version: approve (on to the next
/// step, or published / retired at the last) or reject with a reason (CAT-2, CAT-3).
pub async fn review(
    app: &AppState,
    ctx: &Ctx,
    id: i64,
    approve: bool,
    reason: Option<String>,
) -> Result<bool, ApiError> {
    let store = app.store();
    let entry = store.entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let me = ctx.me()?;
    let versions = store.entry_versions(id).await?;
    let Some(submitted) = versions.iter().find(|v| v.state == "submitted") else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_to_review",
            "没有待审核的版本",
            "No version is waiting for review",
        ));
    };
    let steps = catalog_review_clocks(app.regulation().profile(), submitted.kind != "initial");
    let Some(step) = usize::try_from(submitted.step).ok().and_then(|i| steps.get(i)) else {
        return Err(ApiError::internal());
    };
    let holder =
        step_holder(store, &app.regulation().profile().region_code, step.reviewer, entry.provider_org_id).await?;
    if holder.as_ref().map(|h| h.id) != me.user.org_id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_the_reviewer",
            "该步骤由其他单位审核",
            "Another organization holds this review step",
        ));
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_required",
            "驳回须说明理由",
            "A rejection must state its reason",
        ));
    }
    let next = match steps.get(submitted.step as usize + 1) {
        Some(next) if approve => Some(step_clock(app, &entry, submitted.version, next).await?),
        _ => None,
    };
    let record =
        if approve && next.is_none() { Some(record(&content(submitted)?, entry.provider_org_id)?) } else { None };
    let outcome_zh = match (approve, &next, submitted.kind.as_str()) {
        (true, Some(_), _) => "通过本环节审核",
        (true, None, "retire") => "审核通过，已撤销",
        (true, None, _) => "审核通过并发布",
        (false, _, _) => "被驳回",
    };
    let mut notes = vec![NewNotification {
        org_id: Some(entry.provider_org_id),
        kind: "answered".into(),
        item: format!("catalog_entry:{id}"),
        title_zh: format!("目录“{}”第{}版{}", entry.name, submitted.version, outcome_zh),
        title_en: format!(
            "Catalog entry \"{}\" version {}: {}",
            entry.name,
            submitted.version,
            if approve { "approved" } else { "rejected" }
        ),
    }];
    if let Some(c) = &next {
        notes.push(review_note(c, &entry));
    }
    let reevaluation = match &record {
        Some(r) if submitted.kind != "retire" && (r.share_type == "conditional" || r.open_type == "conditional") => {
            Some(reevaluation_clock(app.regulation(), app.store(), entry.provider_org_id).await?)
        }
        _ => None,
    };
    let decision = EntryDecision { approve, reason, record, step: submitted.step, next_step: next, reevaluation };
    Ok(store.decide_entry(id, submitted.version, &decision, &notes, &ctx.actor()).await?)
}
