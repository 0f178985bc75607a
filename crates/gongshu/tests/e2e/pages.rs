//! The pages: login, CSRF, throttling, language, and the administration pages.

use reqwest::StatusCode;

use crate::helpers::{Browser, PASSWORD, TestApp};

/// ORG-3: signing in sets an HttpOnly, SameSite session cookie; signing out ends the session.
#[tokio::test]
async fn org_3_login_and_logout_through_the_pages() {
    let app = TestApp::spawn().await;
    let mut anon = Browser::anonymous(&app);
    let (status, html) = anon.get("/login").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("lang=\"zh-CN\"") && html.contains("登录"));
    let resp = app.http.get(app.url("/login")).send().await.unwrap();
    let set = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax"), "{set}");

    let resp = app
        .http
        .post(app.url("/login"))
        .header("cookie", format!("gongshu_csrf={}", anon.cookie("gongshu_csrf").unwrap()))
        .form(&[("username", "admin"), ("password", PASSWORD), ("csrf", &anon.cookie("gongshu_csrf").unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/console");
    let session = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("gongshu_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Lax") && session.contains("Secure"),
        "{session}"
    );

    let mut admin = app.login("admin", PASSWORD).await;
    let (status, html) = admin.get("/console").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("平台管理员 刘洋"));
    let csrf = admin.csrf("/console").await;
    let (status, _, headers) = admin.post_form("/logout", &[("csrf", &csrf)]).await;
    assert_eq!((status, headers["location"].to_str().unwrap()), (StatusCode::SEE_OTHER, "/"));
    assert!(!admin.has_cookie("gongshu_session"));
    let (status, _) = admin.get("/console").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out");
    app.stop().await;
}

