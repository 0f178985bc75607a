//! The open catalog as DCAT-AP 3.0 documents (OPN-1): `/catalog.ttl` (Turtle) and
//! `/catalog.jsonld` (compact JSON-LD with an inline context).
//!
//! Both documents are rendered from one list of RDF nodes, so they carry the same
//! triples. The output is byte-for-byte deterministic for the same input: nodes come
//! in input order (catalog, then each dataset followed by its distributions, then the
//! agents, the category scheme and its concepts in first-use order, then the typing
//! of outside resources sorted by IRI). An agent or a category used more than once is
//! described once, by its first occurrence; a value repeated on one property is left out.
//!
//! What the DCAT-AP 3.0.0 shapes (`dcat-ap-3.0.0-SHACL.ttl`) require, and how it is met:
//! - Catalog: `dct:title`, `dct:description` (1..n literals), `dct:publisher` (exactly
//!   one `foaf:Agent`); optional `foaf:homepage` (one `foaf:Document`), `dct:modified`
//!   (at most one), `dct:language` (`dct:LinguisticSystem`), `dcat:themeTaxonomy`
//!   (`skos:ConceptScheme`, which needs a `dct:title`).
//! - Dataset: `dct:title`, `dct:description`; at most one publisher, issued, modified,
//!   accrual periodicity (`dct:Frequency`); `dcat:landingPage` is a `foaf:Document`,
//!   `dcat:theme` a `skos:Concept` (which needs a `skos:prefLabel`), keywords literals.
//! - Distribution: `dcat:accessURL` (1..n IRIs); at most one media type (`dct:MediaType`),
//!   format (`dct:MediaTypeOrExtent`), byte size (`xsd:nonNegativeInteger`), modified,
//!   licence (`dct:LicenseDocument`).
//! - Agent: `foaf:name` (1..n literals).
//!
//! The shapes check classes with `sh:class`, which only sees the types stated in the
//! document itself; so the outside resources we point at (EU authority tables, IANA media
//! types, licences, home and landing pages) are typed in the document too. The
//! `rdfs:Resource` range of access and download URLs holds under RDFS entailment, which
//! is how the shapes are run (`ci/shacl_check.py`, inference `rdfs`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde_json::{Map, Value};

/// The media type of [`to_turtle`]'s output (`/catalog.ttl`).
pub const TURTLE_MEDIA_TYPE: &str = "text/turtle; charset=utf-8";
/// The media type of [`to_jsonld`]'s output (`/catalog.jsonld`).
pub const JSONLD_MEDIA_TYPE: &str = "application/ld+json";

/// The EU language authority's Chinese (ZHO), the catalog's `dct:language`.
pub const LANGUAGE_ZHO: &str = "http://publications.europa.eu/resource/authority/language/ZHO";

const FILE_TYPE_BASE: &str = "http://publications.europa.eu/resource/authority/file-type/";
const IANA_MEDIA_TYPE_BASE: &str = "https://www.iana.org/assignments/media-types/";

/// The prefixes of both documents (Turtle `@prefix`, JSON-LD `@context`).
const PREFIXES: [(&str, &str); 5] = [
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

/// A publisher: a `foaf:Agent` with its `foaf:name` (in Chinese).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Agent {
    /// The agent's IRI.
    pub uri: String,
    /// The agent's name (tagged `@zh`).
    pub name: String,
    /// 统一社会信用代码 when known (`dct:identifier`).
    pub identifier: Option<String>,
}

/// How often a dataset is updated (`dct:accrualPeriodicity`), from the EU frequency table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// Realtime (实时): `CONT`.
    Continuous,
    /// Daily (每日): `DAILY`.
    Daily,
    /// Weekly (每周): `WEEKLY`.
    Weekly,
    /// Monthly (每月): `MONTHLY`.
    Monthly,
    /// Quarterly (每季度): `QUARTERLY`.
    Quarterly,
    /// Twice a year (每半年): `ANNUAL_2`.
    Semiannual,
    /// Yearly (每年): `ANNUAL`.
    Annual,
    /// Irregular (不定期): `IRREG`.
    Irregular,
}

impl Frequency {
    /// From our catalog's update cycle codes: `realtime`, `daily`, `weekly`, `monthly`,
    /// `quarterly`, `half_yearly`, `yearly`, `irregular`; `None` for any other code.
    pub fn from_cycle(code: &str) -> Option<Frequency> {
        Some(match code {
            "realtime" => Frequency::Continuous,
            "daily" => Frequency::Daily,
            "weekly" => Frequency::Weekly,
            "monthly" => Frequency::Monthly,
            "quarterly" => Frequency::Quarterly,
            "half_yearly" => Frequency::Semiannual,
            "yearly" => Frequency::Annual,
            "irregular" => Frequency::Irregular,
            _ => return None,
        })
    }

