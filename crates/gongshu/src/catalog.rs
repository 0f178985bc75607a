//! Catalog operations shared by the API, the pages, the CLI and the demo (CAT-1, CAT-2):
//! draft, change, submit for review (a clock from the profile), approve or reject.

use axum::http::StatusCode;
use chrono::Utc;
use gongshu_domain::catalog::{CatalogError, Grade, NewEntry, check_provider_code};
use gongshu_domain::org::OrgKind;
use gongshu_domain::role::{Permission, allows};
use gongshu_domain::{Localized, uscc::CreditCode};
use gongshu_rules::deadline::{StepClock, catalog_review_clocks};
use gongshu_rules::profile::Reviewer;
use gongshu_store::{
    Actor, Entry, EntryDecision, EntryRecord, EntryVersion, NewClock, NewNotification, Org, Store, Submission,
};

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::{ApiError, Problem};

/// The problems of an entry as one 422 error with every problem listed.
pub fn invalid(errors: &[CatalogError]) -> ApiError {
    let problems = errors
        .iter()
        .map(|e| Problem {
            code: e.code().to_string(),
            field: e.field().map(|f| f.as_str().to_string()),
            message: e.message_zh(),
            message_en: e.message_en(),
        })
        .collect();
    ApiError::with_problems("invalid_entry", problems)
}

/// The grade as a number for sorting and filtering: general 1–4, important 5, core 6.
pub fn grade_rank(grade: Option<Grade>) -> i64 {
    grade.and_then(|g| Grade::ALL.iter().position(|x| *x == g)).map(|p| p as i64 + 1).unwrap_or(0)
}

/// What the store lists of an entry.
pub fn record(entry: &NewEntry, provider_org_id: i64) -> Result<EntryRecord, ApiError> {
    Ok(EntryRecord {
        code: entry.code.to_string(),
        provider_org_id,
        name: entry.name.trim().to_string(),
        category: entry.category.to_string(),
        share_type: entry.share.share_type.as_str().to_string(),
        open_type: entry.open.open_type.as_str().to_string(),
        level: grade_rank(entry.grade),
        update_cycle: entry.update_cycle.as_str().to_string(),
        content: serde_json::to_string(entry).map_err(|_| ApiError::internal())?,
    })
}

/// The content of a stored version.
pub fn content(v: &EntryVersion) -> Result<NewEntry, ApiError> {
    serde_json::from_str(&v.content).map_err(|e| {
        tracing::error!(entry = v.entry_id, version = v.version, error = %e, "a stored catalog version does not parse");
        ApiError::internal()
    })
}

/// The organization whose credit code is the entry's provider code (CAT-1: provider
/// code = the provider's credit code), which must be the caller's own unless the caller
/// imports for the whole city.
async fn provider_org(store: &Store, ctx: Option<&Ctx>, entry: &NewEntry) -> Result<Org, ApiError> {
    let org = store.org_by_credit_code(entry.provider.code.as_str()).await?.ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_provider",
            "信息资源提供方代码不是已登记机构的统一社会信用代码",
            "The provider code is not the credit code of a registered organization",
        )
    })?;
    if let Some(code) = org.credit_code.as_deref().and_then(|c| CreditCode::parse(c).ok()) {
        check_provider_code(&entry.provider.code, &code).map_err(|e| invalid(&[e]))?;
    }
    if let Some(ctx) = ctx {
        let me = ctx.me()?;
        let importer = allows(&me.roles, Permission::CatalogImport);
        if !importer && me.user.org_id != Some(org.id) {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "not_your_entry",
                "只能编制本机构的目录",
                "You can only catalog your own organization's data",
            ));
        }
    }
    Ok(org)
}

/// Creates an entry as a draft (version 1).
pub async fn create(store: &Store, ctx: Option<&Ctx>, by: &Actor, entry: &NewEntry) -> Result<Entry, ApiError> {
    entry.validate().map_err(|e| invalid(&e))?;
    let org = provider_org(store, ctx, entry).await?;
    if store.entry_by_code(entry.code.as_str()).await?.is_some() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate_resource_code",
            format!("信息资源代码 {} 已被使用", entry.code),
            format!("Resource code {} is taken", entry.code),
        ));
    }
    Ok(store.create_entry(&record(entry, org.id)?, by).await?)
}

