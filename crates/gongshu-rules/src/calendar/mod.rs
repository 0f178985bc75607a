//! China's working-day calendar (工作日), and deadlines counted on it.
//!
//! A working day is a Monday to Friday that is not a statutory holiday, or an official
//! make-up workday (调休上班). The official data for 2020-2026 is embedded
//! ([`Calendar::official`]); later years are imported as the State Council publishes them
//! ([`Calendar::import_year`]), and a region may add its own days off or workdays
//! ([`Calendar::add_local_override`]). A year without official data still counts by its
//! weekends, and every result that touched such a year says `provisional: true`.
//!
//! A deadline of N working days ends at the close (23:59:59 China Standard Time) of the Nth
//! working day after the day of receipt; the day of receipt does not count.

mod error;
mod index;
mod periods;
mod source;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

pub use error::{CalendarError, LineProblem, LineReason};
pub use periods::{MonthDay, QUARTERLY_DEADLINES, add_months, end_of_month, next_fixed_date, next_quarterly_deadline};
pub use source::{CalendarDay, DayKind, SUPPORTED_YEARS, is_weekend};

use index::DayIndex;

/// The embedded official data: statutory holidays and make-up workdays, 2020-2026.
pub const OFFICIAL_CSV: &str = include_str!("../../data/cn-holidays.csv");

/// How many years past the last year with data the fast index reaches.
const HORIZON_YEARS: i32 = 10;

/// China Standard Time, UTC+8, with no daylight saving.
pub fn cst() -> FixedOffset {
    match FixedOffset::east_opt(8 * 3600) {
        Some(offset) => offset,
        None => unreachable!("UTC+8 is within chrono's offset range"),
    }
}

/// The calendar date in China Standard Time of an instant.
pub fn cst_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&cst()).date_naive()
}

/// A deadline: the last day to act on, and whether it rests on a year without official data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Due {
    /// The last day; the deadline closes at 23:59:59 CST on it.
    pub date: NaiveDate,
    /// True when a year of the days counted (after receipt, up to the due date) has no
    /// official holiday data yet, so only its weekends were counted.
    pub provisional: bool,
}

impl Due {
    /// 23:59:59 China Standard Time on the last day.
    pub fn closes_at(&self) -> DateTime<FixedOffset> {
        self.closes_at_utc().with_timezone(&cst())
    }

    /// The same instant in UTC (15:59:59 UTC on the last day).
    pub fn closes_at_utc(&self) -> DateTime<Utc> {
        match NaiveTime::from_hms_opt(15, 59, 59) {
            Some(t) => self.date.and_time(t).and_utc(),
            None => unreachable!("15:59:59 is a valid time"),
        }
    }

    /// True once the last day has ended in China Standard Time.
    pub fn is_overdue_at(&self, now: DateTime<Utc>) -> bool {
        cst_date(now) > self.date
    }
}

/// A count of working days, and whether it rests on a year without official data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct WorkingDays {
    pub count: i64,
    pub provisional: bool,
}

type RegionCode = [u8; 6];

fn parse_region(code: &str) -> Option<RegionCode> {
    let bytes: RegionCode = code.as_bytes().try_into().ok()?;
    bytes.iter().all(u8::is_ascii_digit).then_some(bytes)
}

/// The region itself, its city (`XXXX00`) and its province (`XX0000`), most specific first.
fn lineage(code: RegionCode) -> [RegionCode; 3] {
    let mut city = code;
    city[4..].copy_from_slice(b"00");
    let mut province = code;
    province[2..].copy_from_slice(b"0000");
    [code, city, province]
}

/// The working-day calendar: official data, imported years and local overrides.
#[derive(Debug, Clone)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, CalendarDay>,
    years: BTreeSet<i32>,
    overrides: BTreeMap<RegionCode, BTreeMap<NaiveDate, DayKind>>,
    national: DayIndex,
    regional: HashMap<RegionCode, DayIndex>,
}

impl Calendar {
    /// The embedded official calendar, 2020-2026.
    pub fn official() -> Result<Calendar, CalendarError> {
        Calendar::from_csv(OFFICIAL_CSV)
    }

