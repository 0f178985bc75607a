//! The JSON API: organizations, people, accounts, tokens, audit, health, and the one
//! error shape for every bad input.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code};

async fn org_count(app: &TestApp, token: &str) -> usize {
    app.get("/api/v1/orgs", token).await.1["items"].as_array().unwrap().len()
}

/// ORG-1: organizations are listed with kind and region code, and created with a checked credit code.
#[tokio::test]
async fn org_1_create_and_list_organizations() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let (status, list) = app.get("/api/v1/orgs", &admin).await;
    assert_eq!(status, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert!(items.len() >= 21, "demo has the bureau, agency, 12 departments, counties, zones, utilities, companies");
    let kinds: Vec<&str> = items.iter().map(|o| o["kind"].as_str().unwrap()).collect();
    for kind in ["authority", "service_agency", "department", "public_enterprise", "social_entity"] {
        assert!(kinds.contains(&kind), "{kind}");
    }
    let bureau = items.iter().find(|o| o["name"] == "威海市大数据局").unwrap();
    let (status, created) = app
        .post(
            "/api/v1/orgs",
            &admin,
            json!({"name": "威海市医疗保障局", "credit_code": "11100000000013127d", "kind": "department",
                   "region_code": "371000", "parent_id": null}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["credit_code"], "11100000000013127D", "normalized to upper case");
    assert_eq!(created["kind_label"], "公共管理和服务机构");
    let (status, one) = app.get(&format!("/api/v1/orgs/{}", created["id"]), &admin).await;
    assert_eq!((status, one["name"].as_str()), (StatusCode::OK, Some("威海市医疗保障局")));
    let (status, regions) = app.get("/api/v1/regions", &admin).await;
    assert_eq!(status, StatusCode::OK);
    let weihai: Vec<&Value> =
        regions["items"].as_array().unwrap().iter().filter(|r| r["parent_code"] == "371000").collect();
    assert_eq!(weihai.iter().filter(|r| r["level"] == "county").count(), 4);
    assert_eq!(weihai.iter().filter(|r| r["level"] == "functional_zone").count(), 3);
    assert!(bureau["credit_code"].as_str().unwrap().starts_with("11371000"));
    app.stop().await;
}

/// ORG-1: bad organization input gets a specific error and stores nothing.
#[tokio::test]
async fn org_1_bad_organizations_are_refused_with_a_reason() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let before = org_count(&app, &admin).await;
    let cases = [
        (
            json!({"name": "x", "credit_code": "11100000000013127E", "kind": "department", "region_code": "371000"}),
            422,
            "invalid_credit_code",
        ),
        (json!({"name": "x", "kind": "department", "region_code": "371000"}), 422, "credit_code_required"),
        (
            json!({"name": "x", "credit_code": "11100000000013127D", "kind": "ministry", "region_code": "371000"}),
            422,
            "unknown_org_kind",
        ),
        (
            json!({"name": "x", "credit_code": "11100000000013127D", "kind": "department", "region_code": "3710"}),
            422,
            "invalid_region_code",
        ),
        (
            json!({"name": "x", "credit_code": "11100000000013127D", "kind": "department", "region_code": "110000"}),
            422,
            "missing_reference",
        ),
        (
            json!({"name": "  ", "credit_code": "11100000000013127D", "kind": "department", "region_code": "371000"}),
            422,
            "invalid_field",
        ),
        (
            json!({"name": "x", "credit_code": "11371000804072819U", "kind": "department", "region_code": "371000"}),
            409,
            "already_exists",
        ),
        (json!({"name": "x", "kind": "social_entity", "region_code": "371000", "parent_id": 9999}), 404, "not_found"),
        (json!({"name": 5, "kind": "social_entity", "region_code": "371000"}), 422, "invalid_json_fields"),
        (
            json!({"name": "x", "kind": "social_entity", "region_code": "371000", "colour": "red"}),
            422,
            "invalid_json_fields",
        ),
    ];
    for (body, status, code) in cases {
        let (got, resp) = app.post("/api/v1/orgs", &admin, body.clone()).await;
        assert_eq!(got.as_u16(), status, "{body} -> {resp}");
        assert_eq!(error_code(&resp), code, "{body}");
    }
    // A county organization cannot sit under a county of another part of the tree.
    let (_, list) = app.get("/api/v1/orgs", &admin).await;
    let rongcheng =
        list["items"].as_array().unwrap().iter().find(|o| o["region_code"] == "371082").unwrap()["id"].clone();
    let (got, resp) = app
        .post(
            "/api/v1/orgs",
            &admin,
            json!({"name": "x", "kind": "social_entity", "region_code": "371083", "parent_id": rongcheng}),
        )
        .await;
    assert_eq!((got.as_u16(), error_code(&resp)), (422, "invalid_field"));
    assert_eq!(org_count(&app, &admin).await, before, "nothing was stored");
    app.stop().await;
}

