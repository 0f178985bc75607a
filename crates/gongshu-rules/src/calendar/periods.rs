//! Calendar-day periods: months, fixed annual dates and quarterly deadlines.

use std::fmt;

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The date `months` months after `date`; a day missing in the target month becomes the
/// month's last day (2024-11-30 + 3 months = 2025-02-28). `None` past chrono's range.
pub fn add_months(date: NaiveDate, months: u32) -> Option<NaiveDate> {
    date.checked_add_months(Months::new(months))
}

/// The last day of a month, e.g. `end_of_month(2024, 2)` = 2024-02-29.
pub fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    first.checked_add_months(Months::new(1))?.pred_opt()
}

/// A day of the year without the year: `03-30`, or `02-end` for the last day of February.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MonthDay {
    month: u32,
    /// `None`: the month's last day.
    day: Option<u32>,
}

impl MonthDay {
    /// A fixed day; `None` if no year has it (Feb 29 is accepted: it becomes Feb 28 in common years).
    pub fn new(month: u32, day: u32) -> Option<MonthDay> {
        NaiveDate::from_ymd_opt(2024, month, day).map(|_| MonthDay { month, day: Some(day) })
    }

    /// The last day of `month`.
    pub fn end_of(month: u32) -> Option<MonthDay> {
        (1..=12).contains(&month).then_some(MonthDay { month, day: None })
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// The day, or `None` for "the month's last day".
    pub fn day(self) -> Option<u32> {
        self.day
    }

    /// This day in `year`; Feb 29 falls back to Feb 28 in a common year.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        let last = end_of_month(year, self.month)?;
        match self.day {
            Some(day) if day < last.day() => NaiveDate::from_ymd_opt(year, self.month, day),
            _ => Some(last),
        }
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.day {
            Some(day) => write!(f, "{:02}-{day:02}", self.month),
            None => write!(f, "{:02}-end", self.month),
        }
    }
}

impl std::str::FromStr for MonthDay {
    type Err = String;

    fn from_str(s: &str) -> Result<MonthDay, String> {
        let bad = || format!("`{s}` is not a month-day: expected MM-DD (03-30) or MM-end (02-end)");
        let (m, d) = s.split_once('-').ok_or_else(bad)?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        if d == "end" {
            return MonthDay::end_of(month).ok_or_else(bad);
        }
        let day: u32 = d.parse().map_err(|_| bad())?;
        MonthDay::new(month, day).ok_or_else(bad)
    }
}

impl Serialize for MonthDay {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for MonthDay {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<MonthDay, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The quarterly review deadlines of LS-11: March 30, June 30, September 30, December 30.
pub const QUARTERLY_DEADLINES: [MonthDay; 4] = [
    MonthDay { month: 3, day: Some(30) },
    MonthDay { month: 6, day: Some(30) },
    MonthDay { month: 9, day: Some(30) },
    MonthDay { month: 12, day: Some(30) },
];

/// The first of `dates` (in any year) that falls on or after `date`. `None` if `dates` is empty.
pub fn next_fixed_date(date: NaiveDate, dates: &[MonthDay]) -> Option<NaiveDate> {
    [date.year(), date.year() + 1]
        .into_iter()
        .flat_map(|year| dates.iter().filter_map(move |md| md.in_year(year)))
        .filter(|d| *d >= date)
        .min()
}

/// The first quarterly deadline (Mar 30, Jun 30, Sep 30, Dec 30) on or after `date`;
/// after December 30 it is March 30 of the next year.
pub fn next_quarterly_deadline(date: NaiveDate) -> Option<NaiveDate> {
    next_fixed_date(date, &QUARTERLY_DEADLINES)
}
