//! One pass over the matching documents: total count, facet counts and the
//! top `offset + limit` documents in the requested order.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use crate::schema::{F_CATEGORY, F_CYCLE, F_FORMAT, F_ID, F_LEVEL, F_NAME, F_OPEN, F_PROVIDER_ID, F_SHARE, F_UPDATED};
use crate::{Facets, Sort};

/// A document's place in the requested order, comparable across segments.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Key {
    /// Score descending, then most recently updated, then highest id.
    Relevance { score: Score, updated: i64, id: i64 },
    /// Most recently updated, then highest id.
    Updated { updated: i64, id: i64 },
    /// Name ascending (by code point), then lowest id.
    Name { name: String, id: i64 },
}

/// A document's place within one segment (names by dictionary ordinal,
/// which orders like the names themselves).
#[derive(Debug, Clone, Copy, PartialEq)]
enum SegKey {
    Relevance { score: Score, updated: i64, id: i64 },
    Updated { updated: i64, id: i64 },
    Name { ord: u64, id: i64 },
}

/// `Less` means `a` comes first.
fn cmp_seg(a: &SegKey, b: &SegKey) -> Ordering {
    match (a, b) {
        (SegKey::Relevance { score, updated, id }, SegKey::Relevance { score: s2, updated: u2, id: i2 }) => {
            s2.total_cmp(score).then_with(|| u2.cmp(updated)).then_with(|| i2.cmp(id))
        }
        (SegKey::Updated { updated, id }, SegKey::Updated { updated: u2, id: i2 }) => {
            u2.cmp(updated).then_with(|| i2.cmp(id))
        }
        (SegKey::Name { ord, id }, SegKey::Name { ord: o2, id: i2 }) => ord.cmp(o2).then_with(|| id.cmp(i2)),
        _ => Ordering::Equal,
    }
}

/// `Less` means `a` comes first.
pub(crate) fn cmp_key(a: &Key, b: &Key) -> Ordering {
    match (a, b) {
        (Key::Relevance { score, updated, id }, Key::Relevance { score: s2, updated: u2, id: i2 }) => {
            s2.total_cmp(score).then_with(|| u2.cmp(updated)).then_with(|| i2.cmp(id))
        }
        (Key::Updated { updated, id }, Key::Updated { updated: u2, id: i2 }) => {
            u2.cmp(updated).then_with(|| i2.cmp(id))
        }
        (Key::Name { name, id }, Key::Name { name: n2, id: i2 }) => name.cmp(n2).then_with(|| id.cmp(i2)),
        _ => Ordering::Equal,
    }
}

/// Heap entry: the heap's top is the entry that comes last.
struct Entry {
    key: SegKey,
    doc: DocId,
    score: Score,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    fn cmp(&self, other: &Self) -> Ordering {
        cmp_seg(&self.key, &other.key).then_with(|| self.doc.cmp(&other.doc))
    }
}

/// A top document.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub key: Key,
    pub address: DocAddress,
    pub score: Score,
}

/// Counts per value of an integer fast field: a vector when the segment's
/// values span a small range, a map otherwise.
enum IntCounter {
    Dense { min: i64, counts: Vec<u32> },
    Sparse(HashMap<i64, u32>),
}

impl IntCounter {
    fn for_column(column: &Column<i64>) -> Self {
        let (min, max) = (column.min_value(), column.max_value());
        match max.checked_sub(min) {
            Some(span) if (0..65_536).contains(&span) => IntCounter::Dense { min, counts: vec![0; span as usize + 1] },
            _ => IntCounter::Sparse(HashMap::new()),
        }
    }

    fn add(&mut self, value: i64) {
        match self {
            IntCounter::Dense { min, counts } => {
                if let Some(slot) =
                    value.checked_sub(*min).and_then(|i| usize::try_from(i).ok()).and_then(|i| counts.get_mut(i))
                {
                    *slot += 1;
                }
            }
            IntCounter::Sparse(map) => *map.entry(value).or_insert(0) += 1,
        }
    }

    fn harvest(self, out: &mut HashMap<i64, usize>) {
        match self {
            IntCounter::Dense { min, counts } => {
                for (i, n) in counts.into_iter().enumerate() {
                    if n > 0 {
                        *out.entry(min + i as i64).or_insert(0) += n as usize;
                    }
                }
            }
            IntCounter::Sparse(map) => {
                for (v, n) in map {
                    *out.entry(v).or_insert(0) += n as usize;
                }
            }
        }
    }
}

/// Counts per term ordinal of a string fast field.
struct StrCounter {
    column: Option<StrColumn>,
    /// At most one value per document: read the first ordinal only (faster).
    single: bool,
    counts: Vec<u32>,
}

