//! `datastore_search_sql`: what runs, and every refusal.

use gongshu_query::{
    Field, Limits, MAX_EXPR_DEPTH, MAX_QUERY_DEPTH, MAX_SQL_BYTES, QueryError, QueryResult, search_sql,
};
use serde_json::json;

use crate::common::{catalog, column, ids};

async fn sql(text: &str) -> Result<QueryResult, QueryError> {
    search_sql(text, &catalog(), &Limits::default()).await
}

async fn code(text: &str) -> &'static str {
    match sql(text).await {
        Ok(r) => panic!("{text} was not refused: {r:?}"),
        Err(e) => e.code(),
    }
}

#[tokio::test]
async fn opn_1_sql_select_by_resource_id() {
    let r = sql("SELECT * FROM \"1010010-00001\" WHERE city = '杭州' ORDER BY _id DESC").await.unwrap();
    assert_eq!(r.fields[0], Field { id: "_id".to_owned(), r#type: "int".to_owned() });
    assert_eq!(r.fields.len(), 5);
    assert_eq!(ids(&r.records), vec![6, 4, 2, 1]);
    assert_eq!(r.total, None);
    assert!(!r.truncated);
}

#[tokio::test]
async fn opn_1_sql_aggregates_ctes_unions_joins() {
    let r = sql("SELECT city, count(*) AS n FROM cities GROUP BY city ORDER BY n DESC, city").await.unwrap();
    assert_eq!(r.fields[1], Field { id: "n".to_owned(), r#type: "int".to_owned() });
    assert_eq!(column(&r.records, "city"), vec![json!("杭州"), json!("宁波"), json!("温州")]);
    assert_eq!(column(&r.records, "n"), vec![json!(4), json!(1), json!(1)]);

    let r = sql("WITH h AS (SELECT * FROM cities WHERE city = '杭州') \
         SELECT district FROM h WHERE _id > 1 UNION SELECT 'x' ORDER BY 1")
    .await
    .unwrap();
    assert_eq!(column(&r.records, "district"), vec![json!("x"), json!("上城区"), json!("拱墅区"), json!("西湖区")]);

    let r =
        sql("SELECT a._id, b.name, b.score FROM cities a JOIN typed b ON a._id = b._id ORDER BY a._id").await.unwrap();
    assert_eq!(ids(&r.records), vec![1, 2, 3]);
    assert_eq!(column(&r.records, "score"), vec![json!(1.5), json!(null), json!(-2.0)]);

    // A self-join reads the source twice.
    let r = sql("SELECT count(*) AS n FROM cities a, cities b").await.unwrap();
    assert_eq!(r.records[0]["n"], json!(36));
    // Single quotes inside literals, a trailing semicolon.
    let r = sql("SELECT _id FROM cities WHERE note = 'O''Brien''s shop';").await.unwrap();
    assert_eq!(ids(&r.records), vec![3]);
}

#[tokio::test]
async fn opn_1_sql_refuses_writes() {
    for text in [
        "INSERT INTO cities VALUES ('a', 'b', 'c', 'd')",
        "UPDATE cities SET city = 'x'",
        "DELETE FROM cities",
        "CREATE TABLE t AS SELECT * FROM cities",
        "CREATE TABLE t (a INT)",
        "CREATE VIEW v AS SELECT * FROM cities",
        "DROP TABLE cities",
        "COPY cities TO '/tmp/out.csv'",
        "COPY (SELECT * FROM cities) TO '/tmp/out.csv' STORED AS CSV",
        "CREATE EXTERNAL TABLE p STORED AS CSV LOCATION '/etc/passwd'",
        "SET datafusion.execution.batch_size = 1",
        "RESET datafusion.execution.batch_size",
        "EXPLAIN ANALYZE SELECT * FROM cities",
        "EXPLAIN SELECT * FROM cities",
        "SHOW TABLES",
        "DESCRIBE cities",
        "SELECT * INTO t2 FROM cities",
        "PREPARE p AS SELECT 1",
    ] {
        assert_eq!(code(text).await, "sql_not_read_only", "{text}");
    }
}

#[tokio::test]
async fn opn_1_sql_refuses_several_statements() {
    for text in ["SELECT 1; SELECT 2", "SELECT * FROM cities; DROP TABLE cities", "SELECT 1;;SELECT 2"] {
        assert_eq!(code(text).await, "sql_not_read_only", "{text}");
    }
    let e = sql("SELECT 1; DROP TABLE cities").await.unwrap_err();
    assert!(e.message_en().contains("2 statements"), "{e}");
}

#[tokio::test]
async fn opn_1_sql_refuses_unknown_tables_and_files() {
    let e = sql("SELECT * FROM nosuch").await.unwrap_err();
    assert_eq!(e, QueryError::UnknownTable("nosuch".to_owned()));
    // Unquoted names are lower-cased; quoted ones are taken as written.
    assert_eq!(sql("SELECT * FROM \"Cities\"").await.unwrap_err(), QueryError::UnknownTable("Cities".to_owned()));
    assert_eq!(sql("SELECT * FROM CITIES").await.unwrap().records.len(), 6);
    for text in [
        "SELECT * FROM '/etc/passwd'",
        "SELECT * FROM \"/etc/passwd\"",
        "SELECT * FROM 'file:///etc/passwd'",
        "SELECT * FROM information_schema.tables",
        "SELECT * FROM datafusion.public.cities",
        "SELECT * FROM cities WHERE city IN (SELECT city FROM hidden)",
        "WITH c AS (SELECT * FROM cities) SELECT * FROM c JOIN other USING (city)",
    ] {
        assert_eq!(code(text).await, "unknown_table", "{text}");
    }
    // A CTE name shadows nothing it should not.
    let r = sql("WITH nosuch AS (SELECT 1 AS a) SELECT * FROM nosuch").await.unwrap();
    assert_eq!(r.records[0]["a"], json!(1));
}

#[tokio::test]
async fn opn_1_sql_refuses_table_functions() {
    for text in [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT * FROM read_parquet('/tmp/x.parquet')",
        "SELECT * FROM generate_series(1, 1000000000)",
        "SELECT * FROM range(10)",
        "SELECT * FROM cities WHERE city IN (SELECT * FROM read_csv('/etc/passwd'))",
        "SELECT * FROM TABLE(read_json('/etc/passwd'))",
    ] {
        assert_eq!(code(text).await, "sql_not_read_only", "{text}");
    }
    // DataFusion's parser does not take the TABLE command at all.
    assert!(["sql_syntax", "sql_not_read_only"].contains(&code("TABLE cities").await));
}

#[tokio::test]
async fn opn_1_sql_unknown_field_and_syntax() {
    let e = sql("SELECT nosuch FROM cities").await.unwrap_err();
    assert_eq!(e, QueryError::UnknownField("nosuch".to_owned()));
    for text in ["SELEC * FROM cities", "SELECT * FROM", "", "   ", "SELECT 'unclosed"] {
        assert_eq!(code(text).await, "sql_syntax", "{text:?}");
    }
}

#[tokio::test]
async fn opn_1_sql_refuses_too_complex_without_crashing() {
    // Deep parentheses hit the parser's recursion limit.
    let deep = format!("SELECT {}1{}", "(".repeat(5000), ")".repeat(5000));
    assert_eq!(code(&deep).await, "query_too_complex");
    // Long chains parse without recursion but nest the tree.
    let chain = format!("SELECT 1{}", "+1".repeat(MAX_SQL_BYTES / 2 - 10));
    assert_eq!(code(&chain).await, "query_too_complex");
    let ors = format!("SELECT * FROM cities WHERE {}", "city = 'a' OR ".repeat(1000) + "true");
    assert_eq!(code(&ors).await, "query_too_complex");
    let unions = vec!["SELECT 1"; 100].join(" UNION ALL ");
    assert_eq!(code(&unions).await, "query_too_complex");
    let long = format!("SELECT '{}'", "x".repeat(MAX_SQL_BYTES));
    assert_eq!(code(&long).await, "query_too_complex");
    let subqueries = format!("{}1{}", "SELECT (".repeat(40), ")".repeat(40));
    assert_eq!(code(&subqueries).await, "query_too_complex");
}

/// Queries just under the limits run (on the 2 MiB stack of a test thread,
/// in a debug build) with expressions that cannot be folded away.
#[tokio::test]
async fn opn_1_sql_runs_queries_just_under_the_limits() {
    let chain = format!("SELECT _id{} AS s FROM cities WHERE _id = 2", " + _id".repeat(MAX_EXPR_DEPTH - 2));
    let r = sql(&chain).await.unwrap();
    assert_eq!(r.records[0]["s"], json!(2 * (MAX_EXPR_DEPTH - 1)));
    let ands = format!(
        "SELECT _id FROM cities WHERE {} _id > 0 ORDER BY _id",
        (0..MAX_EXPR_DEPTH - 2).map(|i| format!("note <> 'n{i}' AND ")).collect::<String>()
    );
    assert_eq!(ids(&sql(&ands).await.unwrap().records), vec![1, 2, 3, 5, 6]);
    let unions = vec!["SELECT _id FROM cities WHERE city = '宁波'"; MAX_QUERY_DEPTH].join(" UNION ALL ");
    assert_eq!(ids(&sql(&unions).await.unwrap().records), vec![3; MAX_QUERY_DEPTH]);
    let nested = format!(
        "{}SELECT _id, city FROM cities{} WHERE _id IN (SELECT _id FROM cities WHERE city = '温州')",
        "SELECT * FROM (".repeat(8),
        ") AS x".repeat(8)
    );
    assert_eq!(ids(&sql(&nested).await.unwrap().records), vec![5]);
}
