//! gongshu (公数): a public data platform for Chinese cities.
//!
//! This crate is the server and the command line. The rules live in
//! `gongshu-domain`, storage behind the interface of `gongshu-store`. See
//! `docs/architecture.md` for the map.

pub mod aggregation;
pub mod api;
pub mod app;
pub mod auth;
pub mod catalog;
pub mod catalog_import;
pub mod cli;
pub mod config;
pub mod corrections;
pub mod data;
pub mod data_files;
pub mod data_reports;
pub mod deadlines;
pub mod demand;
pub mod demo;
pub mod demo_data;
pub mod error;
pub mod i18n;
pub mod i18n_open;
pub mod import;
pub mod open;
pub mod open_demands;
pub mod open_lists;
pub mod projects;
pub mod pulls;
pub mod regulation;
pub mod routes;
pub mod search;
pub mod service;
pub mod share;
pub mod web;
