//! Reading and checking holiday CSV text (`date,kind,name`).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::error::{CalendarError, LineProblem, LineReason};

/// The years a calendar can hold data or overrides for.
pub const SUPPORTED_YEARS: std::ops::RangeInclusive<i32> = 2000..=2199;

/// What an entry of the calendar says about a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A day off (放假), weekend days inside a holiday period included.
    Holiday,
    /// An official make-up working day (调休上班), always a Saturday or Sunday nationally.
    Workday,
}

impl DayKind {
    /// The CSV spelling: `holiday` or `workday`.
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }
}

/// One official entry: a holiday or a make-up workday, with the festival's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: DayKind,
    /// The festival in Chinese, e.g. `国庆节`.
    pub name: String,
}

/// True on Saturday and Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Parses and checks holiday CSV text. With `one_year`, every date must fall in the year of the
/// first data row. All bad lines are reported together, each with its line number.
pub(crate) fn parse(text: &str, one_year: bool) -> Result<Vec<CalendarDay>, CalendarError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut problems = Vec::new();
    let mut days: Vec<CalendarDay> = Vec::new();
    let mut seen: BTreeMap<NaiveDate, (u64, DayKind)> = BTreeMap::new();
    let mut year: Option<i32> = None;
    let mut header_done = false;
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                let message = e.to_string();
                problems.push(LineProblem { line, reason: LineReason::Unreadable { message } });
                continue;
            }
        };
        let line = record.position().map_or(0, csv::Position::line);
        let mut bad = |reason| problems.push(LineProblem { line, reason });
        if !header_done {
            header_done = true;
            let found: Vec<&str> = record.iter().collect();
            if found != ["date", "kind", "name"] {
                bad(LineReason::BadHeader { found: found.join(",") });
            }
            continue;
        }
        if record.len() != 3 {
            bad(LineReason::WrongFieldCount { found: record.len() });
            continue;
        }
        let (date_text, kind_text, name) = (&record[0], &record[1], &record[2]);
        let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d");
        let kind = match kind_text {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        };
        let Ok(date) = date else {
            bad(LineReason::BadDate { value: date_text.to_string() });
            if kind.is_none() {
                bad(LineReason::UnknownKind { value: kind_text.to_string() });
            }
            continue;
        };
        let Some(kind) = kind else {
            bad(LineReason::UnknownKind { value: kind_text.to_string() });
            continue;
        };
        if !SUPPORTED_YEARS.contains(&date.year()) {
            bad(LineReason::YearOutOfRange { date });
            continue;
        }
        if one_year {
            let first = *year.get_or_insert(date.year());
            if date.year() != first {
                bad(LineReason::OutsideImportYear { date, year: first });
                continue;
            }
        }
        if kind == DayKind::Workday && !is_weekend(date) {
            bad(LineReason::MakeupNotOnWeekend { date });
            continue;
        }
        if let Some(&(other_line, other_kind)) = seen.get(&date) {
            if other_kind == kind {
                bad(LineReason::DuplicateDate { date, other_line });
            } else {
                bad(LineReason::HolidayAlsoMakeup { date, other_line });
            }
            continue;
        }
        seen.insert(date, (line, kind));
        days.push(CalendarDay { date, kind, name: name.to_string() });
    }
    if !header_done {
        problems.push(LineProblem { line: 1, reason: LineReason::BadHeader { found: String::new() } });
    }
    if !problems.is_empty() {
        return Err(CalendarError::InvalidCsv { problems });
    }
    Ok(days)
}