/// Malformed JSON, a missing content type, oversized bodies, bad paths, unknown routes
/// and wrong methods all get a 4xx in the one error shape, never a 500.
#[tokio::test]
async fn malformed_requests_get_the_error_shape() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let url = app.url("/api/v1/orgs");
    let send = |req: reqwest::RequestBuilder| async move {
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        (status, resp.json::<Value>().await.unwrap())
    };
    let cases = [
        (
            app.http.post(&url).bearer_auth(&admin).header("content-type", "application/json").body("{not json"),
            400,
            "malformed_json",
        ),
        (app.http.post(&url).bearer_auth(&admin).body("{}"), 415, "json_content_type_required"),
        (
            app.http
                .post(&url)
                .bearer_auth(&admin)
                .header("content-type", "application/json")
                .body(format!("{{\"name\":\"{}\"}}", "x".repeat(3 << 20))),
            413,
            "body_too_large",
        ),
        (app.http.get(app.url("/api/v1/orgs/abc")).bearer_auth(&admin), 400, "invalid_path_parameter"),
        (app.http.get(app.url("/api/v1/orgs/99999")).bearer_auth(&admin), 404, "not_found"),
        (app.http.get(app.url("/api/v1/nothing-here")).bearer_auth(&admin), 404, "no_such_route"),
        (app.http.patch(&url).bearer_auth(&admin), 405, "method_not_allowed"),
        (
            app.http.get(app.url("/api/v1/audit?from=yesterday")).bearer_auth(app.token("auditor").await),
            400,
            "invalid_date",
        ),
        (
            app.http.get(app.url("/api/v1/audit?colour=red")).bearer_auth(app.token("auditor").await),
            400,
            "invalid_query_parameter",
        ),
        (app.http.get(app.url("/api/v1/orgs")).bearer_auth("gst_forged"), 401, "invalid_token"),
        (app.http.get(app.url("/api/v1/orgs")).header("authorization", "Basic YWRtaW46eA=="), 401, "invalid_token"),
    ];
    for (req, status, code) in cases {
        let (got, body) = send(req).await;
        assert_eq!((got, error_code(&body)), (status, code), "{body}");
    }
    let resp = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert!(resp.headers().get("x-request-id").is_some(), "every response carries a request id");
    app.stop().await;
}

