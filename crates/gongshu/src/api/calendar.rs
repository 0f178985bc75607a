//! The working-day calendar: days, due dates, imported years and local overrides.

use axum::body::Bytes;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Query};
use crate::regulation::{self, ImportedYear, parse_date};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DayView {
    pub date: String,
    /// `workday` or `restday`.
    pub kind: &'static str,
    /// The festival, or `调休上班` for a make-up workday.
    pub name: Option<String>,
    /// No official data for this year yet: weekends only.
    pub provisional: bool,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DaysQuery {
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD` (at most 3 years after `from`).
    pub to: String,
    /// GB/T 2260 region whose local overrides apply.
    pub region: Option<String>,
}

/// The days of a period (2024-09-29 workday, 2024-10-01 restday, …).
pub fn days(
    cal: &gongshu_rules::Calendar,
    from: NaiveDate,
    to: NaiveDate,
    region: Option<&str>,
) -> Result<Vec<DayView>, ApiError> {
    if to < from || (to - from).num_days() > 3 * 366 {
        return Err(ApiError::bad_request(
            "invalid_range",
            "日期范围须从早到晚且不超过3年",
            "The range must run forwards and span at most 3 years",
        ));
    }
    let mut out = Vec::new();
    let mut day = from;
    while day <= to {
        let entry = cal.entry(day);
        let work = cal.is_workday(day, region);
        out.push(DayView {
            date: day.to_string(),
            kind: if work { "workday" } else { "restday" },
            name: entry.map(|e| e.name.clone()).filter(|n| !n.is_empty()),
            provisional: !cal.has_year(day.year()),
        });
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    Ok(out)
}

/// Working days and rest days of a period, from the official calendar with imports and overrides.
#[utoipa::path(get, path = "/api/v1/calendar/days", tag = "calendar", params(DaysQuery),
    responses((status = 200, body = Items<DayView>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list_days(state: AppStateExt, Query(q): Query<DaysQuery>) -> Result<Json<Items<DayView>>, ApiError> {
    let (from, to) = (parse_date("from", &q.from)?, parse_date("to", &q.to)?);
    let cal = state.regulation().calendar(state.store()).await?;
    Ok(Json(Items { items: days(&cal, from, to, q.region.as_deref())? }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DueQuery {
    /// Day of receipt, `YYYY-MM-DD` (China Standard Time); it does not count.
    pub received: String,
    /// Working days.
    pub days: u32,
    pub region: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DueView {
    pub received: String,
    pub working_days: u32,
    /// The last day.
    pub due: String,
    /// The last moment: 23:59:59 China Standard Time on the last day.
    pub closes_at: String,
    /// A year counted has no official data yet (weekends only); import it.
    pub provisional: bool,
}

/// The due date of a deadline of N working days (spec section 8).
#[utoipa::path(get, path = "/api/v1/calendar/due", tag = "calendar", params(DueQuery),
    responses((status = 200, body = DueView), (status = 400, body = crate::error::ErrorBody)))]
pub async fn due(state: AppStateExt, Query(q): Query<DueQuery>) -> Result<Json<DueView>, ApiError> {
    let received = parse_date("received", &q.received)?;
    let cal = state.regulation().calendar(state.store()).await?;
    let due = cal.due_date(received, q.days, q.region.as_deref())?;
    Ok(Json(DueView {
        received: received.to_string(),
        working_days: q.days,
        due: due.date.to_string(),
        closes_at: due.closes_at().to_rfc3339(),
        provisional: due.provisional,
    }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct YearView {
    pub year: i32,
    /// `official` (shipped) or `imported`.
    pub source: &'static str,
    pub imported_by: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct YearsView {
    pub items: Vec<YearView>,
    /// Years without official data that deadlines may already reach (this year and next).
    pub missing: Vec<i32>,
}

/// Which years have data, and which the administrator should import.
#[utoipa::path(get, path = "/api/v1/calendar/years", tag = "calendar", responses((status = 200, body = YearsView)))]
pub async fn years(state: AppStateExt) -> Result<Json<YearsView>, ApiError> {
    Ok(Json(years_view(&state).await?))
}

pub async fn years_view(state: &AppStateExt) -> Result<YearsView, ApiError> {
    let cal = state.regulation().calendar(state.store()).await?;
    let stored = state.store().calendar_years().await?;
    let items = cal
        .years()
        .into_iter()
        .map(|y| {
            let imported = stored.iter().find(|s| s.year == i64::from(y));
            YearView {
                year: y,
                source: if imported.is_some() { "imported" } else { "official" },
                imported_by: imported.map(|s| s.imported_by.clone()),
            }
        })
        .collect();
    let this_year = gongshu_rules::calendar::cst_date(chrono::Utc::now()).year();
    let missing = [this_year, this_year + 1].into_iter().filter(|y| !cal.has_year(*y)).collect();
    Ok(YearsView { items, missing })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// Replace a year imported before.
    #[serde(default)]
    pub replace: bool,
}

/// Imports a year: the body is the notice as CSV (`date,kind,name`, UTF-8). Each bad line is reported.
#[utoipa::path(post, path = "/api/v1/calendar/years", tag = "calendar", security(("bearer" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = ImportedYear), (status = 422, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn import(
    state: AppStateExt,
    ctx: Ctx,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<ImportedYear>), ApiError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad_request("not_utf8", "文件须为 UTF-8 编码的 CSV", "The file must be UTF-8 CSV"))?;
    let imported = regulation::import_year(state.store(), text, q.replace, &ctx.actor()).await?;
    Ok((StatusCode::CREATED, Json(imported)))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    pub region_code: String,
    pub date: String,
    /// `holiday` or `workday`.
    pub kind: String,
    pub note: Option<String>,
}

/// A region's own holiday or workday (e.g. a local festival).
#[utoipa::path(post, path = "/api/v1/calendar/overrides", tag = "calendar", security(("bearer" = [])), request_body = OverrideInput,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_override(state: AppStateExt, ctx: Ctx, Json(o): Json<OverrideInput>) -> Result<StatusCode, ApiError> {
    regulation::add_override(state.store(), &o.region_code, &o.date, &o.kind, o.note, &ctx.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}
