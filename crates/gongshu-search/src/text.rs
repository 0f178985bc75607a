//! Text analysis shared by indexing and querying.
//!
//! Every piece of text goes through [`norm_char`] first (full-width ASCII to
//! half-width, ideographic space to space, lower case), one character in, one
//! character out, so character offsets of the normalised text are those of the
//! original text (the highlighter relies on that).
//!
//! Two analyses are indexed side by side (see the crate documentation for how
//! they are weighted):
//!
//! * **words** ([`ZhWordsTokenizer`]): jieba in search mode (HMM on), so
//!   `户籍人口基本信息` gives `户籍`, `人口`, `基本`, `信息`, `基本信息`…, and
//!   Latin/digit runs as lower-case words;
//! * **grams** ([`ZhGramsTokenizer`]): every CJK character and every CJK
//!   bigram, positioned by character offset so that a phrase of bigrams is an
//!   exact substring match, plus every Latin/digit word with its prefixes
//!   (2..=20 characters), so `popul` finds `population` and words that jieba
//!   does not know still match.

use std::sync::LazyLock;

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The jieba dictionary is loaded once per process (it takes a moment and
/// tens of megabytes); all tokenizers and query analysis share it.
pub(crate) static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Longest Latin/digit token kept (longer runs are cut), and longest prefix
/// indexed for one.
const MAX_WORD_CHARS: usize = 40;
const MAX_PREFIX_CHARS: usize = 20;
/// Longest code prefix indexed.
const MAX_CODE_PREFIX_CHARS: usize = 64;

/// Normalises one character: full-width ASCII forms become ASCII, the
/// ideographic space becomes a space, letters become lower case (when the
/// lower-case form is one character).
pub(crate) fn norm_char(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Normalises a whole string with [`norm_char`].
pub(crate) fn normalize(text: &str) -> String {
    text.chars().map(norm_char).collect()
}

/// Normalises, trims and collapses runs of white space into one space: the
/// form used for exact (whole value) matches of names, codes and filters.
pub(crate) fn normalize_exact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in normalize(text).split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Cleans a category path: segments split on `/`, trimmed, empty ones
/// dropped, joined again with `/` (`" 基础 / 人口/"` → `基础/人口`).
pub(crate) fn clean_category(category: &str) -> String {
    category.split('/').map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/")
}

/// CJK ideographs (and kana and hangul, which are segmented the same way).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // hiragana, katakana
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xAC00..=0xD7AF    // hangul syllables
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0x20000..=0x2FA1F  // CJK extensions B.. and compatibility supplement
        | 0x3007             // 〇
    )
}

/// Characters of Latin-like words: letters and digits that are not CJK.
pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() && !is_cjk(c)
}

fn is_meaningful(token: &str) -> bool {
    token.chars().any(|c| is_cjk(c) || is_word_char(c))
}

/// A run of characters of one kind inside a normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Run {
    /// CJK characters, with the character offset of the first one.
    Cjk(usize, Vec<char>),
    /// A Latin/digit word (lower case, at most [`MAX_WORD_CHARS`]), with its
    /// character offset.
    Word(usize, String),
}

/// Splits normalised text into CJK runs and Latin/digit words; everything
/// else (punctuation, spaces) separates runs.
pub(crate) fn runs(normalized: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    let mut word_len = 0usize;
    let mut start = 0usize;
    for (i, c) in normalized.chars().enumerate() {
        if is_cjk(c) {
            if word_len > 0 {
                out.push(Run::Word(start, std::mem::take(&mut word)));
                word_len = 0;
            }
            if cjk.is_empty() {
                start = i;
            }
            cjk.push(c);
        } else if is_word_char(c) {
            if !cjk.is_empty() {
                out.push(Run::Cjk(start, std::mem::take(&mut cjk)));
            }
            if word_len == 0 {
                start = i;
            }
            if word_len < MAX_WORD_CHARS {
                word.push(c);
            }
            word_len += 1;
        } else {
            if !cjk.is_empty() {
                out.push(Run::Cjk(start, std::mem::take(&mut cjk)));
            }
            if word_len > 0 {
                out.push(Run::Word(start, std::mem::take(&mut word)));
                word_len = 0;
            }
        }
    }
    if !cjk.is_empty() {
        out.push(Run::Cjk(start, cjk));
    }
    if word_len > 0 {
        out.push(Run::Word(start, word));
    }
    out
}