/// ORG-2: each organization's chief data officer and data specialists; the authority sees all.
#[tokio::test]
async fn org_2_people_responsible_for_data_work() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (_, me) = app.get("/api/v1/me", &provider).await;
    let own = me["org_id"].as_i64().unwrap();
    let (status, added) = app
        .post(
            &format!("/api/v1/orgs/{own}/people"),
            &provider,
            json!({"duty": "data_specialist", "name": "钱多多", "email": "qian@demo.cn"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["duty_label"], "数据专员");
    let (status, resp) = app
        .post(&format!("/api/v1/orgs/{}/people", own + 1), &provider, json!({"duty": "data_specialist", "name": "x"}))
        .await;
    assert_eq!((status, error_code(&resp)), (StatusCode::FORBIDDEN, "forbidden"), "not its own organization");
    let (status, resp) =
        app.post(&format!("/api/v1/orgs/{own}/people"), &provider, json!({"duty": "boss", "name": "x"})).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::UNPROCESSABLE_ENTITY, "unknown_duty"));
    let (status, resp) = app
        .post(
            &format!("/api/v1/orgs/{own}/people"),
            &provider,
            json!({"duty": "data_specialist", "name": "x", "email": "no"}),
        )
        .await;
    assert_eq!((status, error_code(&resp)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_field"));
    let (status, list) = app.get(&format!("/api/v1/orgs/{}/people", own + 1), &provider).await;
    assert_eq!(
        (status, error_code(&list)),
        (StatusCode::FORBIDDEN, "forbidden"),
        "others' lists are filed with the authority"
    );
    let (status, all) = app.get("/api/v1/people", &reviewer).await;
    assert_eq!(status, StatusCode::OK);
    let all = all["items"].as_array().unwrap();
    assert!(all.iter().any(|p| p["name"] == "钱多多"));
    assert!(all.iter().filter(|p| p["duty"] == "chief_data_officer").count() >= 12);
    let id = added["id"].as_i64().unwrap();
    let (status, _) = app.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&provider), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, resp) = app.call(Method::DELETE, &format!("/api/v1/people/{id}"), Some(&provider), None).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::NOT_FOUND, "not_found"));
    app.stop().await;
}

/// ORG-3: accounts, role grants and revocations through the API, all audited.
#[tokio::test]
async fn org_3_accounts_and_roles_through_the_api() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let (status, u) = app
        .post(
            "/api/v1/users",
            &admin,
            json!({"username": "Wang.Wei", "display_name": "王伟", "password": "a long password", "roles": ["expert"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{u}");
    assert_eq!((u["username"].as_str(), u["roles"].clone()), (Some("wang.wei"), json!(["expert"])));
    let id = u["id"].as_i64().unwrap();
    for (body, code) in [
        (json!({"username": "wang.wei", "display_name": "x", "password": "a long password"}), "already_exists"),
        (json!({"username": "x", "display_name": "x", "password": "a long password"}), "invalid_field"),
        (json!({"username": "short.pw", "display_name": "x", "password": "short"}), "invalid_field"),
        (
            json!({"username": "bad.role", "display_name": "x", "password": "a long password", "roles": ["emperor"]}),
            "unknown_role",
        ),
    ] {
        let (status, resp) = app.post("/api/v1/users", &admin, body.clone()).await;
        assert!(status.is_client_error(), "{body}");
        assert_eq!(error_code(&resp), code, "{body}");
    }
    let (status, u) = app.post(&format!("/api/v1/users/{id}/roles"), &admin, json!({"role": "auditor"})).await;
    assert_eq!((status, u["roles"].clone()), (StatusCode::OK, json!(["auditor", "expert"])));
    let (status, u) = app.call(Method::DELETE, &format!("/api/v1/users/{id}/roles/expert"), Some(&admin), None).await;
    assert_eq!((status, u["roles"].clone()), (StatusCode::OK, json!(["auditor"])));
    let (status, resp) =
        app.call(Method::DELETE, &format!("/api/v1/users/{id}/roles/emperor"), Some(&admin), None).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "unknown_role"));
    let (status, _) = app
        .call(
            Method::PUT,
            &format!("/api/v1/users/{id}/password"),
            Some(&admin),
            Some(json!({"password": "another long one"})),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, resp) = app
        .call(Method::PUT, &format!("/api/v1/users/{id}/password"), Some(&admin), Some(json!({"password": "tiny"})))
        .await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "invalid_field"));
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?object=user:wang.wei", &auditor).await;
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["user.set_password", "user.role.revoke", "user.role.grant", "user.create"]);
    let first = &log["items"][3];
    assert!(first["actor"].as_str().unwrap().starts_with("user:admin (token:"), "{first}");
    assert!(first["request_id"].as_str().is_some_and(|r| r.len() >= 32));
    app.stop().await;
}

