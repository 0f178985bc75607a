//! Turning a [`SearchQuery`] into a tantivy query.
//!
//! See the crate documentation for the ranking model; the constants below are
//! its weights.

use tantivy::Term;
use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};

use crate::schema::{Fields, split_formats};
use crate::text::{JIEBA, Run, is_cjk, normalize_exact, path_prefixes, runs, word_tokens};
use crate::{Filters, SearchQuery, Visibility};

/// Longest query text looked at, in characters.
const MAX_QUERY_CHARS: usize = 200;
/// Most query units (words) looked at.
const MAX_UNITS: usize = 12;

/// Score added when the whole query equals the entry's name or code.
pub(crate) const EXACT_BONUS: f32 = 10_000.0;
/// Score added when one of several space-separated query words is a code.
pub(crate) const CODE_WORD_BONUS: f32 = 2_000.0;
/// Score added when the query (or a space-separated query word) is a prefix
/// of the code.
pub(crate) const CODE_PREFIX_BONUS: f32 = 1_000.0;
/// Score added when every unit of a multi-unit query matches.
pub(crate) const ALL_UNITS_BONUS: f32 = 100.0;

// Per-field boosts for one unit (multiplying BM25).
const B_NAME_WORD: f32 = 3.0;
const B_ITEMS_WORD: f32 = 1.5;
const B_SUMMARY_WORD: f32 = 0.8;
const B_META_WORD: f32 = 1.2;
const B_NAME_GRAM: f32 = 2.0;
const B_ALL_GRAM: f32 = 1.0;
const B_ALL_CHAR: f32 = 0.5;
const B_ALL_LOOSE_BIGRAM: f32 = 0.3;
const B_NAME_LATIN: f32 = 1.5;
const B_ALL_LATIN: f32 = 0.6;

/// One unit of the query: a word as jieba cuts the query (default mode).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unit {
    /// jieba search-mode words of the unit (matched against word fields).
    pub terms: Vec<String>,
    /// CJK runs and Latin/digit words of the unit (matched against gram
    /// fields).
    pub runs: Vec<Run>,
}

/// The analysed query text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Analyzed {
    /// The whole text in exact form (for name and code equality).
    pub exact: String,
    /// Space-separated words in exact form.
    pub words: Vec<String>,
    pub units: Vec<Unit>,
    /// CJK runs of a space-separated word that jieba cut into several units:
    /// matched as a whole too, so the original substring ranks higher.
    pub word_runs: Vec<Vec<char>>,
}

impl Analyzed {
    pub(crate) fn is_empty(&self) -> bool {
        self.units.is_empty() && self.exact.is_empty()
    }
}

pub(crate) fn analyze(text: &str) -> Analyzed {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let exact = normalize_exact(&text);
    let mut out = Analyzed {
        words: exact.split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect(),
        exact,
        ..Analyzed::default()
    };
    for word in out.words.clone() {
        let mut word_units = 0;
        for piece in JIEBA.cut(&word, true) {
            let unit = Unit { terms: dedup(word_tokens(piece.word)), runs: runs(piece.word) };
            if unit.runs.is_empty() {
                continue;
            }
            word_units += 1;
            if out.units.len() < MAX_UNITS && !out.units.contains(&unit) {
                out.units.push(unit);
            }
        }
        if word_units > 1 {
            for run in runs(&word) {
                if let Run::Cjk(_, chars) = run
                    && chars.len() >= 3
                    && !out.word_runs.contains(&chars)
                {
                    out.word_runs.push(chars);
                }
            }
        }
    }
    out
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v
}

fn term_q(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::WithFreqs))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(BoostQuery::new(query, boost)))
}

fn constant(query: Box<dyn Query>, score: f32) -> (Occur, Box<dyn Query>) {
    (Occur::Should, Box::new(ConstScoreQuery::new(query, score)))
}

fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

/// An exact substring match of a CJK run (two or more characters) in a gram
/// field: a phrase of bigrams at their character offsets (non-overlapping
/// ones suffice, plus the last one), or a single bigram term.
fn substring_q(field: Field, chars: &[char]) -> Box<dyn Query> {
    let last = chars.len().saturating_sub(2);
    let mut offsets: Vec<usize> = (0..=last).step_by(2).collect();
    if offsets.last() != Some(&last) {
        offsets.push(last);
    }
    let terms: Vec<(usize, Term)> = offsets
        .into_iter()
        .filter_map(|o| {
            let bigram: String = chars.get(o..o + 2)?.iter().collect();
            Some((o, Term::from_field_text(field, &bigram)))
        })
        .collect();
    if terms.len() == 1 {
        let bigram: String = chars.iter().take(2).collect();
        term_q(field, &bigram)
    } else {
        Box::new(PhraseQuery::new_with_offset(terms))
    }
}

