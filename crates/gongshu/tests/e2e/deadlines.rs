//! The deadline engine end to end: share requests start clocks from the profile, the
//! scheduler reminds, escalates and acts, late answers are recorded, webhooks deliver.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use gongshu::deadlines::{deliver_outbox, tick};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code};

async fn org_id(app: &TestApp, name: &str) -> i64 {
    app.store.orgs().await.unwrap().iter().find(|o| o.name == name).unwrap().id
}

async fn apply(app: &TestApp, consumer: &str) -> Value {
    let provider = org_id(app, "威海市公安局").await;
    let body = json!({"provider_org_id": provider, "resource": "2010300/00017", "purpose": "低保资格核查",
                      "legal_basis": "《社会救助暂行办法》第十一条", "items": "姓名,公民身份号码,户籍地址"});
    let (status, created) = app.post("/api/v1/share-requests", consumer, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

fn due_at(clock: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(clock["due_at"].as_str().unwrap()).unwrap().with_timezone(&Utc)
}

/// WHN-17 (wuhan profile): a conditional share request the provider leaves unanswered for
/// 10 working days is granted by the platform itself, recorded as the platform's act; the
/// clock fires once, also when the scheduler ticks again or runs after a restart.
#[tokio::test]
async fn whn_17_silence_means_consent_and_the_platform_grants() {
    let app = TestApp::spawn_with_profile("wuhan").await;
    let consumer = app.token("consumer").await;
    let provider = app.token("provider").await;
    let created = apply(&app, &consumer).await;
    let (_, mine) = app.get("/api/v1/deadlines/mine", &provider).await;
    let clock = &mine["items"][0];
    assert_eq!((clock["working_days"].as_i64(), clock["source"].as_str()), (Some(10), Some("WHN-17")));
    assert_eq!(clock["on_miss"], "act:share_request.grant");
    let due = due_at(clock);

    let before = tick(app.state(), due - Duration::seconds(1)).await.unwrap();
    assert_eq!(before.fired, 0, "not yet due");
    let after = tick(app.state(), due + Duration::seconds(1)).await.unwrap();
    assert_eq!(after.fired, 1);
    assert_eq!(tick(app.state(), due + Duration::days(3)).await.unwrap().fired, 0, "exactly once");

    let (_, list) = app.get("/api/v1/share-requests", &consumer).await;
    let r = list["items"].as_array().unwrap().iter().find(|r| r["id"] == created["id"]).unwrap();
    assert_eq!((r["state"].as_str(), r["decided_by"].as_str()), (Some("granted"), Some("platform")));
    assert!(r["reason"].as_str().unwrap().contains("视为同意"));
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=share_request.grant", &auditor).await;
    let entry = &log["items"][0];
    assert_eq!((entry["actor"].as_str(), entry["detail"]["source"].as_str()), (Some("platform"), Some("WHN-17")));
    let (_, notes) = app.get("/api/v1/notifications", &consumer).await;
    assert!(notes["items"].as_array().unwrap().iter().any(|n| n["kind"] == "granted"), "{notes}");
    // A provider answering now is too late: the request is decided.
    let (status, resp) = app
        .post(&format!("/api/v1/share-requests/{}/answer", created["id"]), &provider, json!({"decision": "approve"}))
        .await;
    assert_eq!((status, error_code(&resp)), (StatusCode::CONFLICT, "already_decided"));
    app.stop().await;
}

/// WH-17 (weihai profile): the authority reviews within 1 working day, then the provider
/// within 2; a missed provider step is escalated to the authority; answering late is
/// allowed and recorded as late.
#[tokio::test]
async fn wh_17_two_steps_escalation_and_late_answers() {
    let app = TestApp::spawn().await;
    let consumer = app.token("consumer").await;
    let reviewer = app.token("reviewer").await;
    let provider = app.token("provider").await;
    let created = apply(&app, &consumer).await;
    let id = created["id"].as_i64().unwrap();
    let (_, mine) = app.get("/api/v1/deadlines/mine", &reviewer).await;
    assert_eq!(
        (mine["items"][0]["working_days"].as_i64(), mine["items"][0]["duty"].as_str()),
        (Some(1), Some("authority_review"))
    );
    let (status, resp) =
        app.post(&format!("/api/v1/share-requests/{id}/answer"), &provider, json!({"decision": "approve"})).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::FORBIDDEN, "forbidden"), "not the provider's step yet");
    let (status, resp) =
        app.post(&format!("/api/v1/share-requests/{id}/answer"), &reviewer, json!({"decision": "maybe"})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "invalid_decision"));
    let (status, _) =
        app.post(&format!("/api/v1/share-requests/{id}/answer"), &reviewer, json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::OK);

    let (_, mine) = app.get("/api/v1/deadlines/mine", &provider).await;
    let clock = mine["items"][0].clone();
    assert_eq!((clock["working_days"].as_i64(), clock["on_miss"].as_str()), (Some(2), Some("escalate")));
    let report = tick(app.state(), due_at(&clock) + Duration::hours(1)).await.unwrap();
    assert_eq!(report.fired, 1);
    let (_, notes) = app.get("/api/v1/notifications", &reviewer).await;
    assert!(
        notes["items"].as_array().unwrap().iter().any(|n| n["kind"] == "escalated"),
        "the authority is told: {notes}"
    );
    let (_, overview) = app.get("/api/v1/deadlines?state=missed", &reviewer).await;
    assert_eq!(overview["items"][0]["outcome"], "escalated");

    let (status, resp) =
        app.post(&format!("/api/v1/share-requests/{id}/answer"), &provider, json!({"decision": "refuse"})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "reason_required"), "SHR-2: a refusal states its reason");
    let (status, done) = app
        .post(
            &format!("/api/v1/share-requests/{id}/answer"),
            &provider,
            json!({"decision": "refuse", "reason": "涉及个人隐私，依据《个人信息保护法》第十三条"}),
        )
        .await;
    assert_eq!((status, done["state"].as_str()), (StatusCode::OK, Some("refused")));
    let auditor = app.token("auditor").await;
    let (_, log) =
        app.get(&format!("/api/v1/audit?action=share_request.answer&object=share_request:{id}"), &auditor).await;
    assert_eq!(
        log["items"][0]["detail"]["late"], false,
        "the missed clock had already fired; the answer closes no open clock"
    );
    app.stop().await;
}

