//! Providers' data end to end (AGG-1, AGG-2, AGG-3): `gongshu data check` counts every
//! bad identifier and missing collection time exactly, in UTF-8, GBK and JSON; loads
//! through the API, the console and the CLI make immutable Parquet versions with a
//! reject file and a quality report; a load killed half-way leaves no partial version.

use std::fmt::Write as _;
use std::path::Path;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, error_code, form_csrf, temp_dir};

fn gongshu(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongshu"))
        .args(args)
        .env_remove("GONGSHU_DATABASE_URL")
        .output()
        .unwrap()
}

/// A citizen ID number with a right check character, born on `birth` (YYYYMMDD).
pub(crate) fn citizen_id(birth: &str, seq: u32) -> String {
    let body = format!("371002{birth}{:03}", seq % 1000);
    let mut b = [0u8; 17];
    b.copy_from_slice(body.as_bytes());
    format!("{body}{}", gongshu_data::ids::citizen_id_check_char(&b) as char)
}

/// Flips the check character to a wrong one.
pub(crate) fn wrong_check(id: &str) -> String {
    let last = if id.ends_with('1') { '2' } else { '1' };
    format!("{}{last}", &id[..17])
}

fn uscc(body: &str) -> String {
    format!("{body}{}", gongshu_domain::uscc::check_char(body.as_bytes()).unwrap())
}

struct Expected {
    rows: usize,
    rejected: usize,
    bad_ids: usize,
    bad_uscc: usize,
    missing_time: usize,
    bad_phone: usize,
}

/// A file of `n` collected records with a known number of faults.
fn generated(n: usize) -> (Vec<Vec<String>>, Expected) {
    let mut rows = Vec::new();
    let mut e = Expected { rows: n, rejected: 0, bad_ids: 0, bad_uscc: 0, missing_time: 0, bad_phone: 0 };
    for i in 1..=n {
        let mut bad = false;
        let birth = format!("19{:02}{:02}{:02}", 50 + i % 50, 1 + i % 12, 1 + i % 28);
        let mut id = citizen_id(&birth, i as u32);
        if i % 37 == 0 {
            id = wrong_check(&id);
            e.bad_ids += 1;
            bad = true;
        } else if i % 53 == 0 {
            id = citizen_id("20990101", i as u32);
            e.bad_ids += 1;
            bad = true;
        } else if i % 10 == 3 {
            id = id.replace('X', "x");
        }
        let uscc = if i % 41 == 0 {
            e.bad_uscc += 1;
            bad = true;
            let good = uscc("91371002MA3C8WXY7");
            let last = if good.ends_with('1') { '2' } else { '1' };
            format!("{}{last}", &good[..17])
        } else if i % 2 == 0 {
            uscc("91371002MA3C8WXY7")
        } else {
            String::new()
        };
        let time = if i % 29 == 0 {
            e.missing_time += 1;
            bad = true;
            String::new()
        } else {
            format!("2026-11-{:02} {:02}:15:00", 1 + i % 28, i % 24)
        };
        let phone = if i % 31 == 0 {
            e.bad_phone += 1;
            bad = true;
            "12345".to_string()
        } else {
            format!("138{:08}", i)
        };
        if bad {
            e.rejected += 1;
        }
        rows.push(vec![
            id,
            format!("居民{i}"),
            uscc,
            format!("{}.{:02}", i * 3, i % 100),
            time,
            "威海市环翠区".to_string(),
            phone,
        ]);
    }
    (rows, e)
}

const HEADER: [&str; 7] = ["公民身份号码", "姓名", "统一社会信用代码", "金额", "采集时间", "采集地点", "联系电话"];

fn csv_text(rows: &[Vec<String>]) -> String {
    let mut s = HEADER.join(",");
    s.push('\n');
    for r in rows {
        let _ = writeln!(s, "{}", r.join(","));
    }
    s
}

