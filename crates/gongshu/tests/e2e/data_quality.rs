//! Quality follow-up of loaded data end to end (AGG-3, AGG-4, AGG-5): correction
//! tickets closed by later versions, consistency between base-library sources, overdue
//! entries and the clock of the next load, and the demo's data.

use std::fmt::Write as _;

use reqwest::StatusCode;
use serde_json::Value;

use crate::data::{citizen_id, entry_id, migration_csv, nth_id, push};
use crate::helpers::{PASSWORD, TestApp, error_code};

/// AGG-4: anyone who can see a record reports an error; the provider is told at once
/// and has the profile's 5 working days; a later version that changes the record closes
/// the ticket and tells the reporter; a missed deadline escalates to the authority. A
/// failed load is told to the provider at once.
#[tokio::test]
async fn agg_4_corrections_close_when_a_later_version_fixes_the_record() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let consumer = app.token("consumer").await;
    let id = entry_id(&app, "1010010/00002").await;
    let (csv, _) = migration_csv(100, 1000);
    assert_eq!(push(&app, &provider, id, csv.clone()).await.0, StatusCode::CREATED);
    let key = nth_id(&csv, 5);
    let report = |body: Value| {
        let app = &app;
        let consumer = consumer.clone();
        async move { app.post(&format!("/api/v1/catalog/entries/{id}/corrections"), &consumer, body).await }
    };
    let (status, ticket) =
        report(serde_json::json!({"version": 1, "key": key, "item": "姓名", "description": "姓名应为张三"})).await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    assert_eq!((ticket["state"].as_str(), ticket["reported_value"].as_str()), (Some("open"), Some("居民5")));
    let other_key = nth_id(&csv, 6);
    let (_, late_ticket) =
        report(serde_json::json!({"version": 1, "key": other_key, "item": "登记机关", "description": "机关名称有误"}))
            .await;
    for (body, status, code) in [
        (serde_json::json!({"version": 1, "key": key, "item": "血型", "description": "x"}), 422, "unknown_item"),
        (
            serde_json::json!({"version": 1, "key": "QY999999", "item": "姓名", "description": "x"}),
            404,
            "record_not_found",
        ),
        (
            serde_json::json!({"version": 1, "key": key, "item": "姓名", "description": " "}),
            422,
            "description_required",
        ),
        (serde_json::json!({"version": 9, "key": key, "item": "姓名", "description": "x"}), 404, "not_found"),
    ] {
        let (s, r) = report(body).await;
        assert_eq!((s.as_u16(), error_code(&r)), (status, code), "{r}");
    }
    let (_, notes) = app.get("/api/v1/notifications", &provider).await;
    assert!(notes["items"].to_string().contains("数据纠错"), "the provider is told at once: {notes}");
    let (_, mine) = app.get("/api/v1/deadlines/mine", &provider).await;
    let clock = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item"] == format!("correction:{}", ticket["id"]))
        .unwrap()
        .clone();
    assert_eq!((clock["working_days"].as_i64(), clock["on_miss"].as_str()), (Some(5), Some("escalate")));

    // Version 2 fixes the first record's name; the second ticket's record is unchanged.
    let fixed = csv.replacen(",居民5,", ",张三,", 1);
    assert_eq!(push(&app, &provider, id, fixed).await.0, StatusCode::CREATED);
    let (_, list) = app.get(&format!("/api/v1/catalog/entries/{id}/corrections"), &consumer).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(
        (items[0]["state"].as_str(), items[0]["outcome"].as_str(), items[0]["fixed_in_version"].as_i64()),
        (Some("closed"), Some("fixed"), Some(2))
    );
    assert_eq!(items[1]["state"], "open", "an unchanged record keeps its ticket open");
    let (_, notes) = app.get("/api/v1/notifications", &consumer).await;
    assert!(notes["items"].to_string().contains("数据纠错已办结"), "the reporter is told: {notes}");

    // The second ticket's deadline passes: escalated to the authority.
    let clocks = app
        .store
        .clocks(&gongshu_store::ClockFilter {
            item: Some(format!("correction:{}", late_ticket["id"])),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    let due = chrono::DateTime::from_timestamp_micros(clocks[0].due_at).unwrap();
    let fired = gongshu::deadlines::tick(app.state(), due + chrono::Duration::hours(1)).await.unwrap();
    assert!(fired.fired >= 1);
    let reviewer = app.token("reviewer").await;
    let (_, notes) = app.get("/api/v1/notifications", &reviewer).await;
    assert!(notes["items"].to_string().contains(&format!("correction:{}", late_ticket["id"])), "{notes}");

    // A failed load is told to the provider at once.
    let (status, _) = push(&app, &provider, id, "姓名\n张三\n".into()).await;
    assert_eq!(status.as_u16(), 422);
    let (_, notes) = app.get("/api/v1/notifications", &provider).await;
    assert!(notes["items"].to_string().contains("数据加载失败"), "{notes}");
    app.stop().await;
}

/// AGG-3 (QQ-6, WHN-15): a base-library load is compared with other providers'
/// base-library data on the same citizen IDs: records with a different name are
/// conflicts, listed with both sources (the ID masked).
#[tokio::test]
async fn agg_3_base_library_loads_are_checked_against_other_sources() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let operator = app.token("operator").await;
    let police = entry_id(&app, "1010010/00001").await;
    let cards = entry_id(&app, "1050030/00001").await;
    let mut people = String::from("公民身份号码,姓名\n");
    for i in 1..=100 {
        let _ = writeln!(people, "{},居民{i}", citizen_id("19800101", i));
    }
    assert_eq!(push(&app, &provider, police, people).await.0, StatusCode::CREATED);
    let mut card_rows = String::from("社会保障卡卡号,公民身份号码,姓名\n");
    for i in 71..=130 {
        let name = if i % 10 == 0 { format!("另名{i}") } else { format!("居民{i}") };
        let _ = writeln!(card_rows, "SB{i:08},{},{name}", citizen_id("19800101", i));
    }
    let (status, loaded) = push(&app, &operator, cards, card_rows).await;
    assert_eq!(status, StatusCode::CREATED, "{loaded}");
    let c = &loaded["report"]["consistency"];
    assert_eq!(c.as_array().unwrap().len(), 1, "{c}");
    assert_eq!(
        (c[0]["code"].as_str(), c[0]["shared"].as_u64(), c[0]["conflicts"].as_u64()),
        (Some("1010010/00001"), Some(30), Some(3))
    );
    let ex = &c[0]["examples"][0];
    assert!(ex["key"].as_str().unwrap().contains("********"), "the ID is masked: {ex}");
    assert!(ex["here"].as_str().unwrap().starts_with("另名") && ex["there"].as_str().unwrap().starts_with("居民"));
    app.stop().await;
}

