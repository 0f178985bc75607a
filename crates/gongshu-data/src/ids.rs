//! Key identifiers (AGG-2, WH-10, BZ-14): citizen ID numbers (GB 11643-1999) and
//! unified social credit codes (GB 32100-2015), checked without any list of current
//! region codes (an ID keeps the code of the county that issued it, abolished or not).

use chrono::NaiveDate;

/// Weights of positions 1..17 of a citizen ID number (2^(18-i) mod 11).
const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character by the weighted sum mod 11 (ISO 7064 MOD 11-2).
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// Why a citizen ID number is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitizenIdProblem {
    /// Not 17 digits and a check character.
    Format,
    /// Characters 7–14 are not a real date.
    BirthDate,
    /// The birth date is after the day of the check.
    FutureBirthDate,
    /// The check character does not match.
    CheckChar,
}

impl CitizenIdProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            CitizenIdProblem::Format => "format",
            CitizenIdProblem::BirthDate => "birth_date",
            CitizenIdProblem::FutureBirthDate => "future_birth_date",
            CitizenIdProblem::CheckChar => "check_char",
        }
    }
}

/// The check character of the first 17 digits.
pub fn citizen_id_check_char(body: &[u8; 17]) -> u8 {
    let sum: u32 = body.iter().zip(ID_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    ID_CHECK[(sum % 11) as usize]
}

/// Checks an 18-character citizen ID number as of `today`; a lower-case `x` is
/// accepted. Returns the normalized number (upper-case `X`).
pub fn check_citizen_id(value: &str, today: NaiveDate) -> Result<String, CitizenIdProblem> {
    match citizen_id_problem(value, today)? {
        true => Ok(format!("{}X", &value[..17])),
        false => Ok(value.to_string()),
    }
}

/// The check of [`check_citizen_id`] without a copy: `Ok(true)` when the number ends
/// in a lower-case `x` (to be written upper-case).
pub fn citizen_id_problem(value: &str, today: NaiveDate) -> Result<bool, CitizenIdProblem> {
    let b = value.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return Err(CitizenIdProblem::Format);
    }
    let last = b[17].to_ascii_uppercase();
    if !(last.is_ascii_digit() || last == b'X') {
        return Err(CitizenIdProblem::Format);
    }
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let Some(birth) = NaiveDate::from_ymd_opt(num(6..10) as i32, num(10..12), num(12..14)) else {
        return Err(CitizenIdProblem::BirthDate);
    };
    if birth > today {
        return Err(CitizenIdProblem::FutureBirthDate);
    }
    let mut body = [0u8; 17];
    body.copy_from_slice(&b[..17]);
    if citizen_id_check_char(&body) != last {
        return Err(CitizenIdProblem::CheckChar);
    }
    Ok(b[17] == b'x')
}

const USCC_CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Why a credit code is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditCodeProblem {
    /// Not 18 characters of the GB 32100 charset (chars 3–8 digits).
    Format,
    /// The check character does not match.
    CheckChar,
}

impl CreditCodeProblem {
    pub fn as_str(self) -> &'static str {
        match self {
            CreditCodeProblem::Format => "format",
            CreditCodeProblem::CheckChar => "check_char",
        }
    }
}

/// Checks a unified social credit code (upper case, as GB 32100 writes it).
pub fn check_credit_code(value: &str) -> Result<(), CreditCodeProblem> {
    let b = value.as_bytes();
    if b.len() != 18 || !b[2..8].iter().all(u8::is_ascii_digit) {
        return Err(CreditCodeProblem::Format);
    }
    match gongshu_domain::uscc::check_char(&b[..17]) {
        None => Err(CreditCodeProblem::Format),
        Some(c) if c as u8 == b[17] => Ok(()),
        Some(_) if !USCC_CHARSET.contains(&b[17]) => Err(CreditCodeProblem::Format),
        Some(_) => Err(CreditCodeProblem::CheckChar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap_or_default()
    }

    /// A valid number for a body of 17 digits.
    fn with_check(body: &str) -> String {
        let mut b = [0u8; 17];
        b.copy_from_slice(body.as_bytes());
        format!("{body}{}", citizen_id_check_char(&b) as char)
    }

    #[test]
    fn agg_2_citizen_ids_check_char_birth_date_and_lower_case_x() {
        // GB 11643's own example.
        assert_eq!(check_citizen_id("11010519491231002X", today()), Ok("11010519491231002X".into()));
        assert_eq!(check_citizen_id("11010519491231002x", today()), Ok("11010519491231002X".into()));
        assert_eq!(check_citizen_id("110105194912310021", today()), Err(CitizenIdProblem::CheckChar));
        assert_eq!(check_citizen_id("1101051949123100", today()), Err(CitizenIdProblem::Format));
        assert_eq!(check_citizen_id("11010519491231002Y", today()), Err(CitizenIdProblem::Format));
        assert_eq!(check_citizen_id("11010519491231002X ", today()), Err(CitizenIdProblem::Format));
        assert_eq!(check_citizen_id(&with_check("37100219990230123"), today()), Err(CitizenIdProblem::BirthDate));
        assert_eq!(check_citizen_id(&with_check("37100220271201123"), today()), Err(CitizenIdProblem::FutureBirthDate));
        assert!(check_citizen_id(&with_check("37100220261201123"), today()).is_ok(), "born today");
        // Abolished or special region codes still check (no whitelist).
        assert!(check_citizen_id(&with_check("81000019800101123"), today()).is_ok());
        // Every wrong check character is caught.
        let good = with_check("37100219800101123");
        for c in "0123456789X".chars().filter(|c| !good.ends_with(*c)) {
            let bad = format!("{}{c}", &good[..17]);
            assert_eq!(check_citizen_id(&bad, today()), Err(CitizenIdProblem::CheckChar), "{bad}");
        }
    }

    #[test]
    fn agg_2_credit_codes() {
        assert_eq!(check_credit_code("91350100M000100Y43"), Ok(()));
        assert_eq!(check_credit_code("11371000754859022G"), Ok(()));
        assert_eq!(check_credit_code("11371000754859022H"), Err(CreditCodeProblem::CheckChar));
        assert_eq!(check_credit_code("11371000754859022I"), Err(CreditCodeProblem::Format), "I is not in the charset");
        assert_eq!(check_credit_code("1137100075485902"), Err(CreditCodeProblem::Format));
        assert_eq!(check_credit_code("113710A0754859022G"), Err(CreditCodeProblem::Format), "chars 3-8 are digits");
        assert_eq!(check_credit_code("11371000754859022g"), Err(CreditCodeProblem::Format), "upper case only");
    }
}
