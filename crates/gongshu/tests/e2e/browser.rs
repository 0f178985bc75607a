//! One end-to-end test in headless Chromium (Debian's chromium and chromedriver): sign
//! in and create an account through the pages, as a person would.
//!
//! WebDriver is a small JSON protocol, spoken here with the HTTP client the other tests
//! use. Without chromedriver the test is skipped, unless GONGSHU_REQUIRE_BROWSER=1 (CI).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, temp_dir};

struct Driver {
    child: std::process::Child,
    base: String,
    session: String,
    http: reqwest::Client,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    /// Killing chromedriver leaves its browser running: end the browser of this
    /// session's profile too (a test that fails never reaches `quit`).
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = Command::new("pkill")
            .arg("-f")
            .arg("--")
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .stderr(Stdio::null())
            .status();
    }
}

impl Driver {
    async fn start() -> Option<Driver> {
        let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(exe) = exe else {
            assert!(std::env::var("GONGSHU_REQUIRE_BROWSER").is_err(), "chromedriver is required but not installed");
            eprintln!("chromedriver not found: browser test skipped");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(exe)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let started = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = temp_dir("chromium");
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage",
                     "--no-first-run", "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.display())]}}}});
        let resp: Value = http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session = resp["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {resp}")).to_string();
        Some(Driver { child, base, session, http, profile })
    }

    /// Ends the session: chromedriver closes the browser.
    async fn quit(self) {
        let _ = self.http.delete(format!("{}/session/{}", self.base, self.session)).send().await;
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let req = self.http.request(method, url);
        let req = if body.is_null() { req } else { req.json(&body) };
        let resp: Value = req.send().await.unwrap().json().await.unwrap();
        assert!(resp["value"].get("error").is_none(), "{path}: {resp}");
        resp["value"].clone()
    }

    async fn go(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({ "url": url })).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self.cmd(reqwest::Method::POST, "/element", json!({"using": "css selector", "value": css})).await;
        v.as_object().and_then(|o| o.values().next()).and_then(Value::as_str).unwrap().to_string()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{el}/value"), json!({ "text": text })).await;
    }

    async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{el}/click"), json!({})).await;
    }

    async fn source(&self) -> String {
        self.cmd(reqwest::Method::GET, "/source", Value::Null).await.as_str().unwrap_or_default().to_string()
    }

    /// Waits until the page shows all of `texts` (navigation after a click is asynchronous).
    async fn wait_for(&self, texts: &[&str]) -> String {
        let started = Instant::now();
        loop {
            let html = self.source().await;
            if texts.iter().all(|t| html.contains(t)) {
                return html;
            }
            assert!(started.elapsed() < Duration::from_secs(15), "page never showed {texts:?}: {html}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn current_url(&self) -> String {
        self.cmd(reqwest::Method::GET, "/url", Value::Null).await.as_str().unwrap_or_default().to_string()
    }
}

/// ORG-3 in a real browser: sign in as the admin, create an account with a role on the
/// users page, and see it listed; the new account can then sign in.
#[tokio::test]
async fn browser_signs_in_and_creates_an_account() {
    let Some(driver) = Driver::start().await else { return };
    let app = TestApp::spawn().await;
    driver.go(&app.url("/login")).await;
    driver.type_into("#username", "admin").await;
    driver.type_into("#password", PASSWORD).await;
    driver.click("#login-submit").await;
    driver.wait_for(&["平台管理员 刘洋"]).await;
    assert!(driver.current_url().await.ends_with("/console"), "{}", driver.current_url().await);
    driver.go(&app.url("/console/users")).await;
    driver.type_into("#new-username", "zhou.jie").await;
    driver.type_into("#new-display-name", "周杰").await;
    driver.type_into("#new-password", "browser made pw").await;
    driver.click("input[name=role][value=provider_officer]").await;
    driver.click("#new-user-submit").await;
    driver.wait_for(&["周杰", "已保存"]).await;
    let user = app.store.user_by_name("zhou.jie").await.unwrap().expect("account created");
    assert_eq!(app.store.roles(user.id).await.unwrap(), vec![gongshu_domain::role::Role::ProviderOfficer]);

    let logout = driver.find("header form button").await;
    driver.cmd(reqwest::Method::POST, &format!("/element/{logout}/click"), json!({})).await;
    driver.wait_for(&["开放、共享、可信的城市公共数据"]).await;
    driver.go(&app.url("/login")).await;
    driver.type_into("#username", "zhou.jie").await;
    driver.type_into("#password", "browser made pw").await;
    driver.click("#login-submit").await;
    driver.wait_for(&["周杰", "提供部门数据专员"]).await;
    driver.quit().await;
    app.stop().await;
}

/// AGG-1, AGG-3 in a real browser: the provider picks a file on the entry's page; the
/// upload goes through the progress bar's script and lands on the version's report.
#[tokio::test]
async fn browser_uploads_data_and_sees_the_quality_report() {
    let Some(driver) = Driver::start().await else { return };
    let app = TestApp::spawn().await;
    let id = app.store.entry_by_code("1010010/00002").await.unwrap().unwrap().id;
    let dir = temp_dir("browser-upload");
    let mut csv = String::from("迁移登记编号,公民身份号码,姓名,登记日期\n");
    for i in 1..=50u32 {
        let body = format!("37100219800101{:03}", i);
        let mut b = [0u8; 17];
        b.copy_from_slice(body.as_bytes());
        let check = gongshu_data::ids::citizen_id_check_char(&b) as char;
        let check = if i % 10 == 0 { if check == '1' { '2' } else { '1' } } else { check };
        csv.push_str(&format!("QY{i:06},{body}{check},居民{i},2026-10-01\n"));
    }
    let file = dir.join("迁移.csv");
    std::fs::write(&file, csv).unwrap();
    driver.go(&app.url("/login")).await;
    driver.type_into("#username", "provider").await;
    driver.type_into("#password", PASSWORD).await;
    driver.click("#login-submit").await;
    driver.wait_for(&["王芳"]).await;
    driver.go(&app.url(&format!("/console/catalog/{id}"))).await;
    driver.wait_for(&["data-progress"]).await;
    driver.type_into("#data-file", file.to_str().unwrap()).await;
    driver.click("#data-submit").await;
    let html = driver.wait_for(&["数据已加载为新版本", "quality-chart"]).await;
    assert!(html.contains("<dd id=\"rows-rejected\">5"), "{html}");
    assert!(driver.current_url().await.contains(&format!("/console/catalog/{id}/data/1")));
    driver.quit().await;
    app.stop().await;
}

/// axe-core, installed by `.ci/run` (`npm ci --prefix ci/axe`).
fn axe_source() -> Option<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../ci/axe/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(path) {
        Ok(s) => Some(s),
        Err(_) => {
            assert!(std::env::var("GONGSHU_REQUIRE_BROWSER").is_err(), "axe-core is required: npm ci --prefix ci/axe");
            eprintln!("axe-core not installed: accessibility check skipped");
            None
        }
    }
}