/// Word tokens of a text: jieba search mode over the normalised text, tokens
/// without any letter, digit or ideograph dropped.
pub(crate) fn word_tokens(text: &str) -> Vec<String> {
    let normalized = normalize(text);
    JIEBA
        .cut_for_search(&normalized, true)
        .into_iter()
        .map(|t| t.word)
        .filter(|w| is_meaningful(w))
        .map(str::to_owned)
        .collect()
}

/// A token stream over tokens computed up front.
pub(crate) struct VecTokenStream {
    tokens: Vec<Token>,
    index: usize,
    current: Token,
}

impl VecTokenStream {
    fn new(tokens: Vec<Token>) -> Self {
        VecTokenStream { tokens, index: 0, current: Token::default() }
    }
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get_mut(self.index) {
            Some(token) => {
                self.current = std::mem::take(token);
                self.index += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

fn token(position: usize, text: String) -> Token {
    Token { offset_from: 0, offset_to: 0, position, text, position_length: 1 }
}

/// jieba search-mode words (see [`word_tokens`]).
#[derive(Clone, Default)]
pub(crate) struct ZhWordsTokenizer;

impl Tokenizer for ZhWordsTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = word_tokens(text).into_iter().enumerate().map(|(i, w)| token(i, w)).collect();
        VecTokenStream::new(tokens)
    }
}

/// Prefixes of a Latin/digit word that the gram analysis indexes besides the
/// word itself: lengths 2..=20, shorter than the word.
pub(crate) fn word_prefixes(word: &str) -> impl Iterator<Item = &str> {
    let ends: Vec<usize> = word.char_indices().map(|(i, _)| i).skip(2).take(MAX_PREFIX_CHARS - 1).collect();
    ends.into_iter().map(move |end| &word[..end])
}

/// Unigrams and bigrams of CJK runs, Latin/digit words and their prefixes,
/// each positioned at the character offset where it starts.
#[derive(Clone, Default)]
pub(crate) struct ZhGramsTokenizer;

impl Tokenizer for ZhGramsTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let mut tokens = Vec::new();
        for run in runs(&normalize(text)) {
            match run {
                Run::Cjk(start, chars) => {
                    for (i, c) in chars.iter().enumerate() {
                        tokens.push(token(start + i, c.to_string()));
                        if let Some(next) = chars.get(i + 1) {
                            tokens.push(token(start + i, [*c, *next].iter().collect()));
                        }
                    }
                }
                Run::Word(start, word) => {
                    for prefix in word_prefixes(&word) {
                        tokens.push(token(start, prefix.to_owned()));
                    }
                    tokens.push(token(start, word));
                }
            }
        }
        VecTokenStream::new(tokens)
    }
}

/// The whole value as one token, in [`normalize_exact`] form (nothing for an
/// empty value).
#[derive(Clone, Default)]
pub(crate) struct ExactTokenizer;

impl Tokenizer for ExactTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let value = normalize_exact(text);
        let tokens = if value.is_empty() { Vec::new() } else { vec![token(0, value)] };
        VecTokenStream::new(tokens)
    }
}

/// Every prefix (1..=64 characters) of the value in [`normalize_exact`] form:
/// codes are found by prefix with one term lookup.
#[derive(Clone, Default)]
pub(crate) struct EdgePrefixTokenizer;

