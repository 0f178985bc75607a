//! Highlighting: marks what the query matched in a name, a summary or an
//! item name, as HTML with `<mark>…</mark>` and everything else escaped.
//!
//! It marks what the gram analysis matched: every query CJK bigram (so any
//! common substring of two or more characters), a single-character query
//! word, and Latin/digit query words as prefixes of words in the text, all
//! compared after [`norm_char`] (case- and width-insensitive).

use crate::query::Analyzed;
use crate::text::{Run, is_word_char, norm_char};

/// Longest summary fragment, in characters.
const FRAGMENT_CHARS: usize = 100;
/// Characters of context kept before the first match in a cut fragment.
const CONTEXT_BEFORE: usize = 20;

#[derive(Debug, Default)]
pub(crate) struct Needles {
    /// CJK sequences matched anywhere.
    cjk: Vec<Vec<char>>,
    /// Latin/digit words matched at the start of a word.
    words: Vec<Vec<char>>,
}

impl Needles {
    pub(crate) fn from_query(a: &Analyzed) -> Needles {
        let mut n = Needles::default();
        let add_cjk = |n: &mut Needles, chars: &[char]| {
            if chars.len() == 1 {
                n.cjk.push(chars.to_vec());
            } else {
                for pair in chars.windows(2) {
                    n.cjk.push(pair.to_vec());
                }
            }
        };
        for unit in &a.units {
            for run in &unit.runs {
                match run {
                    Run::Cjk(_, chars) => add_cjk(&mut n, chars),
                    Run::Word(_, word) => n.words.push(word.chars().collect()),
                }
            }
        }
        for chars in &a.word_runs {
            add_cjk(&mut n, chars);
        }
        n.cjk.sort();
        n.cjk.dedup();
        n.words.sort();
        n.words.dedup();
        n
    }

    fn is_empty(&self) -> bool {
        self.cjk.is_empty() && self.words.is_empty()
    }

    /// Which characters of `text` to mark (`None` when nothing matches).
    fn marks(&self, chars: &[char]) -> Option<Vec<bool>> {
        if self.is_empty() {
            return None;
        }
        let norm: Vec<char> = chars.iter().copied().map(norm_char).collect();
        let mut marks = vec![false; norm.len()];
        let mut any = false;
        for needle in &self.cjk {
            any |= mark_all(&norm, needle, &mut marks, false);
        }
        for needle in &self.words {
            any |= mark_all(&norm, needle, &mut marks, true);
        }
        any.then_some(marks)
    }
}

fn mark_all(text: &[char], needle: &[char], marks: &mut [bool], word_start: bool) -> bool {
    if needle.is_empty() || needle.len() > text.len() {
        return false;
    }
    let mut any = false;
    for start in 0..=text.len() - needle.len() {
        if text[start..start + needle.len()] != *needle {
            continue;
        }
        if word_start && start > 0 && is_word_char(text[start - 1]) {
            continue;
        }
        for m in &mut marks[start..start + needle.len()] {
            *m = true;
        }
        any = true;
    }
    any
}

fn escape_into(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&#39;"),
        _ => out.push(c),
    }
}

/// Escaped HTML of `chars[range]` with marked characters in `<mark>`.
fn render(chars: &[char], marks: &[bool], start: usize, end: usize) -> String {
    let mut out = String::new();
    let mut open = false;
    for (i, c) in chars.iter().enumerate().take(end).skip(start) {
        let marked = marks.get(i).copied().unwrap_or(false);
        if marked && !open {
            out.push_str("<mark>");
            open = true;
        } else if !marked && open {
            out.push_str("</mark>");
            open = false;
        }
        escape_into(&mut out, *c);
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// The whole text, highlighted, if anything in it matches.
pub(crate) fn whole(text: &str, needles: &Needles) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let marks = needles.marks(&chars)?;
    Some(render(&chars, &marks, 0, chars.len()))
}

/// A fragment of at most [`FRAGMENT_CHARS`] characters around the first
/// match, with `…` where the text was cut, if anything matches.
pub(crate) fn fragment(text: &str, needles: &Needles) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let marks = needles.marks(&chars)?;
    if chars.len() <= FRAGMENT_CHARS {
        return Some(render(&chars, &marks, 0, chars.len()));
    }
    let first = marks.iter().position(|m| *m).unwrap_or(0);
    let mut start = first.saturating_sub(CONTEXT_BEFORE);
    let end = (start + FRAGMENT_CHARS).min(chars.len());
    if end == chars.len() {
        start = chars.len() - FRAGMENT_CHARS;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(&render(&chars, &marks, start, end));
    if end < chars.len() {
        out.push('…');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::analyze;

    #[test]
    fn marks_and_escapes() {
        let n = Needles::from_query(&analyze("人口 bus"));
        assert_eq!(
            whole("<b>户籍人口</b> & Bus站", &n).as_deref(),
            Some("&lt;b&gt;户籍<mark>人口</mark>&lt;/b&gt; &amp; <mark>Bus</mark>站")
        );
        assert_eq!(whole("企业登记", &n), None);
        // Latin words match at word starts only.
        assert_eq!(whole("abus", &n), None);
    }

    #[test]
    fn overlapping_bigrams_merge() {
        let n = Needles::from_query(&analyze("空气质量"));
        assert_eq!(whole("全市空气质量日报", &n).as_deref(), Some("全市<mark>空气质量</mark>日报"));
    }

    #[test]
    fn long_text_is_cut_around_the_match() {
        let n = Needles::from_query(&analyze("公交"));
        let text = format!("{}公交{}", "甲".repeat(200), "乙".repeat(200));
        let f = fragment(&text, &n).unwrap_or_default();
        assert!(f.starts_with('…') && f.ends_with('…'), "{f}");
        assert!(f.contains("<mark>公交</mark>"));
        assert_eq!(f.chars().filter(|c| *c == '甲').count(), CONTEXT_BEFORE);
    }
}
