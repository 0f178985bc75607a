//! The calendar and policy-profile pages.

use axum::extract::Multipart;
use chrono::{Datelike, Duration};
use minijinja::context;
use serde::Deserialize;

use super::{PageResult, render, saved};
use crate::api::calendar::{days, years_view};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Query};
use crate::regulation::{self, parse_date};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    /// Month to show, `YYYY-MM`.
    pub month: Option<String>,
    /// Due-date calculator: day of receipt and working days.
    pub received: Option<String>,
    pub days: Option<String>,
    pub saved: Option<u8>,
    pub imported: Option<i32>,
}

/// Years with data, the month's days, the due-date calculator, and (for the admin) import.
pub async fn page(state: AppStateExt, ctx: Ctx, Query(q): Query<CalendarQuery>) -> PageResult {
    let cal = state.regulation().calendar(state.store()).await?;
    let today = gongshu_rules::calendar::cst_date(chrono::Utc::now());
    let first = match q.month.as_deref().filter(|m| !m.is_empty()) {
        Some(m) => parse_date("month", &format!("{m}-01"))?,
        None => today.with_day(1).unwrap_or(today),
    };
    let last = (first + Duration::days(40)).with_day(1).and_then(|d| d.pred_opt()).unwrap_or(first);
    let region = state.regulation().profile().region_code.clone();
    let month_days = days(&cal, first, last, Some(&region))?;
    let lead = first.weekday().num_days_from_monday();
    let calc = match (q.received.as_deref().filter(|s| !s.is_empty()), q.days.as_deref().filter(|s| !s.is_empty())) {
        (Some(r), Some(n)) => {
            let received = parse_date("received", r)?;
            let n: u32 = n.trim().parse().map_err(|_| {
                ApiError::bad_request("invalid_days", "工作日数须为非负整数", "Working days must be a whole number")
            })?;
            let due = cal.due_date(received, n, Some(&region))?;
            Some(
                context! { received => received.to_string(), days => n, due => due.date.to_string(), provisional => due.provisional },
            )
        }
        _ => None,
    };
    let prev = (first - Duration::days(1)).format("%Y-%m").to_string();
    let next = (last + Duration::days(1)).format("%Y-%m").to_string();
    let can_write = gongshu_domain::role::allows(ctx.roles(), gongshu_domain::role::Permission::CalendarWrite);
    let overrides = state.store().calendar_overrides().await?;
    render(
        &state,
        &ctx,
        "calendar.html",
        context! {
            years => years_view(&state).await?, month => first.format("%Y-%m").to_string(), month_days, lead, prev, next,
            calc, can_write, overrides, region, today => today.to_string(), saved => q.saved.is_some(), imported => q.imported,
        },
    )
}

/// The console's import: a CSV file upload (`date,kind,name`).
pub async fn import(state: AppStateExt, ctx: Ctx, mut form: Multipart) -> PageResult {
    let bad = |_| ApiError::bad_request("unreadable_upload", "无法读取上传的文件", "The upload could not be read");
    let (mut csrf, mut replace, mut csv) = (String::new(), false, None);
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(bad)?,
            "replace" => replace = field.text().await.map_err(bad)? == "on",
            "file" => {
                let bytes = field.bytes().await.map_err(bad)?;
                let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    ApiError::bad_request("not_utf8", "文件须为 UTF-8 编码的 CSV", "The file must be UTF-8 CSV")
                })?;
                csv = Some(text);
            }
            _ => {}
        }
    }
    ctx.check_csrf(&csrf)?;
    let Some(csv) = csv.filter(|c| !c.trim().is_empty()) else {
        return Err(ApiError::bad_request("file_required", "请选择要导入的文件", "Choose a file to import").into());
    };
    let imported = regulation::import_year(state.store(), &csv, replace, &ctx.actor()).await?;
    saved(&format!("/console/calendar?month={}-01&imported={}", imported.year, imported.year))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideForm {
    #[serde(default)]
    pub csrf: String,
    pub region_code: String,
    pub date: String,
    pub kind: String,
    pub note: String,
}

pub async fn add_override(state: AppStateExt, ctx: Ctx, Form(f): Form<OverrideForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let note = Some(f.note.trim().to_string()).filter(|n| !n.is_empty());
    regulation::add_override(state.store(), &f.region_code, &f.date, &f.kind, note, &ctx.actor()).await?;
    saved("/console/calendar")
}

/// The active profile as a readable table.
pub async fn profile(state: AppStateExt, ctx: Ctx) -> PageResult {
    let view = crate::api::profile::view(state.regulation().profile());
    let others: Vec<&str> = gongshu_rules::Profile::NAMES.to_vec();
    render(&state, &ctx, "profile.html", context! { profile => view, others })
}
