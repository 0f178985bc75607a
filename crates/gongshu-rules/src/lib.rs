//! gongshu's rule data, in plain code with no I/O: the China working-day calendar and the
//! policy profiles of the five source cities.
//!
//! - [`calendar`]: working days (statutory holidays, make-up workdays, local overrides) and
//!   deadlines counted on them, in China Standard Time (UTC+8) whatever the server's zone.
//! - [`profile`]: one policy profile per city (`weihai`, `lishui`, `qiqihar`, `binzhou`,
//!   `wuhan`): who reviews in which order, how many working days each step has, what silence
//!   means, which extra rules apply. Every figure names its source article; where a
//!   regulation gives none, the profile states the default used and why.
//!
//! Everything is embedded with `include_str!` and checked when loaded; errors carry a stable
//! `code()` and sentences in Chinese (`message_zh()`) and English (`message_en()`).

pub mod calendar;
pub mod deadline;
pub mod profile;

pub use calendar::{Calendar, CalendarError, DayKind, Due, MonthDay, WorkingDays};

pub use profile::{Profile, ProfileError};
