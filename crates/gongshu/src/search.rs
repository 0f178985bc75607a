//! Catalog search (CAT-11) in every server process: a tantivy index (gongshu-search)
//! that follows the database. Before each search the process checks the catalog's
//! newest change time and entry count (one small query) and indexes what changed, so a
//! change made through any replica is found at once; bumping the `search_rebuild`
//! version (`gongshu catalog reindex`) makes every process rebuild.

use std::collections::HashMap;
use std::sync::Mutex;

use gongshu_domain::catalog::NewEntry;
use gongshu_search::{EntryDoc, SearchIndex, SearchQuery, SearchResults};
use gongshu_store::{EntryWithContent, Store};

use crate::error::ApiError;

#[derive(Debug, Default, Clone, Copy)]
struct Synced {
    newest: i64,
    count: i64,
    rebuild: i64,
    ready: bool,
}

pub struct CatalogSearch {
    index: SearchIndex,
    synced: tokio::sync::Mutex<Synced>,
    names: Mutex<HashMap<i64, String>>,
    /// When the open portal's searches last synced, and under which write generation.
    followed: Mutex<Option<(std::time::Instant, u64)>>,
}

fn failed(e: gongshu_search::SearchError) -> ApiError {
    tracing::error!(error = %e, "search index failure");
    ApiError::internal()
}

impl CatalogSearch {
    pub fn new() -> Result<Self, ApiError> {
        Ok(CatalogSearch {
            index: SearchIndex::in_memory().map_err(failed)?,
            synced: Default::default(),
            names: Default::default(),
            followed: Default::default(),
        })
    }

    fn doc(&self, e: &EntryWithContent, providers: &HashMap<i64, String>) -> EntryDoc {
        let content: Option<NewEntry> = serde_json::from_str(&e.content).ok();
        let entry = &e.entry;
        EntryDoc {
            id: entry.id,
            code: entry.code.clone(),
            name: entry.name.clone(),
            summary: content.as_ref().map(|c| c.summary.clone()).unwrap_or_default(),
            items: content.as_ref().map(|c| c.items.iter().map(|i| i.name.clone()).collect()).unwrap_or_default(),
            provider: providers.get(&entry.provider_org_id).cloned().unwrap_or_default(),
            provider_id: entry.provider_org_id,
            category: entry.category.clone(),
            share_type: entry.share_type.clone(),
            open_type: entry.open_type.clone(),
            format: content.as_ref().map(|c| c.format.to_string()).unwrap_or_default(),
            update_cycle: entry.update_cycle.clone(),
            level: entry.level,
            state: entry.state.clone(),
            updated_at: entry.updated_at,
        }
    }

    /// Brings the index up to date with the database.
    pub async fn sync(&self, store: &Store) -> Result<(), ApiError> {
        let (newest, count) = store.catalog_stamp().await?;
        let rebuild = store.cache_version("search_rebuild").await?;
        let mut synced = self.synced.lock().await;
        if synced.ready && synced.newest == newest && synced.count == count && synced.rebuild == rebuild {
            return Ok(());
        }
        let providers: HashMap<i64, String> = store.orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
        let full = !synced.ready || synced.rebuild != rebuild || count < synced.count;
        let changed = store.entries_changed_since(if full { 0 } else { synced.newest }).await?;
        let docs: Vec<EntryDoc> = changed.iter().map(|e| self.doc(e, &providers)).collect();
        if full {
            self.index.rebuild(docs).map_err(failed)?;
        } else {
            self.index.upsert(&docs).map_err(failed)?;
        }
        if let Ok(mut names) = self.names.lock() {
            *names = providers;
        }
        *synced = Synced { newest, count, rebuild, ready: true };
        Ok(())
    }

    pub async fn search(&self, store: &Store, q: &SearchQuery) -> Result<SearchResults, ApiError> {
        self.sync(store).await?;
        self.index.search(q).map_err(failed)
    }

    /// A search for the open portal, which follows the open catalog's snapshot: the
    /// database is asked at most once a second, and at once after a write through this
    /// process (`generation` changed), like the snapshot itself.
    pub async fn search_following(
        &self,
        store: &Store,
        q: &SearchQuery,
        generation: u64,
    ) -> Result<SearchResults, ApiError> {
        let due = match self.followed.lock() {
            Ok(f) => f.is_none_or(|(at, g)| g != generation || at.elapsed() >= std::time::Duration::from_secs(1)),
            Err(_) => true,
        };
        if due {
            self.sync(store).await?;
            if let Ok(mut f) = self.followed.lock() {
                *f = Some((std::time::Instant::now(), generation));
            }
        }
        self.index.search(q).map_err(failed)
    }

    /// A provider's name, from the last sync.
    pub fn provider_name(&self, id: i64) -> String {
        self.names.lock().ok().and_then(|n| n.get(&id).cloned()).unwrap_or_default()
    }
}
