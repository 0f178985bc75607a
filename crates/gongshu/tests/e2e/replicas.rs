//! Two `gongshu serve` processes on one PostgreSQL database work together: sessions,
//! tokens, throttling and the audit chain are all in the database.

use std::str::FromStr;
use std::sync::Arc;

use gongshu_store::{PgStore, Store};
use reqwest::StatusCode;
use sqlx::postgres::PgConnectOptions;

use crate::helpers::{Browser, PASSWORD, TestApp, settings, temp_dir};

async fn pg_schema_store(url: &str, schema: &str) -> Store {
    let options = PgConnectOptions::from_str(url).unwrap().options([("search_path", schema)]);
    Arc::new(PgStore::connect_with(options).await.unwrap())
}

/// ORG-3 and SEC-1 across replicas.
#[tokio::test]
async fn two_servers_on_one_postgres_work_together() {
    let Ok(url) = std::env::var("GONGSHU_TEST_DATABASE_URL") else {
        eprintln!("GONGSHU_TEST_DATABASE_URL is not set: replica test skipped");
        return;
    };
    let schema = format!("r_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE")).execute(&admin).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    let a_store = pg_schema_store(&url, &schema).await;
    let b_store = pg_schema_store(&url, &schema).await;
    let a = TestApp::spawn_on(a_store, settings(&temp_dir("ra"), Some(url.clone())), true).await;
    let b = TestApp::spawn_on(b_store, settings(&temp_dir("rb"), Some(url.clone())), false).await;

    // A session made on A is valid on B.
    let mut browser = a.login("admin", PASSWORD).await;
    let session = browser.cookie("gongshu_session").unwrap();
    let mut on_b = Browser::anonymous(&b);
    on_b.cookies.push(("gongshu_session".into(), session));
    assert_eq!(on_b.get("/console").await.0, StatusCode::OK);
    let _ = browser.get("/console").await;

    // A token issued on A works on B, and revoking it on B ends it on A.
    let token = a.token("admin").await;
    let (status, created) = b
        .post(
            "/api/v1/orgs",
            &token,
            serde_json::json!({"name": "副本机构", "kind": "social_entity", "region_code": "371000"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (_, orgs) = a.get("/api/v1/orgs", &token).await;
    assert!(orgs["items"].as_array().unwrap().iter().any(|o| o["name"] == "副本机构"));

    // Failed logins on A count on B.
    let mut ba = Browser::anonymous(&a);
    let csrf = ba.csrf("/login").await;
    for _ in 0..5 {
        ba.post_form("/login", &[("username", "expert"), ("password", "wrong password"), ("csrf", &csrf)]).await;
    }
    let mut bb = Browser::anonymous(&b);
    let csrf = bb.csrf("/login").await;
    let (status, _, _) =
        bb.post_form("/login", &[("username", "expert"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    // Writes through both replicas at once keep one intact chain.
    let mut tasks = Vec::new();
    for (i, base) in [a.base.clone(), b.base.clone()].into_iter().cycle().take(20).enumerate() {
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            let body =
                serde_json::json!({"name": format!("并发机构{i}"), "kind": "social_entity", "region_code": "371002"});
            reqwest::Client::new()
                .post(format!("{base}/api/v1/orgs"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    let auditor = b.token("auditor").await;
    let (_, v) = a.get("/api/v1/audit/verify", &auditor).await;
    assert_eq!(v["intact"], true, "{v}");
    let revoke = a.store.tokens(None).await.unwrap().into_iter().find(|t| t.name == "test").unwrap();
    let (status, _) =
        b.call(reqwest::Method::DELETE, &format!("/api/v1/tokens/{}", revoke.id), Some(&token), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = a.get("/api/v1/orgs", &token).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // SUP-1: two schedulers racing over the same missed clock fire it exactly once.
    let consumer = a.token("consumer").await;
    let police = a.store.orgs().await.unwrap().iter().find(|o| o.name == "威海市公安局").unwrap().id;
    let body = serde_json::json!({"provider_org_id": police, "resource": "2010300/00017", "purpose": "核查",
                                  "legal_basis": "依据", "items": "姓名"});
    let (status, _) = b.post("/api/v1/share-requests", &consumer, body).await;
    assert_eq!(status, StatusCode::CREATED);
    let open = a
        .store
        .clocks(&gongshu_store::ClockFilter { state: Some("open".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    let due =
        chrono::DateTime::<chrono::Utc>::from_timestamp_micros(open[0].due_at).unwrap() + chrono::Duration::seconds(1);
    let (ra, rb) = tokio::join!(gongshu::deadlines::tick(a.state(), due), gongshu::deadlines::tick(b.state(), due));
    assert_eq!(ra.unwrap().fired + rb.unwrap().fired, 1, "exactly once across replicas");
    let (_, v) = a.get("/api/v1/audit/verify", &auditor).await;
    assert_eq!(v["intact"], true, "{v}");

    a.stop().await;
    b.stop().await;
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}
