//! The authority's governance of data end to end (AGG-6 to AGG-9): one number one
//! source, aggregation exemptions and purchases, annual demand plans, IT project
//! acceptance.

use std::fmt::Write as _;

use reqwest::StatusCode;
use serde_json::Value;

use crate::data::{citizen_id, entry_id, migration_csv, push};
use crate::helpers::{PASSWORD, TestApp, error_code, form_csrf};

/// AGG-6: the authority sees entries that collect again what an authoritative
/// base-library source holds (the demo's school roll repeats the population library's
/// names, sexes and birth dates), and whether that data is loaded though shareable.
#[tokio::test]
async fn agg_6_duplicates_of_authoritative_sources_are_listed() {
    let app = TestApp::spawn().await;
    let reviewer = app.token("reviewer").await;
    let (status, list) = app.get("/api/v1/data/duplicates", &reviewer).await;
    assert_eq!(status, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    let roll = items
        .iter()
        .find(|d| d["code"] == "2050090/00002" && d["source_code"] == "1010010/00001")
        .unwrap_or_else(|| panic!("the school roll duplicates the population library: {list}"));
    assert_eq!(roll["identifier"], "公民身份号码");
    assert!(roll["items"].as_array().unwrap().len() >= 2);
    assert_eq!((roll["loaded"].as_bool(), roll["obtainable_by_sharing"].as_bool()), (Some(false), Some(true)));
    assert!(items.iter().all(|d| d["provider_org_id"] != d["source_provider_org_id"]));
    let provider = app.token("provider").await;
    assert_eq!(app.get("/api/v1/data/duplicates", &provider).await.0, StatusCode::FORBIDDEN);
    let mut b = app.login("reviewer", PASSWORD).await;
    let (status, page) = b.get("/console/data/duplicates").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("中小学生学籍信息") && page.contains("人口基本信息"));
    app.stop().await;
}

/// AGG-9: a project declares its supply list; acceptance is refused, naming each entry,
/// while the data is missing or below the bar, and given once it is there and good.
#[tokio::test]
async fn agg_9_acceptance_waits_for_the_declared_data() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (status, r) =
        app.post("/api/v1/projects", &provider, serde_json::json!({"name": "户籍迁移一件事", "entries": []})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "supply_list_empty"));
    let (status, r) = app
        .post(
            "/api/v1/projects",
            &provider,
            serde_json::json!({"name": "x", "entries": ["1010010/00002", "9999999/99999"]}),
        )
        .await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "bad_supply_list"), "{r}");
    let (status, p) = app
        .post(
            "/api/v1/projects",
            &provider,
            serde_json::json!({"name": "户籍迁移一件事", "entries": ["1010010/00002"], "min_valid_share": 0.95}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let accept = format!("/api/v1/projects/{}/accept", p["id"]);
    let (status, r) = app.post(&accept, &reviewer, serde_json::json!({})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "acceptance_refused"));
    assert_eq!(r["error"]["problems"][0]["code"], "no_data", "{r}");
    let id = entry_id(&app, "1010010/00002").await;
    // One bad record in ten: 90% valid, below the bar of 95%.
    let (csv, _) = migration_csv(100, 10);
    assert_eq!(push(&app, &provider, id, csv).await.0, StatusCode::CREATED);
    let (_, r) = app.post(&accept, &reviewer, serde_json::json!({})).await;
    assert_eq!(r["error"]["problems"][0]["code"], "below_quality", "{r}");
    assert_eq!(
        app.post(&accept, &provider, serde_json::json!({})).await.0,
        StatusCode::FORBIDDEN,
        "the authority accepts"
    );
    let (csv, _) = migration_csv(100, 1000);
    assert_eq!(push(&app, &provider, id, csv).await.0, StatusCode::CREATED);
    let (status, r) = app.post(&accept, &reviewer, serde_json::json!({})).await;
    assert_eq!((status, r["state"].as_str()), (StatusCode::OK, Some("accepted")), "{r}");
    let (status, _) = app.post(&accept, &reviewer, serde_json::json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=project.acceptance_refused", &auditor).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 2, "each refusal is audited");
    let mut b = app.login("reviewer", PASSWORD).await;
    let (status, page) = b.get("/console/projects").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("户籍迁移一件事") && page.contains("已验收"));
    app.stop().await;
}