impl StrCounter {
    fn new(column: Option<StrColumn>) -> Self {
        let counts = column.as_ref().map_or(0, |c| c.num_terms());
        let single = column
            .as_ref()
            .is_some_and(|c| !matches!(c.ords().get_cardinality(), tantivy::columnar::Cardinality::Multivalued));
        StrCounter { column, single, counts: vec![0; counts] }
    }

    fn add(&mut self, doc: DocId) {
        let Some(column) = &self.column else { return };
        let mut bump = |ord: u64| {
            if let Some(slot) = usize::try_from(ord).ok().and_then(|i| self.counts.get_mut(i)) {
                *slot += 1;
            }
        };
        if self.single {
            if let Some(ord) = column.ords().first(doc) {
                bump(ord);
            }
        } else {
            for ord in column.term_ords(doc) {
                bump(ord);
            }
        }
    }

    fn harvest(self, out: &mut HashMap<String, usize>) -> tantivy::Result<()> {
        let Some(column) = self.column else {
            return Ok(());
        };
        let mut value = String::new();
        for (ord, n) in self.counts.into_iter().enumerate() {
            if n > 0 && column.ord_to_str(ord as u64, &mut value)? && !value.is_empty() {
                *out.entry(value.clone()).or_insert(0) += n as usize;
            }
        }
        Ok(())
    }
}

/// Facet counts before sorting.
#[derive(Default)]
pub(crate) struct FacetMaps {
    provider: HashMap<i64, usize>,
    level: HashMap<i64, usize>,
    category: HashMap<String, usize>,
    share_type: HashMap<String, usize>,
    open_type: HashMap<String, usize>,
    format: HashMap<String, usize>,
    update_cycle: HashMap<String, usize>,
}

fn add_all<K: std::hash::Hash + Eq>(into: &mut HashMap<K, usize>, from: HashMap<K, usize>) {
    for (k, n) in from {
        *into.entry(k).or_insert(0) += n;
    }
}