/// All covering bigrams of a CJK run (two or more characters) in a field
/// without positions: nearly a substring match, much cheaper than a phrase
/// on long texts.
fn bigrams_q(field: Field, chars: &[char]) -> Box<dyn Query> {
    let last = chars.len().saturating_sub(2);
    let mut offsets: Vec<usize> = (0..=last).step_by(2).collect();
    if offsets.last() != Some(&last) {
        offsets.push(last);
    }
    let mut must: Vec<(Occur, Box<dyn Query>)> = offsets
        .into_iter()
        .filter_map(|o| {
            let bigram: String = chars.get(o..o + 2)?.iter().collect();
            Some((Occur::Must, term_q(field, &bigram)))
        })
        .collect();
    match must.len() {
        1 => must.remove(0).1,
        _ => Box::new(BooleanQuery::new(must)),
    }
}

fn unit_query(f: &Fields, unit: &Unit) -> Box<dyn Query> {
    let mut should = Vec::new();
    for t in &unit.terms {
        should.push(boosted(term_q(f.name_w, t), B_NAME_WORD));
        should.push(boosted(term_q(f.items_w, t), B_ITEMS_WORD));
        should.push(boosted(term_q(f.summary_w, t), B_SUMMARY_WORD));
        should.push(boosted(term_q(f.meta_w, t), B_META_WORD));
    }
    for run in &unit.runs {
        match run {
            Run::Cjk(_, chars) if chars.len() == 1 => {
                let c = chars[0].to_string();
                should.push(boosted(term_q(f.name_g, &c), B_NAME_GRAM));
                should.push(boosted(term_q(f.all_g, &c), B_ALL_CHAR));
            }
            Run::Cjk(_, chars) => {
                should.push(boosted(substring_q(f.name_g, chars), B_NAME_GRAM));
                should.push(boosted(bigrams_q(f.all_g, chars), B_ALL_GRAM));
                // Loose bigrams only where jieba knows no smaller words in
                // the unit (typically an unknown word): elsewhere its
                // sub-words already give partial matches, and loose bigrams
                // would mostly add noise (and time).
                if chars.len() >= 3 && unit.terms.len() <= 1 {
                    for pair in chars.windows(2) {
                        let bigram: String = pair.iter().collect();
                        should.push(boosted(term_q(f.all_g, &bigram), B_ALL_LOOSE_BIGRAM));
                    }
                }
            }
            Run::Word(_, word) => {
                should.push(boosted(term_q(f.name_g, word), B_NAME_LATIN));
                should.push(boosted(term_q(f.all_g, word), B_ALL_LATIN));
            }
        }
    }
    Box::new(BooleanQuery::new(should))
}

/// A cheap test that a unit occurs in a document at all: its CJK runs as
/// substrings and its Latin words as word prefixes of the gram field that
/// holds every text of the entry, its words in the other fields (codes,
/// formats…).
fn unit_presence(f: &Fields, unit: &Unit) -> Box<dyn Query> {
    let mut should = Vec::new();
    for run in &unit.runs {
        match run {
            Run::Cjk(_, chars) if chars.len() == 1 => {
                should.push((Occur::Should, term_q(f.all_g, &chars[0].to_string())));
            }
            Run::Cjk(_, chars) => should.push((Occur::Should, bigrams_q(f.all_g, chars))),
            Run::Word(_, word) => should.push((Occur::Should, term_q(f.all_g, word))),
        }
    }
    for t in &unit.terms {
        should.push((Occur::Should, term_q(f.meta_w, t)));
    }
    Box::new(BooleanQuery::new(should))
}

