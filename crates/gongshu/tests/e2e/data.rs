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
fn citizen_id(birth: &str, seq: u32) -> String {
    let body = format!("371002{birth}{:03}", seq % 1000);
    let mut b = [0u8; 17];
    b.copy_from_slice(body.as_bytes());
    format!("{body}{}", gongshu_data::ids::citizen_id_check_char(&b) as char)
}

/// Flips the check character to a wrong one.
fn wrong_check(id: &str) -> String {
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

async fn entry_id(app: &TestApp, code: &str) -> i64 {
    app.store.entry_by_code(code).await.unwrap().unwrap().id
}

/// The migration entry of the demo (公安局): its columns with a few faults.
fn migration_csv(n: usize, bad_every: usize) -> (String, usize) {
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

fn nth_id(csv: &str, n: usize) -> String {
    csv.lines().nth(n).unwrap().split(',').next().unwrap().to_string()
}

async fn push(app: &TestApp, token: &str, id: i64, csv: String) -> (StatusCode, Value) {
    let url = app.url(&format!("/api/v1/catalog/entries/{id}/data?file_name=m.csv"));
    let resp = app.http.post(url).bearer_auth(token).body(csv).send().await.unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

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
async fn demo_data_shows_real_quality_reports() {
    let app = TestApp::spawn().await;
    let n = gongshu::demo_data::load(&app.store, app.state().data_files()).await.unwrap();
    assert_eq!(n, 12);
    assert_eq!(gongshu::demo_data::load(&app.store, app.state().data_files()).await.unwrap(), 0, "once");
    let latest = app.store.latest_data_versions().await.unwrap();
    assert_eq!(latest.len(), 12);
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
