//! The index: one writer (behind a mutex), one reader reloaded after each
//! commit.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use tantivy::directory::MmapDirectory;
use tantivy::merge_policy::{LogMergePolicy, NoMergePolicy};
use tantivy::schema::Value;
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, TantivyError, Term};

use crate::collect::MainCollector;
use crate::highlight::{self, Needles};
use crate::query::{analyze, build};
use crate::schema::{Fields, build_schema, to_document, tokenizers};
use crate::{EntryDoc, Highlight, Hit, SearchError, SearchQuery, SearchResults};

/// Writer memory for an in-memory index and for one on disk.
const MEMORY_BUDGET_RAM: usize = 64 << 20;
const MEMORY_BUDGET_DIR: usize = 256 << 20;
/// Documents per commit during [`SearchIndex::rebuild`].
const REBUILD_CHUNK: usize = 100_000;
/// Highlighted items per hit.
const MAX_ITEM_HIGHLIGHTS: usize = 5;

/// A full-text index of catalog entries; share it (`Arc`) between request
/// handlers: searches run concurrently, writes are serialised.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").field("docs", &self.len()).finish_non_exhaustive()
    }
}

fn writer_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 4))
}

/// Threads one search may use: one per segment, up to the machine's cores. The index is
/// kept in as many segments after a rebuild, so a search over a large catalog uses
/// every core (a single query is faster; throughput under load is the same).
fn search_threads() -> usize {
    writer_threads()
}

impl SearchIndex {
    /// Most hits one search returns.
    pub const MAX_LIMIT: usize = 1_000;