/// ORG-3: API tokens are shown once, stored as digests, scoped to the creator's roles,
/// revocable and expiring.
#[tokio::test]
async fn org_3_api_tokens_lifecycle() {
    let app = TestApp::spawn().await;
    let auditor = app.token("auditor").await;
    let (status, issued) =
        app.post("/api/v1/tokens", &auditor, json!({"name": "nightly", "expires_in_days": 30})).await;
    assert_eq!(status, StatusCode::CREATED, "{issued}");
    let secret = issued["token"].as_str().unwrap().to_string();
    assert!(secret.starts_with("gst_"));
    assert_eq!(issued["roles"], json!(["auditor"]));
    let (status, _) = app.get("/api/v1/audit", &secret).await;
    assert_eq!(status, StatusCode::OK, "the new token works");
    let (_, list) = app.get("/api/v1/tokens", &secret).await;
    assert!(!list.to_string().contains(&secret), "the secret is never shown again");
    let (status, resp) =
        app.post("/api/v1/tokens", &auditor, json!({"name": "escalate", "roles": ["platform_admin"]})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "token_roles_not_held"));
    let (status, resp) = app.post("/api/v1/tokens", &auditor, json!({"name": "forever", "expires_in_days": 0})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "invalid_expiry"));
    // Someone else's token cannot be revoked, or even found.
    let provider = app.token("provider").await;
    let id = issued["id"].as_i64().unwrap();
    let (status, _) = app.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), Some(&provider), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.call(Method::DELETE, &format!("/api/v1/tokens/{id}"), Some(&auditor), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, resp) = app.get("/api/v1/audit", &secret).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (401, "invalid_token"), "revoked");
    // Revoking a role from the account takes it from its tokens at once.
    let admin = app.token("admin").await;
    let (_, me) = app.get("/api/v1/me", &auditor).await;
    app.call(Method::DELETE, &format!("/api/v1/users/{}/roles/auditor", me["id"]), Some(&admin), None).await;
    let (status, _) = app.get("/api/v1/audit", &auditor).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

/// SEC-1: the audit log through the API: filter, page back, verify.
#[tokio::test]
async fn sec_1_audit_api_filters_and_verifies() {
    let app = TestApp::spawn().await;
    let auditor = app.token("auditor").await;
    let (status, v) = app.get("/api/v1/audit/verify", &auditor).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["intact"], true, "{v}");
    assert!(v["entries"].as_u64().unwrap() > 40);
    let (_, page) = app.get("/api/v1/audit?limit=5", &auditor).await;
    let seqs: Vec<i64> = page["items"].as_array().unwrap().iter().map(|e| e["seq"].as_i64().unwrap()).collect();
    assert_eq!(seqs.len(), 5);
    assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first");
    let (_, older) = app.get(&format!("/api/v1/audit?limit=5&before={}", seqs[4]), &auditor).await;
    assert_eq!(older["items"][0]["seq"].as_i64(), Some(seqs[4] - 1));
    let today = chrono::Utc::now().with_timezone(&gongshu_domain::time::cst()).format("%Y-%m-%d").to_string();
    let (_, today_entries) =
        app.get(&format!("/api/v1/audit?from={today}&to={today}&action=org.create"), &auditor).await;
    assert!(today_entries["items"].as_array().unwrap().len() >= 21);
    assert!(today_entries["items"][0]["at"].as_str().unwrap().ends_with("+08:00"), "times in China Standard Time");
    app.stop().await;
}

/// Health, readiness and metrics (the latter needs a permission, as everything else).
#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = TestApp::spawn().await;
    let (status, h) = app.call(Method::GET, "/healthz", None, None).await;
    assert_eq!((status, h["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (status, r) = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!((status, r["database"].as_str()), (StatusCode::OK, Some("sqlite")));
    let operator = app.token("operator").await;
    let resp = app.http.get(app.url("/metrics")).bearer_auth(&operator).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let text = resp.text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    app.stop().await;
}