/// SUP-1: a reminder before the due date, once; "my deadlines" shows it as due soon.
#[tokio::test]
async fn sup_1_reminders_and_my_deadlines() {
    let app = TestApp::spawn_with_profile("qiqihar").await;
    let consumer = app.token("consumer").await;
    let provider = app.token("provider").await;
    apply(&app, &consumer).await;
    let (_, mine) = app.get("/api/v1/deadlines/mine", &provider).await;
    let clock = mine["items"][0].clone();
    assert_eq!((clock["working_days"].as_i64(), clock["source"].as_str()), (Some(1), Some("QQ-15")));
    let due = due_at(&clock);
    // The one-day deadline reminds at 09:00 CST on its day (01:00 UTC).
    let remind = due - Duration::hours(15) - Duration::minutes(59) - Duration::seconds(59) + Duration::hours(1);
    assert_eq!(tick(app.state(), remind - Duration::minutes(1)).await.unwrap().reminded, 0);
    assert_eq!(tick(app.state(), remind).await.unwrap().reminded, 1);
    assert_eq!(tick(app.state(), remind + Duration::minutes(5)).await.unwrap().reminded, 0, "once");
    let (_, notes) = app.get("/api/v1/notifications", &provider).await;
    let reminders: Vec<&Value> =
        notes["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "reminder").collect();
    assert_eq!(reminders.len(), 1);
    let id = reminders[0]["id"].as_i64().unwrap();
    let (status, _) = app.post(&format!("/api/v1/notifications/{id}/read"), &provider, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.post(&format!("/api/v1/notifications/{id}/read"), &consumer, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not the consumer's notification");
    let (status, bad) = app.get("/api/v1/deadlines/mine?state=late", &provider).await;
    assert_eq!((status, error_code(&bad)), (StatusCode::BAD_REQUEST, "invalid_state"));
    app.stop().await;
}

/// SUP-1: a restart in the middle of a due period changes nothing; after downtime past the
/// deadline, a new process fires what was missed on its first tick, once.
#[tokio::test]
async fn sup_1_missed_clocks_fire_once_after_a_restart() {
    let app = TestApp::spawn_with_profile("wuhan").await;
    let consumer = app.token("consumer").await;
    apply(&app, &consumer).await;
    let clocks = app
        .store
        .clocks(&gongshu_store::ClockFilter { state: Some("open".into()), limit: 10, ..Default::default() })
        .await
        .unwrap();
    let due = DateTime::<Utc>::from_timestamp_micros(clocks[0].due_at).unwrap();
    let store = app.store.clone();
    app.stop().await;
    // A second process on the same database, started long after the deadline.
    let mut s = crate::helpers::settings(&crate::helpers::temp_dir("restart"), None);
    s.profile = "wuhan".into();
    let again = TestApp::spawn_on(store, s, false).await;
    assert_eq!(tick(again.state(), due - Duration::hours(1)).await.unwrap().fired, 0, "restarted mid-period: not yet");
    assert_eq!(tick(again.state(), due + Duration::days(30)).await.unwrap().fired, 1);
    assert_eq!(tick(again.state(), due + Duration::days(31)).await.unwrap().fired, 0);
    again.stop().await;
}

/// Webhooks: every notification is posted to the subscribed URL; a failing endpoint is retried.
#[tokio::test]
async fn webhooks_deliver_notifications_with_retries() {
    let received: Arc<Mutex<Vec<Value>>> = Arc::default();
    let sink = received.clone();
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |axum::Json(v): axum::Json<Value>| {
            let sink = sink.clone();
            async move {
                sink.lock().unwrap().push(v);
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hook).await });

    let app = TestApp::spawn_with_profile("wuhan").await;
    let admin = app.token("admin").await;
    let (status, _) = app.post("/api/v1/webhooks", &admin, json!({"url": hook_url})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, resp) = app.post("/api/v1/webhooks", &admin, json!({"url": "ftp://example"})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "invalid_url"));
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let (status, _) = app.post("/api/v1/webhooks", &admin, json!({"url": format!("http://{dead}/gone")})).await;
    assert_eq!(status, StatusCode::CREATED);

    let consumer = app.token("consumer").await;
    apply(&app, &consumer).await;
    let (ok, failed) = deliver_outbox(app.state(), Utc::now()).await.unwrap();
    assert_eq!((ok, failed), (1, 1), "one notification (the new request), two subscriptions");
    let got = received.lock().unwrap().clone();
    assert_eq!(got[0]["kind"], "new_request");
    assert!(got[0]["title_zh"].as_str().unwrap().contains("2010300/00017"));
    let (_, outbox) = app.get("/api/v1/outbox", &admin).await;
    let failed_row = outbox["items"].as_array().unwrap().iter().find(|i| i["state"] == "pending").unwrap();
    assert_eq!(failed_row["attempts"], 1);
    assert!(failed_row["last_error"].as_str().is_some());
    app.stop().await;
}
