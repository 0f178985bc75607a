//! `datastore_search`: filters, q, fields, sort, paging, total, distinct.

use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch, StringArray};
use arrow_schema::{DataType, Field as ArrowField, Schema};
use gongshu_query::{Field, Limits, MAX_FILTERS, MAX_Q_WORDS, QueryError, Search, TableSource, parse_sort, search};
use serde_json::json;

use crate::common::{MemSource, cities, column, ids, typed};

async fn run(params: Search) -> Result<gongshu_query::QueryResult, QueryError> {
    search(cities(), &params, &Limits::default()).await
}

fn field(id: &str, t: &str) -> Field {
    Field { id: id.to_owned(), r#type: t.to_owned() }
}

#[tokio::test]
async fn opn_1_search_defaults_number_rows_with_id() {
    let r = run(Search::default()).await.unwrap();
    assert_eq!(
        r.fields,
        vec![
            field("_id", "int"),
            field("city", "text"),
            field("district", "text"),
            field("note", "text"),
            field("a\"b", "text"),
        ]
    );
    assert_eq!(ids(&r.records), vec![1, 2, 3, 4, 5, 6]);
    assert_eq!(r.total, Some(6));
    assert!(!r.truncated);
    assert_eq!(r.records[3]["note"], json!(null));
    assert_eq!(r.records[0]["city"], json!("杭州"));
}

#[tokio::test]
async fn opn_1_search_filters_keep_source_ids() {
    let filters = vec![("city".to_owned(), vec!["杭州".to_owned()])];
    let r = run(Search { filters, ..Search::default() }).await.unwrap();
    assert_eq!(ids(&r.records), vec![1, 2, 4, 6]);
    assert_eq!(r.total, Some(4));

    let filters = vec![("city".to_owned(), vec!["宁波".to_owned(), "温州".to_owned()])];
    let r = run(Search { filters, ..Search::default() }).await.unwrap();
    assert_eq!(ids(&r.records), vec![3, 5]);

    let filters =
        vec![("city".to_owned(), vec!["杭州".to_owned()]), ("district".to_owned(), vec!["拱墅区".to_owned()])];
    let r = run(Search { filters, ..Search::default() }).await.unwrap();
    assert_eq!(ids(&r.records), vec![1, 6]);

    let filters = vec![("_id".to_owned(), vec!["2".to_owned(), "5".to_owned()])];
    let r = run(Search { filters, ..Search::default() }).await.unwrap();
    assert_eq!(ids(&r.records), vec![2, 5]);
}

#[tokio::test]
async fn opn_1_search_quotes_cannot_inject() {
    // A value with a single quote matches exactly.
    let filters = vec![("note".to_owned(), vec!["O'Brien's shop".to_owned()])];
    let r = run(Search { filters, ..Search::default() }).await.unwrap();
    assert_eq!(ids(&r.records), vec![3]);
    // An injection attempt is just a value that matches nothing.
    let filters = vec![("city".to_owned(), vec!["x' OR '1'='1".to_owned()])];
    let r = run(Search { filters, ..Search::default() }).await.unwrap();
    assert_eq!(r.total, Some(0));
    // A field name with a double quote works in filters, fields and sort.
    let params = Search {
        filters: vec![("a\"b".to_owned(), vec!["x".to_owned()])],
        fields: Some(vec!["a\"b".to_owned(), "_id".to_owned()]),
        sort: parse_sort("\"a\"\"b\" desc").unwrap(),
        ..Search::default()
    };
    let r = run(params).await.unwrap();
    assert_eq!(r.fields, vec![field("a\"b", "text"), field("_id", "int")]);
    assert_eq!(ids(&r.records), vec![1, 3, 6]);
    // A name that closes a quote is an unknown field, not SQL.
    let fields = Some(vec!["city\" FROM x; --".to_owned()]);
    let e = run(Search { fields, ..Search::default() }).await.unwrap_err();
    assert_eq!(e, QueryError::UnknownField("city\" FROM x; --".to_owned()));
}

#[tokio::test]
async fn opn_1_search_full_text() {
    let q = |s: &str| Search { q: Some(s.to_owned()), ..Search::default() };
    assert_eq!(ids(&run(q("grand")).await.unwrap().records), vec![1, 5, 6]);
    assert_eq!(ids(&run(q("GRAND canal")).await.unwrap().records), vec![1, 6]);
    // Words may match different fields.
    assert_eq!(ids(&run(q("杭州 西湖")).await.unwrap().records), vec![2]);
    assert_eq!(ids(&run(q("o'brien")).await.unwrap().records), vec![3]);
    assert_eq!(run(q("nowhere")).await.unwrap().total, Some(0));
    assert_eq!(run(q("  ")).await.unwrap().total, Some(6));
}

#[tokio::test]
async fn opn_1_search_fields_in_order() {
    let fields = Some(vec!["district".to_owned(), "city".to_owned()]);
    let r = run(Search { fields, limit: 1, ..Search::default() }).await.unwrap();
    assert_eq!(r.fields, vec![field("district", "text"), field("city", "text")]);
    assert_eq!(r.records[0].len(), 2);
    assert_eq!(r.records[0]["district"], json!("拱墅区"));
}

#[tokio::test]
async fn opn_1_search_sort() {
    let sorted = |s: &str| Search { sort: parse_sort(s).unwrap(), ..Search::default() };
    // Text sorts by code point: 宁 < 杭 < 温; `_id` breaks ties.
    let r = run(sorted("city")).await.unwrap();
    assert_eq!(ids(&r.records), vec![3, 1, 2, 4, 6, 5]);
    let r = run(sorted("city desc")).await.unwrap();
    assert_eq!(ids(&r.records), vec![5, 1, 2, 4, 6, 3]);
    // 上 < 拱 < 西
    let r = run(sorted("city asc, district DESC")).await.unwrap();
    assert_eq!(ids(&r.records), vec![3, 2, 1, 6, 4, 5]);
    // Descending puts nulls first, ascending last.
    let r = run(sorted("note desc, _id desc")).await.unwrap();
    assert_eq!(ids(&r.records), vec![4, 5, 2, 3, 6, 1]);
    let r = run(sorted("note")).await.unwrap();
    assert_eq!(ids(&r.records), vec![1, 6, 3, 2, 5, 4]);
}

#[tokio::test]
async fn opn_1_search_limit_offset_total() {
    let r = run(Search { limit: 2, offset: 1, ..Search::default() }).await.unwrap();
    assert_eq!(ids(&r.records), vec![2, 3]);
    assert_eq!(r.total, Some(6));
    let r = run(Search { limit: 0, include_total: false, ..Search::default() }).await.unwrap();
    assert!(r.records.is_empty());
    assert_eq!(r.fields.len(), 5);
    assert_eq!(r.total, None);
    let r = run(Search { offset: 10, ..Search::default() }).await.unwrap();
    assert!(r.records.is_empty());
    assert_eq!(r.total, Some(6));
}

#[tokio::test]
async fn opn_1_search_distinct() {
    let params = Search { fields: Some(vec!["city".to_owned()]), distinct: true, ..Search::default() };
    let r = run(params).await.unwrap();
    assert_eq!(column(&r.records, "city"), vec![json!("杭州"), json!("宁波"), json!("温州")]);
    assert_eq!(r.total, Some(3));
    let params = Search {
        fields: Some(vec!["city".to_owned()]),
        sort: parse_sort("city desc").unwrap(),
        distinct: true,
        ..Search::default()
    };
    let r = run(params).await.unwrap();
    assert_eq!(column(&r.records, "city"), vec![json!("温州"), json!("杭州"), json!("宁波")]);
    // Sorting by the combination's first `_id`, descending.
    let params = Search {
        fields: Some(vec!["city".to_owned()]),
        sort: parse_sort("_id desc").unwrap(),
        distinct: true,
        ..Search::default()
    };
    let r = run(params).await.unwrap();
    assert_eq!(column(&r.records, "city"), vec![json!("温州"), json!("宁波"), json!("杭州")]);
    // All fields: row 6 repeats row 1 and keeps the first `_id`.
    let r = run(Search { distinct: true, ..Search::default() }).await.unwrap();
    assert_eq!(ids(&r.records), vec![1, 2, 3, 4, 5]);
    assert_eq!(r.total, Some(5));
    assert_eq!(r.fields[0], field("_id", "int"));
}

#[tokio::test]
async fn opn_1_search_refuses_unknown_fields_and_bad_values() {
    let unknown = |e: QueryError| assert_eq!(e, QueryError::UnknownField("nope".to_owned()));
    let filters = vec![("nope".to_owned(), vec!["1".to_owned()])];
    unknown(run(Search { filters, ..Search::default() }).await.unwrap_err());
    let fields = Some(vec!["city".to_owned(), "nope".to_owned()]);
    unknown(run(Search { fields, ..Search::default() }).await.unwrap_err());
    let sort = vec![("nope".to_owned(), false)];
    unknown(run(Search { sort, ..Search::default() }).await.unwrap_err());

    let filters = vec![("_id".to_owned(), vec!["one".to_owned()])];
    let e = run(Search { filters, ..Search::default() }).await.unwrap_err();
    assert_eq!(e.code(), "bad_parameter");
    let filters = vec![("city".to_owned(), vec![])];
    let e = run(Search { filters, ..Search::default() }).await.unwrap_err();
    assert_eq!(e.code(), "bad_parameter");
    let params = Search {
        fields: Some(vec!["city".to_owned()]),
        sort: vec![("district".to_owned(), false)],
        distinct: true,
        ..Search::default()
    };
    assert_eq!(run(params).await.unwrap_err().code(), "bad_parameter");
}

#[tokio::test]
async fn opn_1_search_typed_fields() {
    let limits = Limits::default();
    let r = search(typed(), &Search::default(), &limits).await.unwrap();
    let types: Vec<&str> = r.fields.iter().map(|f| f.r#type.as_str()).collect();
    assert_eq!(types, vec!["int", "int", "float", "bool", "text"]);
    assert_eq!(r.records[0]["n"], json!(10));
    assert_eq!(r.records[0]["score"], json!(1.5));
    assert_eq!(r.records[0]["ok"], json!(true));
    assert_eq!(r.records[2]["n"], json!(null));
    let find = |f: &str, v: &str| Search { filters: vec![(f.to_owned(), vec![v.to_owned()])], ..Search::default() };
    let got = |p: Search| async move { ids(&search(typed(), &p, &Limits::default()).await.unwrap().records) };
    assert_eq!(got(find("n", "20")).await, vec![2]);
    assert_eq!(got(find("score", "-2")).await, vec![3]);
    assert_eq!(got(find("ok", "false")).await, vec![2]);
    let e = search(typed(), &find("n", "2.5"), &Limits::default()).await.unwrap_err();
    assert_eq!(e.code(), "bad_parameter");
    // `q` searches text fields only.
    assert_eq!(got(Search { q: Some("B".to_owned()), ..Search::default() }).await, vec![2]);
}

#[test]
fn opn_1_parse_sort() {
    assert_eq!(parse_sort("").unwrap(), vec![]);
    assert_eq!(parse_sort("  ").unwrap(), vec![]);
    assert_eq!(parse_sort("a desc, b").unwrap(), vec![("a".to_owned(), true), ("b".to_owned(), false)]);
    assert_eq!(parse_sort("人口 DESC,区 Asc").unwrap(), vec![("人口".to_owned(), true), ("区".to_owned(), false)]);
    assert_eq!(
        parse_sort("\"a, \"\"b\"\"\" desc, \"desc\"").unwrap(),
        vec![("a, \"b\"".to_owned(), true), ("desc".to_owned(), false)]
    );
    assert_eq!(parse_sort("two words").unwrap(), vec![("two words".to_owned(), false)]);
    for bad in ["a,", ",a", "a,,b", "\"a", "\"a\" up", "a\"b", "desc"] {
        let r = parse_sort(bad);
        if bad == "desc" {
            assert_eq!(r.unwrap(), vec![("desc".to_owned(), false)]);
        } else {
            assert_eq!(r.unwrap_err().code(), "bad_parameter", "{bad}");
        }
    }
}

/// A wide table, the most words in `q` and the most filters, on the 2 MiB
/// stack of a test thread.
#[tokio::test]
async fn opn_1_search_wide_table_at_the_limits() {
    let names: Vec<String> = (0..300).map(|i| format!("f{i}")).collect();
    let schema =
        Arc::new(Schema::new(names.iter().map(|n| ArrowField::new(n, DataType::Utf8, true)).collect::<Vec<_>>()));
    let columns = (0..300)
        .map(|i| Arc::new(StringArray::from(vec![format!("v{i} common"), format!("w{i}")])) as ArrayRef)
        .collect();
    let batch = RecordBatch::try_new(Arc::clone(&schema), columns).unwrap();
    let table: Arc<dyn TableSource> = Arc::new(MemSource { schema, batches: vec![batch] });
    let words: Vec<String> = (0..MAX_Q_WORDS).map(|i| format!("v{}", i * 3)).collect();
    let filters = (0..MAX_FILTERS).map(|i| (format!("f{i}"), vec![format!("v{i} common")])).collect();
    let params = Search { q: Some(words.join(" ")), filters, ..Search::default() };
    let r = search(Arc::clone(&table), &params, &Limits::default()).await.unwrap();
    assert_eq!(ids(&r.records), vec![1]);
    assert_eq!(r.fields.len(), 301);

    let too_many = Search { q: Some(format!("{} x", words.join(" "))), ..Search::default() };
    let e = search(Arc::clone(&table), &too_many, &Limits::default()).await.unwrap_err();
    assert_eq!(e.code(), "bad_parameter");
    let filters = (0..=MAX_FILTERS).map(|i| (format!("f{i}"), vec!["x".to_owned()])).collect();
    let e = search(table, &Search { filters, ..Search::default() }, &Limits::default()).await.unwrap_err();
    assert_eq!(e.code(), "bad_parameter");
}
