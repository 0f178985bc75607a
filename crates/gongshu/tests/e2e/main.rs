//! End-to-end tests: the real server on a random port, spoken to over HTTP; the real
//! binary for the CLI; headless Chromium for the pages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod api;
mod browser;
mod calendar;
mod catalog;
mod catalog_console;
mod catalog_import;
mod ckan;
mod cli;
mod data;
mod data_governance;
mod data_quality;
mod deadlines;
mod open_data;
mod open_demands;
mod open_release;
mod pages;
mod permissions;
mod replicas;