/// AGG-8: a consumer organization files its plan (late after the end of February) and
/// revises it; each demand is met, catalogued without data, or unmet, for the authority.
#[tokio::test]
async fn agg_8_demand_plans_show_unmet_demand() {
    let app = TestApp::spawn().await;
    let consumer = app.token("consumer").await;
    let reviewer = app.token("reviewer").await;
    let provider = app.token("provider").await;
    let year = i64::from(chrono::Datelike::year(&gongshu_rules::calendar::cst_date(chrono::Utc::now())));
    let url = format!("/api/v1/demand-plans/{year}");
    let put = |body: Value| {
        let (app, url, consumer) = (&app, url.clone(), consumer.clone());
        async move { app.call(reqwest::Method::PUT, &url, Some(&consumer), Some(body)).await }
    };
    let (status, r) = put(serde_json::json!({"items": []})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "plan_empty"));
    let (status, r) =
        put(serde_json::json!({"items": [{"name": " "}, {"name": "x", "entry_code": "9999999/99999"}]})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "bad_plan"));
    assert_eq!(r["error"]["problems"].as_array().unwrap().len(), 2);
    let items = serde_json::json!({"items": [
        {"name": "户籍迁移记录", "entry_code": "1010010/00002", "purpose": "低保资格核验"},
        {"name": "人口基本信息", "entry_code": "1010010/00001", "purpose": "身份核验"},
        {"name": "燃气用户信息", "purpose": "困难群众燃气补贴"}
    ]});
    let (status, plan) = put(items.clone()).await;
    assert_eq!(status, StatusCode::OK, "{plan}");
    let today = gongshu_rules::calendar::cst_date(chrono::Utc::now());
    let feb_end = gongshu_rules::MonthDay::end_of(2).unwrap().in_year(year as i32).unwrap();
    assert_eq!(plan["late"], today > feb_end, "late after the end of February");
    assert_eq!(plan["unmet"], 3, "nothing is loaded yet");
    let id = entry_id(&app, "1010010/00002").await;
    let (csv, _) = migration_csv(10, 1000);
    assert_eq!(push(&app, &provider, id, csv).await.0, StatusCode::CREATED);
    let (_, plan) = put(items).await;
    assert_eq!(plan["revision"], 2);
    let statuses: Vec<&str> =
        plan["demands"].as_array().unwrap().iter().map(|d| d["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["met", "no_data", "unmet"]);
    let (_, all) = app.get("/api/v1/demand-plans", &reviewer).await;
    assert_eq!(all["items"][0]["unmet"], 2);
    assert_eq!(
        app.call(reqwest::Method::PUT, &url, Some(&provider), Some(serde_json::json!({"items": []}))).await.0,
        StatusCode::FORBIDDEN
    );
    let mut b = app.login("reviewer", PASSWORD).await;
    let (status, page) = b.get("/console/demand-plans").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("燃气用户信息") && page.contains("未满足"));
    app.stop().await;
}