impl Tokenizer for EdgePrefixTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let value = normalize_exact(text);
        let mut tokens = Vec::new();
        let mut ends: Vec<usize> = value.char_indices().map(|(i, _)| i).skip(1).collect();
        ends.push(value.len());
        for end in ends.into_iter().take(MAX_CODE_PREFIX_CHARS) {
            if end > 0 {
                tokens.push(token(0, value[..end].to_owned()));
            }
        }
        VecTokenStream::new(tokens)
    }
}

/// Each ancestor path of a category and the path itself (`基础/人口` →
/// `基础`, `基础/人口`), normalised: the category filter is one term lookup.
#[derive(Clone, Default)]
pub(crate) struct PathPrefixTokenizer;

/// The terms [`PathPrefixTokenizer`] produces for a category.
pub(crate) fn path_prefixes(category: &str) -> Vec<String> {
    let cleaned = normalize_exact(&clean_category(category));
    let mut out = Vec::new();
    let mut path = String::new();
    for segment in cleaned.split('/').map(str::trim).filter(|s| !s.is_empty()) {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(segment);
        out.push(path.clone());
    }
    out
}

impl Tokenizer for PathPrefixTokenizer {
    type TokenStream<'a> = VecTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = path_prefixes(text).into_iter().map(|p| token(0, p)).collect();
        VecTokenStream::new(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream<T: Tokenizer>(mut t: T, text: &str) -> Vec<(usize, String)> {
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().position, s.token().text.clone()));
        }
        out
    }

    #[test]
    fn normalizes_full_width_and_case() {
        assert_eq!(normalize("ＣＳＶ　Ａｐｉ"), "csv api");
        assert_eq!(normalize_exact("  GDP   统计 "), "gdp 统计");
        assert_eq!(clean_category(" 基础 / 人口/"), "基础/人口");
    }

    #[test]
    fn jieba_search_mode_words() {
        let words = word_tokens("户籍人口基本信息");
        assert!(words.contains(&"户籍".to_owned()), "{words:?}");
        assert!(words.contains(&"人口".to_owned()), "{words:?}");
        assert!(words.contains(&"信息".to_owned()), "{words:?}");
        let words = word_tokens("WiFi热点, Bus-Station!");
        assert!(words.iter().all(|w| w == &w.to_lowercase()), "{words:?}");
        assert!(words.iter().all(|w| is_meaningful(w)), "{words:?}");
    }

    #[test]
    fn grams_are_positioned_by_character() {
        let toks = stream(ZhGramsTokenizer, "公交站 Bus");
        assert!(toks.contains(&(0, "公".into())));
        assert!(toks.contains(&(0, "公交".into())));
        assert!(toks.contains(&(1, "交站".into())));
        assert!(toks.contains(&(2, "站".into())));
        assert!(!toks.iter().any(|(_, t)| t == "站 "));
        assert!(toks.contains(&(4, "bus".into())));
        assert!(toks.contains(&(4, "bu".into())));
    }

    #[test]
    fn runs_split_kinds() {
        assert_eq!(
            runs("2023年人口,abc"),
            vec![Run::Word(0, "2023".into()), Run::Cjk(4, vec!['年', '人', '口']), Run::Word(8, "abc".into()),]
        );
    }

    #[test]
    fn prefixes_for_codes_and_paths() {
        let toks: Vec<String> = stream(EdgePrefixTokenizer, "AB/1").into_iter().map(|t| t.1).collect();
        assert_eq!(toks, vec!["a", "ab", "ab/", "ab/1"]);
        assert_eq!(path_prefixes("基础/人口"), vec!["基础", "基础/人口"]);
        let prefixes: Vec<&str> = word_prefixes("station").collect();
        assert_eq!(prefixes, vec!["st", "sta", "stat", "stati", "statio"]);
        assert_eq!(word_prefixes("ab").count(), 0);
        assert!(stream(ExactTokenizer, "  ").is_empty());
    }
}
