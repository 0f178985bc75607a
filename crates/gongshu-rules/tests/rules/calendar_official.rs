//! The embedded official calendar against an independent reading of the CSV.

use crate::common::{d, naive_due, naive_entries, naive_is_workday};
use chrono::{Datelike, NaiveDate};
use gongshu_rules::Calendar;
use gongshu_rules::calendar::{DayKind, OFFICIAL_CSV};

#[test]
fn the_official_calendar_loads_and_knows_the_years_2020_to_2026() {
    let cal = Calendar::official().unwrap();
    assert_eq!(cal.years(), (2020..=2026).collect::<Vec<_>>());
    assert!(cal.has_year(2024));
    assert!(!cal.has_year(2019));
    assert!(!cal.has_year(2027));
    assert_eq!(cal.entries().count(), 254);
    assert_eq!(cal.entries().filter(|e| e.kind == DayKind::Workday).count(), 46);
}

#[test]
fn the_embedded_csv_is_the_shared_standard_file() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/cn-holidays.csv");
    assert_eq!(std::fs::read_to_string(path).unwrap(), OFFICIAL_CSV);
}

#[test]
fn is_workday_agrees_with_an_independent_reading_of_the_csv_on_every_day_2020_to_2026() {
    let cal = Calendar::official().unwrap();
    let entries = naive_entries();
    let mut date = d(2020, 1, 1);
    let mut days = 0;
    while date <= d(2026, 12, 31) {
        assert_eq!(cal.is_workday(date, None), naive_is_workday(&entries, date), "{date}");
        date = date.succ_opt().unwrap();
        days += 1;
    }
    assert_eq!(days, 2557);
}

#[test]
fn each_year_has_the_net_working_days_of_the_reference_table() {
    let cal = Calendar::official().unwrap();
    for (year, expected) in [(2020, 249), (2021, 250), (2022, 249), (2023, 249), (2024, 251), (2025, 248), (2026, 248)]
    {
        let count = cal.working_days_between(d(year - 1, 12, 31), d(year, 12, 31), None);
        assert_eq!(count.count, expected, "{year}");
        assert!(!count.provisional);
    }
}

#[test]
fn due_date_agrees_with_walking_day_by_day_for_every_receipt_day_and_up_to_40_working_days() {
    let cal = Calendar::official().unwrap();
    let entries = naive_entries();
    let mut received = d(2019, 7, 1);
    while received <= d(2027, 6, 30) {
        for n in 0..=40 {
            let due = cal.due_date(received, n, None).unwrap();
            assert_eq!(due.date, naive_due(&entries, received, n), "{received} + {n}");
            let first = if n == 0 { received } else { received.succ_opt().unwrap() };
            let provisional = (first.year()..=due.date.year()).any(|y| !(2020..=2026).contains(&y));
            assert_eq!(due.provisional, provisional, "{received} + {n}");
            let between = cal.working_days_between(received, due.date, None);
            assert_eq!(between.count, i64::from(n));
        }
        received = received.succ_opt().unwrap();
    }
}

#[test]
fn far_receipts_and_long_deadlines_count_weekends_only_and_are_provisional() {
    let cal = Calendar::official().unwrap();
    let entries = naive_entries();
    for (received, n) in [(d(2001, 3, 7), 30), (d(2019, 12, 20), 600), (d(2035, 1, 1), 12), (d(2090, 6, 6), 9)] {
        let due = cal.due_date(received, n, None).unwrap();
        assert_eq!(due.date, naive_due(&entries, received, n), "{received} + {n}");
        assert!(due.provisional);
    }
    // Crossing the whole indexed span, 2020-2036, from 2018.
    let due = cal.due_date(d(2018, 1, 1), 6000, None).unwrap();
    assert_eq!(due.date, naive_due(&entries, d(2018, 1, 1), 6000));
}

#[test]
fn a_deadline_beyond_the_representable_dates_is_an_error_not_a_panic() {
    let cal = Calendar::official().unwrap();
    let err = cal.due_date(NaiveDate::MAX, 1, None).unwrap_err();
    assert_eq!(err.code(), "date_out_of_range");
    let err = cal.due_date(d(2024, 1, 1), u32::MAX, None).unwrap_err();
    assert_eq!(err.code(), "date_out_of_range");
}
