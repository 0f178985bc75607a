//! The time, memory and row limits, and the errors' codes and messages.

use std::sync::Arc;
use std::time::Duration;

use gongshu_query::{Limits, QueryError, Search, search, search_sql};

use crate::common::{Catalog, Failing, Generated, Stuck, WithId, ids};

fn limits(timeout_ms: u64, memory_bytes: usize, max_rows: usize) -> Limits {
    Limits { timeout: Duration::from_millis(timeout_ms), memory_bytes, max_rows }
}

fn generated(rows: Option<usize>) -> Catalog {
    Catalog::default().with("t", Arc::new(Generated { rows, batch_rows: 1000, width: 100 }))
}

#[test]
fn opn_1_default_limits() {
    let l = Limits::default();
    assert_eq!(l.timeout, Duration::from_secs(10));
    assert_eq!(l.memory_bytes, 256 * 1024 * 1024);
    assert_eq!(l.max_rows, 32_000);
}

#[tokio::test]
async fn opn_1_time_limit_stops_a_stuck_source() {
    let l = limits(200, 64 << 20, 100);
    let e = search(Arc::new(Stuck), &Search::default(), &l).await.unwrap_err();
    assert_eq!(e, QueryError::Timeout);
    let tables = Catalog::default().with("stuck", Arc::new(Stuck));
    let e = search_sql("SELECT count(*) FROM stuck", &tables, &l).await.unwrap_err();
    assert_eq!(e, QueryError::Timeout);
    assert_eq!(e.code(), "query_timeout");
}

#[tokio::test]
async fn opn_1_time_limit_stops_an_endless_source() {
    let l = limits(200, 64 << 20, 100);
    let e = search_sql("SELECT count(*) FROM t", &generated(None), &l).await.unwrap_err();
    assert_eq!(e, QueryError::Timeout);
}

#[tokio::test]
async fn opn_1_memory_limit() {
    let l = limits(60_000, 1 << 20, 100);
    let tables = generated(Some(100_000));
    for text in [
        "SELECT max(a.v || b.v) FROM t a CROSS JOIN t b",
        "SELECT v, count(*) FROM t GROUP BY v ORDER BY v",
        "SELECT * FROM t ORDER BY v DESC",
    ] {
        // Room for every row, so that ORDER BY has to sort them all.
        let l = Limits { max_rows: 1_000_000, ..l.clone() };
        let e = search_sql(text, &tables, &l).await.unwrap_err();
        assert_eq!(e, QueryError::MemoryLimit, "{text}");
        assert_eq!(e.code(), "query_memory_limit");
    }
    let source = Arc::new(Generated { rows: Some(100_000), batch_rows: 1000, width: 100 });
    let params = Search { fields: Some(vec!["v".to_owned()]), distinct: true, ..Search::default() };
    let e = search(source, &params, &l).await.unwrap_err();
    assert_eq!(e, QueryError::MemoryLimit);
}

#[tokio::test]
async fn opn_1_row_limit_truncates() {
    let l = limits(10_000, 64 << 20, 10);
    let tables = generated(Some(50));
    let r = search_sql("SELECT * FROM t", &tables, &l).await.unwrap();
    assert_eq!(r.records.len(), 10);
    assert!(r.truncated);
    assert_eq!(ids(&r.records), (1..=10).collect::<Vec<_>>());
    let r = search_sql("SELECT * FROM t LIMIT 10", &tables, &l).await.unwrap();
    assert_eq!(r.records.len(), 10);
    assert!(!r.truncated);

    let source = || Arc::new(Generated { rows: Some(50), batch_rows: 7, width: 3 });
    let r = search(source(), &Search::default(), &l).await.unwrap();
    assert_eq!(r.records.len(), 10);
    assert!(r.truncated);
    assert_eq!(r.total, Some(50));
    let r = search(source(), &Search { limit: 10, ..Search::default() }, &l).await.unwrap();
    assert_eq!(r.records.len(), 10);
    assert!(!r.truncated);
    let r = search(source(), &Search { offset: 45, ..Search::default() }, &l).await.unwrap();
    assert_eq!(ids(&r.records), vec![46, 47, 48, 49, 50]);
    assert!(!r.truncated);
}

#[tokio::test]
async fn opn_1_row_limit_stops_reading_an_endless_source() {
    let l = limits(10_000, 64 << 20, 10);
    let r = search_sql("SELECT * FROM t WHERE k > '0000000005'", &generated(None), &l).await.unwrap();
    assert_eq!(ids(&r.records), (7..=16).collect::<Vec<_>>());
    assert!(r.truncated);
    let source = Arc::new(Generated { rows: None, batch_rows: 1000, width: 3 });
    let params = Search { include_total: false, ..Search::default() };
    let r = search(source, &params, &l).await.unwrap();
    assert_eq!(r.records.len(), 10);
    assert!(r.truncated);
}

#[test]
fn opn_1_errors_have_codes_and_two_languages() {
    let all = [
        (QueryError::Syntax("x".into()), "sql_syntax"),
        (QueryError::NotReadOnly("x".into()), "sql_not_read_only"),
        (QueryError::UnknownTable("t".into()), "unknown_table"),
        (QueryError::UnknownField("f".into()), "unknown_field"),
        (QueryError::BadParameter("x".into()), "bad_parameter"),
        (QueryError::TooComplex("x".into()), "query_too_complex"),
        (QueryError::Timeout, "query_timeout"),
        (QueryError::MemoryLimit, "query_memory_limit"),
        (QueryError::Engine("x".into()), "query_failed"),
    ];
    for (e, code) in all {
        assert_eq!(e.code(), code);
        let zh = e.message_zh();
        assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        let en = e.message_en();
        assert!(en.is_ascii() && !en.is_empty(), "{en}");
    }
    assert!(QueryError::UnknownTable("1010010-00001".into()).message_zh().contains("1010010-00001"));
}

#[tokio::test]
async fn opn_1_source_failures_and_reserved_names() {
    let e = search(Arc::new(Failing), &Search::default(), &Limits::default()).await.unwrap_err();
    assert_eq!(e.code(), "query_failed");
    assert!(e.message_en().contains("the store is gone"), "{e}");
    let tables = Catalog::default().with("f", Arc::new(Failing));
    let e = search_sql("SELECT * FROM f", &tables, &Limits::default()).await.unwrap_err();
    assert_eq!(e.code(), "query_failed");
    // A source may not bring its own `_id`.
    let tables = Catalog::default().with("t", Arc::new(WithId));
    let e = search_sql("SELECT * FROM t", &tables, &Limits::default()).await.unwrap_err();
    assert_eq!(e.code(), "query_failed");
}
