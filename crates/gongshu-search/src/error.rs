use std::path::PathBuf;

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The search engine failed (I/O, corrupt index, …).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The index directory could not be created or opened.
    #[error("search index directory {path}: {message}")]
    Directory { path: PathBuf, message: String },
    /// The directory holds an index with another schema (an older version of
    /// this crate): delete the directory and rebuild.
    #[error("search index directory {path} holds an incompatible index; remove it and rebuild")]
    IncompatibleIndex { path: PathBuf },
    /// Another thread panicked while writing; the writer is unusable.
    #[error("search index writer poisoned by a panic")]
    Poisoned,
}