    /// A calendar with no holiday data: every result counts weekends only and is provisional.
    pub fn weekends_only() -> Calendar {
        let mut calendar = Calendar {
            days: BTreeMap::new(),
            years: BTreeSet::new(),
            overrides: BTreeMap::new(),
            national: empty_index(),
            regional: HashMap::new(),
        };
        calendar.rebuild();
        calendar
    }

    /// A calendar from CSV text (`date,kind,name`) that may span several years; every year
    /// with at least one line counts as a year with official data.
    pub fn from_csv(text: &str) -> Result<Calendar, CalendarError> {
        let parsed = source::parse(text, false)?;
        let mut calendar = Calendar::weekends_only();
        calendar.years = parsed.iter().map(|d| d.date.year()).collect();
        calendar.days = parsed.into_iter().map(|d| (d.date, d)).collect();
        calendar.rebuild();
        Ok(calendar)
    }

    /// Adds one year of official data from CSV text whose dates all fall in one year, and
    /// returns that year. A year already present is refused unless `replace` is true, in
    /// which case its old entries are dropped first.
    pub fn import_year(&mut self, csv_text: &str, replace: bool) -> Result<i32, CalendarError> {
        let parsed = source::parse(csv_text, true)?;
        let year = parsed.first().map(|d| d.date.year()).ok_or(CalendarError::EmptyImport)?;
        if self.years.contains(&year) && !replace {
            return Err(CalendarError::YearAlreadyPresent { year });
        }
        self.days.retain(|date, _| date.year() != year);
        self.days.extend(parsed.into_iter().map(|d| (d.date, d)));
        self.years.insert(year);
        self.rebuild();
        Ok(year)
    }

    /// A region's own day off (`Holiday`) or working day (`Workday`) on `date`, over the
    /// national calendar. A region code is six GB/T 2260 digits; a county inherits the
    /// overrides of its city (`XXXX00`) and province (`XX0000`), the most specific winning.
    pub fn add_local_override(
        &mut self,
        region_code: &str,
        date: NaiveDate,
        kind: DayKind,
    ) -> Result<(), CalendarError> {
        let code =
            parse_region(region_code).ok_or_else(|| CalendarError::InvalidRegion { code: region_code.to_string() })?;
        if !SUPPORTED_YEARS.contains(&date.year()) {
            return Err(CalendarError::OverrideOutOfRange { date });
        }
        self.overrides.entry(code).or_default().insert(date, kind);
        self.rebuild();
        Ok(())
    }

    /// Removes a region's override on `date`; true if there was one.
    pub fn remove_local_override(&mut self, region_code: &str, date: NaiveDate) -> Result<bool, CalendarError> {
        let code =
            parse_region(region_code).ok_or_else(|| CalendarError::InvalidRegion { code: region_code.to_string() })?;
        let removed = self.overrides.get_mut(&code).is_some_and(|days| days.remove(&date).is_some());
        self.overrides.retain(|_, days| !days.is_empty());
        if removed {
            self.rebuild();
        }
        Ok(removed)
    }

