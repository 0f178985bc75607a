//! Organizations (ORG-1) and the people responsible for their data work (ORG-2).

use serde::{Deserialize, Serialize};

use crate::DomainError;
use crate::region::RegionCode;
use crate::uscc::CreditCode;

/// The kinds of organization of ORG-1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// 大数据工作主管部门: reviews catalogs and applications, supervises.
    Authority,
    /// 公共数据服务机构: operates the platform.
    ServiceAgency,
    /// 公共管理和服务机构: a government department or public institution.
    Department,
    /// 公共企事业单位: a public utility such as water or power.
    PublicEnterprise,
    /// 社会主体: a company or other organization that uses open data.
    SocialEntity,
}

impl OrgKind {
    pub const ALL: [OrgKind; 5] = [
        OrgKind::Authority,
        OrgKind::ServiceAgency,
        OrgKind::Department,
        OrgKind::PublicEnterprise,
        OrgKind::SocialEntity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Authority => "authority",
            OrgKind::ServiceAgency => "service_agency",
            OrgKind::Department => "department",
            OrgKind::PublicEnterprise => "public_enterprise",
            OrgKind::SocialEntity => "social_entity",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            OrgKind::Authority => "大数据主管部门",
            OrgKind::ServiceAgency => "公共数据服务机构",
            OrgKind::Department => "公共管理和服务机构",
            OrgKind::PublicEnterprise => "公共企事业单位",
            OrgKind::SocialEntity => "社会主体",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            OrgKind::Authority => "Big-data authority",
            OrgKind::ServiceAgency => "Public data service agency",
            OrgKind::Department => "Department",
            OrgKind::PublicEnterprise => "Public enterprise",
            OrgKind::SocialEntity => "Social entity",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        OrgKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| DomainError::UnknownOrgKind(s.trim().to_string()))
    }
}

/// A responsibility in an organization's data work (专人专岗, ORG-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// 首席数据官
    ChiefDataOfficer,
    /// 数据专员
    DataSpecialist,
}

impl Duty {
    pub fn as_str(self) -> &'static str {
        match self {
            Duty::ChiefDataOfficer => "chief_data_officer",
            Duty::DataSpecialist => "data_specialist",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Duty::ChiefDataOfficer => "首席数据官",
            Duty::DataSpecialist => "数据专员",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Duty::ChiefDataOfficer => "Chief data officer",
            Duty::DataSpecialist => "Data specialist",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "chief_data_officer" => Ok(Duty::ChiefDataOfficer),
            "data_specialist" => Ok(Duty::DataSpecialist),
            other => Err(DomainError::UnknownDuty(other.to_string())),
        }
    }
}

/// A validated new organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrg {
    pub name: String,
    pub credit_code: Option<CreditCode>,
    pub kind: OrgKind,
    pub region: RegionCode,
}

/// Checks a display name: trimmed, not empty, at most 200 characters.
pub fn parse_name(field: &'static str, input: &str) -> Result<String, DomainError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(DomainError::InvalidField { field, reason: "must not be empty" });
    }
    if name.chars().count() > 200 {
        return Err(DomainError::InvalidField { field, reason: "must be 200 characters or fewer" });
    }
    Ok(name.to_string())
}

impl NewOrg {
    /// Validates raw input. Every kind but a social entity is a legal person under
    /// ORG-1 and must carry a unified social credit code.
    pub fn parse(name: &str, credit_code: Option<&str>, kind: &str, region: &str) -> Result<Self, DomainError> {
        let name = parse_name("name", name)?;
        let kind = OrgKind::parse(kind)?;
        let region = RegionCode::parse(region)?;
        let credit_code = match credit_code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Some(CreditCode::parse(code)?),
            None if kind == OrgKind::SocialEntity => None,
            None => return Err(DomainError::CreditCodeRequired),
        };
        Ok(NewOrg { name, credit_code, kind, region })
    }
}

/// Whether an organization in `child` may sit under a parent in `parent`: the same
/// division or one that contains it.
pub fn parent_region_allowed(child: &RegionCode, parent: &RegionCode) -> Result<(), DomainError> {
    if child.is_within(parent) {
        Ok(())
    } else {
        Err(DomainError::InvalidField { field: "parent", reason: "parent must be in the same or a higher region" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ORG-1: each kind, a region code and a credit code for legal persons.
    #[test]
    fn org_1_new_org_is_validated() {
        let org = NewOrg::parse(" 威海市大数据中心 ", Some("11100000000013127D"), "authority", "371000");
        assert_eq!(org.as_ref().map(|o| o.name.as_str()), Ok("威海市大数据中心"));
        assert_eq!(NewOrg::parse("x", None, "department", "371000"), Err(DomainError::CreditCodeRequired));
        assert!(NewOrg::parse("某公司", None, "social_entity", "371002").is_ok());
        assert_eq!(NewOrg::parse("x", None, "ministry", "371000"), Err(DomainError::UnknownOrgKind("ministry".into())));
        assert!(matches!(
            NewOrg::parse("", None, "social_entity", "371000"),
            Err(DomainError::InvalidField { field: "name", .. })
        ));
        assert!(matches!(
            NewOrg::parse("x", Some("11100000000013127E"), "department", "371000"),
            Err(DomainError::InvalidCreditCode { .. })
        ));
        assert!(matches!(
            NewOrg::parse("x", None, "social_entity", "3710"),
            Err(DomainError::InvalidRegionCode { .. })
        ));
    }

    #[test]
    fn kinds_and_duties_round_trip() {
        for kind in OrgKind::ALL {
            assert_eq!(OrgKind::parse(kind.as_str()), Ok(kind));
        }
        for duty in [Duty::ChiefDataOfficer, Duty::DataSpecialist] {
            assert_eq!(Duty::parse(duty.as_str()), Ok(duty));
        }
        assert!(Duty::parse("boss").is_err());
    }

    #[test]
    fn a_county_org_may_sit_under_a_city_org_but_not_the_reverse() {
        let city = RegionCode::parse("371000").unwrap_or_else(|e| panic!("{e}"));
        let county = RegionCode::parse("371002").unwrap_or_else(|e| panic!("{e}"));
        assert!(parent_region_allowed(&county, &city).is_ok());
        assert!(parent_region_allowed(&city, &county).is_err());
    }
}
