//! ORG-3: deny by default. Every route of the table refuses the anonymous caller and a
//! caller whose roles do not grant the route's permission.

use gongshu::routes::{Surface, specs};
use gongshu_domain::role::{Access, Role, allows};
use reqwest::StatusCode;

use crate::helpers::{TestApp, error_code};

fn concrete(path: &str) -> String {
    path.replace("{id}", "1").replace("{role}", "auditor")
}

fn demo_user_with(role: Role) -> &'static str {
    gongshu::demo::DEMO_USERS.iter().find(|u| u.3 == role).map(|u| u.0).unwrap()
}

/// ORG-3: the anonymous visitor is refused on every non-public route: 401 from the API,
/// a redirect to the login page from pages.
#[tokio::test]
async fn org_3_every_route_refuses_the_anonymous_caller() {
    let app = TestApp::spawn().await;
    let mut checked = 0;
    for spec in specs().into_iter().filter(|s| s.access != Access::Public) {
        let url = app.url(&concrete(spec.path));
        let resp = app.http.request(spec.method.clone(), &url).json(&serde_json::json!({})).send().await.unwrap();
        match spec.surface {
            Surface::Api => {
                assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "{} {}", spec.method, spec.path);
                let body: serde_json::Value = resp.json().await.unwrap();
                assert_eq!(error_code(&body), "unauthenticated");
            }
            Surface::Page => {
                assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{} {}", spec.method, spec.path);
                let to = resp.headers()["location"].to_str().unwrap();
                assert!(to.starts_with("/login?next="), "{} {} -> {to}", spec.method, spec.path);
            }
        }
        checked += 1;
    }
    assert!(checked > 30, "only {checked} routes checked");
    app.stop().await;
}

/// ORG-3: for every route that needs a permission, a signed-in caller with a role that
/// lacks it is refused with 403, and the refusal is in the audit log.
#[tokio::test]
async fn org_3_every_route_refuses_a_caller_with_the_wrong_role() {
    let app = TestApp::spawn().await;
    let mut tokens = Vec::new();
    for role in Role::ALL {
        tokens.push((role, app.token(demo_user_with(role)).await));
    }
    let mut checked = 0;
    for spec in specs() {
        let Access::Needs(perm) = spec.access else { continue };
        let Some((role, token)) = tokens.iter().find(|(r, _)| !allows(&[*r], perm)) else { continue };
        let resp = app
            .http
            .request(spec.method.clone(), app.url(&concrete(spec.path)))
            .bearer_auth(token)
            .json(&serde_json::json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{} {} as {role:?}", spec.method, spec.path);
        if spec.surface == Surface::Api {
            let body: serde_json::Value = resp.json().await.unwrap();
            assert_eq!(error_code(&body), "forbidden");
        }
        checked += 1;
    }
    assert!(checked > 25, "only {checked} routes checked");
    let auditor = &tokens.iter().find(|(r, _)| *r == Role::Auditor).unwrap().1;
    let (_, denied) = app.get("/api/v1/audit?action=access.denied&limit=500", auditor).await;
    assert_eq!(denied["items"].as_array().unwrap().len(), checked, "each refusal is audited");
    app.stop().await;
}

/// ORG-3: an account holding no role at all can sign in but reaches nothing that needs a permission.
#[tokio::test]
async fn org_3_an_account_without_roles_gets_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let (status, _) = app
        .post(
            "/api/v1/users",
            &admin,
            serde_json::json!({"username": "nobody", "display_name": "无角色", "password": "long enough pw"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let token = app.token("nobody").await;
    for spec in specs().into_iter().filter(|s| matches!(s.access, Access::Needs(_))) {
        let resp = app
            .http
            .request(spec.method.clone(), app.url(&concrete(spec.path)))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::FORBIDDEN, "{} {}", spec.method, spec.path);
    }
    let (status, me) = app.get("/api/v1/me", &token).await;
    assert_eq!((status, me["roles"].as_array().unwrap().len()), (StatusCode::OK, 0));
    app.stop().await;
}

/// The OpenAPI document describes every API route of the table, and nothing else.
#[tokio::test]
async fn openapi_document_matches_the_route_table() {
    let app = TestApp::spawn().await;
    let doc: serde_json::Value =
        app.http.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(doc["openapi"].as_str().map(|v| &v[..2]), Some("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut described = 0;
    for spec in specs().into_iter().filter(|s| s.surface == Surface::Api && s.path != "/api/v1/openapi.json") {
        let method = spec.method.as_str().to_ascii_lowercase();
        assert!(
            paths.get(spec.path).and_then(|p| p.get(&method)).is_some(),
            "{method} {} is not in the OpenAPI document",
            spec.path
        );
        described += 1;
    }
    let in_doc: usize = paths.values().map(|p| p.as_object().unwrap().len()).sum();
    assert_eq!(in_doc, described, "the document describes routes that do not exist");
    app.stop().await;
}