    /// A new, empty index in memory (tests, or a server that rebuilds at
    /// start).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = build_schema();
        let index = Index::builder().schema(schema).tokenizers(tokenizers()).create_in_ram()?;
        Self::with_index(index, fields, MEMORY_BUDGET_RAM)
    }

    /// Opens the index kept in `path`, creating the directory and an empty
    /// index if missing. Only one `SearchIndex` may have a directory open
    /// at a time (the second gets an error).
    pub fn open_dir(path: &Path) -> Result<Self, SearchError> {
        let dir_error = |message: String| SearchError::Directory { path: path.to_path_buf(), message };
        std::fs::create_dir_all(path).map_err(|e| dir_error(e.to_string()))?;
        let directory = MmapDirectory::open(path).map_err(|e| dir_error(e.to_string()))?;
        let (schema, fields) = build_schema();
        let index = Index::builder().schema(schema).tokenizers(tokenizers()).open_or_create(directory).map_err(
            |e| match e {
                TantivyError::SchemaError(_) => SearchError::IncompatibleIndex { path: path.to_path_buf() },
                other => SearchError::Index(other),
            },
        )?;
        Self::with_index(index, fields, MEMORY_BUDGET_DIR)
    }

    fn with_index(mut index: Index, fields: Fields, memory: usize) -> Result<Self, SearchError> {
        if search_threads() > 1 {
            index.set_multithread_executor(search_threads())?;
        }
        let writer = index.writer_with_num_threads(writer_threads(), memory)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into()?;
        Ok(SearchIndex { index, reader, writer: Mutex::new(writer), fields })
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        self.writer.lock().map_err(|_| SearchError::Poisoned)
    }

    fn commit(&self, writer: &mut IndexWriter) -> Result<(), SearchError> {
        writer.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Adds the entries, replacing any with the same id (the last one wins
    /// within `docs`). Committed and visible to searches when this returns;
    /// pass many entries at once where possible (one commit per call).
    pub fn upsert(&self, docs: &[EntryDoc]) -> Result<(), SearchError> {
        if docs.is_empty() {
            return Ok(());
        }
        let mut writer = self.writer()?;
        for doc in docs {
            writer.delete_term(Term::from_field_i64(self.fields.id, doc.id));
            writer.add_document(to_document(&self.fields, doc))?;
        }
        self.commit(&mut writer)
    }

    /// Removes the entries with these ids (unknown ids are ignored).
    pub fn delete(&self, ids: &[i64]) -> Result<(), SearchError> {
        if ids.is_empty() {
            return Ok(());
        }
        let mut writer = self.writer()?;
        for id in ids {
            writer.delete_term(Term::from_field_i64(self.fields.id, *id));
        }
        self.commit(&mut writer)
    }

    /// Replaces the whole content with `docs`, committing every 100,000
    /// entries; searches keep seeing the previous content until the end.
    /// Segments are merged into one per search thread at the end (a search then uses every core).
    pub fn rebuild(&self, docs: impl IntoIterator<Item = EntryDoc>) -> Result<(), SearchError> {
        let mut writer = self.writer()?;
        // No background merges while loading: one merge of everything at
        // the end instead.
        writer.set_merge_policy(Box::new(NoMergePolicy));
        let result = self.load_all(&mut writer, docs);
        writer.set_merge_policy(Box::new(LogMergePolicy::default()));
        result?;
        self.reader.reload()?;
        Ok(())
    }

    fn load_all(&self, writer: &mut IndexWriter, docs: impl IntoIterator<Item = EntryDoc>) -> Result<(), SearchError> {
        writer.delete_all_documents()?;
        let mut pending = 0usize;
        for doc in docs {
            writer.add_document(to_document(&self.fields, &doc))?;
            pending += 1;
            if pending == REBUILD_CHUNK {
                writer.commit()?;
                pending = 0;
            }
        }
        writer.commit()?;
        let segments = self.index.searchable_segment_ids()?;
        // As many segments as search threads, of about the same size.
        let groups = search_threads().max(1);
        let per_group = segments.len().div_ceil(groups).max(1);
        for group in segments.chunks(per_group).filter(|g| g.len() > 1) {
            match writer.merge(group).wait() {
                // A merge started before the rebuild took some segments
                // away: the index is complete, only less compact.
                Ok(_) | Err(TantivyError::InvalidArgument(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        Ok(())
    }

    /// Number of entries in the index (every state).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Searches; see the crate documentation for matching and ranking.
    pub fn search(&self, q: &SearchQuery) -> Result<SearchResults, SearchError> {
        let searcher = self.reader.searcher();
        let analyzed = analyze(&q.text);
        let query = build(&self.fields, q, &analyzed);
        let scoring = !analyzed.is_empty() && q.sort == crate::Sort::Relevance;
        let limit = q.limit.min(Self::MAX_LIMIT);
        let offset = q.offset.min(usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX));
        let collector = MainCollector { sort: q.sort, scoring, k: offset + limit };
        let collected = searcher.search(query.as_ref(), &collector)?;
        let needles = Needles::from_query(&analyzed);
        let mut hits = Vec::with_capacity(limit);
        for candidate in collected.top.into_iter().skip(offset).take(limit) {
            let doc: TantivyDocument = searcher.doc(candidate.address)?;
            hits.push(self.hit(&doc, candidate.score, &needles));
        }
        Ok(SearchResults { total: collected.total, hits, facets: collected.facets.into_facets() })
    }

    fn hit(&self, doc: &TantivyDocument, score: f32, needles: &Needles) -> Hit {
        let f = &self.fields;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned();
        let name = text(f.name);
        let mut highlights = Vec::new();
        if let Some(html) = highlight::whole(&name, needles) {
            highlights.push(Highlight { field: "name".into(), fragment_html: html });
        }
        if let Some(html) = highlight::fragment(&text(f.summary), needles) {
            highlights.push(Highlight { field: "summary".into(), fragment_html: html });
        }
        let items = doc
            .get_all(f.items)
            .filter_map(|v| v.as_str())
            .filter_map(|item| highlight::fragment(item, needles))
            .take(MAX_ITEM_HIGHLIGHTS);
        highlights.extend(items.map(|html| Highlight { field: "items".into(), fragment_html: html }));
        Hit {
            id: doc.get_first(f.id).and_then(|v| v.as_i64()).unwrap_or_default(),
            code: text(f.code),
            name,
            score,
            highlights,
        }
    }
}
