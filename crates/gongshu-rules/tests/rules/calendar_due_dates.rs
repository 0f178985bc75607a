//! Due-date tables across every holiday boundary of 2024-2026 (SUP-1: every deadline is
//! tracked on the working-day calendar, in China Standard Time).

use crate::common::d;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gongshu_rules::Calendar;
use gongshu_rules::calendar::cst_date;

fn check(table: &[(NaiveDate, u32, NaiveDate)]) {
    let cal = Calendar::official().unwrap();
    for &(received, n, expected) in table {
        let due = cal.due_date(received, n, None).unwrap();
        assert_eq!(due.date, expected, "received {received}, {n} working days");
        assert!(!due.provisional, "{received} + {n}");
    }
}

#[test]
fn received_2024_09_30_five_working_days_end_on_the_make_up_saturday_2024_10_12() {
    let cal = Calendar::official().unwrap();
    let due = cal.due_date(d(2024, 9, 30), 5, None).unwrap();
    assert_eq!(due.date, d(2024, 10, 12));
    assert!(!due.provisional);
    assert_eq!(due.closes_at().to_rfc3339(), "2024-10-12T23:59:59+08:00");
}

#[test]
fn deadlines_across_the_2024_holidays_skip_days_off_and_count_make_up_workdays() {
    check(&[
        (d(2023, 12, 29), 1, d(2024, 1, 2)), // 元旦 Monday off
        (d(2024, 2, 4), 1, d(2024, 2, 5)),   // receipt on the make-up Sunday does not count
        (d(2024, 2, 8), 1, d(2024, 2, 9)),   // 除夕 2024 is still a working day
        (d(2024, 2, 8), 2, d(2024, 2, 18)),  // 春节 02-10..17, make-up Sunday 02-18
        (d(2024, 2, 9), 2, d(2024, 2, 19)),
        (d(2024, 2, 12), 1, d(2024, 2, 18)), // receipt on a holiday
        (d(2024, 2, 12), 5, d(2024, 2, 22)),
        (d(2024, 4, 3), 1, d(2024, 4, 7)), // 清明 04-04..06, make-up Sunday 04-07
        (d(2024, 4, 3), 2, d(2024, 4, 8)),
        (d(2024, 4, 26), 1, d(2024, 4, 28)), // make-up Sunday before 劳动节
        (d(2024, 4, 26), 4, d(2024, 5, 6)),  // 劳动节 05-01..05
        (d(2024, 5, 6), 5, d(2024, 5, 11)),  // make-up Saturday 05-11
        (d(2024, 6, 7), 1, d(2024, 6, 11)),  // 端午 Monday 06-10
        (d(2024, 9, 13), 1, d(2024, 9, 14)), // make-up Saturday 09-14
        (d(2024, 9, 13), 2, d(2024, 9, 18)), // 中秋 09-15..17
        (d(2024, 9, 27), 1, d(2024, 9, 29)), // make-up Sunday 09-29
        (d(2024, 9, 27), 3, d(2024, 10, 8)), // 国庆 10-01..07
        (d(2024, 9, 30), 6, d(2024, 10, 14)),
        (d(2024, 10, 3), 1, d(2024, 10, 8)), // receipt during the National Day holiday
        (d(2024, 10, 12), 1, d(2024, 10, 14)), // receipt on the make-up Saturday
    ]);
}

#[test]
fn deadlines_across_the_2025_holidays_skip_days_off_and_count_make_up_workdays() {
    check(&[
        (d(2024, 12, 31), 1, d(2025, 1, 2)), // 元旦 Wednesday
        (d(2025, 1, 24), 1, d(2025, 1, 26)), // make-up Sunday 01-26
        (d(2025, 1, 24), 2, d(2025, 1, 27)),
        (d(2025, 1, 24), 3, d(2025, 2, 5)), // 春节 01-28..02-04
        (d(2025, 1, 24), 6, d(2025, 2, 8)), // make-up Saturday 02-08
        (d(2025, 1, 24), 7, d(2025, 2, 10)),
        (d(2025, 1, 30), 1, d(2025, 2, 5)),   // receipt during 春节
        (d(2025, 4, 3), 1, d(2025, 4, 7)),    // 清明 04-04..06
        (d(2025, 4, 25), 1, d(2025, 4, 27)),  // make-up Sunday 04-27
        (d(2025, 4, 25), 5, d(2025, 5, 6)),   // 劳动节 05-01..05
        (d(2025, 5, 30), 1, d(2025, 6, 3)),   // 端午 05-31..06-02
        (d(2025, 9, 26), 1, d(2025, 9, 28)),  // make-up Sunday 09-28
        (d(2025, 9, 26), 4, d(2025, 10, 9)),  // 国庆、中秋 10-01..08
        (d(2025, 9, 26), 6, d(2025, 10, 11)), // make-up Saturday 10-11
        (d(2025, 9, 26), 7, d(2025, 10, 13)),
    ]);
}

