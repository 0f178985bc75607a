//! Administrative division codes (行政区划代码), GB/T 2260.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::DomainError;

/// A six-digit division code such as `371000` (威海市) or `371002` (环翠区).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode(String);

/// The level of a division in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    City,
    County,
    /// A functional zone (功能区) such as a development zone: NBS statistical codes
    /// with county suffix 71–79, not GB/T 2260 divisions.
    FunctionalZone,
}

impl RegionCode {
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let code = input.trim();
        let invalid = |reason| DomainError::InvalidRegionCode { value: code.to_string(), reason };
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid("must be 6 digits"));
        }
        if &code[..2] == "00" {
            return Err(invalid("province part must not be 00"));
        }
        Ok(RegionCode(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn level(&self) -> RegionLevel {
        match (&self.0[2..4], &self.0[4..6]) {
            ("00", "00") => RegionLevel::Province,
            (_, "00") => RegionLevel::City,
            (_, county) if ("71".."80").contains(&county) => RegionLevel::FunctionalZone,
            _ => RegionLevel::County,
        }
    }

    /// The division one level up: county → city → province; a province has none.
    pub fn parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::City => Some(RegionCode(format!("{}0000", &self.0[..2]))),
            RegionLevel::County | RegionLevel::FunctionalZone => Some(RegionCode(format!("{}00", &self.0[..4]))),
        }
    }

    /// Whether `self` is `other` or lies inside it.
    pub fn is_within(&self, other: &RegionCode) -> bool {
        let mut cur = Some(self.clone());
        while let Some(code) = cur {
            if &code == other {
                return true;
            }
            cur = code.parent();
        }
        false
    }
}

impl TryFrom<String> for RegionCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        RegionCode::parse(&value)
    }
}

impl From<RegionCode> for String {
    fn from(value: RegionCode) -> Self {
        value.0
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap_or_else(|e| panic!("{e}"))
    }

    /// ORG-1: the region tree city → county-level nodes, with functional zones flagged.
    #[test]
    fn org_1_weihai_tree() {
        assert_eq!(code("371000").level(), RegionLevel::City);
        assert_eq!(code("371002").level(), RegionLevel::County);
        assert_eq!(code("371082").level(), RegionLevel::County);
        assert_eq!(code("371071").level(), RegionLevel::FunctionalZone);
        assert_eq!(code("370000").level(), RegionLevel::Province);
        assert_eq!(code("371083").parent(), Some(code("371000")));
        assert_eq!(code("371000").parent(), Some(code("370000")));
        assert_eq!(code("370000").parent(), None);
        assert!(code("371002").is_within(&code("371000")));
        assert!(code("371002").is_within(&code("370000")));
        assert!(!code("371002").is_within(&code("331100")));
        assert!(!code("371000").is_within(&code("371002")));
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in ["37100", "3710000", "37100a", "", "001000", "３７１０００"] {
            assert!(RegionCode::parse(bad).is_err(), "{bad}");
        }
    }
}