/// The demo's data: its first entries (base libraries first) get generated records with
/// some invalid identifiers and some names that disagree between sources.
#[tokio::test]
async fn agg_1_demo_data_shows_real_quality_reports() {
    let app = TestApp::spawn().await;
    let n = gongshu::demo_data::load(&app.store, app.state().data_files()).await.unwrap();
    assert!(n > 12, "twelve entries and every open one: {n}");
    assert_eq!(gongshu::demo_data::load(&app.store, app.state().data_files()).await.unwrap(), 0, "once");
    let latest = app.store.latest_data_versions().await.unwrap();
    assert_eq!(latest.len(), n);
    assert!(latest.iter().all(|v| v.rows_valid > 200), "mostly valid");
    assert!(latest.iter().any(|v| v.rows_rejected > 0), "some invalid identifiers");
    let conflicts: u64 = latest
        .iter()
        .map(|v| serde_json::from_str::<Value>(&v.report).unwrap())
        .flat_map(|r| r["consistency"].as_array().cloned().unwrap_or_default())
        .map(|c| c["conflicts"].as_u64().unwrap())
        .sum();
    assert!(conflicts > 0, "sources disagree on some names");
    app.stop().await;
}

/// AGG-5: the authority sees the entries whose next load is overdue by their update
/// cycle (never loaded counts), per provider; a load takes an entry off the list.
#[tokio::test]
async fn agg_5_overdue_entries_are_listed_for_the_authority() {
    let app = TestApp::spawn().await;
    let reviewer = app.token("reviewer").await;
    let provider = app.token("provider").await;
    let id = entry_id(&app, "1010010/00002").await;
    let (status, list) = app.get("/api/v1/data/overdue", &reviewer).await;
    assert_eq!(status, StatusCode::OK);
    let before = list["items"].as_array().unwrap().len();
    assert!(before > 50, "nothing is loaded yet: {before}");
    assert!(list["items"].as_array().unwrap().iter().all(|e| e["update_cycle"] != "irregular"));
    assert!(list["items"].as_array().unwrap().iter().any(|e| e["entry_id"] == id));
    let (csv, _) = migration_csv(20, 1000);
    assert_eq!(push(&app, &provider, id, csv).await.0, StatusCode::CREATED);
    let (_, list) = app.get("/api/v1/data/overdue", &reviewer).await;
    assert_eq!(list["items"].as_array().unwrap().len(), before - 1);
    assert!(!list["items"].as_array().unwrap().iter().any(|e| e["entry_id"] == id));
    let (status, _) = app.get("/api/v1/data/overdue", &provider).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let mut b = app.login("reviewer", PASSWORD).await;
    let (status, page) = b.get("/console/data/overdue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("overdue-chart") && page.contains("威海市公安局"));
    app.stop().await;
}

/// AGG-5: each load starts the clock of the next one by the update cycle; the provider
/// is reminded before and told when it is missed; the next load stops it.
#[tokio::test]
async fn agg_5_each_load_starts_the_next_updates_clock() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let id = entry_id(&app, "1010010/00002").await;
    let (csv, _) = migration_csv(10, 1000);
    assert_eq!(push(&app, &provider, id, csv.clone()).await.0, StatusCode::CREATED);
    let filter =
        gongshu_store::ClockFilter { item: Some(format!("data_update:{id}")), limit: 10, ..Default::default() };
    let clocks = app.store.clocks(&filter).await.unwrap();
    assert_eq!(clocks.len(), 1);
    let entry = app.store.entry(id).await.unwrap().unwrap();
    let cycle = gongshu_domain::catalog::UpdateCycle::parse(&entry.update_cycle).unwrap();
    let last =
        chrono::DateTime::from_timestamp_micros(app.store.data_versions(id).await.unwrap()[0].created_at).unwrap();
    let due = gongshu_data::timeliness::next_due(cycle, last).unwrap();
    assert!((clocks[0].due_at - due.timestamp_micros()).abs() < 5_000_000, "due when the cycle comes round");
    let fired = gongshu::deadlines::tick(app.state(), due + chrono::Duration::minutes(1)).await.unwrap();
    assert!(fired.fired >= 1);
    let (_, notes) = app.get("/api/v1/notifications", &provider).await;
    assert!(notes["items"].to_string().contains(&format!("data_update:{id}")), "{notes}");
    assert_eq!(push(&app, &provider, id, csv).await.0, StatusCode::CREATED);
    let clocks = app.store.clocks(&filter).await.unwrap();
    assert_eq!(clocks.iter().filter(|c| c.state == "open").count(), 1, "the next load starts a new clock");
    app.stop().await;
}