#[test]
fn deadlines_across_the_2026_holidays_skip_days_off_and_count_make_up_workdays() {
    check(&[
        (d(2025, 12, 31), 1, d(2026, 1, 4)), // 元旦 01-01..03, make-up Sunday 01-04
        (d(2025, 12, 31), 2, d(2026, 1, 5)),
        (d(2026, 2, 13), 1, d(2026, 2, 14)), // make-up Saturday 02-14
        (d(2026, 2, 13), 2, d(2026, 2, 24)), // 春节 02-15..23
        (d(2026, 2, 13), 6, d(2026, 2, 28)), // make-up Saturday 02-28
        (d(2026, 2, 13), 7, d(2026, 3, 2)),
        (d(2026, 2, 14), 1, d(2026, 2, 24)), // receipt on the make-up Saturday
        (d(2026, 4, 3), 1, d(2026, 4, 7)),   // 清明 04-04..06
        (d(2026, 4, 30), 1, d(2026, 5, 6)),  // 劳动节 05-01..05
        (d(2026, 4, 30), 4, d(2026, 5, 9)),  // make-up Saturday 05-09
        (d(2026, 4, 30), 5, d(2026, 5, 11)),
        (d(2026, 6, 18), 1, d(2026, 6, 22)),  // 端午 06-19..21
        (d(2026, 9, 18), 1, d(2026, 9, 20)),  // make-up Sunday 09-20
        (d(2026, 9, 24), 1, d(2026, 9, 28)),  // 中秋 09-25..27
        (d(2026, 9, 30), 1, d(2026, 10, 8)),  // 国庆 10-01..07
        (d(2026, 9, 30), 3, d(2026, 10, 10)), // make-up Saturday 10-10
        (d(2026, 9, 30), 4, d(2026, 10, 12)),
    ]);
}

#[test]
fn a_deadline_reaching_a_year_without_official_data_is_provisional() {
    let cal = Calendar::official().unwrap();
    let due = cal.due_date(d(2026, 12, 31), 1, None).unwrap();
    assert_eq!(due.date, d(2027, 1, 1));
    assert!(due.provisional);
    assert!(cal.due_date(d(2019, 12, 27), 1, None).unwrap().provisional);
    // The day of receipt is not counted, so its year does not make the result provisional.
    assert!(!cal.due_date(d(2019, 12, 31), 1, None).unwrap().provisional);
    assert!(!cal.due_date(d(2026, 12, 30), 1, None).unwrap().provisional);
}

fn utc(y: i32, m: u32, day: u32, h: u32, min: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, s).unwrap()
}

#[test]
fn a_receipt_at_17_30_utc_on_friday_is_saturday_in_china_standard_time() {
    let cal = Calendar::official().unwrap();
    let received = utc(2024, 9, 27, 17, 30, 0);
    assert_eq!(cst_date(received), d(2024, 9, 28));
    assert_eq!(cal.due_at(received, 1, None).unwrap().date, d(2024, 9, 29));
}

#[test]
fn late_friday_evening_cst_counts_from_friday_and_just_after_midnight_from_saturday() {
    let cal = Calendar::official().unwrap();
    // Friday 2024-10-11 23:59:59 CST: the make-up Saturday 10-12 is the first working day.
    assert_eq!(cal.due_at(utc(2024, 10, 11, 15, 59, 59), 1, None).unwrap().date, d(2024, 10, 12));
    // Saturday 2024-10-12 00:00:00 CST, still Friday in UTC: counting starts after Saturday.
    assert_eq!(cal.due_at(utc(2024, 10, 11, 16, 0, 0), 1, None).unwrap().date, d(2024, 10, 14));
    // An ordinary late Friday evening: 2025-03-07 22:00 CST, due Monday.
    assert_eq!(cal.due_at(utc(2025, 3, 7, 14, 0, 0), 1, None).unwrap().date, d(2025, 3, 10));
}

#[test]
fn a_deadline_closes_at_23_59_59_cst_and_is_overdue_from_midnight_cst() {
    let cal = Calendar::official().unwrap();
    let due = cal.due_date(d(2024, 9, 30), 5, None).unwrap();
    assert_eq!(due.closes_at_utc(), utc(2024, 10, 12, 15, 59, 59));
    assert!(!due.is_overdue_at(utc(2024, 10, 12, 15, 59, 59)));
    assert!(due.is_overdue_at(utc(2024, 10, 12, 16, 0, 0)));
}

#[test]
fn zero_working_days_end_on_the_day_of_receipt() {
    let cal = Calendar::official().unwrap();
    assert_eq!(cal.due_date(d(2024, 10, 1), 0, None).unwrap().date, d(2024, 10, 1));
}

#[test]
fn working_days_between_counts_after_the_first_day_up_to_the_second_and_goes_negative_backwards() {
    let cal = Calendar::official().unwrap();
    assert_eq!(cal.working_days_between(d(2024, 9, 30), d(2024, 10, 12), None).count, 5);
    assert_eq!(cal.working_days_between(d(2024, 10, 12), d(2024, 9, 30), None).count, -5);
    assert_eq!(cal.working_days_between(d(2024, 10, 1), d(2024, 10, 7), None).count, 0);
    assert!(cal.working_days_between(d(2026, 12, 1), d(2027, 1, 5), None).provisional);
}
