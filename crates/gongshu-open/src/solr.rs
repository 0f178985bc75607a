//! The part of Solr's query syntax that CKAN clients and harvesters send in
//! `package_search`'s `q` and `fq`: `field:value`, `field:"quoted value"`,
//! `field:[from TO to]` (`*` open), `field:(a OR b)`, a leading `+` (must) or `-` (must
//! not), `AND` between clauses, `*:*` for everything, and free words, which go to the
//! catalog's full-text search. Plain code, tested below.

/// What a clause's value must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Equal (case-insensitive); `*` matches any value.
    Is(String),
    /// Any of these.
    AnyOf(Vec<String>),
    /// Between, inclusive; `None` is open.
    Range(Option<String>, Option<String>),
}

/// One `field:value` clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub field: String,
    pub value: Value,
    pub negated: bool,
}

/// A parsed `q` or `fq`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub clauses: Vec<Clause>,
    /// Free words, for the full-text search.
    pub words: Vec<String>,
}

/// Splits at spaces outside quotes, brackets and parentheses.
fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let (mut quoted, mut depth) = (false, 0i32);
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | '(' | '{' if !quoted => depth += 1,
            ']' | ')' | '}' if !quoted => depth -= 1,
            _ => {}
        }
        if c.is_whitespace() && !quoted && depth <= 0 {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        } else {
            cur.push(c);
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s).replace("\\:", ":")
}

fn value(raw: &str) -> Value {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix(['[', '{']).and_then(|r| r.strip_suffix([']', '}'])) {
        let (from, to) = inner.split_once(" TO ").unwrap_or((inner, "*"));
        let end = |v: &str| {
            let v = unquote(v);
            (v != "*" && !v.is_empty()).then_some(v)
        };
        return Value::Range(end(from), end(to));
    }
    if let Some(inner) = raw.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        let vals: Vec<String> =
            tokens(inner).iter().filter(|t| *t != "OR" && *t != "AND").map(|t| unquote(t)).collect();
        return Value::AnyOf(vals);
    }
    Value::Is(unquote(raw))
}

/// Parses a `q` or an `fq`.
pub fn parse(s: &str) -> Parsed {
    let mut out = Parsed::default();
    for t in tokens(s) {
        if t == "AND" || t == "OR" || t == "&&" || t == "*:*" || t == "*" {
            continue;
        }
        let (negated, body) = match t.strip_prefix('-').or_else(|| t.strip_prefix('!')) {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('+').unwrap_or(&t)),
        };
        match body.split_once(':') {
            Some((field, v)) if !field.is_empty() && !field.starts_with('"') && !v.is_empty() => {
                out.clauses.push(Clause { field: field.to_string(), value: value(v), negated })
            }
            _ if !negated => out.words.push(unquote(body)),
            _ => {}
        }
    }
    out
}

impl Clause {
    /// Whether one of the dataset's values for the field satisfies the clause (before
    /// negation).
    pub fn matches_any(&self, values: &[String]) -> bool {
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b) || a == b;
        let hit = match &self.value {
            Value::Is(v) if v == "*" => !values.is_empty(),
            Value::Is(v) => values.iter().any(|x| eq(x, v)),
            Value::AnyOf(vs) => values.iter().any(|x| vs.iter().any(|v| eq(x, v))),
            Value::Range(from, to) => values.iter().any(|x| {
                let x = x.as_str();
                from.as_deref().is_none_or(|f| x >= normalize_date(f).as_str())
                    && to.as_deref().is_none_or(|t| x <= normalize_date(t).as_str())
            }),
        };
        hit != self.negated
    }
}

/// Solr dates (`2024-01-01T00:00:00Z`, `NOW`) compared as text with our ISO times.
fn normalize_date(s: &str) -> String {
    if s.starts_with("NOW") {
        return chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
    }
    s.trim_end_matches('Z').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opn_1_solr_clauses_parse_as_ckan_clients_send_them() {
        let p = parse(r#"organization:11100000000013127d +tags:"公民 身份" -res_format:XLSX 人口 AND 户籍"#);
        assert_eq!(p.words, ["人口", "户籍"]);
        assert_eq!(p.clauses.len(), 3);
        assert_eq!(p.clauses[1].value, Value::Is("公民 身份".into()));
        assert!(p.clauses[2].negated);
        let r = parse("metadata_modified:[2024-01-01T00:00:00Z TO *]");
        assert_eq!(r.clauses[0].value, Value::Range(Some("2024-01-01T00:00:00Z".into()), None));
        let any = parse("groups:(基础-人口 OR 主题-交通)");
        assert_eq!(any.clauses[0].value, Value::AnyOf(vec!["基础-人口".into(), "主题-交通".into()]));
        assert_eq!(parse("*:*"), Parsed::default());
        assert_eq!(parse(""), Parsed::default());
    }

    #[test]
    fn opn_1_clauses_match_values() {
        let c = |s: &str| parse(s).clauses.remove(0);
        assert!(c("res_format:csv").matches_any(&["CSV".into()]));
        assert!(!c("-res_format:csv").matches_any(&["CSV".into()]));
        assert!(c("-res_format:csv").matches_any(&["JSON".into()]));
        assert!(c("tags:*").matches_any(&["x".into()]));
        assert!(!c("tags:*").matches_any(&[]));
        let since = c("metadata_modified:[2024-01-01T00:00:00Z TO NOW]");
        assert!(since.matches_any(&["2024-06-01T10:00:00.000000".into()]));
        assert!(!since.matches_any(&["2023-12-31T23:59:59.000000".into()]));
    }
}