    /// The frequency's IRI in the EU authority table
    /// (`http://publications.europa.eu/resource/authority/frequency/...`).
    pub fn uri(self) -> &'static str {
        match self {
            Frequency::Continuous => "http://publications.europa.eu/resource/authority/frequency/CONT",
            Frequency::Daily => "http://publications.europa.eu/resource/authority/frequency/DAILY",
            Frequency::Weekly => "http://publications.europa.eu/resource/authority/frequency/WEEKLY",
            Frequency::Monthly => "http://publications.europa.eu/resource/authority/frequency/MONTHLY",
            Frequency::Quarterly => "http://publications.europa.eu/resource/authority/frequency/QUARTERLY",
            Frequency::Semiannual => "http://publications.europa.eu/resource/authority/frequency/ANNUAL_2",
            Frequency::Annual => "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
            Frequency::Irregular => "http://publications.europa.eu/resource/authority/frequency/IRREG",
        }
    }
}

/// One downloadable or accessible form of a dataset (`dcat:Distribution`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Distribution {
    /// The distribution's IRI.
    pub uri: String,
    /// The distribution's title (tagged `@zh`).
    pub title: String,
    /// Where the data can be reached (`dcat:accessURL`, mandatory). When blank, the
    /// download URL stands in, else the dataset's landing page, else the dataset's IRI.
    pub access_url: String,
    /// The file itself (`dcat:downloadURL`).
    pub download_url: Option<String>,
    /// IANA media type, e.g. "text/csv", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    /// "application/json", "application/vnd.apache.parquet". Parameters (`; charset=...`) are
    /// dropped; a value that is not `type/subtype` is left out.
    pub media_type: String,
    /// Short format code: "CSV", "XLSX", "JSON", "PARQUET", mapped to the EU file-type
    /// authority (`http://publications.europa.eu/resource/authority/file-type/{CODE}`); the
    /// code is upper-cased, and one with characters other than `A-Z`, `0-9`, `_`, `-` is left out.
    pub format: String,
    /// Size in bytes (`dcat:byteSize`, `xsd:nonNegativeInteger`).
    pub byte_size: Option<u64>,
    /// Last change (`dct:modified`).
    pub modified: Option<DateTime<Utc>>,
    /// The licence's IRI (`dct:license`).
    pub license: Option<String>,
}

/// One open catalog entry (`dcat:Dataset`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dataset {
    /// The dataset's IRI.
    pub uri: String,
    /// The dataset's identifier (our CKAN name, e.g. "1010010-00001"), `dct:identifier`.
    pub identifier: String,
    /// The dataset's title (tagged `@zh`).
    pub title: String,
    /// The dataset's description (tagged `@zh`).
    pub description: String,
    /// The providing department.
    pub publisher: Agent,
    /// Keywords (`dcat:keyword`, tagged `@zh`); blank and repeated ones are left out.
    pub keywords: Vec<String>,
    /// The catalog categories as (IRI, label), e.g. a label "基础/人口"; each is described as a
    /// `skos:Concept` in the catalog's category scheme ([`theme_scheme_uri`]). [`theme_uri`]
    /// mints an IRI for a label under the catalog's IRI.
    pub themes: Vec<(String, String)>,
    /// First publication (`dct:issued`).
    pub issued: Option<DateTime<Utc>>,
    /// Last change (`dct:modified`).
    pub modified: Option<DateTime<Utc>>,
    /// The dataset's page on the portal (`dcat:landingPage`).
    pub landing_page: Option<String>,
    /// The update cycle (`dct:accrualPeriodicity`).
    pub frequency: Option<Frequency>,
    /// The dataset's distributions.
    pub distributions: Vec<Distribution>,
}

/// The open catalog (`dcat:Catalog`) with all its open entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalog {
    /// The catalog's IRI.
    pub uri: String,
    /// The catalog's title in Chinese.
    pub title: String,
    /// The catalog's title in English.
    pub title_en: Option<String>,
    /// The catalog's description in Chinese.
    pub description: String,
    /// The catalog's description in English.
    pub description_en: Option<String>,
    /// The portal's home page (`foaf:homepage`).
    pub homepage: Option<String>,
    /// The catalog's publisher.
    pub publisher: Agent,
    /// Last change of the catalog (`dct:modified`).
    pub modified: Option<DateTime<Utc>>,
    /// The open entries, one `dcat:Dataset` each, in this order.
    pub datasets: Vec<Dataset>,
}

