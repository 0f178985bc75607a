//! gongshu's domain rules, in plain code with no I/O.
//!
//! Everything here is deterministic and fast to test: identifiers and their check
//! algorithms, the organization model, roles and permissions, the audit hash chain
//! and account rules, and the demand and objection workflow of open data. Storage and HTTP live in other crates and call into this one.

pub mod account;
pub mod audit;
pub mod catalog;
pub mod error;
pub mod open_demand;
pub mod org;
pub mod region;
pub mod role;
pub mod time;
pub mod uscc;

pub use error::{DomainError, Localized};
