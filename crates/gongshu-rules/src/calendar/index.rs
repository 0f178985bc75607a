//! The precomputed working-day index behind every calendar query.
//!
//! Over a span of whole years the index keeps, for each day, the running count of working
//! days up to it (`cum`) and the sorted offsets of the working days themselves (`work`).
//! Outside the span only weekends count, which plain arithmetic handles. Together they
//! give a global, non-decreasing count `rank(date)`, so "the Nth working day after D" is
//! `work[rank(D) + N - 1]` and "working days between A and B" is `rank(B) - rank(A)`:
//! both O(1), without a loop over days.

use chrono::{Datelike, Days, NaiveDate};

use super::source::is_weekend;

/// Working days by the weekend rule alone, from a fixed Monday up to `date` inclusive.
fn weekday_rank(date: NaiveDate) -> i64 {
    // 0001-01-01 (day 1 from the common era) is a Monday.
    let t = i64::from(date.num_days_from_ce()) - 1;
    let (weeks, rest) = (t.div_euclid(7), t.rem_euclid(7));
    weeks * 5 + (rest + 1).min(5)
}

/// The `m`-th weekday (Mon-Fri) after `date`, `m >= 1`.
fn add_weekdays(date: NaiveDate, m: u64) -> Option<NaiveDate> {
    // A weekend start counts like the Friday before it.
    let from = match date.weekday().num_days_from_monday() {
        5 => date.pred_opt()?,
        6 => date.checked_sub_days(Days::new(2))?,
        _ => date,
    };
    let wd = u64::from(from.weekday().num_days_from_monday());
    let m = m.checked_sub(1)?;
    let (full, rem) = (m / 5, m % 5 + 1);
    let extra = if wd + rem > 4 { 2 } else { 0 };
    from.checked_add_days(Days::new(full.checked_mul(7)?.checked_add(rem + extra)?))
}

#[derive(Debug, Clone)]
pub(crate) struct DayIndex {
    start: NaiveDate,
    first_year: i32,
    /// `cum[i]`: working days in `[start, start + i]`.
    cum: Vec<u32>,
    /// Offsets from `start` of the working days, ascending.
    work: Vec<u32>,
    /// `known[y - first_year]`: the year has official data.
    known: Vec<bool>,
    /// `weekday_rank(start - 1)`: the global rank just before the span.
    base: i64,
}

impl DayIndex {
    /// Builds the index for the years `first_year..=last_year` from a per-day flag.
    pub(crate) fn build(
        first_year: i32,
        last_year: i32,
        known: Vec<bool>,
        workday: impl Fn(NaiveDate) -> bool,
    ) -> Option<DayIndex> {
        let start = NaiveDate::from_ymd_opt(first_year, 1, 1)?;
        let end = NaiveDate::from_ymd_opt(last_year, 12, 31)?;
        let len = usize::try_from((end - start).num_days() + 1).ok()?;
        let mut cum = Vec::with_capacity(len);
        let mut work = Vec::with_capacity(len * 5 / 7 + 8);
        let mut count = 0u32;
        for (offset, date) in (0u32..).zip(start.iter_days().take(len)) {
            if workday(date) {
                count += 1;
                work.push(offset);
            }
            cum.push(count);
        }
        let base = weekday_rank(start.pred_opt()?);
        Some(DayIndex { start, first_year, cum, work, known, base })
    }

    fn offset(&self, date: NaiveDate) -> Option<usize> {
        let days = (date - self.start).num_days();
        let offset = usize::try_from(days).ok()?;
        (offset < self.cum.len()).then_some(offset)
    }

    fn end(&self) -> NaiveDate {
        let last = self.cum.len().saturating_sub(1) as u64;
        self.start.checked_add_days(Days::new(last)).unwrap_or(self.start)
    }

    fn total(&self) -> i64 {
        self.work.len() as i64
    }

    /// Working days from a fixed epoch up to `date` inclusive.
    pub(crate) fn rank(&self, date: NaiveDate) -> i64 {
        if date < self.start {
            weekday_rank(date)
        } else if let Some(offset) = self.offset(date) {
            self.base + i64::from(self.cum[offset])
        } else {
            self.base + self.total() + weekday_rank(date) - weekday_rank(self.end())
        }
    }

    pub(crate) fn is_workday(&self, date: NaiveDate) -> bool {
        match self.offset(date) {
            Some(0) => self.cum[0] == 1,
            Some(offset) => self.cum[offset] != self.cum[offset - 1],
            None => !is_weekend(date),
        }
    }

    /// The `n`-th working day after `received` (`n >= 1`).
    pub(crate) fn nth_after(&self, received: NaiveDate, n: u32) -> Option<NaiveDate> {
        let target = self.rank(received) + i64::from(n);
        if target <= self.base {
            add_weekdays(received, u64::from(n))
        } else if target <= self.base + self.total() {
            let k = usize::try_from(target - self.base - 1).ok()?;
            self.start.checked_add_days(Days::new(u64::from(self.work[k])))
        } else {
            let past_end = u64::try_from(target - self.base - self.total()).ok()?;
            add_weekdays(self.end(), past_end)
        }
    }

    /// True when every year from `a` to `b` has official data.
    pub(crate) fn all_known(&self, a: i32, b: i32) -> bool {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (Ok(lo), Ok(hi)) = (usize::try_from(lo - self.first_year), usize::try_from(hi - self.first_year)) else {
            return false;
        };
        hi < self.known.len() && self.known[lo..=hi].iter().all(|k| *k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn adding_weekdays_skips_saturday_and_sunday() {
        assert_eq!(add_weekdays(d(2027, 1, 8), 1), Some(d(2027, 1, 11)));
        assert_eq!(add_weekdays(d(2027, 1, 9), 1), Some(d(2027, 1, 11)));
        assert_eq!(add_weekdays(d(2027, 1, 10), 5), Some(d(2027, 1, 15)));
        assert_eq!(add_weekdays(d(2027, 1, 11), 5), Some(d(2027, 1, 18)));
        assert_eq!(add_weekdays(d(2027, 1, 11), 4), Some(d(2027, 1, 15)));
    }

    #[test]
    fn weekday_arithmetic_agrees_with_walking_day_by_day() {
        let mut date = d(2030, 1, 1);
        for _ in 0..60 {
            for m in 1..40u64 {
                let mut walk = date;
                let mut left = m;
                while left > 0 {
                    walk = walk.succ_opt().unwrap();
                    if !is_weekend(walk) {
                        left -= 1;
                    }
                }
                assert_eq!(add_weekdays(date, m), Some(walk), "{date} + {m}");
                assert_eq!(weekday_rank(walk) - weekday_rank(date), m as i64);
            }
            date = date.succ_opt().unwrap();
        }
    }
}
