//! Time in China Standard Time (UTC+8), whatever the server's own time zone.

use chrono::{DateTime, FixedOffset, Utc};

/// China Standard Time, UTC+8, with no daylight saving.
pub fn cst() -> FixedOffset {
    const EIGHT_HOURS: i32 = 8 * 3600;
    match FixedOffset::east_opt(EIGHT_HOURS) {
        Some(offset) => offset,
        None => unreachable!("UTC+8 is within chrono's offset range"),
    }
}

/// Microseconds since the Unix epoch, as stored in the database.
pub fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

/// A stored timestamp shown in China Standard Time, e.g. `2024-10-08 09:30:00`.
pub fn format_cst(micros: i64) -> String {
    match DateTime::<Utc>::from_timestamp_micros(micros) {
        Some(t) => t.with_timezone(&cst()).format("%Y-%m-%d %H:%M:%S").to_string(),
        None => String::from("-"),
    }
}

/// A stored timestamp as RFC 3339 with the +08:00 offset, for APIs.
pub fn rfc3339_cst(micros: i64) -> String {
    match DateTime::<Utc>::from_timestamp_micros(micros) {
        Some(t) => t.with_timezone(&cst()).to_rfc3339(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn midnight_utc_is_eight_in_the_morning_in_china() {
        let micros =
            Utc.with_ymd_and_hms(2024, 10, 1, 0, 0, 0).single().map(|t| t.timestamp_micros()).unwrap_or_default();
        assert_eq!(format_cst(micros), "2024-10-01 08:00:00");
        assert_eq!(rfc3339_cst(micros), "2024-10-01T08:00:00+08:00");
    }
}
