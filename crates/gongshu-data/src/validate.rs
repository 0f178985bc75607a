//! One value against its item (AGG-2): the typed value, or the rule it breaks.

use std::borrow::Cow;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

use crate::ids::{check_credit_code, citizen_id_problem};
use crate::schema::{ItemSpec, ItemType};

/// The rules a value can break. Each type is its own rule (`citizen_id` covers the
/// format, the birth date and the check character; the reject file says which).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    /// A required item has no value.
    Required,
    /// Longer than the item's length.
    Length,
    /// Not a value of the item's type.
    Type(ItemType),
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Required => "required",
            Rule::Length => "length",
            Rule::Type(t) => t.as_str(),
        }
    }
}

/// A valid value, ready for its column.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Text(Cow<'a, str>),
    Int(i64),
    Float(f64),
    /// Days since 1970-01-01.
    Date(i32),
    /// Microseconds since the epoch (UTC).
    Timestamp(i64),
    Bool(bool),
}

/// A broken rule, with what was wrong in detail (for the reject file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Broken {
    pub rule: Rule,
    pub detail: &'static str,
}

fn broken(rule: Rule, detail: &'static str) -> Broken {
    Broken { rule, detail }
}

const EPOCH_DAYS_FROM_CE: i32 = 719_163;
/// China Standard Time, UTC+8, has had no daylight saving since 1991.
const CST_OFFSET_MICROS: i64 = 8 * 3600 * 1_000_000;

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

/// `YYYY-MM-DD`, `YYYY/MM/DD` or `YYYYMMDD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let (y, m, d) = match b.len() {
        10 if (b[4] == b'-' && b[7] == b'-') || (b[4] == b'/' && b[7] == b'/') => {
            (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?)
        }
        8 => (digits(&b[0..4])?, digits(&b[4..6])?, digits(&b[6..8])?),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// A date and time: `YYYY-MM-DD HH:MM[:SS[.ffffff]]` (or `T`, or `/` in the date),
/// in China Standard Time unless it ends with `Z` or an offset (RFC 3339).
pub fn parse_datetime(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() >= 16 && (b[10] == b' ' || b[10] == b'T') {
        let date = parse_date(&s[..10])?;
        let rest = &s[11..];
        let (time_part, offset) = split_offset(rest)?;
        let t = parse_time(time_part)?;
        let local = NaiveDateTime::new(date, t).and_utc().timestamp_micros();
        return Some(local - offset);
    }
    None
}

/// Splits a trailing `Z` or `±HH:MM` off a time; the offset in microseconds (CST if none).
fn split_offset(s: &str) -> Option<(&str, i64)> {
    if let Some(t) = s.strip_suffix('Z') {
        return Some((t, 0));
    }
    let b = s.as_bytes();
    if b.len() > 6 && (b[b.len() - 6] == b'+' || b[b.len() - 6] == b'-') && b[b.len() - 3] == b':' {
        let sign = if b[b.len() - 6] == b'+' { 1 } else { -1 };
        let h = i64::from(digits(&b[b.len() - 5..b.len() - 3])?);
        let m = i64::from(digits(&b[b.len() - 2..])?);
        if h > 23 || m > 59 {
            return None;
        }
        return Some((&s[..s.len() - 6], sign * (h * 3600 + m * 60) * 1_000_000));
    }
    Some((s, CST_OFFSET_MICROS))
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    let b = s.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let h = digits(&b[0..2])?;
    let m = digits(&b[3..5])?;
    let (sec, micro) = match b.len() {
        5 => (0, 0),
        8.. if b[5] == b':' => {
            let sec = digits(&b[6..8])?;
            let micro = match &b[8..] {
                [] => 0,
                [b'.', frac @ ..] if !frac.is_empty() && frac.len() <= 9 => {
                    let n = digits(frac)?;
                    let scale = 10u32.pow(6u32.saturating_sub(frac.len() as u32));
                    if frac.len() <= 6 { n * scale } else { n / 10u32.pow(frac.len() as u32 - 6) }
                }
                _ => return None,
            };
            (sec, micro)
        }
        _ => return None,
    };
    NaiveTime::from_hms_micro_opt(h, m, sec, micro)
}

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "是" | "真" => Some(true),
        "0" | "否" | "假" => Some(false),
        _ if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("yes") || s.eq_ignore_ascii_case("y") => {
            Some(true)
        }
        _ if s.eq_ignore_ascii_case("false") || s.eq_ignore_ascii_case("no") || s.eq_ignore_ascii_case("n") => {
            Some(false)
        }
        _ => None,
    }
}

