use std::path::PathBuf;
use std::sync::Arc;

use gongshu::app::Running;
use gongshu::config::{FileConfig, Overrides, Settings};
use gongshu_store::{Actor, SqliteStore, Store};
use reqwest::header::{COOKIE, HeaderMap, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::Value;

pub const PASSWORD: &str = gongshu::demo::DEMO_PASSWORD;

/// A fresh temporary folder.
pub fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("gongshu-{tag}-{}", uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
    format!("{}-{nanos}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

/// A running server with the Weihai demo loaded, on SQLite in a temporary folder.
pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub http: reqwest::Client,
    running: Option<Running>,
}

pub fn settings(dir: &std::path::Path, database_url: Option<String>) -> Settings {
    let o = Overrides {
        addr: Some("127.0.0.1:0".into()),
        data_dir: Some(dir.to_path_buf()),
        database_url,
        ..Default::default()
    };
    Settings::merge(&o, FileConfig::default()).unwrap()
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with_profile("weihai").await
    }

    /// A demo server under one of the city policy profiles.
    pub async fn spawn_with_profile(profile: &str) -> TestApp {
        let dir = temp_dir("app");
        let mut s = settings(&dir, None);
        s.profile = profile.to_string();
        let store: Store = Arc::new(SqliteStore::connect(&s.database_url).await.unwrap());
        Self::spawn_on(store, s, true).await
    }

    pub async fn spawn_on(store: Store, mut s: Settings, demo: bool) -> TestApp {
        gongshu::import::load_regions(&store).await.unwrap();
        // Tests drive the scheduler themselves, with the time they choose.
        s.scheduler_tick = std::time::Duration::from_secs(3600);
        let profile = gongshu::regulation::load_profile(&s.profile).unwrap();
        if demo {
            gongshu::demo::load(&store, &gongshu::regulation::Regulation::new(profile.clone())).await.unwrap();
        }
        let running = gongshu::app::start(store.clone(), s, profile).await.unwrap();
        TestApp { base: format!("http://{}", running.addr), store, http: client(), running: Some(running) }
    }

    pub async fn stop(mut self) {
        if let Some(r) = self.running.take() {
            r.stop().await.unwrap();
        }
    }

    pub fn state(&self) -> &gongshu::app::AppState {
        &self.running.as_ref().unwrap().state
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A bearer token for a demo account, with all its roles.
    pub async fn token(&self, username: &str) -> String {
        let user = self.store.user_by_name(username).await.unwrap().unwrap();
        let issued = gongshu::service::issue_token(&self.store, &user, "test", &[], None, &Actor::new("test", None))
            .await
            .unwrap();
        issued.secret
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status();
        let text = resp.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    /// Signs in through the login page; returns the browser's cookies.
    pub async fn login(&self, username: &str, password: &str) -> Browser {
        let mut b = Browser { app_base: self.base.clone(), http: client(), cookies: Vec::new() };
        let page = b.get("/login").await;
        assert_eq!(page.0, StatusCode::OK);
        let csrf = form_csrf(&page.1);
        let (status, _, headers) =
            b.post_form("/login", &[("username", username), ("password", password), ("csrf", &csrf)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "login as {username} failed");
        assert!(headers.get("location").is_some());
        b
    }
}

/// A cookie-keeping client, like a browser without JavaScript.
pub struct Browser {
    app_base: String,
    pub http: reqwest::Client,
    pub cookies: Vec<(String, String)>,
}

impl Browser {
    pub fn anonymous(app: &TestApp) -> Browser {
        Browser { app_base: app.base.clone(), http: client(), cookies: Vec::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(SET_COOKIE) {
            let text = v.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (k, val) = pair.split_once('=').unwrap();
            self.cookies.retain(|(name, _)| name != k);
            if !val.is_empty() {
                self.cookies.push((k.to_string(), val.to_string()));
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> (StatusCode, String) {
        let resp = self
            .http
            .get(format!("{}{path}", self.app_base))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        let status = resp.status();
        self.keep_cookies(resp.headers());
        (status, resp.text().await.unwrap())
    }

    pub async fn post_form(&mut self, path: &str, form: &[(&str, &str)]) -> (StatusCode, String, HeaderMap) {
        let resp = self
            .http
            .post(format!("{}{path}", self.app_base))
            .header(COOKIE, self.cookie_header())
            .form(form)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        self.keep_cookies(&headers);
        (status, resp.text().await.unwrap(), headers)
    }

    /// The CSRF token of the forms on a page.
    pub async fn csrf(&mut self, path: &str) -> String {
        let (status, html) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {html}");
        form_csrf(&html)
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.iter().any(|(k, _)| k == name)
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }
}

pub fn form_csrf(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).expect("page has a CSRF field");
    let end = html[start..].find('"').unwrap() + start;
    html[start..end].to_string()
}

/// Asserts the shared error shape and returns its code.
pub fn error_code(body: &Value) -> &str {
    let e = &body["error"];
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "no Chinese message: {body}");
    assert!(e["message_en"].as_str().is_some_and(|m| !m.is_empty()), "no English message: {body}");
    e["code"].as_str().unwrap_or_else(|| panic!("no code: {body}"))
}