/// The IRI of the catalog's category scheme (`skos:ConceptScheme`): `{catalog}/themes`.
pub fn theme_scheme_uri(catalog_uri: &str) -> String {
    format!("{}/themes", catalog_uri.trim().trim_end_matches('/'))
}

/// An IRI for a category label under the catalog's IRI: `{catalog}/themes/{label}`, the
/// label percent-encoded as one path segment (so "基础/人口" stays one segment).
pub fn theme_uri(catalog_uri: &str, label: &str) -> String {
    let mut out = theme_scheme_uri(catalog_uri);
    out.push('/');
    for b in label.trim().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            push_percent(&mut out, b);
        }
    }
    out
}

/// The catalog as a Turtle document (served as [`TURTLE_MEDIA_TYPE`]).
pub fn to_turtle(c: &Catalog) -> String {
    let nodes = build(c);
    let mut out = String::new();
    for (prefix, ns) in PREFIXES {
        out.push_str("@prefix ");
        out.push_str(prefix);
        out.push_str(": <");
        out.push_str(ns);
        out.push_str("> .\n");
    }
    for node in &nodes {
        out.push('\n');
        write_turtle_node(&mut out, node);
    }
    out
}

/// The catalog as compact JSON-LD with an inline `@context` of prefixes (no remote
/// context) and every node in `@graph` (served as [`JSONLD_MEDIA_TYPE`]).
pub fn to_jsonld(c: &Catalog) -> Value {
    let nodes = build(c);
    let mut context = Map::new();
    for (prefix, ns) in PREFIXES {
        context.insert(prefix.to_owned(), Value::String(ns.to_owned()));
    }
    let mut doc = Map::new();
    doc.insert("@context".to_owned(), Value::Object(context));
    doc.insert("@graph".to_owned(), Value::Array(nodes.iter().map(jsonld_node).collect()));
    Value::Object(doc)
}

// ---------------------------------------------------------------------------------------
// The RDF nodes both documents are rendered from.

