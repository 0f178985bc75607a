//! The unified public data catalog (目录, CAT-1 … CAT-11): entries, their metadata and
//! attribute rules, the life cycle of an entry, version comparison and the mapping to
//! the rows of the national compilation guide's spreadsheet template.
//!
//! Everything here is pure: storage keeps the entries and their versions, checks that
//! codes are unique and that related codes exist; the server calls these rules.
//!
//! - [`vocab`]: the closed code lists (category groups, format classes, data type codes,
//!   share and open attributes, update cycles, grades).
//! - [`metadata`]: parsed values ([`ResourceCode`], [`Category`], [`Format`], [`DataLength`])
//!   and the provider-code check.
//! - [`entry`]: the draft content [`NewEntry`] and [`NewEntry::validate`], which returns every problem.
//! - [`grade`]: the grade-versus-open table.
//! - [`moves`]: controlled attribute moves (CAT-6).
//! - [`state`]: the life cycle of an entry version (CAT-2, CAT-3).
//! - [`diff`]: the changed fields between two versions.
//! - [`template`]: rows of the spreadsheet template, both ways.

pub mod diff;
pub mod entry;
pub mod error;
pub mod field;
#[cfg(test)]
mod fixtures;
pub mod grade;
pub mod metadata;
pub mod moves;
pub mod one_source;
pub mod state;
pub mod template;
pub mod vocab;

pub use diff::{FieldChange, diff};
pub use entry::{DataItem, NewEntry, Open, Provider, Share};
pub use error::{AttributeMove, CatalogError, ItemRef};
pub use field::Field;
pub use grade::{check_open_against_grade, max_open_for};
pub use metadata::{Category, DataLength, Format, ResourceCode, check_provider_code, parse_provider_code};
pub use moves::{
    DowngradeControl, MoveEvidence, MoveRequirement, check_attribute_moves, check_open_move, check_share_move,
    open_move_requirement, share_move_requirement,
};
pub use state::{Action, ActionKind, Actor, EntryState, allowed_actions, transition};
pub use template::{RowError, TEMPLATE_COLUMNS, TemplateRow, entries_from_rows, rows_from_entry};
pub use vocab::{BaseLibrary, DataType, FormatClass, Grade, OpenType, ShareMethod, ShareType, UpdateCycle};
