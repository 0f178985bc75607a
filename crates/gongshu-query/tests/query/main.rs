//! Tests of requirement OPN-1: queries over released open data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod limits;
mod search;
mod sql;