/// An RDF object.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Term {
    /// An IRI, already encoded by [`iri`].
    Iri(String),
    /// A language-tagged string.
    Lang(String, &'static str),
    /// A typed literal; the datatype is a prefixed name.
    Typed(String, &'static str),
    /// A plain string literal (`xsd:string`).
    Plain(String),
}

/// One subject with its types and properties (prefixed names), in insertion order.
#[derive(Debug)]
struct Node {
    iri: String,
    types: Vec<&'static str>,
    props: Vec<(&'static str, Vec<Term>)>,
}

impl Node {
    fn new(iri: String, types: Vec<&'static str>) -> Node {
        Node { iri, types, props: Vec::new() }
    }

    /// Adds a value; a repeated value (same property, same term) is left out.
    fn add(&mut self, property: &'static str, term: Term) {
        match self.props.iter_mut().find(|(p, _)| *p == property) {
            Some((_, terms)) => {
                if !terms.contains(&term) {
                    terms.push(term);
                }
            }
            None => self.props.push((property, vec![term])),
        }
    }
}

/// Collects the nodes beside the catalog, datasets and distributions.
#[derive(Default)]
struct Extras {
    /// Agents by IRI, first description wins, in first-use order.
    agents: Vec<Node>,
    /// Category concepts, first label wins, in first-use order.
    concepts: Vec<Node>,
    /// Outside resources and the classes the shapes need them to have.
    typed: BTreeMap<String, BTreeSet<&'static str>>,
}

impl Extras {
    fn agent(&mut self, a: &Agent) -> Term {
        let id = iri(&a.uri);
        if !self.agents.iter().any(|n| n.iri == id) {
            let mut node = Node::new(id.clone(), vec!["foaf:Agent"]);
            node.add("foaf:name", Term::Lang(a.name.clone(), "zh"));
            if let Some(code) = non_blank(a.identifier.as_deref()) {
                node.add("dct:identifier", Term::Plain(code.trim().to_owned()));
            }
            self.agents.push(node);
        }
        Term::Iri(id)
    }

    fn concept(&mut self, uri: &str, label: &str, scheme: &str) -> Term {
        let id = iri(uri);
        if !self.concepts.iter().any(|n| n.iri == id) {
            let mut node = Node::new(id.clone(), vec!["skos:Concept"]);
            node.add("skos:prefLabel", Term::Lang(label.to_owned(), "zh"));
            node.add("skos:inScheme", Term::Iri(scheme.to_owned()));
            self.concepts.push(node);
        }
        Term::Iri(id)
    }

    /// An outside resource that must carry `class` for the shapes.
    fn typed(&mut self, raw: &str, class: &'static str) -> Term {
        let id = iri(raw);
        self.typed.entry(id.clone()).or_default().insert(class);
        Term::Iri(id)
    }
}

fn build(c: &Catalog) -> Vec<Node> {
    let mut extras = Extras::default();
    let scheme = iri(&theme_scheme_uri(&c.uri));
    let has_themes = c.datasets.iter().any(|d| !d.themes.is_empty());

    let mut catalog = Node::new(iri(&c.uri), vec!["dcat:Catalog"]);
    catalog.add("dct:title", Term::Lang(c.title.clone(), "zh"));
    if let Some(t) = non_blank(c.title_en.as_deref()) {
        catalog.add("dct:title", Term::Lang(t.to_owned(), "en"));
    }
    catalog.add("dct:description", Term::Lang(c.description.clone(), "zh"));
    if let Some(d) = non_blank(c.description_en.as_deref()) {
        catalog.add("dct:description", Term::Lang(d.to_owned(), "en"));
    }
    let publisher = extras.agent(&c.publisher);
    catalog.add("dct:publisher", publisher);
    if let Some(h) = non_blank(c.homepage.as_deref()) {
        let page = extras.typed(h, "foaf:Document");
        catalog.add("foaf:homepage", page);
    }
    let language = extras.typed(LANGUAGE_ZHO, "dct:LinguisticSystem");
    catalog.add("dct:language", language);
    if let Some(m) = &c.modified {
        catalog.add("dct:modified", datetime(m));
    }
    if has_themes {
        catalog.add("dcat:themeTaxonomy", Term::Iri(scheme.clone()));
    }
    for d in &c.datasets {
        catalog.add("dcat:dataset", Term::Iri(iri(&d.uri)));
    }

    let mut nodes = vec![catalog];
    for d in &c.datasets {
        let (dataset, distributions) = build_dataset(d, &scheme, &mut extras);
        nodes.push(dataset);
        nodes.extend(distributions);
    }
    nodes.append(&mut extras.agents);
    if has_themes {
        let mut node = Node::new(scheme, vec!["skos:ConceptScheme"]);
        node.add("dct:title", Term::Lang("数据目录分类".to_owned(), "zh"));
        node.add("dct:title", Term::Lang("Catalog categories".to_owned(), "en"));
        nodes.push(node);
    }
    nodes.append(&mut extras.concepts);
    for (id, classes) in extras.typed {
        nodes.push(Node::new(id, classes.into_iter().collect()));
    }
    nodes
}

fn build_dataset(d: &Dataset, scheme: &str, extras: &mut Extras) -> (Node, Vec<Node>) {
    let mut node = Node::new(iri(&d.uri), vec!["dcat:Dataset"]);
    node.add("dct:identifier", Term::Plain(d.identifier.clone()));
    node.add("dct:title", Term::Lang(d.title.clone(), "zh"));
    node.add("dct:description", Term::Lang(d.description.clone(), "zh"));
    let publisher = extras.agent(&d.publisher);
    node.add("dct:publisher", publisher);
    for k in &d.keywords {
        if !k.trim().is_empty() {
            node.add("dcat:keyword", Term::Lang(k.trim().to_owned(), "zh"));
        }
    }
    for (uri, label) in &d.themes {
        let theme = extras.concept(uri, label, scheme);
        node.add("dcat:theme", theme);
    }
    if let Some(t) = &d.issued {
        node.add("dct:issued", datetime(t));
    }
    if let Some(t) = &d.modified {
        node.add("dct:modified", datetime(t));
    }
    let landing = non_blank(d.landing_page.as_deref());
    if let Some(page) = landing {
        let page = extras.typed(page, "foaf:Document");
        node.add("dcat:landingPage", page);
    }
    if let Some(f) = d.frequency {
        let frequency = extras.typed(f.uri(), "dct:Frequency");
        node.add("dct:accrualPeriodicity", frequency);
    }

    let mut distributions = Vec::with_capacity(d.distributions.len());
    for x in &d.distributions {
        node.add("dcat:distribution", Term::Iri(iri(&x.uri)));
        let mut dist = Node::new(iri(&x.uri), vec!["dcat:Distribution"]);
        dist.add("dct:title", Term::Lang(x.title.clone(), "zh"));
        let download = non_blank(x.download_url.as_deref());
        let access = non_blank(Some(&x.access_url)).or(download).or(landing).unwrap_or(&d.uri);
        dist.add("dcat:accessURL", Term::Iri(iri(access)));
        if let Some(u) = download {
            dist.add("dcat:downloadURL", Term::Iri(iri(u)));
        }
        if let Some(mt) = media_type_iri(&x.media_type) {
            let media = extras.typed(&mt, "dct:MediaType");
            dist.add("dcat:mediaType", media);
        }
        if let Some(ft) = file_type_iri(&x.format) {
            let format = extras.typed(&ft, "dct:MediaTypeOrExtent");
            dist.add("dct:format", format);
        }
        if let Some(n) = x.byte_size {
            dist.add("dcat:byteSize", Term::Typed(n.to_string(), "xsd:nonNegativeInteger"));
        }
        if let Some(t) = &x.modified {
            dist.add("dct:modified", datetime(t));
        }
        if let Some(l) = non_blank(x.license.as_deref()) {
            let license = extras.typed(l, "dct:LicenseDocument");
            dist.add("dct:license", license);
        }
        distributions.push(dist);
    }
    (node, distributions)
}

fn non_blank(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.trim().is_empty())
}

/// The IANA register IRI of a media type (`type/subtype`, parameters dropped, lower-cased).
fn media_type_iri(media_type: &str) -> Option<String> {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let (kind, sub) = essence.split_once('/')?;
    let name_ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'!' | b'$' | b'&' | b'-' | b'_' | b'.' | b'+'))
    };
    (name_ok(kind) && name_ok(sub)).then(|| format!("{IANA_MEDIA_TYPE_BASE}{kind}/{sub}"))
}

