//! Queries over released open data: CKAN's `datastore_search` and a read-only
//! `datastore_search_sql`, on DataFusion, with time, memory and row limits.
