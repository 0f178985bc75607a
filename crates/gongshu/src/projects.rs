//! IT projects (AGG-9, WH-20, BZ-42, WHN-34): a project declares the data it will
//! supply before approval; the authority's acceptance is refused while that data is not
//! in the platform, not current by its update cycle, or below the quality bar.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use gongshu_data::acceptance::{Shortfall, Supplied, shortfalls};
use gongshu_domain::catalog::UpdateCycle;
use gongshu_store::Project;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::{ApiError, Problem};

/// The share of valid records a project's data must reach unless it says otherwise.
pub const DEFAULT_MIN_VALID_SHARE: f64 = 0.95;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectInput {
    pub name: String,
    /// Resource codes of the catalog entries the project will supply (供给清单).
    pub entries: Vec<String>,
    /// The lowest share of valid records accepted (0–1; default 0.95).
    pub min_valid_share: Option<f64>,
}

/// A project with its supply list resolved.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProjectView {
    #[serde(flatten)]
    pub project: Project,
    pub entries: Vec<i64>,
}

fn unprocessable(code: &'static str, zh: String, en: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
}

pub fn view(p: Project) -> ProjectView {
    let entries = serde_json::from_str(&p.entry_ids).unwrap_or_default();
    ProjectView { project: p, entries }
}

/// Declares a project of the caller's organization with its supply list.
pub async fn declare(app: &AppState, ctx: &Ctx, input: &ProjectInput) -> Result<ProjectView, ApiError> {
    let store = app.store();
    let org = ctx.me()?.user.org_id.ok_or_else(ApiError::forbidden)?;
    let name = input.name.trim();
    if name.is_empty() {
        return Err(unprocessable("name_required", "请填写项目名称".into(), "The project needs a name".into()));
    }
    if input.entries.is_empty() {
        return Err(unprocessable(
            "supply_list_empty",
            "项目须在审批前申报数据供给清单".into(),
            "A project declares the data it will supply before approval".into(),
        ));
    }
    let min = input.min_valid_share.unwrap_or(DEFAULT_MIN_VALID_SHARE);
    if !(0.0..=1.0).contains(&min) {
        return Err(unprocessable(
            "bad_quality_bar",
            "合格率须在 0 到 1 之间".into(),
            "The bar must be between 0 and 1".into(),
        ));
    }
    let mut ids = Vec::new();
    let mut problems = Vec::new();
    for code in &input.entries {
        match store.entry_by_code(code.trim()).await? {
            Some(e) if e.published_version.is_some() => ids.push(e.id),
            _ => problems.push(Problem {
                code: "unknown_entry".into(),
                field: Some("entries".into()),
                message: format!("“{code}”不是已发布目录的信息资源代码"),
                message_en: format!("{code:?} is not the code of a published entry"),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(ApiError::with_problems("bad_supply_list", problems));
    }
    ids.dedup();
    Ok(view(store.create_project(name, org, &ids, min, &ctx.actor()).await?))
}

/// Where each supplied entry stands now.
pub async fn supply_status(app: &AppState, p: &Project, now: DateTime<Utc>) -> Result<Vec<Supplied>, ApiError> {
    let store = app.store();
    let ids: Vec<i64> = serde_json::from_str(&p.entry_ids).unwrap_or_default();
    let mut out = Vec::new();
    for id in ids {
        let Some(e) = store.entry(id).await? else { continue };
        let latest = store.data_versions(id).await?.pop();
        let overdue = match (&latest, UpdateCycle::parse(&e.update_cycle)) {
            (Some(v), Ok(cycle)) => DateTime::from_timestamp_micros(v.created_at)
                .is_some_and(|last| gongshu_data::timeliness::is_overdue(cycle, last, now)),
            _ => false,
        };
        let valid_share =
            latest.map(|v| if v.rows_total == 0 { 0.0 } else { v.rows_valid as f64 / v.rows_total as f64 });
        out.push(Supplied { entry_id: id, code: e.code, valid_share, overdue });
    }
    Ok(out)
}

fn problem(s: &Shortfall) -> Problem {
    let (zh, en) = match s.reason {
        "no_data" => ("尚未汇聚到平台".to_string(), "has no data in the platform".to_string()),
        "stale" => ("数据未按更新周期更新".to_string(), "is not current by its update cycle".to_string()),
        _ => (
            format!("数据合格率 {:.1}% 低于要求", s.valid_share.unwrap_or(0.0) * 100.0),
            format!("has {:.1}% valid records, below the bar", s.valid_share.unwrap_or(0.0) * 100.0),
        ),
    };
    Problem {
        code: s.reason.to_string(),
        field: Some(s.code.clone()),
        message: format!("{}：{zh}", s.code),
        message_en: format!("{} {en}", s.code),
    }
}

/// The acceptance check: accepted when every supplied entry's data is there, current
/// and good enough; otherwise refused with each shortfall (the refusal is audited).
pub async fn accept(app: &AppState, ctx: &Ctx, id: i64) -> Result<ProjectView, ApiError> {
    let store = app.store();
    let p = store.project(id).await?.ok_or_else(|| ApiError::not_found("信息化项目", "IT project"))?;
    if p.state != "declared" {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_accepted",
            "项目已通过验收",
            "The project is accepted already",
        ));
    }
    let supply = supply_status(app, &p, Utc::now()).await?;
    let short = shortfalls(&supply, p.min_valid_share);
    if !short.is_empty() {
        store.decide_project(id, false, serde_json::json!({ "shortfalls": short }), &ctx.actor()).await?;
        let problems = short.iter().map(problem).collect();
        return Err(ApiError::with_problems("acceptance_refused", problems));
    }
    if !store.decide_project(id, true, serde_json::json!({ "supply": supply.len() }), &ctx.actor()).await? {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "already_accepted",
            "项目已通过验收",
            "The project is accepted already",
        ));
    }
    let p = store.project(id).await?.ok_or_else(ApiError::internal)?;
    Ok(view(p))
}