/// OPN-1: the open portal's pages pass axe-core's WCAG 2 A/AA rules without serious or
/// critical violations, and fit a phone's screen (390 px wide) without sideways
/// scrolling.
#[tokio::test]
async fn browser_open_portal_is_accessible_and_fits_a_phone() {
    let Some(axe) = axe_source() else { return };
    let app = TestApp::spawn().await;
    gongshu::demo_data::load(&app.store, app.state().data_files()).await.unwrap();
    let Some(driver) = Driver::start().await else { return };
    let list: Value = app.http.get(app.url("/api/3/action/package_list")).send().await.unwrap().json().await.unwrap();
    let first = list["result"][0].as_str().unwrap().to_string();
    let pages = [
        "/open".to_string(),
        "/open?q=%E4%BA%BA%E5%8F%A3".into(),
        format!("/open/datasets/{first}"),
        "/open/stats".into(),
        "/open/license".into(),
        "/open-lists".into(),
    ];
    for width in [1280, 390] {
        driver.cmd(reqwest::Method::POST, "/window/rect", json!({ "width": width, "height": 900 })).await;
        for page in &pages {
            driver.go(&app.url(page)).await;
            driver.wait_for(&["</footer>"]).await;
            driver.cmd(reqwest::Method::POST, "/execute/sync", json!({ "script": axe, "args": [] })).await;
            let script = "const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } })
                  .then(r => done(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.html).slice(0, 3).join(' | '))))
                  .catch(e => done(['axe failed: ' + e]));";
            let found =
                driver.cmd(reqwest::Method::POST, "/execute/async", json!({ "script": script, "args": [] })).await;
            assert_eq!(found, json!([]), "{page} at {width}px: serious accessibility violations");
            let fits = driver
                .cmd(
                    reqwest::Method::POST,
                    "/execute/sync",
                    json!({ "script": "return document.documentElement.scrollWidth <= window.innerWidth + 1;", "args": [] }),
                )
                .await;
            assert_eq!(fits, json!(true), "{page} at {width}px scrolls sideways");
        }
    }
    driver.quit().await;
    app.stop().await;
}