/// The EU file-type authority IRI of a format code ("CSV" → `.../file-type/CSV`).
fn file_type_iri(format: &str) -> Option<String> {
    let code = format.trim().to_ascii_uppercase();
    let ok = !code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    ok.then(|| format!("{FILE_TYPE_BASE}{code}"))
}

/// An `xsd:dateTime` literal in UTC (`Z`), fractional seconds only when there are any.
fn datetime(t: &DateTime<Utc>) -> Term {
    Term::Typed(xsd_datetime(t), "xsd:dateTime")
}

fn xsd_datetime(t: &DateTime<Utc>) -> String {
    let year = t.year();
    let mut out = if year < 0 { format!("-{:04}", -i64::from(year)) } else { format!("{year:04}") };
    out.push_str(&format!("-{:02}-{:02}T{:02}:{:02}:{:02}", t.month(), t.day(), t.hour(), t.minute(), t.second()));
    // A leap second (nanoseconds past 1e9) is kept in second 59: xsd:dateTime has no 60.
    let nanos = t.nanosecond().min(999_999_999);
    if nanos > 0 {
        let fraction = format!("{nanos:09}");
        out.push('.');
        out.push_str(fraction.trim_end_matches('0'));
    }
    out.push('Z');
    out
}

/// Makes a string fit an IRI reference (Turtle `IRIREF`, RFC 3987): surrounding whitespace
/// is trimmed; spaces, controls, `<>"{}|^`\`, characters outside RFC 3987's `ucschar` and
/// `iprivate`, and a `%` that does not start a `%XX` escape are percent-encoded (UTF-8).
/// Chinese and other allowed non-ASCII characters stay as they are.
fn iri(raw: &str) -> String {
    let raw = raw.trim();
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    for (i, ch) in raw.char_indices() {
        let keep = match ch {
            '%' => bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)),
            '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' => false,
            c if c.is_ascii() => c > ' ' && c != '\u{7f}',
            c => iri_non_ascii_allowed(c),
        };
        if keep {
            out.push(ch);
        } else {
            let mut buf = [0u8; 4];
            for b in ch.encode_utf8(&mut buf).bytes() {
                push_percent(&mut out, b);
            }
        }
    }
    out
}

/// RFC 3987 `ucschar` and `iprivate`.
fn iri_non_ascii_allowed(c: char) -> bool {
    let c = u32::from(c);
    let plane_offset = c & 0xFFFF;
    matches!(c, 0xA0..=0xD7FF | 0xE000..=0xF8FF | 0xF900..=0xFDCF | 0xFDF0..=0xFFEF)
        || ((0x10000..=0x10FFFF).contains(&c) && plane_offset <= 0xFFFD)
}

