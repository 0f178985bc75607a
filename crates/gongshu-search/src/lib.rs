//! Full-text search over public data catalog entries (requirement CAT-11):
//! anyone finds published entries by Chinese or English words, provider,
//! category, data items, format and update cycle; results are ranked by
//! relevance, filtered, faceted and paged.
//!
//! The crate holds no database connection: the server feeds [`EntryDoc`]s in
//! ([`SearchIndex::upsert`], [`SearchIndex::delete`], [`SearchIndex::rebuild`])
//! and asks [`SearchIndex::search`] with a [`SearchQuery`].
//!
//! # Analysis
//!
//! Text is normalised character by character (full-width ASCII to half-width,
//! lower case) and indexed twice:
//!
//! * as **words**: jieba-rs in search mode (HMM on), which gives the words and
//!   their dictionary sub-words (`户籍人口基本信息` → `户籍`, `人口`, `基本`,
//!   `信息`, `基本信息`), Latin and digit runs as lower-case words;
//! * as **grams**: every CJK character and every CJK bigram, and every
//!   Latin/digit word with its 2..=20-character prefixes; in the name field
//!   with character positions. Grams make any substring findable even when
//!   jieba cut the text differently or does not know the word: a query run of
//!   CJK characters is searched as a phrase of its bigrams in the name (an
//!   exact substring match) and as the conjunction of its covering bigrams in
//!   all the entry's texts (name, summary, items, provider, category; no
//!   positions there, which keeps long texts cheap), a one-character word as
//!   that character, a Latin word as a word prefix.
//!
//! Codes are also indexed whole (exact match) and as all their prefixes
//! (`2010300` finds `2010300/00017` with one term lookup). Categories are
//! indexed as their ancestor paths, so a category filter of `基础` keeps
//! `基础/人口`.
//!
//! # Ranking
//!
//! The query text is split on white space into words, and each word into
//! units by jieba (default mode): `人口 企业登记` → `人口`, `企业`, `登记`.
//! The query matches a document when **any** unit matches (OR), so one
//! missing word never empties the result. The score is a sum:
//!
//! 1. per unit, BM25 of its jieba words, boosted by field: name ×3, data
//!    items ×1.5, provider/category/format/cycle/code ×1.2, summary ×0.8;
//!    plus BM25 of its grams: substring in the name ×2, all bigrams
//!    anywhere ×1, single characters ×0.5, Latin word prefix in the name
//!    ×1.5 and anywhere ×0.6, and, for a unit of three or more characters
//!    that jieba cannot cut smaller (typically an unknown word), each of its
//!    bigrams anywhere ×0.3, so even a partial overlap matches. Since each matching
//!    unit adds its part, documents matching more units score higher, and
//!    rarer words (higher IDF) weigh more;
//! 2. +100 when a query of several units matches **all** of them (each
//!    unit's bigrams, word prefixes or words found anywhere in the entry), so
//!    documents with every word come before those with some;
//! 3. +1,000 when the query (or a space-separated word without CJK) is a
//!    prefix of the entry's code, +2,000 when one of several words is exactly
//!    the code;
//! 4. +10,000 when the whole query equals the entry's name or its code (after
//!    normalisation): exact title and exact code matches come first.
//!
//! Ties are broken by the most recent `updated_at`, then the highest id. An
//! empty text matches everything (visible and filtered) in the requested
//! sort order; [`Sort::Relevance`] then means most recently updated first.
//!
//! Filters and visibility restrict the matches without changing scores.
//! Facet counts are computed over every match (not only the page) in the
//! same pass that picks the page.

mod collect;
mod error;
mod highlight;
mod index;
mod query;
mod schema;
#[cfg(test)]
mod tests;
mod text;

pub use error::SearchError;
pub use index::SearchIndex;

/// One catalog entry as the server knows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EntryDoc {
    pub id: i64,
    /// Catalog code, e.g. `2010300/00017`.
    pub code: String,
    pub name: String,
    pub summary: String,
    /// Names of the entry's data items.
    pub items: Vec<String>,
    pub provider: String,
    pub provider_id: i64,
    /// Category path, e.g. `基础/人口`.
    pub category: String,
    pub share_type: String,
    pub open_type: String,
    /// Format, possibly several separated by `,`, `、`, `/`, `;` or `|`
    /// (`CSV,XLSX`): each value is a facet and a filter value of its own.
    pub format: String,
    pub update_cycle: String,
    pub level: i64,
    /// `draft`, `submitted`, `published`, `rejected` or `retired`.
    pub state: String,
    /// Unix time (any monotonic unit works: only the order matters).
    pub updated_at: i64,
}

/// Restrictions on the matches. String filters compare case-insensitively
/// with the whole value (after trimming); `None` or an empty string means no
/// restriction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub provider_id: Option<i64>,
    /// Category path prefix by whole segments: `基础` keeps `基础` and
    /// `基础/人口`, not `基础设施`.
    pub category: Option<String>,
    pub share_type: Option<String>,
    pub open_type: Option<String>,
    /// One format, or several separated as in [`EntryDoc::format`] (entries
    /// must offer all of them).
    pub format: Option<String>,
    pub update_cycle: Option<String>,
    pub level: Option<i64>,
}

/// Which entries the searcher may see.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Visibility {
    /// The public: published entries only.
    #[default]
    PublishedOnly,
    /// A provider's staff: published entries plus their own provider's
    /// entries in every state (drafts, submitted, rejected, retired).
    PublishedPlusOwnDrafts { provider_id: i64 },
}

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// By score (see the crate documentation); most recent first on ties and
    /// for an empty text.
    #[default]
    Relevance,
    /// By name, ascending by code point (not pinyin), then id.
    Name,
    /// Most recently updated first, then highest id.
    Updated,
}

/// A search request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Words in any mix of Chinese, English and codes; empty means all.
    pub text: String,
    pub filters: Filters,
    pub visibility: Visibility,
    pub sort: Sort,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return, at most [`SearchIndex::MAX_LIMIT`]; 0 returns only the
    /// total and the facets.
    pub limit: usize,
}

/// A highlighted piece of a hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    /// `name`, `summary` or `items` (one highlight per matching item, at
    /// most five).
    pub field: String,
    /// HTML: matches in `<mark>…</mark>`, everything else escaped; a long
    /// summary is cut to a fragment around the first match, with `…`.
    pub fragment_html: String,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// Relevance score (0 when sorted by name or date, or for an empty text).
    pub score: f32,
    /// Only fields where something matched; empty for an empty text.
    pub highlights: Vec<Highlight>,
}

/// Counts of matches per value, over all matches of the query (not only the
/// returned page), most frequent first (ties by value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facets {
    /// By provider id.
    pub provider: Vec<(i64, usize)>,
    /// By category path; each path also counts towards its ancestors
    /// (`基础/人口` counts for `基础` and `基础/人口`).
    pub category: Vec<(String, usize)>,
    pub share_type: Vec<(String, usize)>,
    pub open_type: Vec<(String, usize)>,
    /// An entry with several formats counts for each.
    pub format: Vec<(String, usize)>,
    pub update_cycle: Vec<(String, usize)>,
    pub level: Vec<(i64, usize)>,
}

/// What a search returns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    /// Number of matches (all pages).
    pub total: usize,
    pub hits: Vec<Hit>,
    pub facets: Facets,
}
