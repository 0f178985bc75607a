//! Month periods, fixed annual dates and quarterly deadlines.

use crate::common::d;
use gongshu_rules::calendar::{Calendar, MonthDay, add_months, end_of_month, next_fixed_date, next_quarterly_deadline};

#[test]
fn adding_months_clamps_to_the_end_of_a_shorter_month() {
    assert_eq!(add_months(d(2024, 11, 30), 3), Some(d(2025, 2, 28)));
    assert_eq!(add_months(d(2023, 11, 30), 3), Some(d(2024, 2, 29)));
    assert_eq!(add_months(d(2024, 1, 31), 1), Some(d(2024, 2, 29)));
    assert_eq!(add_months(d(2024, 5, 15), 3), Some(d(2024, 8, 15)));
}

#[test]
fn the_end_of_february_follows_the_leap_year_rules() {
    assert_eq!(end_of_month(2024, 2), Some(d(2024, 2, 29)));
    assert_eq!(end_of_month(2025, 2), Some(d(2025, 2, 28)));
    assert_eq!(end_of_month(2000, 2), Some(d(2000, 2, 29)));
    assert_eq!(end_of_month(2100, 2), Some(d(2100, 2, 28)));
    assert_eq!(end_of_month(2024, 13), None);
    let end_of_feb: MonthDay = "02-end".parse().unwrap();
    assert_eq!(end_of_feb.in_year(2028), Some(d(2028, 2, 29)));
    assert_eq!(end_of_feb.to_string(), "02-end");
    let feb_29: MonthDay = "02-29".parse().unwrap();
    assert_eq!(feb_29.in_year(2027), Some(d(2027, 2, 28)));
    assert!("02-30".parse::<MonthDay>().is_err());
    assert!("13-end".parse::<MonthDay>().is_err());
}

#[test]
fn ls_11_the_next_quarterly_deadline_is_the_first_of_mar_30_jun_30_sep_30_dec_30_on_or_after_a_date() {
    assert_eq!(next_quarterly_deadline(d(2024, 1, 1)), Some(d(2024, 3, 30)));
    assert_eq!(next_quarterly_deadline(d(2024, 3, 30)), Some(d(2024, 3, 30)));
    assert_eq!(next_quarterly_deadline(d(2024, 3, 31)), Some(d(2024, 6, 30)));
    assert_eq!(next_quarterly_deadline(d(2024, 7, 1)), Some(d(2024, 9, 30)));
    assert_eq!(next_quarterly_deadline(d(2024, 12, 30)), Some(d(2024, 12, 30)));
    assert_eq!(next_quarterly_deadline(d(2024, 12, 31)), Some(d(2025, 3, 30)));
    assert_eq!(next_fixed_date(d(2024, 5, 1), &[]), None);
}

#[test]
fn a_month_period_ending_on_a_day_off_runs_to_the_next_working_day() {
    let cal = Calendar::official().unwrap();
    // 2024-07-01 + 3 months = 2024-10-01, National Day: the period ends on 10-08.
    assert_eq!(cal.month_deadline(d(2024, 7, 1), 3, None).unwrap().date, d(2024, 10, 8));
    // 2024-06-30 + 3 months = 2024-09-30, a Monday.
    assert_eq!(cal.month_deadline(d(2024, 6, 30), 3, None).unwrap().date, d(2024, 9, 30));
    // 2026-11-28 + 3 months = 2027-02-28, a Sunday in a year without data: provisional.
    let due = cal.month_deadline(d(2026, 11, 28), 3, None).unwrap();
    assert_eq!(due.date, d(2027, 3, 1));
    assert!(due.provisional);
}