/// A mainland mobile number (1[3-9] and 9 digits), a fixed line (0, a 2–3 digit area
/// code, 7–8 digits, an optional extension), or a 400/800 service number; an optional
/// +86 / 86 prefix; spaces and dashes between groups are allowed.
pub fn is_phone(s: &str) -> bool {
    let s = s.strip_prefix("+86").or_else(|| s.strip_prefix("0086")).unwrap_or(s);
    let s = s.trim_start_matches([' ', '-']);
    let mut digits_only = [0u8; 20];
    let mut n = 0;
    let mut ext_at = None;
    for (i, c) in s.bytes().enumerate() {
        match c {
            b'0'..=b'9' => {
                if n == digits_only.len() {
                    return false;
                }
                digits_only[n] = c;
                n += 1;
            }
            b' ' | b'-' => {}
            b'#' | b'x' | b'X' if ext_at.is_none() && i > 0 => ext_at = Some(n),
            b'(' | b')' => {}
            _ => return false,
        }
    }
    let main = &digits_only[..ext_at.unwrap_or(n)];
    let fixed = |d: &[u8]| matches!(d, [b'0', rest @ ..] if (9..=11).contains(&rest.len()));
    match main {
        [b'1', b'3'..=b'9', rest @ ..] => rest.len() == 9 && ext_at.is_none(),
        [b'4' | b'8', b'0', b'0', rest @ ..] => rest.len() == 7,
        d if fixed(d) => true,
        // A fixed line with its extension after a last dash: 010-12345678-123.
        d if ext_at.is_none() => {
            let groups: Vec<&str> = s.split(['-', ' ']).filter(|g| !g.is_empty()).collect();
            groups.len() >= 3
                && groups.last().is_some_and(|g| (1..=6).contains(&g.len()))
                && groups.last().is_some_and(|g| d.len() > g.len() && fixed(&d[..d.len() - g.len()]))
        }
        _ => false,
    }
}

