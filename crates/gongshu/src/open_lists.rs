//! Annual open lists (CAT-10, WH-23, BZ-29): each provider compiles the entries it will
//! open in a year; the city authority reviews and publishes the list, which is public.

use axum::http::StatusCode;
use gongshu_domain::org::OrgKind;
use gongshu_store::{Entry, OpenList, Store};
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::ApiError;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenListInput {
    pub year: i64,
    /// Published entries of the caller's organization whose open attribute is not "not open".
    pub entry_ids: Vec<i64>,
}

/// A list with its entries, as the portal shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OpenListView {
    pub list: OpenList,
    pub provider: String,
    pub entries: Vec<Entry>,
}

fn bad(code: &'static str, zh: String, en: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
}

/// Saves the caller's organization's draft list for a year.
pub async fn save(app: &AppState, ctx: &Ctx, input: &OpenListInput) -> Result<OpenList, ApiError> {
    let org = ctx.me()?.user.org_id.ok_or_else(ApiError::forbidden)?;
    if !(2000..=2200).contains(&input.year) {
        return Err(bad(
            "invalid_year",
            format!("年份 {} 无效", input.year),
            format!("{} is not a valid year", input.year),
        ));
    }
    if input.entry_ids.is_empty() {
        return Err(bad(
            "empty_list",
            "开放清单至少包含一条目录".into(),
            "An open list needs at least one entry".into(),
        ));
    }
    let mut ids = input.entry_ids.clone();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        let e = app.store().entry(*id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
        if e.provider_org_id != org {
            return Err(ApiError::new(
                StatusCode::FORBIDDEN,
                "not_your_entry",
                format!("目录 {} 不属于本机构", e.code),
                format!("Entry {} is not your organization's", e.code),
            ));
        }
        if e.state != "published" || e.open_type == "not_open" {
            return Err(bad(
                "not_openable",
                format!("目录 {} 未发布或属于不予开放，不能列入开放清单", e.code),
                format!("Entry {} is not published or is not open", e.code),
            ));
        }
    }
    Ok(app.store().save_open_list(org, input.year, &ids, &ctx.actor()).await?)
}

async fn own(store: &Store, ctx: &Ctx, id: i64) -> Result<OpenList, ApiError> {
    let list = store.open_list(id).await?.ok_or_else(|| ApiError::not_found("开放清单", "Open list"))?;
    if ctx.me()?.user.org_id != Some(list.provider_org_id) {
        return Err(ApiError::forbidden());
    }
    Ok(list)
}

pub async fn submit(app: &AppState, ctx: &Ctx, id: i64) -> Result<(), ApiError> {
    own(app.store(), ctx, id).await?;
    if !app.store().move_open_list(id, "draft", "submitted", None, &ctx.actor()).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "not_a_draft",
            "只能提交草稿状态的清单",
            "Only a draft list can be submitted",
        ));
    }
    Ok(())
}

/// The city authority publishes or rejects (with a reason) a submitted list.
pub async fn review(app: &AppState, ctx: &Ctx, id: i64, approve: bool, reason: Option<String>) -> Result<(), ApiError> {
    let store = app.store();
    let me = ctx.me()?;
    let city = &app.regulation().profile().region_code;
    let orgs = store.orgs().await?;
    let authorities = || orgs.iter().filter(|o| o.kind == OrgKind::Authority.as_str());
    let city_authority = authorities()
        .find(|o| &o.region_code == city)
        .or_else(|| authorities().find(|o| o.region_code.ends_with("00")));
    if city_authority.map(|o| o.id) != me.user.org_id {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_the_reviewer",
            "开放清单由市级主管部门审核发布",
            "The city authority reviews open lists",
        ));
    }
    let reason = reason.map(|r| r.trim().to_string()).filter(|r| !r.is_empty());
    if !approve && reason.is_none() {
        return Err(bad("reason_required", "驳回须说明理由".into(), "A rejection must state its reason".into()));
    }
    let to = if approve { "published" } else { "rejected" };
    if !store.move_open_list(id, "submitted", to, reason.as_deref(), &ctx.actor()).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "nothing_to_review",
            "该清单不在待审核状态",
            "The list is not waiting for review",
        ));
    }
    Ok(())
}

/// Lists with their entries.
pub async fn views(store: &Store, year: Option<i64>, state: Option<&str>) -> Result<Vec<OpenListView>, ApiError> {
    let names: std::collections::HashMap<i64, String> =
        store.orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut out = Vec::new();
    for list in store.open_lists(year, state).await? {
        let ids: Vec<i64> = serde_json::from_str(&list.entry_ids).unwrap_or_default();
        let mut entries = Vec::new();
        for id in ids {
            if let Some(e) = store.entry(id).await? {
                entries.push(e);
            }
        }
        out.push(OpenListView {
            provider: names.get(&list.provider_org_id).cloned().unwrap_or_default(),
            list,
            entries,
        });
    }
    Ok(out)
}
