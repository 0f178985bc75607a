//! The typed shape of a policy profile, as written in `profiles/*.toml`.
//!
//! Every figure carries `source` (the article it comes from, e.g. `WH-17`), `basis` (whether
//! the article states the figure) and, where the figure is a default, a `note` saying which
//! default and why.

use serde::{Deserialize, Serialize};

use crate::calendar::MonthDay;

/// Where a figure comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// The cited article states the figure.
    #[default]
    Stated,
    /// The article asks for action "promptly" (及时 / 立即) without a figure: a default is used.
    Promptly,
    /// The article asks for action "periodically" (定期) without a period: a default is used.
    Periodically,
    /// The regulation says nothing: a default is used.
    Silent,
}

impl Basis {
    pub fn is_default(self) -> bool {
        self != Basis::Stated
    }
}

/// Who acts in a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reviewer {
    /// The big-data authority of the provider's level (本级主管部门).
    Authority,
    /// The city-level authority (市人民政府大数据工作主管部门).
    CityAuthority,
    /// The municipal public data service agency (市级公共数据服务机构).
    ServiceAgency,
    /// The department that holds the data (提供部门 / 开放主体).
    Provider,
    /// The city government (本级人民政府).
    CityGovernment,
}

impl Reviewer {
    pub fn label_en(self) -> &'static str {
        match self {
            Reviewer::Authority => "authority",
            Reviewer::CityAuthority => "city authority",
            Reviewer::ServiceAgency => "service agency",
            Reviewer::Provider => "provider",
            Reviewer::CityGovernment => "city government",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Reviewer::Authority => "本级主管部门",
            Reviewer::CityAuthority => "市级主管部门",
            Reviewer::ServiceAgency => "市级公共数据服务机构",
            Reviewer::Provider => "数据提供部门",
            Reviewer::CityGovernment => "本级人民政府",
        }
    }
}

/// What a step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Checks that the application's materials are complete and in form (规范性审查).
    FormalReview,
    /// Decides on the substance (审核 / 复核 / 答复).
    Review,
    /// Re-examines a decision on request (需求复核).
    Recheck,
    /// Carries a decision out in the catalog (更新).
    Update,
}

impl Stage {
    pub fn label_en(self) -> &'static str {
        match self {
            Stage::FormalReview => "formal review",
            Stage::Review => "review",
            Stage::Recheck => "re-check",
            Stage::Update => "update",
        }
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Stage::FormalReview => "规范性审查",
            Stage::Review => "审核",
            Stage::Recheck => "复核",
            Stage::Update => "更新",
        }
    }
}

/// A deadline in working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    pub working_days: u32,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// One step of a review chain: who does what, within how many working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub stage: Stage,
    pub reviewer: Reviewer,
    pub working_days: u32,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// A period in calendar months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub months: u32,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// A yes/no rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flag {
    pub value: bool,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// Who must approve, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub approvers: Vec<Reviewer>,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// What the platform does when the provider does not answer in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SilenceOutcome {
    /// Silence counts as consent: the platform grants the request itself (视为同意).
    Consent,
    /// Silence grants nothing: the request is overdue and goes to the authority (SHR-4).
    Escalate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Silence {
    pub outcome: SilenceOutcome,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// What a provider needs to make data less open (CAT-6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DowngradeControl {
    /// The authority's consent first (同意).
    Consent,
    /// A filing with the authority (备案).
    Filing,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Downgrade {
    pub control: DowngradeControl,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// Fixed dates in the year by which a round of reviews must be done (LS-11).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cutoffs {
    pub dates: Vec<MonthDay>,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// A data user's rating (ORG-4, LS-10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Rating {
    A,
    AA,
    AAA,
}

/// Whether data users are rated A / AA / AAA, and what each rating allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRating {
    pub applies: bool,
    /// The lowest rating that may apply for restricted data.
    pub restricted_min: Option<Rating>,
    /// The lowest rating that may work in the sandbox (open domain).
    pub sandbox_min: Option<Rating>,
    /// The lowest 等保 level of the user's system for `restricted_min` and up.
    pub min_protection_level: Option<u8>,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// A plan filed once a year by a fixed date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualPlan {
    /// The day of the year it is due, e.g. `02-end`.
    pub due: MonthDay,
    pub monthly_update: bool,
    pub source: String,
    #[serde(default)]
    pub basis: Basis,
    pub note: Option<String>,
}

/// The regulation a profile implements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Regulation {
    pub title_zh: String,
    pub year: u16,
    /// The article prefixes a stated figure may cite, e.g. `["LS", "ZJ"]`.
    pub source_prefixes: Vec<String>,
}

/// Catalog rules (CAT-3, CAT-4, CAT-6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogRules {
    /// A provider files a change request within this after its legal basis or duties change.
    pub change_filing: Deadline,
    /// Who reviews (and carries out) a change request, in order.
    pub change_review: Vec<Step>,
    /// Deleting or modifying an entry also needs the city authority's consent (BZ-12).
    pub city_consent_for_deletion: Flag,
    /// How long the city authority has for that consent; present exactly when it is needed.
    pub city_consent_review: Option<Deadline>,
    /// Who approves listing an entry as not shared (CAT-4; WHN-16: the city government).
    pub not_shared_approval: Approval,
    /// How often conditional entries are re-evaluated for a move to unconditional (CAT-6).
    pub conditional_reevaluation: Period,
}

/// Sharing between public organizations (SHR-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharingRules {
    /// The review chain of a conditional share request, in order.
    pub conditional_review: Vec<Step>,
    /// What happens when the provider does not answer within its step.
    pub provider_silence: Silence,
}

/// Open data for society (OPN-3, OPN-7, OPN-10, CAT-6, ORG-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpeningRules {
    /// The review chain of a restricted-data application, in order.
    pub restricted_review: Vec<Step>,
    /// Quarterly dates by which the provider's review round ends (LS-11).
    pub quarterly_cutoffs: Option<Cutoffs>,
    /// A demand, objection or suggestion about open data is answered within this.
    pub demand_answer: Deadline,
    /// A user of restricted data publishes its product within this (LS-21).
    pub product_publication: Option<Period>,
    /// Making data less open needs the authority's consent or a filing.
    pub attribute_downgrade: Downgrade,
    pub user_rating: UserRating,
}

/// Data quality (AGG-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualityRules {
    /// A provider fixes a reported error within this.
    pub correction_ticket: Deadline,
}

/// Planning (AGG-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanningRules {
    /// The annual data demand plan (WH-18), where the city has one.
    pub annual_demand_plan: Option<AnnualPlan>,
}

/// One city's policy profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The profile's name, equal to its file name without `.toml`.
    pub name: String,
    pub city_zh: String,
    pub city_en: String,
    /// The city's GB/T 2260 code; local calendar overrides are looked up by it.
    pub region_code: String,
    pub regulation: Regulation,
    pub catalog: CatalogRules,
    pub sharing: SharingRules,
    pub opening: OpeningRules,
    pub quality: QualityRules,
    pub planning: PlanningRules,
}
