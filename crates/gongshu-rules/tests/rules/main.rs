//! The rules suite: calendar and profiles, one test binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

mod calendar_due_dates;
mod calendar_import;
mod calendar_official;
mod calendar_periods;
mod profile_binzhou;
mod profile_errors;
mod profile_lishui;
mod profile_qiqihar;
mod profile_weihai;
mod profile_wuhan;
mod profiles_all;
