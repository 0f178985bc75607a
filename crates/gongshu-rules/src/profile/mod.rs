//! Policy profiles: one per source city, with every figure and rule that differs between cities.
//!
//! The profiles live in `profiles/*.toml`, are embedded at build time and checked when loaded
//! ([`Profile::builtin`], [`Profile::all`], [`Profile::from_toml`]). Each figure names its
//! source article (`source = "WH-17"`); where the regulation gives no figure (`basis =
//! "promptly"` or `"silent"`), a `note` says which default is used and why.

mod deadlines;
mod error;
mod load;
mod rules;
mod types;
mod validate;

pub use error::{Problem, ProfileError};
pub use rules::Rule;
pub use types::{
    AnnualPlan, Approval, Basis, CatalogRules, Cutoffs, Deadline, Downgrade, DowngradeControl, Flag, OpeningRules,
    Period, PlanningRules, Profile, QualityRules, Rating, Regulation, Reviewer, SharingRules, Silence, SilenceOutcome,
    Stage, Step, UserRating,
};
