//! Timeliness (AGG-3, AGG-5, WH-13): when an entry's next load is due from its update
//! cycle. The cycle is a calendar period (每月 is a month of the calendar, not so many
//! working days), counted in China Standard Time from the last load.

use chrono::{DateTime, Duration, Months, Utc};
use gongshu_domain::catalog::UpdateCycle;

/// When the next load is due after one at `last`; `None` for an irregular cycle.
/// Real-time data is due again within a day (a real-time feed has loaded something
/// every day).
pub fn next_due(cycle: UpdateCycle, last: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let months = |n| last.checked_add_months(Months::new(n));
    match cycle {
        UpdateCycle::Realtime | UpdateCycle::Daily => Some(last + Duration::days(1)),
        UpdateCycle::Weekly => Some(last + Duration::days(7)),
        UpdateCycle::Monthly => months(1),
        UpdateCycle::Quarterly => months(3),
        UpdateCycle::HalfYearly => months(6),
        UpdateCycle::Yearly => months(12),
        UpdateCycle::Irregular => None,
    }
}

/// Whether data last loaded at `last` is overdue at `now`.
pub fn is_overdue(cycle: UpdateCycle, last: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    next_due(cycle, last).is_some_and(|due| now > due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn agg_5_next_due_follows_the_update_cycle() {
        let last = Utc.with_ymd_and_hms(2026, 1, 31, 2, 0, 0).single().unwrap_or_default();
        let at = |y, m, d| Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).single();
        assert_eq!(next_due(UpdateCycle::Daily, last), at(2026, 2, 1));
        assert_eq!(next_due(UpdateCycle::Weekly, last), at(2026, 2, 7));
        assert_eq!(next_due(UpdateCycle::Monthly, last), at(2026, 2, 28), "the end of a shorter month");
        assert_eq!(next_due(UpdateCycle::Quarterly, last), at(2026, 4, 30));
        assert_eq!(next_due(UpdateCycle::HalfYearly, last), at(2026, 7, 31));
        assert_eq!(next_due(UpdateCycle::Yearly, last), at(2027, 1, 31));
        assert_eq!(next_due(UpdateCycle::Irregular, last), None);
        let now = last + Duration::days(8);
        assert!(is_overdue(UpdateCycle::Weekly, last, now));
        assert!(!is_overdue(UpdateCycle::Monthly, last, now));
        assert!(!is_overdue(UpdateCycle::Irregular, last, now + Duration::days(3650)));
    }
}
