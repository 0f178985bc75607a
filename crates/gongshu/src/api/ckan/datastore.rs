//! CKAN's DataStore: `datastore_search` and `datastore_search_sql` over released rows.