/// Loads an entry the caller may change.
async fn own_entry(store: &Store, ctx: &Ctx, id: i64) -> Result<Entry, ApiError> {
    let entry = store.entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let me = ctx.me()?;
    if me.user.org_id != Some(entry.provider_org_id) && !allows(&me.roles, Permission::CatalogImport) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_your_entry",
            "只能修改本机构的目录",
            "You can only change your own organization's entries",
        ));
    }
    Ok(entry)
}

/// What a provider records when a change opens data that was not open (CAT-6, WH-22,
/// ZJ-14, QQ-18): that it was de-identified, or that the right holder consented.
#[derive(Debug, Clone, Copy, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct MoveEvidence {
    #[serde(default)]
    pub deidentified: bool,
    #[serde(default)]
    pub right_holder_consent: bool,
}

/// Saves a new draft of an entry (an edit of the draft, or a change after publication).
/// The code cannot change. A change of a published entry follows CAT-6: making data
/// less open goes to the authority, whose approval of the change is its consent (or the
/// filing, where the profile asks only for one); opening data that was not open needs a
/// recorded de-identification or the right holder's consent, written to the audit log.
pub async fn update(store: &Store, ctx: &Ctx, id: i64, entry: &NewEntry) -> Result<i64, ApiError> {
    update_with(store, ctx, id, entry, MoveEvidence::default()).await
}

pub async fn update_with(
    store: &Store,
    ctx: &Ctx,
    id: i64,
    entry: &NewEntry,
    evidence: MoveEvidence,
) -> Result<i64, ApiError> {
    use gongshu_domain::catalog::{DowngradeControl, check_attribute_moves};
    let current = own_entry(store, ctx, id).await?;
    if current.code != entry.code.as_str() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "code_is_fixed",
            "信息资源代码发布后不能修改",
            "The resource code of an entry cannot change",
        ));
    }
    entry.validate().map_err(|e| invalid(&e))?;
    if let Some(published) = current.published_version {
        let versions = store.entry_versions(id).await?;
        if let Some(old) = versions.iter().find(|v| v.version == published) {
            let old = content(old)?;
            let moves = gongshu_domain::catalog::MoveEvidence {
                authority_consent: true,
                filed_with_authority: true,
                deidentified: evidence.deidentified,
                right_holder_consent: evidence.right_holder_consent,
            };
            check_attribute_moves(&old, entry, DowngradeControl::Consent, &moves).map_err(|e| invalid(&e))?;
            if old.open.open_type.openness() < entry.open.open_type.openness()
                && (evidence.deidentified || evidence.right_holder_consent)
            {
                let event = ctx.actor().event("catalog.open_evidence", format!("catalog_entry:{id}")).detail(
                    serde_json::json!({
                        "from": old.open.open_type.as_str(), "to": entry.open.open_type.as_str(),
                        "deidentified": evidence.deidentified, "right_holder_consent": evidence.right_holder_consent,
                    }),
                );
                store.append(&event).await?;
            }
        }
    }
    let org = provider_org(store, Some(ctx), entry).await?;
    Ok(store.save_draft(id, &record(entry, org.id)?, &ctx.actor()).await?)
}

/// The authority that reviews a provider's entries: the authority of the provider's
/// region, else of the containing region (CAT-2: "the authority of its level").
pub async fn reviewing_authority(store: &Store, provider_org_id: i64) -> Result<Option<Org>, ApiError> {
    let orgs = store.orgs().await?;
    let Some(provider) = orgs.iter().find(|o| o.id == provider_org_id) else { return Ok(None) };
    let mut region = gongshu_domain::region::RegionCode::parse(&provider.region_code).ok();
    while let Some(r) = region {
        if let Some(a) = orgs.iter().find(|o| o.kind == OrgKind::Authority.as_str() && o.region_code == r.as_str()) {
            return Ok(Some(a.clone()));
        }
        region = r.parent();
    }
    Ok(None)
}

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
            Some(reevaluation_clock(app, &entry).await?)
        }
        _ => None,
    };
    let decision = EntryDecision { approve, reason, record, step: submitted.step, next_step: next, reevaluation };
    Ok(store.decide_entry(id, submitted.version, &decision, &notes, &ctx.actor()).await?)
}

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
async fn reevaluation_clock(app: &AppState, entry: &Entry) -> Result<NewClock, ApiError> {
    let profile = app.regulation().profile();
    let period = &profile.catalog.conditional_reevaluation;
    let cal = app.regulation().calendar(app.store()).await?;
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
        holder_org_id: Some(entry.provider_org_id),
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
            let next = reevaluation_clock(app, &entry).await?;
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
