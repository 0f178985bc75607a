//! The active policy profile and the working-day calendar of this deployment.
//!
//! The calendar is the official data shipped with the binary, plus the years an
//! administrator imported and the regions' local overrides, both stored in the
//! database. Each process keeps a built copy and rebuilds it when the database's
//! calendar version moves, so every replica counts on the same calendar.

use std::path::Path;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use chrono::NaiveDate;
use gongshu_rules::calendar::DayKind;
use gongshu_rules::{Calendar, CalendarError, Profile, ProfileError};
use gongshu_store::{Actor, CalendarOverride, Store};

use crate::error::ApiError;

/// The top of `docs/profiles.md`; the rest is generated from the profile files.
pub const PROFILES_DOC_HEADER: &str = "# City policy profiles\n\n\
Generated from `crates/gongshu-rules/profiles/*.toml` by `gongshu profile show NAME --format markdown`; a test\n\
fails when this file and the profiles disagree (regenerate with\n\
`GONGSHU_UPDATE_DOCS=1 cargo test -p gongshu --test e2e docs_profiles`). A deployment picks one with\n\
`--profile NAME` (or `profile = \"NAME\"` in `gongshu.toml`, or `GONGSHU_PROFILE`); the console shows the active\n\
one under 政策配置. Where a regulation gives no figure, the note says which default is used and why.\n";

pub struct Regulation {
    profile: Arc<Profile>,
    calendar: Mutex<Option<(i64, Arc<Calendar>)>>,
}

impl Regulation {
    pub fn new(profile: Profile) -> Self {
        Regulation { profile: Arc::new(profile), calendar: Mutex::new(None) }
    }

    pub fn profile(&self) -> &Arc<Profile> {
        &self.profile
    }

    /// The calendar as of now: one small query to check the version, a rebuild if it moved.
    pub async fn calendar(&self, store: &Store) -> Result<Arc<Calendar>, ApiError> {
        let version = store.calendar_version().await?;
        if let Ok(guard) = self.calendar.lock()
            && let Some((v, cal)) = guard.as_ref()
            && *v == version
        {
            return Ok(cal.clone());
        }
        let cal = Arc::new(build_calendar(store).await?);
        if let Ok(mut guard) = self.calendar.lock() {
            *guard = Some((version, cal.clone()));
        }
        Ok(cal)
    }
}

/// Loads the profile named by the `profile` setting: a built-in name, or a path to a
/// TOML file. A bad profile fails here, at start, naming the file, key and reason.
pub fn load_profile(setting: &str) -> Result<Profile, ProfileError> {
    if setting.ends_with(".toml") || setting.contains('/') {
        let path = Path::new(setting);
        let file_name = path.file_name().and_then(|f| f.to_str()).unwrap_or(setting);
        let text = std::fs::read_to_string(path).map_err(|e| ProfileError::Syntax {
            file: setting.to_string(),
            key: String::new(),
            reason: format!("cannot read the file: {e}"),
        })?;
        Profile::from_toml(file_name, &text)
    } else {
        Profile::builtin(setting)
    }
}

/// The official calendar plus the stored imports and overrides.
pub async fn build_calendar(store: &Store) -> Result<Calendar, ApiError> {
    let mut cal = Calendar::official()?;
    for y in store.calendar_years().await? {
        if let Err(e) = cal.import_year(&y.csv, true) {
            tracing::error!(year = y.year, error = %e, "a stored calendar year does not load; it is skipped");
        }
    }
    for o in store.calendar_overrides().await? {
        let kind = if o.kind == "workday" { DayKind::Workday } else { DayKind::Holiday };
        let Ok(day) = NaiveDate::parse_from_str(&o.day, "%Y-%m-%d") else { continue };
        if let Err(e) = cal.add_local_override(&o.region_code, day, kind) {
            tracing::error!(region = o.region_code, day = o.day, error = %e, "a stored override does not load");
        }
    }
    Ok(cal)
}

/// What an import added.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportedYear {
    pub year: i32,
    pub holidays: usize,
    pub workdays: usize,
    pub replaced: bool,
}

/// Imports one year of a State Council holiday notice (CSV `date,kind,name`), checked
/// line by line before anything is stored.
pub async fn import_year(store: &Store, csv: &str, replace: bool, by: &Actor) -> Result<ImportedYear, ApiError> {
    let mut cal = build_calendar(store).await?;
    let replaced = match first_year(csv) {
        Some(y) => cal.has_year(y) && store.calendar_years().await?.iter().any(|s| s.year == i64::from(y)),
        None => false,
    };
    if let Some(y) = first_year(csv)
        && cal.has_year(y)
        && !replaced
    {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "official_year",
            format!("{y}年为随平台发布的官方数据，不能覆盖；如有地方调整，请添加地方例外"),
            format!(
                "{y} is official data shipped with the platform and cannot be replaced; add a local override instead"
            ),
        ));
    }
    let year = cal.import_year(csv, replace)?;
    let (mut holidays, mut workdays) = (0, 0);
    for e in cal.entries().filter(|e| e.date.format("%Y").to_string() == year.to_string()) {
        match e.kind {
            DayKind::Holiday => holidays += 1,
            DayKind::Workday => workdays += 1,
        }
    }
    store.save_calendar_year(i64::from(year), csv, replace, by).await?;
    Ok(ImportedYear { year, holidays, workdays, replaced })
}

fn first_year(csv: &str) -> Option<i32> {
    csv.lines().skip(1).find_map(|l| l.get(..4)?.parse().ok())
}

/// Adds a region's own holiday or workday.
pub async fn add_override(
    store: &Store,
    region_code: &str,
    day: &str,
    kind: &str,
    note: Option<String>,
    by: &Actor,
) -> Result<(), ApiError> {
    let region = gongshu_domain::region::RegionCode::parse(region_code)?;
    let date = parse_date("date", day)?;
    let kind_value = match kind {
        "holiday" => DayKind::Holiday,
        "workday" => DayKind::Workday,
        other => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_day_kind",
                format!("“{other}”不是有效的日期类型，应为 holiday 或 workday"),
                format!("{other:?} is not a day kind: use holiday or workday"),
            ));
        }
    };
    let mut cal = build_calendar(store).await?;
    cal.add_local_override(region.as_str(), date, kind_value)?;
    let o = CalendarOverride {
        region_code: region.to_string(),
        day: date.to_string(),
        kind: kind.to_string(),
        note,
        created_at: gongshu_domain::time::now_micros(),
    };
    Ok(store.save_calendar_override(&o, by).await?)
}

/// Parses a `YYYY-MM-DD` date with a specific error.
pub fn parse_date(field: &str, text: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_date",
            format!("{field} 须为 YYYY-MM-DD 格式的日期，收到“{text}”"),
            format!("{field} must be a date as YYYY-MM-DD, got {text:?}"),
        )
    })
}

impl From<CalendarError> for ApiError {
    fn from(e: CalendarError) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message_zh(), e.message_en())
    }
}

impl From<ProfileError> for ApiError {
    fn from(e: ProfileError) -> Self {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.code(), e.message_zh(), e.message_en())
    }
}
