//! An independent reading of the holiday CSV, for checking the calendar against.
#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The shipped CSV read with plain string splitting (not the csv crate): date -> is a workday entry.
pub fn naive_entries() -> HashMap<NaiveDate, bool> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/cn-holidays.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut map = HashMap::new();
    for line in text.lines().skip(1) {
        let mut parts = line.split(',');
        let date = NaiveDate::parse_from_str(parts.next().unwrap(), "%Y-%m-%d").unwrap();
        let workday = match parts.next().unwrap() {
            "holiday" => false,
            "workday" => true,
            other => panic!("unexpected kind {other}"),
        };
        map.insert(date, workday);
    }
    map
}

/// Working day by the platform rule: (Mon-Fri and not a holiday) or a make-up workday.
pub fn naive_is_workday(entries: &HashMap<NaiveDate, bool>, date: NaiveDate) -> bool {
    match entries.get(&date) {
        Some(w) => *w,
        None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
    }
}

/// The nth working day after `received`, by walking day by day.
pub fn naive_due(entries: &HashMap<NaiveDate, bool>, received: NaiveDate, n: u32) -> NaiveDate {
    let mut date = received;
    let mut left = n;
    while left > 0 {
        date = date.succ_opt().unwrap();
        if naive_is_workday(entries, date) {
            left -= 1;
        }
    }
    date
}

/// One rule of a profile by its key path.
pub fn rule(profile: &gongshu_rules::Profile, key: &str) -> gongshu_rules::profile::Rule {
    profile.rules().into_iter().find(|r| r.key == key).unwrap_or_else(|| panic!("{} has no rule {key}", profile.name))
}
