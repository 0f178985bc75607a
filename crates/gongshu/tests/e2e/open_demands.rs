//! Demands, objections and suggestions about open data end to end (OPN-7, OPN-8,
//! SUP-4), over HTTP against the real server, on SQLite and (when
//! `GONGSHU_TEST_DATABASE_URL` is set) on PostgreSQL.

use std::str::FromStr;
use std::sync::Arc;

use gongshu_store::{EntryRecord, PgStore, Store};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::postgres::PgConnectOptions;

use crate::helpers::{PASSWORD, TestApp, error_code, form_csrf, settings, temp_dir};

/// 道路交通事故统计信息, unconditionally open, held by 威海市公安局 (the `provider` account's org).
const OPEN_ENTRY: &str = "2020010/00001";
/// 派出所信息, also open, same provider.
const OTHER_OPEN_ENTRY: &str = "3010010/00004";
/// 人口基本信息: not open.
const CLOSED_ENTRY: &str = "1010010/00001";

async fn entry_id(app: &TestApp, code: &str) -> i64 {
    app.store.entry_by_code(code).await.unwrap().unwrap().id
}

/// The demo on a fresh PostgreSQL schema, when a database is configured.
async fn spawn_postgres() -> Option<(TestApp, sqlx::PgPool, String)> {
    let url = std::env::var("GONGSHU_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty())?;
    let schema = format!("od_{}_{}", std::process::id(), gongshu_domain::time::now_micros());
    let admin = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    let options = PgConnectOptions::from_str(&url).unwrap().options([("search_path", schema.as_str())]);
    let store: Store = Arc::new(PgStore::connect_with(options).await.unwrap());
    Some((TestApp::spawn_on(store, settings(&temp_dir("od-pg"), Some(url)), true).await, admin, schema))
}

/// OPN-7, OPN-8 and SUP-4 on both backends: the whole flow.
#[tokio::test]
async fn opn_7_open_demands_flow_on_both_backends() {
    let app = TestApp::spawn().await;
    flow(&app).await;
    app.stop().await;
    match spawn_postgres().await {
        Some((app, admin, schema)) => {
            flow(&app).await;
            app.stop().await;
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
        }
        None => eprintln!("GONGSHU_TEST_DATABASE_URL is not set: PostgreSQL part skipped"),
    }
}

async fn flow(app: &TestApp) {
    let citizen = app.token("citizen").await;
    let provider = app.token("provider").await;
    let entry = entry_id(app, OPEN_ENTRY).await;

    // The data user sends a demand about an open entry; the provider's clock starts.
    let (status, d) = app
        .post(
            "/api/v1/open/demands",
            &citizen,
            json!({"kind": "demand", "entry_id": entry, "title": "希望按月更新", "body": "请提供 CSV 格式、按月更新"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{d}");
    assert_eq!((d["state"].as_str(), d["org_name"].as_str()), (Some("submitted"), Some("威海市公安局")));
    assert!(d.get("requester").is_none(), "the requester does not see themself named: {d}");
    let id = d["id"].as_i64().unwrap();

    // The due date is the calendar's: 10 working days after the day of receipt.
    let received = &d["created_at"].as_str().unwrap()[..10];
    let (_, due) = app.get(&format!("/api/v1/calendar/due?received={received}&days=10&region=371000"), &citizen).await;
    assert_eq!(d["due_on"], due["due"], "{due}");
    let (_, mine) = app.get("/api/v1/deadlines/mine", &provider).await;
    let clock = mine["items"].as_array().unwrap().iter().find(|c| c["item"] == format!("open_demand:{id}")).cloned();
    let clock = clock.unwrap_or_else(|| panic!("the clock is on the provider's deadlines: {mine}"));
    assert_eq!(
        (clock["working_days"].as_i64(), clock["rule"].as_str(), clock["due_on"].as_str(), clock["source"].as_str()),
        (Some(10), Some("opening.demand_answer"), due["due"].as_str(), Some("WH-25"))
    );
    let (_, notes) = app.get("/api/v1/notifications", &provider).await;
    assert!(notes["items"].to_string().contains("希望按月更新"), "the provider is told: {notes}");

    // The provider lists what it received, opens it (read), answers it.
    let (status, received_list) = app.get("/api/v1/open/demands/received?state=submitted", &provider).await;
    assert_eq!(status, StatusCode::OK);
    assert!(received_list["items"].as_array().unwrap().iter().any(|x| x["id"] == id));
    let (_, seen) = app.get(&format!("/api/v1/open/demands/{id}"), &provider).await;
    assert_eq!((seen["state"].as_str(), seen["requester"].as_str()), (Some("read"), Some("市民 李明")), "{seen}");
    let (_, by_citizen) = app.get(&format!("/api/v1/open/demands/{id}"), &citizen).await;
    assert_eq!(by_citizen["state_label"], "已读");
    let (status, answered) =
        app.post(&format!("/api/v1/open/demands/{id}/answer"), &provider, json!({"answer": "自下月起按月更新"})).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    assert_eq!((answered["state"].as_str(), answered["answer"].as_str()), (Some("answered"), Some("自下月起按月更新")));
    let (_, again) = app.post(&format!("/api/v1/open/demands/{id}/answer"), &provider, json!({"answer": "再答"})).await;
    assert_eq!(error_code(&again), "already_answered");

    // The requester sees it answered, with the date, and a personal notification.
    let (_, mine) = app.get("/api/v1/open/demands", &citizen).await;
    let mine_one = mine["items"].as_array().unwrap().iter().find(|x| x["id"] == id).cloned().unwrap();
    assert_eq!((mine_one["state"].as_str(), mine_one["org_name"].as_str()), (Some("answered"), Some("威海市公安局")));
    assert!(mine_one["answered_at"].as_str().is_some_and(|t| t.starts_with("20")));
    let (_, my_notes) = app.get("/api/v1/me/notifications", &citizen).await;
    assert!(my_notes["items"].to_string().contains("已由威海市公安局答复"), "{my_notes}");
    let (_, clocks) = app.get("/api/v1/deadlines/mine?state=answered", &provider).await;
    assert!(clocks["items"].as_array().unwrap().iter().any(|c| c["item"] == format!("open_demand:{id}")));

    // An infringement objection: suspended at once, listed, then restored.
    let (status, obj) = app
        .post(
            "/api/v1/open/demands",
            &citizen,
            json!({"kind": "infringement", "entry_id": entry, "infringement_kind": "privacy",
                   "title": "含有个人信息", "body": "事故统计中可识别到个人"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{obj}");
    let oid = obj["id"].as_i64().unwrap();
    let (_, outcome_first) = app
        .post(&format!("/api/v1/open/demands/{oid}/outcome"), &provider, json!({"outcome": "restore", "note": "x"}))
        .await;
    assert_eq!(error_code(&outcome_first), "not_suspended");
    let (status, sus) = app
        .post(&format!("/api/v1/open/demands/{oid}/suspend"), &provider, json!({"reason": "核实是否涉及个人隐私"}))
        .await;
    assert_eq!((status, sus["state"].as_str()), (StatusCode::OK, Some("suspended")), "{sus}");
    let listed = app.store.suspensions().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].entry_id, listed[0].objection_id, listed[0].reason.as_str()),
        (entry, Some(oid), "核实是否涉及个人隐私")
    );
    let (_, answer_suspended) =
        app.post(&format!("/api/v1/open/demands/{oid}/answer"), &provider, json!({"answer": "x"})).await;
    assert_eq!(error_code(&answer_suspended), "outcome_required");
    let (status, restored) = app
        .post(
            &format!("/api/v1/open/demands/{oid}/outcome"),
            &provider,
            json!({"outcome": "restore", "note": "经核实为汇总统计，不涉及个人"}),
        )
        .await;
    assert_eq!((status, restored["state"].as_str()), (StatusCode::OK, Some("restored")), "{restored}");
    assert!(app.store.suspensions().await.unwrap().is_empty(), "the suspension is gone");
    let (_, my_notes) = app.get("/api/v1/me/notifications", &citizen).await;
    assert!(my_notes["items"].to_string().contains("处理结果：恢复开放"), "{my_notes}");

    // Withdrawal keeps the suspension for good.
    let (_, w) = app
        .post(
            "/api/v1/open/demands",
            &citizen,
            json!({"kind": "infringement", "entry_id": entry_id(app, OTHER_OPEN_ENTRY).await, "infringement_kind": "trade_secret",
                   "title": "涉及商业秘密", "body": "公开了企业内部信息"}),
        )
        .await;
    let wid = w["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/open/demands/{wid}/suspend"), &provider, json!({"reason": "核实中"})).await;
    let (_, withdrawn) = app
        .post(
            &format!("/api/v1/open/demands/{wid}/outcome"),
            &provider,
            json!({"outcome": "withdraw", "note": "确含商业秘密"}),
        )
        .await;
    assert_eq!(withdrawn["state"], "withdrawn", "{withdrawn}");
    let kept = app.store.suspensions().await.unwrap();
    assert_eq!((kept.len(), kept[0].objection_id), (1, Some(wid)));
    assert!(kept[0].reason.contains("确含商业秘密"));

    // Every decision is in the audit log, with the person who took it.
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=open_demand.outcome", &auditor).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 2, "{log}");
    assert!(log["items"].to_string().contains("user:provider"));

    // The public statistics count the provider's answers.
    let (status, stats) = app.call(reqwest::Method::GET, "/api/v1/open/demand-stats", None, None).await;
    assert_eq!(status, StatusCode::OK);
    let police = stats["items"].as_array().unwrap().iter().find(|p| p["org_name"] == "威海市公安局").cloned().unwrap();
    assert_eq!(
        (police["received"].as_u64(), police["answered"].as_u64(), police["overdue"].as_u64()),
        (Some(3), Some(3), Some(0))
    );
    assert_eq!(police["median_working_days"].as_f64(), Some(0.0), "{police}");
}

/// OPN-7: bad input is refused with a code and both languages.
#[tokio::test]
async fn opn_7_bad_submissions_and_steps_are_refused() {
    let app = TestApp::spawn().await;
    let citizen = app.token("citizen").await;
    let provider = app.token("provider").await;
    let open = entry_id(&app, OPEN_ENTRY).await;
    let closed = entry_id(&app, CLOSED_ENTRY).await;
    let police = app.store.org_by_credit_code("11371000754859022G").await.unwrap().unwrap().id;
    let draft = app
        .store
        .create_entry(
            &EntryRecord {
                code: "9990010/00001".into(),
                provider_org_id: police,
                name: "草稿目录".into(),
                category: "交通".into(),
                share_type: "unconditional".into(),
                open_type: "unconditional".into(),
                level: 1,
                update_cycle: "每月".into(),
                content: "{}".into(),
            },
            &gongshu_store::Actor::new("test", None),
        )
        .await
        .unwrap();
    let ok = json!({"kind": "demand", "entry_id": open, "title": "t", "body": "b"});
    let with = |patch: Value| {
        let mut body = ok.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        body
    };
    for (body, status, code) in [
        (with(json!({"title": "  "})), 422, "text_required"),
        (with(json!({"body": ""})), 422, "text_required"),
        (with(json!({"kind": "complaint"})), 422, "unknown_kind"),
        (with(json!({"entry_id": closed})), 422, "entry_not_open"),
        (with(json!({"entry_id": draft.id})), 422, "entry_not_published"),
        (with(json!({"entry_id": 999_999})), 404, "not_found"),
        (with(json!({"kind": "objection", "entry_id": null})), 422, "entry_required"),
        (with(json!({"kind": "infringement"})), 422, "infringement_kind_required"),
        (with(json!({"org_id": police})), 422, "org_with_entry"),
        (json!({"kind": "demand", "title": "t", "body": "b", "bogus": 1}), 422, "invalid_json_fields"),
    ] {
        let (s, r) = app.post("/api/v1/open/demands", &citizen, body.clone()).await;
        assert_eq!((s.as_u16(), error_code(&r)), (status, code), "{body} -> {r}");
    }
    let (_, d) = app.post("/api/v1/open/demands", &citizen, ok.clone()).await;
    let id = d["id"].as_i64().unwrap();
    let (_, r) = app.post(&format!("/api/v1/open/demands/{id}/suspend"), &provider, json!({"reason": "x"})).await;
    assert_eq!(error_code(&r), "not_infringement");
    let (_, r) = app
        .post(&format!("/api/v1/open/demands/{id}/outcome"), &provider, json!({"outcome": "restore", "note": "x"}))
        .await;
    assert_eq!(error_code(&r), "not_infringement");
    let (_, r) = app
        .post(&format!("/api/v1/open/demands/{id}/outcome"), &provider, json!({"outcome": "forget", "note": "x"}))
        .await;
    assert_eq!(error_code(&r), "unknown_outcome");
    let (_, r) = app.post(&format!("/api/v1/open/demands/{id}/answer"), &provider, json!({"answer": " "})).await;
    assert_eq!(error_code(&r), "text_required");
    let (s, r) = app.get("/api/v1/open/demands?state=lost", &citizen).await;
    assert_eq!((s.as_u16(), error_code(&r)), (400, "invalid_state"));

    // A demand for data outside the catalog goes to the city authority, or to the organization named.
    let (s, outside) = app
        .post("/api/v1/open/demands", &citizen, json!({"kind": "demand", "title": "公交实时位置", "body": "希望开放"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{outside}");
    assert_eq!((outside["entry_id"].clone(), outside["org_name"].as_str()), (Value::Null, Some("威海市大数据局")));
    let (s, named) = app
        .post("/api/v1/open/demands", &citizen, json!({"kind": "demand", "org_id": police, "title": "x", "body": "y"}))
        .await;
    assert_eq!((s, named["org_name"].as_str()), (StatusCode::CREATED, Some("威海市公安局")));
    let reviewer = app.token("reviewer").await;
    let oid = outside["id"].as_i64().unwrap();
    let (s, r) = app
        .post(&format!("/api/v1/open/demands/{oid}/answer"), &reviewer, json!({"answer": "已转交市交通运输局编目"}))
        .await;
    assert_eq!((s, r["state"].as_str()), (StatusCode::OK, Some("answered")), "the authority answers: {r}");
    app.stop().await;
}

/// OPN-7: a data user cannot answer; another organization's staff cannot answer or
/// open another's item; other requesters do not see it.
#[tokio::test]
async fn opn_7_only_the_holding_organization_answers() {
    let app = TestApp::spawn().await;
    let citizen = app.token("citizen").await;
    let company = app.token("company").await;
    let operator = app.token("operator").await;
    let open = entry_id(&app, OPEN_ENTRY).await;
    let (_, d) = app
        .post(
            "/api/v1/open/demands",
            &citizen,
            json!({"kind": "suggestion", "entry_id": open, "title": "t", "body": "b"}),
        )
        .await;
    let id = d["id"].as_i64().unwrap();
    let (s, r) = app.post(&format!("/api/v1/open/demands/{id}/answer"), &citizen, json!({"answer": "x"})).await;
    assert_eq!((s, error_code(&r)), (StatusCode::FORBIDDEN, "forbidden"));
    let (s, r) = app.post(&format!("/api/v1/open/demands/{id}/answer"), &operator, json!({"answer": "x"})).await;
    assert_eq!((s, error_code(&r)), (StatusCode::FORBIDDEN, "not_your_org"));
    let (s, _) = app.get(&format!("/api/v1/open/demands/{id}"), &operator).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another organization does not open it");
    let (s, _) = app.get(&format!("/api/v1/open/demands/{id}"), &company).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another requester does not see it");
    let (_, theirs) = app.get("/api/v1/open/demands", &company).await;
    assert!(theirs["items"].as_array().unwrap().is_empty());
    let (_, received) = app.get("/api/v1/open/demands/received", &operator).await;
    assert!(received["items"].as_array().unwrap().is_empty());
    assert_eq!(app.store.open_demand(id).await.unwrap().unwrap().state, "submitted", "not read by others");

    // Unanswered past the deadline: the holder is told and it is escalated to the authority.
    let filter = gongshu_store::ClockFilter { item: Some(format!("open_demand:{id}")), limit: 1, ..Default::default() };
    let due = app.store.clocks(&filter).await.unwrap()[0].due_at;
    let after = chrono::DateTime::from_timestamp_micros(due).unwrap() + chrono::Duration::hours(1);
    assert!(gongshu::deadlines::tick(app.state(), after).await.unwrap().fired >= 1);
    let reviewer = app.token("reviewer").await;
    let (_, notes) = app.get("/api/v1/notifications", &reviewer).await;
    assert!(notes["items"].to_string().contains(&format!("open_demand:{id}")), "{notes}");
    app.stop().await;
}

/// OPN-7, SUP-4: the pages: the requester's form and list, the provider's console
/// (opening marks read, answering), and the public statistics with an accessible chart.
#[tokio::test]
async fn opn_7_pages_for_requester_provider_and_public() {
    let app = TestApp::spawn().await;
    let open = entry_id(&app, OPEN_ENTRY).await;
    let mut citizen = app.login("citizen", PASSWORD).await;
    let (status, form) = citizen.get(&format!("/open/demands/new?entry={open}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("道路交通事故统计信息") && form.contains("name=\"csrf\""));
    let csrf = form_csrf(&form);
    let entry = open.to_string();
    let fields = [
        ("csrf", csrf.as_str()),
        ("kind", "demand"),
        ("entry", entry.as_str()),
        ("title", "页面提交的需求"),
        ("body", "内容"),
    ];
    let (status, _, headers) = citizen.post_form("/open/demands", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/open/demands?saved=1");
    let no_csrf = [("csrf", "wrong"), ("kind", "demand"), ("entry", ""), ("title", "x"), ("body", "y")];
    assert_eq!(citizen.post_form("/open/demands", &no_csrf).await.0, StatusCode::FORBIDDEN);
    let (_, mine) = citizen.get("/open/demands").await;
    assert!(mine.contains("页面提交的需求") && mine.contains("未读"), "{mine}");

    let id = app.store.open_demands(&Default::default()).await.unwrap()[0].id;
    let mut provider = app.login("provider", PASSWORD).await;
    let (_, list) = provider.get("/console/open-demands").await;
    assert!(list.contains("页面提交的需求") && list.contains("市民 李明"));
    let (status, page) = provider.get(&format!("/console/open-demands/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"od-answer\"") && !page.contains("id=\"od-suspend\""), "no suspension for a demand");
    assert_eq!(app.store.open_demand(id).await.unwrap().unwrap().state, "read", "opening marks read");
    let csrf = form_csrf(&page);
    let (status, _, headers) = provider
        .post_form(&format!("/console/open-demands/{id}/answer"), &[("csrf", &csrf), ("answer", "已安排")])
        .await;
    assert_eq!(
        (status, headers["location"].to_str().unwrap()),
        (StatusCode::SEE_OTHER, format!("/console/open-demands/{id}?saved=1").as_str())
    );
    let (_, mine) = citizen.get("/open/demands").await;
    assert!(mine.contains("已安排") && mine.contains("已答复"), "{mine}");

    let (status, stats) = crate::helpers::Browser::anonymous(&app).get("/open/demand-stats").await;
    assert_eq!(status, StatusCode::OK);
    assert!(stats.contains("<svg id=\"od-chart\"") && stats.contains("<title id=\"od-chart-title\">"), "{stats}");
    assert!(stats.contains("aria-labelledby") && stats.contains("id=\"od-stats\"") && stats.contains("威海市公安局"));
    let (status, _) = crate::helpers::Browser::anonymous(&app).get("/open/demands").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signing in is needed");
    app.stop().await;
}
