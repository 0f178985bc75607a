//! Unified social credit codes (统一社会信用代码), GB 32100-2015.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// The 31 symbols of GB 32100, in value order: digits and capitals without I, O, Z, S, V.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1..17 (3^(i-1) mod 31).
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A validated unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

fn value_of(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

/// The check character for the first 17 characters of a code, or `None` if one of them
/// is outside the charset.
pub fn check_char(body: &[u8]) -> Option<char> {
    if body.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let idx = (31 - sum % 31) % 31;
    Some(CHARSET[idx as usize] as char)
}

impl CreditCode {
    /// Parses and validates a code; surrounding whitespace is ignored and lower-case
    /// letters are accepted and normalized to upper case.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let code = input.trim().to_ascii_uppercase();
        let invalid = |reason| DomainError::InvalidCreditCode { value: input.trim().to_string(), reason };
        let bytes = code.as_bytes();
        if bytes.len() != 18 || code.chars().count() != 18 {
            return Err(invalid("must be 18 characters"));
        }
        if bytes.iter().any(|b| value_of(*b).is_none()) {
            return Err(invalid("contains a character outside the GB 32100 charset"));
        }
        // Chars 3–8 are the registering authority's region code: digits only.
        if !bytes[2..8].iter().all(u8::is_ascii_digit) {
            return Err(invalid("contains a character outside the GB 32100 charset"));
        }
        match check_char(&bytes[..17]) {
            Some(c) if c as u8 == bytes[17] => Ok(CreditCode(code)),
            _ => Err(invalid("check character does not match")),
        }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The region code (chars 3–8) of the registering authority.
    pub fn region_part(&self) -> &str {
        &self.0[2..8]
    }
}

impl TryFrom<String> for CreditCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ORG-1: real published codes are accepted.
    #[test]
    fn org_1_accepts_real_published_codes() {
        for code in ["91110000600037341L", "11100000000013127D"] {
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn lower_case_is_normalized() {
        let code = CreditCode::parse(" 91110000600037341l ").map(|c| c.to_string());
        assert_eq!(code, Ok("91110000600037341L".to_string()));
    }

    /// ORG-1: every single-character change of the check character is caught.
    #[test]
    fn org_1_rejects_a_wrong_check_character() {
        let good = "91110000600037341L";
        for c in CHARSET.iter().filter(|c| **c != b'L') {
            let bad = format!("{}{}", &good[..17], *c as char);
            assert_eq!(
                CreditCode::parse(&bad).map_err(|e| e.to_string()),
                Err(format!("invalid unified social credit code {bad:?}: check character does not match"))
            );
        }
    }

    #[test]
    fn rejects_wrong_length_and_charset() {
        assert!(matches!(
            CreditCode::parse("9111000060003734"),
            Err(DomainError::InvalidCreditCode { reason: "must be 18 characters", .. })
        ));
        assert!(matches!(
            CreditCode::parse("9111000060003734IL"),
            Err(DomainError::InvalidCreditCode { reason: "contains a character outside the GB 32100 charset", .. })
        ));
        assert!(CreditCode::parse("统一社会信用代码统一社会信用代码统一").is_err());
        assert!(CreditCode::parse("").is_err());
    }

    #[test]
    fn check_char_of_a_body_outside_the_charset_is_none() {
        assert_eq!(check_char(b"9111000060003734I"), None);
        assert_eq!(check_char(b"short"), None);
    }
}
