//! The storage suite: every test runs against SQLite and, when
//! `GONGSHU_TEST_DATABASE_URL` names a PostgreSQL database, against PostgreSQL too,
//! each in a fresh database (SQLite) or schema (PostgreSQL).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod harness;

mod audit;
mod auth;
mod catalog;
mod open_demands;
mod orgs;
mod regulation;
mod users;
