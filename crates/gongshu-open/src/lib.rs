//! The open data portal's rules, free of I/O: the DCAT-AP 3.0 documents of the open
//! catalog ([`dcat`]) and the part of Solr's query syntax that CKAN clients send to
//! `package_search` ([`solr`]). Formula neutralization of exports lives with the
//! writers (`gongshu-data::export`), the demand workflow in `gongshu-domain::open_demand`.

pub mod dcat;
pub mod solr;