fn json_lines(rows: &[Vec<String>]) -> String {
    let mut s = String::new();
    for r in rows {
        let obj: serde_json::Map<String, Value> =
            HEADER.iter().zip(r).map(|(h, v)| (h.to_string(), Value::String(v.clone()))).collect();
        let _ = writeln!(s, "{}", Value::Object(obj));
    }
    s
}

const ITEMS: [&str; 7] = [
    "公民身份号码:citizen_id:required",
    "姓名:text:required",
    "统一社会信用代码:uscc",
    "金额:decimal",
    "采集时间:datetime:required",
    "采集地点:text:required",
    "联系电话:phone",
];

fn check(file: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["data", "check", file.to_str().unwrap()];
    for i in ITEMS {
        args.push("--item");
        args.push(i);
    }
    args.extend_from_slice(extra);
    let out = gongshu(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn assert_counts(r: &Value, e: &Expected, what: &str) {
    assert_eq!(r["rows_total"], e.rows, "{what}");
    assert_eq!(r["rows_rejected"], e.rejected, "{what}");
    assert_eq!(r["rows_valid"], e.rows - e.rejected, "{what}");
    assert_eq!(r["items"]["公民身份号码"]["violations"]["citizen_id"], e.bad_ids, "{what}");
    assert_eq!(r["items"]["统一社会信用代码"]["violations"]["uscc"], e.bad_uscc, "{what}");
    assert_eq!(r["items"]["采集时间"]["violations"]["required"], e.missing_time, "{what}");
    assert_eq!(r["items"]["联系电话"]["violations"]["phone"], e.bad_phone, "{what}");
    assert_eq!(r["violations"]["citizen_id"], e.bad_ids, "{what}");
    assert!(r["items"]["金额"]["violations"].as_object().unwrap().is_empty(), "{what}");
}

/// AGG-2: `data check` reports exact counts of bad identifiers and missing collection
/// times, the same for UTF-8, GBK and JSON lines; it stores nothing; bad arguments get
/// a clear error.
#[test]
fn agg_2_data_check_counts_exactly_in_every_format() {
    let dir = temp_dir("data-check");
    let (rows, expected) = generated(3000);
    let text = csv_text(&rows);
    std::fs::write(dir.join("records.csv"), &text).unwrap();
    let r = check(&dir.join("records.csv"), &[]);
    assert_counts(&r, &expected, "utf-8");
    assert_eq!(r["items"]["公民身份号码"]["duplicates"], 0);
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(dir.join("records-gbk.csv"), &gbk).unwrap();
    assert_counts(&check(&dir.join("records-gbk.csv"), &[]), &expected, "gbk, detected");
    assert_counts(&check(&dir.join("records-gbk.csv"), &["--encoding", "gbk"]), &expected, "gbk, declared");
    std::fs::write(dir.join("records.jsonl"), json_lines(&rows)).unwrap();
    assert_counts(&check(&dir.join("records.jsonl"), &[]), &expected, "json lines");
    assert!(!dir.join("data").exists(), "a check stores nothing");

    let out = gongshu(&["data", "check", dir.join("records.csv").to_str().unwrap(), "--item", "姓名:txt"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown type"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = gongshu(&["data", "check", dir.join("records.csv").to_str().unwrap(), "--item", "户籍地:text:required"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("户籍地"));
}

pub(crate) async fn entry_id(app: &TestApp, code: &str) -> i64 {
    app.store.entry_by_code(code).await.unwrap().unwrap().id
}

/// The migration entry of the demo (公安局): its columns with a few faults.
pub(crate) fn migration_csv(n: usize, bad_every: usize) -> (String, usize) {
    let mut s = String::from("迁移登记编号,公民身份号码,姓名,迁移类型,迁出地址,迁入地址,迁移原因,登记日期,登记机关\n");
    let mut bad = 0;
    for i in 1..=n {
        let mut id = citizen_id("19800101", i as u32);
        if i % bad_every == 0 {
            id = wrong_check(&id);
            bad += 1;
        }
        let _ = writeln!(s, "QY{i:06},{id},居民{i},01,环翠区,文登区,02,2026-10-{:02},威海市公安局环翠分局", 1 + i % 28);
    }
    (s, bad)
}

/// AGG-1, AGG-3: the provider pushes a file over the API; it becomes version 1 with a
/// Parquet file of the valid rows, a reject file and a quality report; a JSON load is
/// version 2. Others cannot load; unpublished entries and bad files get clear errors.
#[tokio::test]
async fn agg_1_loads_over_the_api_make_immutable_versions() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let id = entry_id(&app, "1010010/00002").await;
    let (csv, bad) = migration_csv(500, 25);
    let url = app.url(&format!("/api/v1/catalog/entries/{id}/data?file_name=migration.csv"));
    let resp = app.http.post(&url).bearer_auth(&provider).body(csv.clone()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let loaded: Value = resp.json().await.unwrap();
    assert_eq!(loaded["version"]["version"], 1);
    assert_eq!(loaded["version"]["rows_total"], 500);
    assert_eq!(loaded["version"]["rows_rejected"], bad);
    assert_eq!(loaded["report"]["items"]["公民身份号码"]["violations"]["citizen_id"], bad);
    assert_eq!(loaded["report"]["timeliness"]["on_time"], true);

    // The Parquet file holds the valid rows with typed columns.
    let key = loaded["version"]["storage_key"].as_str().unwrap();
    let dir = app.state().settings().data_dir.join("versions").join(key);
    use parquet::file::reader::FileReader;
    let mut stored = 0;
    for part in gongshu_data::parts(&dir).unwrap() {
        let reader = parquet::file::reader::SerializedFileReader::new(std::fs::File::open(part).unwrap()).unwrap();
        stored += reader.metadata().file_metadata().num_rows() as usize;
        assert_eq!(reader.metadata().file_metadata().schema_descr().num_columns(), 9);
    }
    assert_eq!(stored, 500 - bad);
    let rejects = app
        .http
        .get(app.url(&format!("/api/v1/catalog/entries/{id}/data/1/rejects")))
        .bearer_auth(&provider)
        .send()
        .await
        .unwrap();
    assert_eq!(rejects.status(), StatusCode::OK);
    let rejects = rejects.text().await.unwrap();
    assert_eq!(rejects.lines().count(), bad + 1, "a header and one line per rejected value");
    assert!(rejects.lines().nth(1).unwrap().contains("check_char"), "{rejects}");

    let lines: String = csv
        .lines()
        .skip(1)
        .take(10)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!(
                "{{\"迁移登记编号\":\"{}\",\"公民身份号码\":\"{}\",\"姓名\":\"{}\",\"登记日期\":\"{}\"}}\n",
                f[0], f[1], f[2], f[7]
            )
        })
        .collect();
    let resp = app
        .http
        .post(app.url(&format!("/api/v1/catalog/entries/{id}/data?format=json")))
        .bearer_auth(&provider)
        .body(lines)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let (_, versions) = app.get(&format!("/api/v1/catalog/entries/{id}/data"), &provider).await;
    let v = versions["items"].as_array().unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(
        (v[0]["rows_total"].as_i64(), v[1]["rows_total"].as_i64()),
        (Some(500), Some(10)),
        "version 1 is unchanged"
    );
    assert!(v[1]["quality"]["missing_columns"].as_array().unwrap().len() >= 4);

    // Another department cannot load the police's data; a consumer has no permission.
    let other = app.token("consumer").await;
    let resp = app.http.post(&url).bearer_auth(&other).body(csv.clone()).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // Bad inputs.
    let resp = app.http.post(&url).bearer_auth(&provider).body("姓名\n张三\n").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(error_code(&body), "missing_column");
    let no_format = app.url(&format!("/api/v1/catalog/entries/{id}/data"));
    let resp = app.http.post(&no_format).bearer_auth(&provider).body(csv.clone()).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let resp = app.http.post(format!("{url}&encoding=latin1")).bearer_auth(&provider).body("x").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let (_, versions) = app.get(&format!("/api/v1/catalog/entries/{id}/data"), &provider).await;
    assert_eq!(versions["items"].as_array().unwrap().len(), 2, "failed loads add no version");
    let auditor = app.token("auditor").await;
    let (_, log) = app.get(&format!("/api/v1/audit?action=data.load&object=catalog_entry:{id}"), &auditor).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 2);
    app.stop().await;
}

/// AGG-1, AGG-3 through the console: the provider uploads on the entry's page and sees
/// the version's quality report and the chart over versions.
#[tokio::test]
async fn agg_3_console_upload_and_quality_report() {
    let app = TestApp::spawn().await;
    let id = entry_id(&app, "1010010/00002").await;
    let mut b = app.login("provider", PASSWORD).await;
    let (_, page) = b.get(&format!("/console/catalog/{id}")).await;
    assert!(
        page.contains("id=\"data-upload\"") && page.contains("data-progress"),
        "the upload form with its progress bar"
    );
    let csrf = form_csrf(&page);
    let (csv, bad) = migration_csv(200, 20);
    let (gbk, _, _) = encoding_rs::GBK.encode(&csv);
    let boundary = "gongshu-data-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\n\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"迁移.csv\"\r\nContent-Type: text/csv\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&gbk);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let resp = app
        .http
        .post(app.url(&format!("/console/catalog/{id}/data")))
        .header("cookie", format!("gongshu_session={}", b.cookie("gongshu_session").unwrap()))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("/console/catalog/{id}/data/1")), "{to}");
    let (status, report) = b.get(&to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(report.contains(&format!("<dd id=\"rows-rejected\">{bad}")), "{report}");
    assert!(report.contains("gb18030") && report.contains("quality-chart") && report.contains("公民身份号码"));
    // Without the CSRF token nothing is loaded.
    let (status, _, _) = b.post_form(&format!("/console/catalog/{id}/data"), &[("csrf", "x")]).await;
    assert!(status.is_client_error());
    assert_eq!(app.store.data_versions(id).await.unwrap().len(), 1);
    app.stop().await;
}