fn sorted<K: Ord>(map: HashMap<K, usize>) -> Vec<(K, usize)> {
    let mut v: Vec<(K, usize)> = map.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl FacetMaps {
    fn merge(&mut self, other: FacetMaps) {
        add_all(&mut self.provider, other.provider);
        add_all(&mut self.level, other.level);
        add_all(&mut self.category, other.category);
        add_all(&mut self.share_type, other.share_type);
        add_all(&mut self.open_type, other.open_type);
        add_all(&mut self.format, other.format);
        add_all(&mut self.update_cycle, other.update_cycle);
    }

    /// Sorted facets; every category path also counts for its ancestors.
    pub(crate) fn into_facets(self) -> Facets {
        let mut category: HashMap<String, usize> = HashMap::new();
        for (path, n) in self.category {
            for (i, c) in path.char_indices() {
                if c == '/' && i > 0 {
                    *category.entry(path[..i].to_owned()).or_insert(0) += n;
                }
            }
            *category.entry(path).or_insert(0) += n;
        }
        Facets {
            provider: sorted(self.provider),
            category: sorted(category),
            share_type: sorted(self.share_type),
            open_type: sorted(self.open_type),
            format: sorted(self.format),
            update_cycle: sorted(self.update_cycle),
            level: sorted(self.level),
        }
    }
}

/// What one search returns before documents are loaded.
pub(crate) struct Collected {
    pub total: usize,
    pub facets: FacetMaps,
    /// The first `k` documents, in order.
    pub top: Vec<Candidate>,
}

pub(crate) struct MainCollector {
    pub sort: Sort,
    pub scoring: bool,
    /// How many top documents to keep (`offset + limit`).
    pub k: usize,
}

impl Collector for MainCollector {
    type Fruit = Collected;
    type Child = MainSegmentCollector;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<MainSegmentCollector> {
        let ff = reader.fast_fields();
        let provider = ff.i64(F_PROVIDER_ID)?;
        let level = ff.i64(F_LEVEL)?;
        let sort = match self.sort {
            Sort::Relevance if self.scoring => SegSort::Relevance,
            Sort::Relevance | Sort::Updated => SegSort::Updated,
            Sort::Name => SegSort::Name(ff.str(F_NAME)?),
        };
        Ok(MainSegmentCollector {
            segment_ord,
            k: self.k,
            heap: BinaryHeap::with_capacity(self.k.min(10_000) + 1),
            sort,
            id: ff.i64(F_ID)?,
            updated: ff.i64(F_UPDATED)?,
            total: 0,
            provider_counts: IntCounter::for_column(&provider),
            level_counts: IntCounter::for_column(&level),
            provider,
            level,
            category: StrCounter::new(ff.str(F_CATEGORY)?),
            share_type: StrCounter::new(ff.str(F_SHARE)?),
            open_type: StrCounter::new(ff.str(F_OPEN)?),
            format: StrCounter::new(ff.str(F_FORMAT)?),
            update_cycle: StrCounter::new(ff.str(F_CYCLE)?),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Collected> {
        let mut out = Collected { total: 0, facets: FacetMaps::default(), top: Vec::new() };
        for fruit in fruits {
            let fruit = fruit?;
            out.total += fruit.total;
            out.facets.merge(fruit.facets);
            out.top.extend(fruit.top);
        }
        out.top.sort_by(|a, b| cmp_key(&a.key, &b.key).then_with(|| a.address.cmp(&b.address)));
        out.top.truncate(self.k);
        Ok(out)
    }
}

enum SegSort {
    Relevance,
    Updated,
    Name(Option<StrColumn>),
}

pub(crate) struct MainSegmentCollector {
    segment_ord: SegmentOrdinal,
    k: usize,
    heap: BinaryHeap<Entry>,
    sort: SegSort,
    id: Column<i64>,
    updated: Column<i64>,
    total: usize,
    provider: Column<i64>,
    level: Column<i64>,
    provider_counts: IntCounter,
    level_counts: IntCounter,
    category: StrCounter,
    share_type: StrCounter,
    open_type: StrCounter,
    format: StrCounter,
    update_cycle: StrCounter,
}

/// A segment's result (errors of reading names surface at merge time).
pub(crate) type SegmentFruit = tantivy::Result<Collected>;

impl SegmentCollector for MainSegmentCollector {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        if let Some(v) = self.provider.first(doc) {
            self.provider_counts.add(v);
        }
        if let Some(v) = self.level.first(doc) {
            self.level_counts.add(v);
        }
        self.category.add(doc);
        self.share_type.add(doc);
        self.open_type.add(doc);
        self.format.add(doc);
        self.update_cycle.add(doc);
        if self.k == 0 {
            return;
        }
        // Most documents score below the current k-th: skip reading their
        // tie-breaking values.
        if let (SegSort::Relevance, Some(worst)) = (&self.sort, self.heap.peek())
            && self.heap.len() >= self.k
            && let SegKey::Relevance { score: worst, .. } = worst.key
            && score < worst
        {
            return;
        }
        let id = self.id.first(doc).unwrap_or_default();
        let key = match &self.sort {
            SegSort::Relevance => SegKey::Relevance { score, updated: self.updated.first(doc).unwrap_or_default(), id },
            SegSort::Updated => SegKey::Updated { updated: self.updated.first(doc).unwrap_or_default(), id },
            SegSort::Name(column) => {
                SegKey::Name { ord: column.as_ref().and_then(|c| c.term_ords(doc).next()).unwrap_or(u64::MAX), id }
            }
        };
        let entry = Entry { key, doc, score };
        if self.heap.len() < self.k {
            self.heap.push(entry);
        } else if let Some(mut worst) = self.heap.peek_mut()
            && entry < *worst
        {
            *worst = entry;
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut facets = FacetMaps::default();
        self.provider_counts.harvest(&mut facets.provider);
        self.level_counts.harvest(&mut facets.level);
        self.category.harvest(&mut facets.category)?;
        self.share_type.harvest(&mut facets.share_type)?;
        self.open_type.harvest(&mut facets.open_type)?;
        self.format.harvest(&mut facets.format)?;
        self.update_cycle.harvest(&mut facets.update_cycle)?;
        let mut top = Vec::with_capacity(self.heap.len());
        let mut name = String::new();
        for entry in self.heap.into_sorted_vec() {
            let key = match (entry.key, &self.sort) {
                (SegKey::Relevance { score, updated, id }, _) => Key::Relevance { score, updated, id },
                (SegKey::Updated { updated, id }, _) => Key::Updated { updated, id },
                (SegKey::Name { ord, id }, SegSort::Name(Some(column))) => {
                    name.clear();
                    if ord == u64::MAX || !column.ord_to_str(ord, &mut name)? {
                        name.push(char::MAX);
                    }
                    Key::Name { name: name.clone(), id }
                }
                (SegKey::Name { id, .. }, _) => Key::Name { name: char::MAX.to_string(), id },
            };
            top.push(Candidate { key, address: DocAddress::new(self.segment_ord, entry.doc), score: entry.score });
        }
        Ok(Collected { total: self.total, facets, top })
    }
}