/// The scoring part of the query (`None` for an empty text: everything
/// matches).
fn text_query(f: &Fields, a: &Analyzed) -> Option<Box<dyn Query>> {
    if a.is_empty() {
        return None;
    }
    let mut should = Vec::new();
    let units: Vec<Box<dyn Query>> = a.units.iter().map(|u| unit_query(f, u)).collect();
    if a.units.len() > 1 {
        let all = a.units.iter().map(|u| (Occur::Must, unit_presence(f, u))).collect();
        should.push(constant(Box::new(BooleanQuery::new(all)), ALL_UNITS_BONUS));
    }
    should.extend(units.into_iter().map(|q| (Occur::Should, q)));
    for chars in &a.word_runs {
        should.push(boosted(substring_q(f.name_g, chars), B_NAME_GRAM));
        should.push(boosted(bigrams_q(f.all_g, chars), B_ALL_GRAM));
    }
    if !a.exact.is_empty() {
        should.push(constant(term_q(f.name_exact, &a.exact), EXACT_BONUS));
        should.push(constant(term_q(f.code_exact, &a.exact), EXACT_BONUS));
    }
    let mut code_like: Vec<&str> = Vec::new();
    if !a.exact.chars().any(is_cjk) {
        code_like.push(&a.exact);
    }
    if a.words.len() > 1 {
        for w in &a.words {
            if !w.chars().any(is_cjk) {
                should.push(constant(term_q(f.code_exact, w), CODE_WORD_BONUS));
                code_like.push(w);
            }
        }
    }
    for w in code_like {
        if w.chars().count() >= 2 {
            should.push(constant(term_q(f.code_prefix, w), CODE_PREFIX_BONUS));
        }
    }
    Some(Box::new(BooleanQuery::new(should)))
}

fn keyword_filter(field: Field, value: &Option<String>) -> Option<(Occur, Box<dyn Query>)> {
    let value = normalize_exact(value.as_deref()?);
    (!value.is_empty()).then(|| filter(term_q(field, &value)))
}

fn filter_clauses(f: &Fields, filters: &Filters, vis: &Visibility) -> Vec<(Occur, Box<dyn Query>)> {
    let mut must = Vec::new();
    let published = term_q(f.state, "published");
    match vis {
        Visibility::PublishedOnly => must.push(filter(published)),
        Visibility::PublishedPlusOwnDrafts { provider_id } => {
            let own =
                Box::new(TermQuery::new(Term::from_field_i64(f.provider_id, *provider_id), IndexRecordOption::Basic));
            must.push(filter(Box::new(BooleanQuery::new(vec![(Occur::Should, published), (Occur::Should, own)]))));
        }
    }
    if let Some(id) = filters.provider_id {
        must.push(filter(Box::new(TermQuery::new(Term::from_field_i64(f.provider_id, id), IndexRecordOption::Basic))));
    }
    if let Some(level) = filters.level {
        must.push(filter(Box::new(TermQuery::new(Term::from_field_i64(f.level, level), IndexRecordOption::Basic))));
    }
    if let Some(category) = &filters.category
        && let Some(path) = path_prefixes(category).pop()
    {
        must.push(filter(term_q(f.category, &path)));
    }
    must.extend(keyword_filter(f.share_type, &filters.share_type));
    must.extend(keyword_filter(f.open_type, &filters.open_type));
    must.extend(keyword_filter(f.update_cycle, &filters.update_cycle));
    if let Some(format) = &filters.format {
        // A filter naming several formats keeps entries offering all of them.
        for value in split_formats(format) {
            must.extend(keyword_filter(f.format, &Some(value.to_owned())));
        }
    }
    must
}

/// The full query: text (scored) AND visibility AND filters (unscored).
pub(crate) fn build(f: &Fields, q: &SearchQuery, a: &Analyzed) -> Box<dyn Query> {
    let mut clauses = filter_clauses(f, &q.filters, &q.visibility);
    match text_query(f, a) {
        Some(text) => clauses.push((Occur::Must, text)),
        None => clauses.push((Occur::Must, Box::new(AllQuery))),
    }
    Box::new(BooleanQuery::new(clauses))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analysis_cuts_units_and_keeps_whole_runs() {
        let a = analyze("户籍人口 Bus");
        assert_eq!(a.exact, "户籍人口 bus");
        assert_eq!(a.words, vec!["户籍人口", "bus"]);
        assert!(a.units.len() >= 2, "{:?}", a.units);
        assert!(a.units.iter().any(|u| u.runs == vec![Run::Word(0, "bus".into())]));
        let a = analyze("   ");
        assert!(a.is_empty());
        let a = analyze("人口 人口");
        assert_eq!(a.units.len(), 1);
    }

    #[test]
    fn analysis_of_codes() {
        let a = analyze("2010300/00017");
        assert_eq!(a.exact, "2010300/00017");
        assert_eq!(a.units.len(), 2, "{:?}", a.units);
    }
}
