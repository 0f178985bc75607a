//! Checking holiday CSV files line by line, importing new years, and local overrides.

use std::collections::HashMap;

use crate::common::d;
use chrono::{Datelike, NaiveDate, Weekday};
use gongshu_rules::calendar::{Calendar, CalendarError, DayKind, LineReason};

const BAD_2027: &str = "date,kind,name
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-02-30,holiday,春节
2027-02-06,vacation,春节
2027-02-03,workday,春节
2027-01-02,workday,元旦
2027-01-01,holiday,元旦
2028-01-01,holiday,元旦
2027-05-01,holiday
";

const GOOD_2027: &str = "date,kind,name
# a comment line is skipped
2027-01-01,holiday,元旦
2027-02-06,holiday,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-20,workday,春节
";

#[test]
fn every_bad_line_of_an_import_is_reported_with_its_line_number_and_reason() {
    let mut cal = Calendar::official().unwrap();
    let err = cal.import_year(BAD_2027, false).unwrap_err();
    assert_eq!(err.code(), "invalid_holiday_csv");
    let found: Vec<(u64, &str)> = err.problems().iter().map(|p| (p.line, p.reason.code())).collect();
    assert_eq!(
        found,
        [
            (4, "bad_date"),
            (5, "unknown_kind"),
            (6, "makeup_not_on_weekend"),
            (7, "holiday_also_makeup"),
            (8, "duplicate_date"),
            (9, "outside_import_year"),
            (10, "wrong_field_count"),
        ]
    );
    assert_eq!(err.problems()[3].reason, LineReason::HolidayAlsoMakeup { date: d(2027, 1, 2), other_line: 3 });
    assert_eq!(err.problems()[4].reason, LineReason::DuplicateDate { date: d(2027, 1, 1), other_line: 2 });
    assert!(err.message_en().contains("line 6: 2027-02-03 is a make-up workday"));
    assert!(err.message_zh().contains("第 6 行：2027-02-03 标为调休上班日"));
    assert!(!cal.has_year(2027), "a refused import changes nothing");
}

#[test]
fn a_file_without_the_date_kind_name_header_is_refused_at_line_1() {
    let err = Calendar::from_csv("day,type\n2027-01-01,holiday\n").unwrap_err();
    assert_eq!(err.problems()[0].line, 1);
    assert_eq!(err.problems()[0].reason.code(), "bad_header");
    let err = Calendar::from_csv("").unwrap_err();
    assert_eq!(err.problems()[0].reason.code(), "bad_header");
}

#[test]
fn a_multi_year_file_may_span_years_but_an_import_covers_exactly_one() {
    let text = "date,kind,name\n2027-01-01,holiday,元旦\n2028-01-01,holiday,元旦\n";
    let cal = Calendar::from_csv(text).unwrap();
    assert_eq!(cal.years(), [2027, 2028]);
    let mut cal = Calendar::official().unwrap();
    let err = cal.import_year(text, false).unwrap_err();
    assert_eq!(err.problems()[0].reason, LineReason::OutsideImportYear { date: d(2028, 1, 1), year: 2027 });
    assert_eq!(cal.import_year("date,kind,name\n", false).unwrap_err(), CalendarError::EmptyImport);
}

#[test]
fn importing_a_new_year_makes_its_deadlines_exact_instead_of_provisional() {
    let mut cal = Calendar::official().unwrap();
    let before = cal.due_date(d(2027, 2, 5), 1, None).unwrap();
    assert_eq!(before, gongshu_rules::Due { date: d(2027, 2, 8), provisional: true });
    assert_eq!(cal.import_year(GOOD_2027, false).unwrap(), 2027);
    assert!(cal.has_year(2027));
    let after = cal.due_date(d(2027, 2, 5), 1, None).unwrap();
    assert_eq!(after, gongshu_rules::Due { date: d(2027, 2, 9), provisional: false });
    assert!(cal.is_workday(d(2027, 2, 20), None), "the make-up Saturday works");
}