/// AGG-7: an entry is left out of aggregation only with its legal basis, and then takes
/// no data and is not overdue; purchased data is catalogued and loaded only once the
/// authority approves the purchase (a rejection needs a reason).
#[tokio::test]
async fn agg_7_exemptions_need_a_legal_basis_and_purchases_an_approval() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let id = entry_id(&app, "1010010/00002").await;
    let url = format!("/api/v1/catalog/entries/{id}/aggregation");
    let call = |body: Value| {
        let (app, url, provider) = (&app, url.clone(), provider.clone());
        async move { app.call(reqwest::Method::PUT, &url, Some(&provider), Some(body)).await }
    };
    let (status, r) = call(serde_json::json!({"aggregated": false})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "legal_basis_required"));
    let (status, _) =
        call(serde_json::json!({"aggregated": false, "legal_basis": "《中华人民共和国保守国家秘密法》第二十一条"}))
            .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (csv, _) = migration_csv(10, 1000);
    let (status, r) = push(&app, &provider, id, csv.clone()).await;
    assert_eq!((status.as_u16(), error_code(&r)), (409, "entry_not_aggregated"));
    let (_, overdue) = app.get("/api/v1/data/overdue", &reviewer).await;
    assert!(
        !overdue["items"].as_array().unwrap().iter().any(|e| e["entry_id"] == id),
        "an exempt entry is not overdue"
    );
    let (_, exempt) = app.get("/api/v1/data/exemptions", &reviewer).await;
    assert_eq!(exempt["items"][0]["entry_id"], id);
    call(serde_json::json!({"aggregated": true})).await;
    assert_eq!(push(&app, &provider, id, csv.clone()).await.0, StatusCode::CREATED, "aggregated again");

    // A purchase of social data, catalogued by the police's entry 1010010/00005.
    let bought = entry_id(&app, "1010010/00005").await;
    let (status, r) = app
        .post(
            "/api/v1/data/purchases",
            &provider,
            serde_json::json!({"entry_code": "1010010/00005", "supplier": " ", "purpose": "x"}),
        )
        .await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "supplier_and_purpose_required"));
    let (status, p) = app
        .post(
            "/api/v1/data/purchases",
            &provider,
            serde_json::json!({"entry_code": "1010010/00005", "supplier": "威海某数据公司", "purpose": "流动人口服务"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    let mut rows = String::from("居住证编号,公民身份号码,姓名\n");
    for i in 1..=5 {
        let _ = writeln!(rows, "JZ{i:06},{},居民{i}", citizen_id("19800101", i));
    }
    let (status, r) = push(&app, &provider, bought, rows.clone()).await;
    assert_eq!((status.as_u16(), error_code(&r)), (409, "purchase_not_approved"));
    let decision = format!("/api/v1/data/purchases/{}/decision", p["id"]);
    let (status, r) = app.post(&decision, &reviewer, serde_json::json!({"decision": "reject"})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "reason_required"));
    assert_eq!(
        app.post(&decision, &provider, serde_json::json!({"decision": "approve"})).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&decision, &reviewer, serde_json::json!({"decision": "approve"})).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.post(&decision, &reviewer, serde_json::json!({"decision": "approve"})).await.0,
        StatusCode::CONFLICT
    );
    assert_eq!(push(&app, &provider, bought, rows).await.0, StatusCode::CREATED);
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=purchase.approve", &auditor).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 1);
    app.stop().await;
}

/// AGG-7 through the console: the provider leaves an entry out with its legal basis and
/// files a purchase; the authority approves it on the same page.
#[tokio::test]
async fn agg_7_through_the_console() {
    let app = TestApp::spawn().await;
    let mut p = app.login("provider", PASSWORD).await;
    let csrf = p.csrf("/console/data/aggregation").await;
    let (status, html, _) = p
        .post_form(
            "/console/data/aggregation/exemptions",
            &[("csrf", &csrf), ("entry_code", "1010010/00004"), ("legal_basis", "")],
        )
        .await;
    assert_eq!(status.as_u16(), 422);
    assert!(html.contains("legal_basis_required"));
    let (status, _, _) = p
        .post_form(
            "/console/data/aggregation/exemptions",
            &[("csrf", &csrf), ("entry_code", "1010010/00004"), ("legal_basis", "涉及国家秘密")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = p
        .post_form(
            "/console/data/purchases",
            &[("csrf", &csrf), ("entry_code", "1010010/00005"), ("supplier", "某公司"), ("purpose", "服务")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut r = app.login("reviewer", PASSWORD).await;
    let (_, page) = r.get("/console/data/aggregation").await;
    assert!(page.contains("涉及国家秘密") && page.contains("某公司") && page.contains("/decision"));
    let rcsrf = form_csrf(&page);
    let id = app.store.purchases().await.unwrap()[0].id;
    let (status, _, _) = r
        .post_form(
            &format!("/console/data/purchases/{id}/decision"),
            &[("csrf", &rcsrf), ("decision", "approve"), ("reason", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.purchases().await.unwrap()[0].state, "approved");
    app.stop().await;
}