    /// True when official holiday data for `year` is loaded.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The years with official data, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.iter().copied().collect()
    }

    /// The official entry for a date, if any.
    pub fn entry(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.days.get(&date)
    }

    /// All official entries, by date.
    pub fn entries(&self) -> impl Iterator<Item = &CalendarDay> {
        self.days.values()
    }

    /// The overrides of one region (not inherited ones), by date.
    pub fn local_overrides(&self, region_code: &str) -> Vec<(NaiveDate, DayKind)> {
        parse_region(region_code)
            .and_then(|code| self.overrides.get(&code))
            .map(|days| days.iter().map(|(d, k)| (*d, *k)).collect())
            .unwrap_or_default()
    }

    /// The index for a region: its own, its city's, its province's, or the national one.
    /// A malformed or unknown code gets the national calendar.
    fn index(&self, region: Option<&str>) -> &DayIndex {
        let Some(code) = region.and_then(parse_region) else {
            return &self.national;
        };
        if self.regional.is_empty() {
            return &self.national;
        }
        lineage(code).iter().find_map(|c| self.regional.get(c)).unwrap_or(&self.national)
    }

    /// True when `date` is a working day (in `region`, if given).
    pub fn is_workday(&self, date: NaiveDate, region: Option<&str>) -> bool {
        self.index(region).is_workday(date)
    }

    /// The Nth working day after the day of receipt (which does not count). `n = 0` gives
    /// the day of receipt itself.
    pub fn due_date(&self, received: NaiveDate, n: u32, region: Option<&str>) -> Result<Due, CalendarError> {
        let index = self.index(region);
        let date = if n == 0 { received } else { index.nth_after(received, n).ok_or(CalendarError::OutOfRange)? };
        // The days counted are those after receipt, up to the due date.
        let first_counted = if n == 0 { received } else { received.succ_opt().unwrap_or(received) };
        let provisional = !index.all_known(first_counted.year(), date.year());
        Ok(Due { date, provisional })
    }

    /// [`Calendar::due_date`] for an instant of receipt, first taken to its date in China
    /// Standard Time: 2024-09-27 17:30 UTC is Saturday 01:30 CST, so counting starts from Saturday.
    pub fn due_at(&self, received_utc: DateTime<Utc>, n: u32, region: Option<&str>) -> Result<Due, CalendarError> {
        self.due_date(cst_date(received_utc), n, region)
    }

    /// Working days after `from` up to and including `to`; negative when `to` is before
    /// `from`. `working_days_between(d, due_date(d, n).date) == n`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate, region: Option<&str>) -> WorkingDays {
        let index = self.index(region);
        let (lo, hi) = if from <= to { (from, to) } else { (to, from) };
        let first_counted = if lo == hi { lo } else { lo.succ_opt().unwrap_or(lo) };
        WorkingDays {
            count: index.rank(to) - index.rank(from),
            provisional: !index.all_known(first_counted.year(), hi.year()),
        }
    }

    /// A period of `months` months from receipt ([`add_months`], clamped to the month's end).
    /// When its last day is not a working day, the period ends on the next working day
    /// (民法典 art. 203: a period whose last day is a statutory day off ends on the day after).
    /// `provisional` when the year of the end day (or of the day it moves to) has no official data.
    pub fn month_deadline(&self, received: NaiveDate, months: u32, region: Option<&str>) -> Result<Due, CalendarError> {
        let index = self.index(region);
        let end = add_months(received, months).ok_or(CalendarError::OutOfRange)?;
        let date =
            if index.is_workday(end) { end } else { index.nth_after(end, 1).ok_or(CalendarError::OutOfRange)? };
        let provisional = !index.all_known(end.year(), date.year());
        Ok(Due { date, provisional })
    }

    fn span(&self) -> (i32, i32) {
        let override_years = self.overrides.values().flat_map(|days| days.keys().map(Datelike::year));
        let mut years = self.years.iter().copied().chain(override_years);
        let Some(first) = years.next() else {
            return (2000, 2000);
        };
        let (lo, hi) = years.fold((first, first), |(lo, hi), y| (lo.min(y), hi.max(y)));
        (lo, hi + HORIZON_YEARS)
    }

    fn rebuild(&mut self) {
        let (first, last) = self.span();
        let known: Vec<bool> = (first..=last).map(|y| self.years.contains(&y)).collect();
        let days = &self.days;
        let national_workday = |date: NaiveDate| match days.get(&date).map(|d| d.kind) {
            Some(DayKind::Workday) => true,
            Some(DayKind::Holiday) => false,
            None => !is_weekend(date),
        };
        let Some(national) = DayIndex::build(first, last, known.clone(), national_workday) else {
            return;
        };
        let mut regional = HashMap::new();
        for code in self.overrides.keys() {
            let mut merged: BTreeMap<NaiveDate, DayKind> = BTreeMap::new();
            let chain = lineage(*code);
            for ancestor in chain.iter().rev() {
                if let Some(days) = self.overrides.get(ancestor) {
                    merged.extend(days.iter().map(|(d, k)| (*d, *k)));
                }
            }
            let workday = |date: NaiveDate| match merged.get(&date) {
                Some(kind) => *kind == DayKind::Workday,
                None => national.is_workday(date),
            };
            if let Some(index) = DayIndex::build(first, last, known.clone(), workday) {
                regional.insert(*code, index);
            }
        }
        self.national = national;
        self.regional = regional;
    }
}

fn empty_index() -> DayIndex {
    match DayIndex::build(2000, 2000, vec![false], |d| !is_weekend(d)) {
        Some(index) => index,
        None => unreachable!("the year 2000 is within chrono's range"),
    }
}
