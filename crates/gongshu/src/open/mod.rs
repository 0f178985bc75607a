//! The open data portal (OPN-1, OPN-6, OPN-8): the open catalog every surface shares
//! (pages, downloads, the CKAN API, the native API, DCAT-AP), released data, and
//! downloads.
//!
//! An entry is open when its published version's open attribute is unconditional and
//! it is not retired. A suspended entry (an infringement objection, OPN-8) keeps its
//! page but is left out of lists, downloads and APIs, which answer 410 with the reason.

pub mod bulk;
pub mod catalog;
pub mod exports;
pub mod query;
pub mod release;

pub use catalog::{OpenCache, OpenCatalog, OpenDataset};