/// Six digits whose first two are a province of GB/T 2260.
pub fn is_region_code(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 6 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let p = (b[0] - b'0') * 10 + (b[1] - b'0');
    matches!(p, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

/// Checks one value (already trimmed; empty means absent) against its item.
pub fn check_value<'a>(item: &ItemSpec, raw: &'a str, today: NaiveDate) -> Result<Value<'a>, Broken> {
    if raw.is_empty() {
        return if item.required { Err(broken(Rule::Required, "missing")) } else { Ok(Value::Null) };
    }
    let t = item.item_type;
    let wrong = |detail| Err(broken(Rule::Type(t), detail));
    match t {
        ItemType::Text => {
            if let Some(max) = item.max_len
                && raw.len() > max as usize
                && raw.chars().count() > max as usize
            {
                return Err(broken(Rule::Length, "too_long"));
            }
            Ok(Value::Text(Cow::Borrowed(raw)))
        }
        ItemType::Integer => raw.parse::<i64>().map(Value::Int).or_else(|_| wrong("not_an_integer")),
        ItemType::Decimal => match raw.parse::<f64>() {
            Ok(v) if v.is_finite() && raw.bytes().any(|c| c.is_ascii_digit()) => Ok(Value::Float(v)),
            _ => wrong("not_a_number"),
        },
        ItemType::Date => match parse_date(raw) {
            Some(d) => Ok(Value::Date(d.num_days_from_ce() - EPOCH_DAYS_FROM_CE)),
            None => wrong("not_a_date"),
        },
        ItemType::Datetime => parse_datetime(raw).map(Value::Timestamp).map_or_else(|| wrong("not_a_datetime"), Ok),
        ItemType::Boolean => parse_bool(raw).map(Value::Bool).map_or_else(|| wrong("not_a_boolean"), Ok),
        ItemType::CitizenId => match citizen_id_problem(raw, today) {
            Ok(false) => Ok(Value::Text(Cow::Borrowed(raw))),
            Ok(true) => Ok(Value::Text(Cow::Owned(format!("{}X", &raw[..17])))),
            Err(p) => wrong(p.as_str()),
        },
        ItemType::Uscc => match check_credit_code(raw) {
            Ok(()) => Ok(Value::Text(Cow::Borrowed(raw))),
            Err(p) => wrong(p.as_str()),
        },
        ItemType::Phone => {
            if is_phone(raw) {
                Ok(Value::Text(Cow::Borrowed(raw)))
            } else {
                wrong("not_a_phone_number")
            }
        }
        ItemType::RegionCode => {
            if is_region_code(raw) {
                Ok(Value::Text(Cow::Borrowed(raw)))
            } else {
                wrong("not_a_region_code")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(t: ItemType, required: bool) -> ItemSpec {
        ItemSpec { name: "x".into(), item_type: t, required, max_len: None, key: false }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
    }

    fn ok(t: ItemType, v: &str) -> bool {
        check_value(&spec(t, false), v, today()).is_ok()
    }

    #[test]
    fn agg_2_every_type_accepts_and_refuses() {
        use ItemType::*;
        let cases: &[(ItemType, &[&str], &[&str])] = &[
            (Integer, &["0", "-12", "+7", "9223372036854775807"], &["1.5", "1e3", "12a", "9223372036854775808"]),
            (Decimal, &["1.5", "-0.25", "3", "1e3"], &["abc", "NaN", "inf", "1,5"]),
            (Date, &["2024-02-29", "2024/03/01", "20240301"], &["2023-02-29", "2024-13-01", "24-01-01", "2024-1-1"]),
            (
                Datetime,
                &[
                    "2024-03-01 08:30:00",
                    "2024-03-01T08:30",
                    "2024/03/01 08:30:00.123",
                    "2024-03-01T00:30:00Z",
                    "2024-03-01T08:30:00+08:00",
                ],
                &["2024-03-01", "2024-03-01 25:00:00", "2024-03-01 08:30:61", "yesterday"],
            ),
            (Boolean, &["true", "FALSE", "1", "0", "是", "否", "Y"], &["2", "maybe", "对"]),
            (CitizenId, &["11010519491231002X", "11010519491231002x"], &["110105194912310021", "abc"]),
            (Uscc, &["11371000754859022G"], &["11371000754859022H", "ABC"]),
            (
                Phone,
                &["13812345678", "+86 138 1234 5678", "0631-5287001", "010-12345678-123", "400-123-4567"],
                &["12812345678", "1381234567", "5287001", "phone"],
            ),
            (RegionCode, &["371002", "110105", "810000"], &["001002", "37100", "3710021", "991002"]),
            (Text, &["anything at all"], &[]),
        ];
        for (t, good, bad) in cases {
            for v in *good {
                assert!(ok(*t, v), "{t}: {v} should pass");
            }
            for v in *bad {
                assert!(!ok(*t, v), "{t}: {v} should fail");
            }
        }
    }

    #[test]
    fn agg_2_required_length_and_normalized_values() {
        let req = spec(ItemType::Text, true);
        assert_eq!(check_value(&req, "", today()).err().map(|b| b.rule), Some(Rule::Required));
        assert_eq!(check_value(&spec(ItemType::Integer, false), "", today()), Ok(Value::Null));
        let short = ItemSpec { max_len: Some(2), ..spec(ItemType::Text, false) };
        assert!(check_value(&short, "威海", today()).is_ok(), "length counts characters, not bytes");
        assert_eq!(check_value(&short, "威海市", today()).err().map(|b| b.rule), Some(Rule::Length));
        let id = check_value(&spec(ItemType::CitizenId, false), "11010519491231002x", today());
        assert_eq!(id, Ok(Value::Text(Cow::Owned("11010519491231002X".into()))));
        // 08:30 CST is 00:30 UTC.
        let ts = parse_datetime("2024-03-01 08:30:00");
        assert_eq!(ts, parse_datetime("2024-03-01T00:30:00Z"));
        assert_eq!(check_value(&spec(ItemType::Date, false), "1970-01-02", today()), Ok(Value::Date(1)));
    }
}
