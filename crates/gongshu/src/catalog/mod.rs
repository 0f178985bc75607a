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
use crate::regulation::Regulation;

mod attributes;
mod review;

pub(crate) use attributes::reevaluation_clock;
pub use attributes::{EmergencyInput, ReevaluationInput, reevaluate, start_emergency};
pub use review::{SubmitInput, retire, review, submit};

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

/// Whether the caller may act on an entry: its provider's staff, or the platform's
/// operators (who import for the whole city). The one check of ownership for drafting,
/// loading, pulls and aggregation rules.
pub(crate) fn check_own(ctx: &Ctx, entry: &Entry) -> Result<(), ApiError> {
    let me = ctx.me()?;
    if me.user.org_id != Some(entry.provider_org_id) && !allows(&me.roles, Permission::CatalogImport) {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_your_entry",
            "只能处理本机构的目录",
            "You can only act on your own organization's entries",
        ));
    }
    Ok(())
}

/// Loads an entry the caller may change.
pub(crate) async fn own_entry(store: &Store, ctx: &Ctx, id: i64) -> Result<Entry, ApiError> {
    let entry = store.entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    check_own(ctx, &entry)?;
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
