//! The open data portal's rules, free of I/O: the DCAT-AP 3.0 documents of the open
//! catalog, CKAN's query syntax, formula neutralization for spreadsheet exports, and
//! the demand and objection workflow (OPN-7, OPN-8).

pub mod dcat;
