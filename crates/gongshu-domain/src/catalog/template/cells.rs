//! The text of the cells that carry more than one field (共享条件, 开放条件), and dates.
//!
//! A cell's unlabelled lines are its main field; further fields are lines that start
//! with their label and a colon (`理由：…`, full-width or ASCII colon). A multi-line value
//! is written with its label on every line, so reading it back joins the lines again.

use chrono::NaiveDate;

use crate::catalog::entry::{Open, Share};
use crate::catalog::error::CatalogError;
use crate::catalog::vocab::{OpenType, ShareMethod, ShareType};

const CONDITIONS: &str = "条件";
const REASON: &str = "理由";
const BASIS: &str = "依据";

/// A date in `YYYY-MM-DD`.
pub(super) fn parse_date(s: &str) -> Result<NaiveDate, CatalogError> {
    let invalid = || CatalogError::InvalidPublicationDate { value: s.to_string() };
    if s.len() != 10 {
        return Err(invalid());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| invalid())
}

/// The plain lines of a cell and the lines under each of `labels`, each joined by `\n`.
fn split_cell<const N: usize>(cell: &str, labels: [&str; N]) -> (String, [String; N]) {
    let mut plain: Vec<&str> = Vec::new();
    let mut labelled: [Vec<&str>; N] = std::array::from_fn(|_| Vec::new());
    for line in cell.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let hit = labels.iter().enumerate().find_map(|(i, label)| {
            let rest = line.strip_prefix(label)?;
            rest.strip_prefix('：').or_else(|| rest.strip_prefix(':')).map(|text| (i, text.trim()))
        });
        match hit {
            Some((i, text)) => labelled[i].push(text),
            None => plain.push(line),
        }
    }
    (plain.join("\n"), labelled.map(|lines| lines.join("\n")))
}

/// `primary`, then each non-empty labelled value with its label on every line.
fn join_cell(primary: &str, labelled: &[(&str, &str)]) -> String {
    let mut lines: Vec<String> = primary.lines().map(str::to_string).collect();
    for (label, value) in labelled {
        lines.extend(value.lines().map(|line| format!("{label}：{line}")));
    }
    lines.join("\n")
}

fn joined(a: String, b: String) -> String {
    [a, b].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n")
}

pub(super) fn share_from_cells(share_type: ShareType, cell: &str, method: Option<ShareMethod>) -> Share {
    let (plain, [conditions, reason, basis]) = split_cell(cell, [CONDITIONS, REASON, BASIS]);
    let (conditions, legal_basis) = match share_type {
        ShareType::NotShared => (conditions, joined(plain, basis)),
        _ => (joined(plain, conditions), basis),
    };
    Share { share_type, conditions, reason, legal_basis, method }
}

pub(super) fn share_cell(s: &Share) -> String {
    match s.share_type {
        ShareType::NotShared => join_cell(&s.legal_basis, &[(CONDITIONS, &s.conditions), (REASON, &s.reason)]),
        _ => join_cell(&s.conditions, &[(REASON, &s.reason), (BASIS, &s.legal_basis)]),
    }
}

pub(super) fn open_from_cells(open: bool, cell: &str) -> Open {
    let (plain, [conditions, basis]) = split_cell(cell, [CONDITIONS, BASIS]);
    if open {
        let conditions = joined(plain, conditions);
        let open_type = if conditions.is_empty() { OpenType::Unconditional } else { OpenType::Conditional };
        Open { open_type, conditions, legal_basis: basis }
    } else {
        Open { open_type: OpenType::NotOpen, conditions, legal_basis: joined(plain, basis) }
    }
}

pub(super) fn open_cell(o: &Open) -> String {
    match o.open_type {
        OpenType::NotOpen => join_cell(&o.legal_basis, &[(CONDITIONS, &o.conditions)]),
        _ => join_cell(&o.conditions, &[(BASIS, &o.legal_basis)]),
    }
}