fn push_percent(out: &mut String, b: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 0x0F)]));
}

// ---------------------------------------------------------------------------------------
// Turtle.

fn write_turtle_node(out: &mut String, node: &Node) {
    out.push('<');
    out.push_str(&node.iri);
    out.push('>');
    let mut statements: Vec<(&str, Vec<String>)> = Vec::with_capacity(node.props.len() + 1);
    if !node.types.is_empty() {
        statements.push(("a", node.types.iter().map(|t| (*t).to_owned()).collect()));
    }
    for (property, terms) in &node.props {
        statements.push((property, terms.iter().map(turtle_term).collect()));
    }
    for (i, (predicate, objects)) in statements.iter().enumerate() {
        out.push_str(if i == 0 { " " } else { " ;\n    " });
        out.push_str(predicate);
        if let [object] = objects.as_slice() {
            out.push(' ');
            out.push_str(object);
        } else {
            for (j, object) in objects.iter().enumerate() {
                out.push_str(if j == 0 { "\n        " } else { ",\n        " });
                out.push_str(object);
            }
        }
    }
    out.push_str(" .\n");
}

fn turtle_term(t: &Term) -> String {
    match t {
        Term::Iri(i) => format!("<{i}>"),
        Term::Lang(s, lang) => format!("{}@{lang}", turtle_string(s)),
        Term::Typed(s, datatype) => format!("{}^^{datatype}", turtle_string(s)),
        Term::Plain(s) => turtle_string(s),
    }
}

/// A Turtle `STRING_LITERAL_QUOTE`: `"` and `\` escaped, line breaks, tabs, backspace and
/// form feed as their `ECHAR`, other controls (C0, DEL, C1) and U+2028/U+2029 as `\uXXXX`.
fn turtle_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ---------------------------------------------------------------------------------------
// JSON-LD.

fn jsonld_node(node: &Node) -> Value {
    let mut obj = Map::new();
    obj.insert("@id".to_owned(), Value::String(node.iri.clone()));
    let types: Vec<Value> = node.types.iter().map(|t| Value::String((*t).to_owned())).collect();
    obj.insert("@type".to_owned(), one_or_many(types));
    for (property, terms) in &node.props {
        obj.insert((*property).to_owned(), one_or_many(terms.iter().map(jsonld_term).collect()));
    }
    Value::Object(obj)
}

fn one_or_many(mut values: Vec<Value>) -> Value {
    if values.len() == 1 { values.pop().unwrap_or(Value::Null) } else { Value::Array(values) }
}