/// ORG-3: a wrong password is refused and audited; after five failures the name is
/// locked for a while, even for the right password.
#[tokio::test]
async fn org_3_login_throttling_after_repeated_failures() {
    let app = TestApp::spawn().await;
    let mut b = Browser::anonymous(&app);
    let csrf = b.csrf("/login").await;
    for _ in 0..5 {
        let (status, html, _) =
            b.post_form("/login", &[("username", "reviewer"), ("password", "wrong password"), ("csrf", &csrf)]).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert!(html.contains("用户名或密码错误"));
    }
    let (status, html, _) =
        b.post_form("/login", &[("username", "reviewer"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(html.contains("login_throttled") && html.contains("分钟后再试"), "{html}");
    // Another account is not affected.
    let (status, _, _) =
        b.post_form("/login", &[("username", "auditor"), ("password", PASSWORD), ("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=auth.login&object=user:reviewer", &auditor).await;
    let outcomes: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["denied", "failure", "failure", "failure", "failure", "failure"]);
    app.stop().await;
}

/// ORG-3: every form needs its CSRF token; the API needs it in a header for cookie sessions.
#[tokio::test]
async fn org_3_csrf_protection_on_every_form() {
    let app = TestApp::spawn().await;
    let mut anon = Browser::anonymous(&app);
    anon.get("/login").await;
    let (status, html, _) =
        anon.post_form("/login", &[("username", "admin"), ("password", PASSWORD), ("csrf", "forged")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("csrf_token_invalid"));
    let mut admin = app.login("admin", PASSWORD).await;
    let form = [
        ("name", "无令牌机构"),
        ("credit_code", ""),
        ("kind", "social_entity"),
        ("region_code", "371000"),
        ("parent_id", ""),
    ];
    let (status, _, _) = admin.post_form("/console/orgs", &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "missing token");
    let mut with_bad = form.to_vec();
    with_bad.push(("csrf", "not-the-token"));
    let (status, _, _) = admin.post_form("/console/orgs", &with_bad).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "wrong token");
    let session = format!("gongshu_session={}", admin.cookie("gongshu_session").unwrap());
    let api = app
        .http
        .post(app.url("/api/v1/orgs"))
        .header("cookie", &session)
        .json(&serde_json::json!({"name": "x", "kind": "social_entity", "region_code": "371000"}));
    assert_eq!(
        api.send().await.unwrap().status(),
        StatusCode::FORBIDDEN,
        "API write from a cookie session without the header"
    );
    let csrf = admin.csrf("/console/orgs").await;
    let api = app
        .http
        .post(app.url("/api/v1/orgs"))
        .header("cookie", &session)
        .header("x-csrf-token", &csrf)
        .json(&serde_json::json!({"name": "带令牌机构", "kind": "social_entity", "region_code": "371000"}));
    assert_eq!(api.send().await.unwrap().status(), StatusCode::CREATED);
    let names: Vec<String> = app.store.orgs().await.unwrap().iter().map(|o| o.name.clone()).collect();
    assert!(!names.contains(&"无令牌机构".to_string()) && names.contains(&"带令牌机构".to_string()));
    app.stop().await;
}

/// ORG-1, ORG-2, ORG-3: the administration pages create organizations, register people,
/// create accounts and grant roles.
#[tokio::test]
async fn administration_pages_work_end_to_end() {
    let app = TestApp::spawn().await;
    let mut admin = app.login("admin", PASSWORD).await;
    let csrf = admin.csrf("/console/orgs").await;
    let (status, _, headers) = admin
        .post_form(
            "/console/orgs",
            &[
                ("csrf", &csrf),
                ("name", "威海市档案馆"),
                ("credit_code", "11100000000013127D"),
                ("kind", "department"),
                ("region_code", "371000"),
                ("parent_id", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let org_page = headers["location"].to_str().unwrap().to_string();
    let (status, html) = admin.get(&org_page).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("威海市档案馆") && html.contains("已保存"));
    let org_path = org_page.split('?').next().unwrap().to_string();
    let (status, _, _) = admin
        .post_form(
            &format!("{org_path}/people"),
            &[
                ("csrf", &csrf),
                ("duty", "chief_data_officer"),
                ("name", "档案首席"),
                ("phone", ""),
                ("email", ""),
                ("username", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, html) = admin.get(&org_path).await;
    assert!(html.contains("档案首席") && html.contains("首席数据官"));

    let (status, html, _) = admin
        .post_form(
            "/console/orgs",
            &[
                ("csrf", &csrf),
                ("name", "坏代码"),
                ("credit_code", "11100000000013127E"),
                ("kind", "department"),
                ("region_code", "371000"),
                ("parent_id", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("校验码不符") && html.contains("check character does not match"),
        "both languages on the error page"
    );

    let (status, _, headers) = admin
        .post_form(
            "/console/users",
            &[
                ("csrf", &csrf),
                ("username", "liu.qing"),
                ("display_name", "刘青"),
                ("password", "a long password"),
                ("email", ""),
                ("org_id", ""),
                ("role", "expert"),
                ("role", "auditor"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let user_page = headers["location"].to_str().unwrap().split('?').next().unwrap().to_string();
    let (_, html) = admin.get(&user_page).await;
    assert!(html.contains("刘青"));
    let (status, body, _) =
        admin.post_form(&format!("{user_page}/roles"), &[("csrf", &csrf), ("role", "expert"), ("op", "revoke")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let user = app.store.user_by_name("liu.qing").await.unwrap().unwrap();
    assert_eq!(app.store.roles(user.id).await.unwrap(), vec![gongshu_domain::role::Role::Auditor]);
    let mut liu = app.login("liu.qing", "a long password").await;
    let (status, html) = liu.get("/console/audit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("哈希链完整"), "the auditor sees the chain intact");
    let csrf = liu.csrf("/console/orgs").await;
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "审计员不能建"),
        ("credit_code", ""),
        ("kind", "social_entity"),
        ("region_code", "371000"),
        ("parent_id", ""),
    ];
    let (status, _, _) = liu.post_form("/console/orgs", &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an auditor cannot create organizations");
    app.stop().await;
}

/// The interface is Chinese by default and switches to English.
#[tokio::test]
async fn pages_switch_between_chinese_and_english() {
    let app = TestApp::spawn().await;
    let mut b = app.login("auditor", PASSWORD).await;
    let (_, zh) = b.get("/console/audit").await;
    assert!(zh.contains("审计日志") && zh.contains("时间（北京时间）"));
    let resp = b.get("/lang?to=en&next=/console/audit").await;
    assert_eq!(resp.0, StatusCode::SEE_OTHER);
    let (_, en) = b.get("/console/audit").await;
    assert!(en.contains("lang=\"en\"") && en.contains("Audit log") && en.contains("Time (CST)"));
    let (status, page) = b.get("/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(page.contains("No such page"));
    app.stop().await;
}

/// Every page a role may open renders, for every demo role, at phone width too (the
/// stylesheet has a narrow-screen layout).
#[tokio::test]
async fn every_permitted_page_renders_for_every_role() {
    let app = TestApp::spawn().await;
    for (username, _, _, role) in gongshu::demo::DEMO_USERS {
        let mut b = app.login(username, PASSWORD).await;
        for spec in gongshu::routes::specs() {
            if spec.surface != gongshu::routes::Surface::Page
                || spec.method != reqwest::Method::GET
                || spec.path.contains('{')
            {
                continue;
            }
            let allowed = match spec.access {
                gongshu_domain::role::Access::Needs(p) => gongshu_domain::role::allows(&[*role], p),
                _ => true,
            };
            let (status, _) = b.get(spec.path).await;
            if spec.path == "/lang" {
                continue;
            }
            let expected = if allowed { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(status, expected, "{username} {}", spec.path);
        }
    }
    let (_, css) = Browser::anonymous(&app).get("/static/app.css").await;
    assert!(css.contains("@media (max-width: 640px)"));
    app.stop().await;
}