#[test]
fn a_year_already_present_is_refused_unless_replaced_explicitly() {
    let mut cal = Calendar::official().unwrap();
    cal.import_year(GOOD_2027, false).unwrap();
    let err = cal.import_year(GOOD_2027, false).unwrap_err();
    assert_eq!(err, CalendarError::YearAlreadyPresent { year: 2027 });
    assert_eq!(err.code(), "holiday_year_present");
    let fewer = "date,kind,name\n2027-01-01,holiday,元旦\n";
    assert_eq!(cal.import_year(fewer, true).unwrap(), 2027);
    assert!(cal.is_workday(d(2027, 2, 8), None), "the replaced year's old entries are gone");
    assert!(!cal.is_workday(d(2027, 1, 1), None));
    assert!(cal.import_year("date,kind,name\n2024-10-01,holiday,国庆节\n", false).is_err());
    cal.import_year("date,kind,name\n2024-10-01,holiday,国庆节\n", true).unwrap();
    assert!(cal.is_workday(d(2024, 10, 2), None), "2024 was replaced by the one-line file");
    assert!(cal.has_year(2024));
}

#[test]
fn a_city_override_applies_to_its_districts_but_not_to_the_nation_or_other_cities() {
    let mut cal = Calendar::official().unwrap();
    // Wuhan, February 2020: resumption of work postponed (a provincial order, not national).
    cal.add_local_override("420100", d(2020, 2, 3), DayKind::Holiday).unwrap();
    assert!(!cal.is_workday(d(2020, 2, 3), Some("420100")));
    assert!(!cal.is_workday(d(2020, 2, 3), Some("420102")), "a district inherits its city");
    assert!(cal.is_workday(d(2020, 2, 3), None));
    assert!(cal.is_workday(d(2020, 2, 3), Some("371000")));
    assert_eq!(cal.due_date(d(2020, 1, 31), 1, Some("420102")).unwrap().date, d(2020, 2, 4));
    assert_eq!(cal.due_date(d(2020, 1, 31), 1, None).unwrap().date, d(2020, 2, 3));
}

#[test]
fn a_county_override_wins_over_its_province_and_can_be_removed() {
    let mut cal = Calendar::official().unwrap();
    cal.add_local_override("330000", d(2025, 3, 3), DayKind::Holiday).unwrap();
    cal.add_local_override("331127", d(2025, 3, 3), DayKind::Workday).unwrap();
    assert!(!cal.is_workday(d(2025, 3, 3), Some("331100")));
    assert!(cal.is_workday(d(2025, 3, 3), Some("331127")));
    assert_eq!(cal.local_overrides("331127"), [(d(2025, 3, 3), DayKind::Workday)]);
    assert!(cal.remove_local_override("331127", d(2025, 3, 3)).unwrap());
    assert!(!cal.is_workday(d(2025, 3, 3), Some("331127")));
    assert!(!cal.remove_local_override("331127", d(2025, 3, 3)).unwrap());
}

#[test]
fn an_override_needs_a_six_digit_region_code_and_a_supported_year() {
    let mut cal = Calendar::official().unwrap();
    let err = cal.add_local_override("4201", d(2024, 1, 2), DayKind::Holiday).unwrap_err();
    assert_eq!(err.code(), "invalid_region_code");
    let err = cal.add_local_override("420100", d(1999, 1, 4), DayKind::Holiday).unwrap_err();
    assert_eq!(err.code(), "override_out_of_range");
}

#[test]
fn regional_due_dates_agree_with_walking_day_by_day_over_the_merged_overrides() {
    let mut cal = Calendar::official().unwrap();
    let overrides = [
        ("420000", d(2024, 3, 4), DayKind::Holiday),
        ("420100", d(2024, 3, 5), DayKind::Holiday),
        ("420102", d(2024, 3, 9), DayKind::Workday),
        ("420102", d(2024, 10, 8), DayKind::Holiday),
        ("420100", d(2031, 6, 2), DayKind::Holiday),
    ];
    for (code, date, kind) in overrides {
        cal.add_local_override(code, date, kind).unwrap();
    }
    let mut merged: HashMap<NaiveDate, bool> = crate::common::naive_entries();
    for (_, date, kind) in overrides {
        merged.insert(date, kind == DayKind::Workday);
    }
    let mut received = d(2024, 1, 1);
    while received <= d(2032, 1, 1) {
        for n in [1, 2, 5, 10, 15] {
            let due = cal.due_date(received, n, Some("420102")).unwrap();
            assert_eq!(due.date, crate::common::naive_due(&merged, received, n), "{received} + {n}");
        }
        received = received.succ_opt().unwrap();
    }
    assert_eq!(d(2024, 3, 9).weekday(), Weekday::Sat);
}