/// AGG-1: a load killed half-way (kill -9) leaves the previous version intact and no
/// partial version; the next start removes what it left behind.
#[tokio::test]
async fn agg_1_a_killed_load_leaves_no_partial_version() {
    let dir = temp_dir("data-kill");
    let d = dir.to_str().unwrap();
    let demo = gongshu::demo::load;
    {
        let s = crate::helpers::settings(&dir, None);
        let store: gongshu_store::Store =
            std::sync::Arc::new(gongshu_store::SqliteStore::connect(&s.database_url).await.unwrap());
        gongshu::import::load_regions(&store).await.unwrap();
        let profile = gongshu::regulation::load_profile("weihai").unwrap();
        demo(&store, &gongshu::regulation::Regulation::new(profile)).await.unwrap();
    }
    let (small, _) = migration_csv(50, 1000);
    std::fs::write(dir.join("small.csv"), small).unwrap();
    let out = gongshu(&[
        "data",
        "load",
        "--resource",
        "1010010/00002",
        dir.join("small.csv").to_str().unwrap(),
        "--data-dir",
        d,
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (big, _) = migration_csv(400_000, 1000);
    std::fs::write(dir.join("big.csv"), big).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_gongshu"))
        .args(["data", "load", "--resource", "1010010/00002", dir.join("big.csv").to_str().unwrap(), "--data-dir", d])
        .env_remove("GONGSHU_DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Wait until the load is writing its version, then kill it.
    let staging = dir.join("versions").join(".staging");
    let started = std::time::Instant::now();
    loop {
        let writing = std::fs::read_dir(&staging)
            .map(|it| {
                it.filter_map(Result::ok).any(|e| e.path().join("data-0.parquet").metadata().is_ok_and(|m| m.len() > 0))
            })
            .unwrap_or(false);
        if writing || started.elapsed() > std::time::Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "the load was killed before it finished");
    assert!(std::fs::read_dir(&staging).unwrap().count() > 0, "the killed load left its staged files");

    let s = crate::helpers::settings(&dir, None);
    let store: gongshu_store::Store =
        std::sync::Arc::new(gongshu_store::SqliteStore::connect(&s.database_url).await.unwrap());
    let id = store.entry_by_code("1010010/00002").await.unwrap().unwrap().id;
    let versions = store.data_versions(id).await.unwrap();
    assert_eq!(versions.len(), 1, "no partial version");
    assert_eq!(versions[0].rows_total, 50, "the previous version is intact");
    let app = TestApp::spawn_on(store.clone(), s, false).await;
    assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0, "the next start cleaned up");
    let kept = dir.join("versions").join(&versions[0].storage_key);
    assert!(!gongshu_data::parts(&kept).unwrap().is_empty());
    app.stop().await;
}

pub(crate) fn nth_id(csv: &str, n: usize) -> String {
    csv.lines().nth(n).unwrap().split(',').next().unwrap().to_string()
}

pub(crate) async fn push(app: &TestApp, token: &str, id: i64, csv: String) -> (StatusCode, Value) {
    let url = app.url(&format!("/api/v1/catalog/entries/{id}/data?file_name=m.csv"));
    let resp = app.http.post(url).bearer_auth(token).body(csv).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

/// A local S3-compatible server for the test (moto from PyPI), or `None` where it is not
/// installed (CI installs it and sets GONGSHU_REQUIRE_S3=1).
struct S3Server {
    child: std::process::Child,
    endpoint: String,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn s3_server() -> Option<S3Server> {
    let have = std::process::Command::new("python3")
        .args(["-c", "import moto.server"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var("GONGSHU_REQUIRE_S3").is_err(),
            "moto is required but not installed (pip install 'moto[server]')"
        );
        eprintln!("moto not installed: S3 test skipped");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = std::process::Command::new("python3")
        .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let endpoint = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let started = std::time::Instant::now();
    while http.get(&endpoint).send().await.is_err() {
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "moto did not start");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // CreateBucket (moto does not check signatures).
    let made = http.put(format!("{endpoint}/gongshu-test")).send().await.unwrap();
    assert!(made.status().is_success(), "{}", made.status());
    Some(S3Server { child, endpoint })
}

/// AGG-1 (scale-out): with an S3-compatible bucket, a version's files are uploaded
/// before its row is recorded; a server without a local copy reads them from the
/// bucket (the reject file, the correction check).
#[tokio::test]
async fn agg_1_versions_live_in_s3_compatible_object_storage() {
    let Some(s3) = s3_server().await else { return };
    let dir = temp_dir("data-s3");
    let mut s = crate::helpers::settings(&dir, None);
    s.object_store = Some(gongshu::config::ObjectStoreConfig {
        url: "s3://gongshu-test/city".into(),
        endpoint: Some(s3.endpoint.clone()),
        region: Some("us-east-1".into()),
        access_key_id: Some("test".into()),
        secret_access_key: Some("test".into()),
        allow_http: true,
    });
    let store: gongshu_store::Store =
        std::sync::Arc::new(gongshu_store::SqliteStore::connect(&s.database_url).await.unwrap());
    let app = TestApp::spawn_on(store, s.clone(), true).await;
    assert!(app.state().data_files().is_remote());
    let provider = app.token("provider").await;
    let id = entry_id(&app, "1010010/00002").await;
    let (csv, bad) = migration_csv(200, 20);
    let (status, loaded) = push(&app, &provider, id, csv).await;
    assert_eq!(status, StatusCode::CREATED, "{loaded}");
    let key = loaded["version"]["storage_key"].as_str().unwrap().to_string();
    let listing = reqwest::get(format!("{}/gongshu-test?list-type=2&prefix=city/versions/{key}/", s3.endpoint))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(listing.contains("data-0.parquet") && listing.contains("rejects.csv"), "{listing}");
    // Without the local copy (another replica), the files come from the bucket.
    std::fs::remove_dir_all(dir.join("versions").join(&key)).unwrap();
    let rejects = app
        .http
        .get(app.url(&format!("/api/v1/catalog/entries/{id}/data/1/rejects")))
        .bearer_auth(&provider)
        .send()
        .await
        .unwrap();
    assert_eq!(rejects.status(), StatusCode::OK);
    assert_eq!(rejects.text().await.unwrap().lines().count(), bad + 1);
    let consumer = app.token("consumer").await;
    let (status, t) = app
        .post(
            &format!("/api/v1/catalog/entries/{id}/corrections"),
            &consumer,
            serde_json::json!({"version": 1, "key": "QY000001", "item": "姓名", "description": "有误"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{t}");
    app.stop().await;
}

/// A provider's web server for the pull test: `/migration.csv` answers the file,
/// `/broken.csv` answers 500.
async fn provider_server(csv: String) -> (String, tokio::task::JoinHandle<()>) {
    use axum::routing::get;
    let app = axum::Router::new()
        .route("/migration.csv", get(move || async move { ([("content-type", "text/csv")], csv) }))
        .route("/broken.csv", get(|| async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "down") }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (base, task)
}

/// AGG-1: a scheduled pull fetches the provider's file at its interval and loads it as
/// the next version, once per run across servers; a pull that breaks is told to the
/// provider at once. Bad settings get clear errors.
#[tokio::test]
async fn agg_1_scheduled_pulls_load_and_tell_when_they_break() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let id = entry_id(&app, "1010010/00002").await;
    let (csv, _) = migration_csv(30, 1000);
    let (base, server) = provider_server(csv).await;
    let url = format!("/api/v1/catalog/entries/{id}/pull");
    let put = |body: Value| {
        let (app, url, provider) = (&app, url.clone(), provider.clone());
        async move { app.call(reqwest::Method::PUT, &url, Some(&provider), Some(body)).await }
    };
    let (status, r) = put(serde_json::json!({"url": "ftp://x/y.csv", "every_minutes": 60})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "bad_url"));
    let (status, r) = put(serde_json::json!({"url": format!("{base}/migration.csv"), "every_minutes": 1})).await;
    assert_eq!((status.as_u16(), error_code(&r)), (422, "interval_too_short"));
    let (status, pull) = put(serde_json::json!({"url": format!("{base}/migration.csv"), "every_minutes": 60})).await;
    assert_eq!(status, StatusCode::OK, "{pull}");
    let now = chrono::Utc::now();
    assert_eq!(gongshu::pulls::run_due(app.state(), now).await.unwrap(), (1, 0));
    assert_eq!(
        gongshu::pulls::run_due(app.state(), now).await.unwrap(),
        (0, 0),
        "not due again until the interval passes"
    );
    let versions = app.store.data_versions(id).await.unwrap();
    assert_eq!((versions.len(), versions[0].source.as_str(), versions[0].rows_total), (1, "pull", 30));
    let later = now + chrono::Duration::minutes(61);
    assert_eq!(gongshu::pulls::run_due(app.state(), later).await.unwrap(), (1, 0));
    assert_eq!(app.store.data_versions(id).await.unwrap().len(), 2);

    put(serde_json::json!({"url": format!("{base}/broken.csv"), "every_minutes": 60})).await;
    assert_eq!(gongshu::pulls::run_due(app.state(), later).await.unwrap(), (1, 1));
    let (_, notes) = app.get("/api/v1/notifications", &provider).await;
    assert!(notes["items"].to_string().contains("定时拉取失败"), "{notes}");
    let (_, pulls) = app.get("/api/v1/data/pulls", &provider).await;
    assert!(pulls["items"][0]["last_error"].as_str().unwrap().contains("500"), "{pulls}");
    assert_eq!(app.store.data_versions(id).await.unwrap().len(), 2, "a broken pull adds no version");
    server.abort();
    app.stop().await;
}
