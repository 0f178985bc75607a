//! The JSON API under `/api/v1`, plus health and metrics.

pub mod aggregation;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod catalog_search;
pub mod ckan;
pub mod data;
pub mod dcat;
pub mod deadlines;
pub mod demand;
pub mod health;
pub mod open;
pub mod open_demands;
pub mod open_lists;
pub mod openapi;
pub mod orgs;
pub mod people;
pub mod profile;
pub mod projects;
pub mod release;
pub mod share;
pub mod tokens;
pub mod users;

use serde::Serialize;

/// A list response: `{ "items": [...] }`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Items<T> {
    pub items: Vec<T>,
}