fn jsonld_term(t: &Term) -> Value {
    let mut obj = Map::new();
    match t {
        Term::Iri(i) => {
            obj.insert("@id".to_owned(), Value::String(i.clone()));
        }
        Term::Lang(s, lang) => {
            obj.insert("@value".to_owned(), Value::String(s.clone()));
            obj.insert("@language".to_owned(), Value::String((*lang).to_owned()));
        }
        Term::Typed(s, datatype) => {
            obj.insert("@value".to_owned(), Value::String(s.clone()));
            obj.insert("@type".to_owned(), Value::String((*datatype).to_owned()));
        }
        Term::Plain(s) => return Value::String(s.clone()),
    }
    Value::Object(obj)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const FREQUENCY_BASE: &str = "http://publications.europa.eu/resource/authority/frequency/";

    fn at(y: i32, mo: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, 8, 30, 0).single().unwrap_or_default()
    }

    fn agent() -> Agent {
        Agent {
            uri: "https://data.example.gov.cn/org/11330100MB1234567E".to_owned(),
            name: "某市大数据发展管理局".to_owned(),
            identifier: Some("11330100MB1234567E".to_owned()),
        }
    }

    fn sample() -> Catalog {
        let base = "https://data.example.gov.cn/open/catalog";
        Catalog {
            uri: base.to_owned(),
            title: "某市公共数据开放目录".to_owned(),
            title_en: Some("Open data catalog".to_owned()),
            description: "开放目录".to_owned(),
            description_en: None,
            homepage: Some("https://data.example.gov.cn/".to_owned()),
            publisher: agent(),
            modified: Some(at(2025, 3, 1)),
            datasets: vec![Dataset {
                uri: "https://data.example.gov.cn/open/dataset/1010010-00001".to_owned(),
                identifier: "1010010-00001".to_owned(),
                title: "户籍\"人口\"\\统计\n第二行".to_owned(),
                description: "说明\t制表\r回车".to_owned(),
                publisher: agent(),
                keywords: vec!["人口".to_owned(), "人口".to_owned(), " ".to_owned(), "户籍".to_owned()],
                themes: vec![(theme_uri(base, "基础/人口"), "基础/人口".to_owned())],
                issued: Some(at(2024, 1, 2)),
                modified: None,
                landing_page: Some("https://data.example.gov.cn/页面?q=a>b&x=\"y\" z".to_owned()),
                frequency: Frequency::from_cycle("half_yearly"),
                distributions: vec![Distribution {
                    uri: "https://data.example.gov.cn/open/dataset/1010010-00001/csv".to_owned(),
                    title: "CSV 文件".to_owned(),
                    access_url: String::new(),
                    download_url: Some("https://data.example.gov.cn/d/1.csv".to_owned()),
                    media_type: "text/csv; charset=utf-8".to_owned(),
                    format: "csv".to_owned(),
                    byte_size: Some(12_345),
                    modified: None,
                    license: Some("https://creativecommons.org/licenses/by/4.0/".to_owned()),
                }],
            }],
        }
    }

    #[test]
    fn turtle_strings_escape_quotes_backslashes_and_controls() {
        assert_eq!(turtle_string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(turtle_string("1\n2\r3\t4\u{8}5\u{c}6"), r#""1\n2\r3\t4\b5\f6""#);
        assert_eq!(turtle_string("x\u{0}y\u{1f}z\u{7f}\u{85}\u{2028}"), r#""x\u0000y\u001Fz\u007F\u0085\u2028""#);
        assert_eq!(turtle_string("中文 'single' >"), "\"中文 'single' >\"");
    }

    #[test]
    fn iris_percent_encode_what_iriref_forbids() {
        assert_eq!(iri(" https://a.cn/x y "), "https://a.cn/x%20y");
        assert_eq!(iri("https://a.cn/<>\"{}|^`\\"), "https://a.cn/%3C%3E%22%7B%7D%7C%5E%60%5C");
        assert_eq!(iri("https://a.cn/页面?q=1"), "https://a.cn/页面?q=1");
        assert_eq!(iri("https://a.cn/a%20b/100%/%zz"), "https://a.cn/a%20b/100%25/%25zz");
        assert_eq!(iri("https://a.cn/\t\n\u{7f}\u{85}x"), "https://a.cn/%09%0A%7F%C2%85x");
        assert_eq!(iri("https://a.cn/\u{fdd0}\u{1fffe}"), "https://a.cn/%EF%B7%90%F0%9F%BF%BE");
    }

    #[test]
    fn theme_uris_are_one_segment_under_the_catalog() {
        assert_eq!(theme_scheme_uri("https://a.cn/catalog/"), "https://a.cn/catalog/themes");
        assert_eq!(
            theme_uri("https://a.cn/catalog", "基础/人口 A"),
            "https://a.cn/catalog/themes/%E5%9F%BA%E7%A1%80%2F%E4%BA%BA%E5%8F%A3%20A"
        );
    }

    #[test]
    fn frequencies_map_every_cycle_code() {
        let codes = ["realtime", "daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly", "irregular"];
        let ends = ["CONT", "DAILY", "WEEKLY", "MONTHLY", "QUARTERLY", "ANNUAL_2", "ANNUAL", "IRREG"];
        for (code, end) in codes.iter().zip(ends) {
            let f = Frequency::from_cycle(code);
            assert_eq!(f.map(Frequency::uri), Some(format!("{FREQUENCY_BASE}{end}")).as_deref(), "{code}");
        }
        assert_eq!(Frequency::from_cycle("每日"), None);
        assert_eq!(Frequency::from_cycle("Daily"), None);
    }

    #[test]
    fn media_types_and_formats_map_to_their_registers() {
        assert_eq!(
            media_type_iri("Text/CSV; charset=utf-8").as_deref(),
            Some("https://www.iana.org/assignments/media-types/text/csv")
        );
        assert_eq!(
            media_type_iri("application/vnd.apache.parquet").as_deref(),
            Some("https://www.iana.org/assignments/media-types/application/vnd.apache.parquet")
        );
        assert_eq!(media_type_iri("csv"), None);
        assert_eq!(media_type_iri("text/c sv"), None);
        assert_eq!(media_type_iri(""), None);
        assert_eq!(
            file_type_iri(" xlsx ").as_deref(),
            Some("http://publications.europa.eu/resource/authority/file-type/XLSX")
        );
        assert_eq!(file_type_iri("C S V"), None);
        assert_eq!(file_type_iri(""), None);
    }

    #[test]
    fn datetimes_are_utc_xsd_datetimes() {
        assert_eq!(xsd_datetime(&at(2024, 1, 2)), "2024-01-02T08:30:00Z");
        let t = at(2024, 1, 2) + chrono::Duration::milliseconds(250);
        assert_eq!(xsd_datetime(&t), "2024-01-02T08:30:00.25Z");
    }

    #[test]
    fn turtle_is_deterministic_and_escaped() {
        let c = sample();
        let ttl = to_turtle(&c);
        assert_eq!(ttl, to_turtle(&c.clone()));
        assert!(ttl.contains(r#"dct:title "户籍\"人口\"\\统计\n第二行"@zh"#), "{ttl}");
        assert!(ttl.contains(r#"dct:description "说明\t制表\r回车"@zh"#), "{ttl}");
        assert!(ttl.contains("<https://data.example.gov.cn/页面?q=a%3Eb&x=%22y%22%20z>"), "{ttl}");
        assert!(ttl.contains(r#"dcat:byteSize "12345"^^xsd:nonNegativeInteger"#), "{ttl}");
        assert!(ttl.contains(r#"dct:issued "2024-01-02T08:30:00Z"^^xsd:dateTime"#), "{ttl}");
        // The blank access URL falls back to the download URL.
        assert!(ttl.contains("dcat:accessURL <https://data.example.gov.cn/d/1.csv>"), "{ttl}");
        // One agent description although the catalog and the dataset share it.
        assert_eq!(ttl.matches("a foaf:Agent").count(), 1, "{ttl}");
        assert!(ttl.contains(r#"dct:identifier "11330100MB1234567E""#), "{ttl}");
        // Repeated and blank keywords are left out.
        assert_eq!(ttl.matches(r#""人口"@zh"#).count(), 1, "{ttl}");
        assert!(!ttl.contains(r#"" "@zh"#), "{ttl}");
        assert!(ttl.contains(&format!("<{FREQUENCY_BASE}ANNUAL_2> a dct:Frequency .")), "{ttl}");
        assert!(ttl.contains(&format!("<{LANGUAGE_ZHO}> a dct:LinguisticSystem .")), "{ttl}");
    }

    #[test]
    fn jsonld_is_deterministic_and_carries_the_same_values() {
        let c = sample();
        let doc = to_jsonld(&c);
        let text = serde_json::to_string(&doc).unwrap_or_default();
        assert_eq!(text, serde_json::to_string(&to_jsonld(&c.clone())).unwrap_or_default());
        assert_eq!(doc["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
        let graph = doc["@graph"].as_array().cloned().unwrap_or_default();
        let dataset = graph.iter().find(|n| n["@type"] == "dcat:Dataset").cloned().unwrap_or_default();
        assert_eq!(dataset["dct:title"]["@value"], "户籍\"人口\"\\统计\n第二行");
        assert_eq!(dataset["dct:title"]["@language"], "zh");
        assert_eq!(dataset["dct:identifier"], "1010010-00001");
        assert_eq!(dataset["dcat:landingPage"]["@id"], "https://data.example.gov.cn/页面?q=a%3Eb&x=%22y%22%20z");
        assert!(dataset.get("dct:modified").is_none());
        let dist = graph.iter().find(|n| n["@type"] == "dcat:Distribution").cloned().unwrap_or_default();
        assert_eq!(dist["dcat:byteSize"]["@value"], "12345");
        assert_eq!(dist["dcat:byteSize"]["@type"], "xsd:nonNegativeInteger");
        let catalog = &graph[0];
        assert_eq!(catalog["@type"], "dcat:Catalog");
        assert_eq!(catalog["dct:title"][1]["@language"], "en");
        assert_eq!(catalog["dct:language"]["@id"], LANGUAGE_ZHO);
    }

    #[test]
    fn empty_catalog_still_has_its_mandatory_properties() {
        let c = Catalog { uri: "https://a.cn/catalog".to_owned(), publisher: agent(), ..Catalog::default() };
        let ttl = to_turtle(&c);
        assert!(ttl.contains("<https://a.cn/catalog> a dcat:Catalog ;"), "{ttl}");
        assert!(ttl.contains(r#"dct:title ""@zh"#), "{ttl}");
        assert!(!ttl.contains("dcat:themeTaxonomy"), "{ttl}");
        assert!(!ttl.contains("dcat:dataset"), "{ttl}");
    }
}
