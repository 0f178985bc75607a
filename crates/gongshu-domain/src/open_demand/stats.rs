//! How fast each provider answers (SUP-4): received, answered, overdue, and the median
//! time to answer, in working days and in hours. Plain arithmetic over samples; the
//! caller counts working days on its calendar (`working_days_after`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

/// One item as the statistics see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// The organization that holds the item.
    pub holder_org_id: i64,
    /// Microseconds.
    pub received_at: i64,
    /// The clock's last moment, microseconds.
    pub due_at: i64,
    /// When it was answered or its outcome decided.
    pub answered_at: Option<i64>,
    /// Working days from receipt to the answer (see [`working_days_after`]).
    pub answer_working_days: Option<u32>,
}

/// One provider's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProviderStats {
    pub holder_org_id: i64,
    pub received: u64,
    pub answered: u64,
    /// Not answered, past the deadline now.
    pub overdue: u64,
    /// Answered after the deadline.
    pub answered_late: u64,
    pub median_working_days: Option<f64>,
    pub median_hours: Option<f64>,
}

/// The median: the middle value, or the mean of the two middle values; `None` for no values.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let mid = v.len() / 2;
    Some(if v.len() % 2 == 1 { v[mid] } else { (v[mid - 1] + v[mid]) / 2.0 })
}

/// Working days after the day of receipt up to and including the day of the answer, as
/// deadlines count them: answered on the day of receipt is 0, on the next working day 1.
pub fn working_days_after(received: NaiveDate, answered: NaiveDate, is_workday: impl Fn(NaiveDate) -> bool) -> u32 {
    let mut n = 0;
    let mut day = received;
    while day < answered {
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
        if is_workday(day) {
            n += 1;
        }
    }
    n
}

/// Figures per holding organization at `now`, ordered by organization id.
pub fn provider_stats(samples: &[Sample], now: i64) -> Vec<ProviderStats> {
    let mut per: BTreeMap<i64, Vec<&Sample>> = BTreeMap::new();
    for s in samples {
        per.entry(s.holder_org_id).or_default().push(s);
    }
    per.into_iter()
        .map(|(holder_org_id, items)| {
            let answered: Vec<&&Sample> = items.iter().filter(|s| s.answered_at.is_some()).collect();
            let days: Vec<f64> = answered.iter().filter_map(|s| s.answer_working_days).map(f64::from).collect();
            let hours: Vec<f64> = answered
                .iter()
                .filter_map(|s| s.answered_at.map(|a| (a - s.received_at).max(0) as f64 / 3_600_000_000.0))
                .collect();
            ProviderStats {
                holder_org_id,
                received: items.len() as u64,
                answered: answered.len() as u64,
                overdue: items.iter().filter(|s| s.answered_at.is_none() && now > s.due_at).count() as u64,
                answered_late: answered.iter().filter(|s| s.answered_at.is_some_and(|a| a > s.due_at)).count() as u64,
                median_working_days: median(&days),
                median_hours: median(&hours),
            }
        })
        .collect()
}
