//! The working-day calendar through the CLI and the API, checked against an independent
//! reading of the official data; imports; the policy profile pages and docs.

use std::collections::HashMap;
use std::process::Command;

use chrono::{Datelike, NaiveDate, Weekday};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::{TestApp, error_code, temp_dir};

const OFFICIAL: &str = include_str!("../../../gongshu-rules/data/cn-holidays.csv");

/// An independent reading of the official data: date → is it a working day.
fn independent() -> HashMap<NaiveDate, bool> {
    let mut special = HashMap::new();
    for line in OFFICIAL.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut parts = line.split(',');
        let date = NaiveDate::parse_from_str(parts.next().unwrap(), "%Y-%m-%d").unwrap();
        let kind = parts.next().unwrap();
        special.insert(date, kind != "holiday");
    }
    special
}

fn is_workday(special: &HashMap<NaiveDate, bool>, d: NaiveDate) -> bool {
    special.get(&d).copied().unwrap_or(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

fn naive_due(special: &HashMap<NaiveDate, bool>, received: NaiveDate, n: u32) -> NaiveDate {
    let (mut day, mut left) = (received, n);
    while left > 0 {
        day = day.succ_opt().unwrap();
        if is_workday(special, day) {
            left -= 1;
        }
    }
    day
}

fn cli(args: &[&str]) -> (bool, String, String) {
    let dir = temp_dir("cal-cli");
    let out = Command::new(env!("CARGO_BIN_EXE_gongshu")).args(args).arg("--data-dir").arg(&dir).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Bar: `gongshu calendar days` agrees with the official calendar on every day of 2020–2026.
#[test]
fn calendar_days_agrees_with_the_official_calendar_2020_to_2026() {
    let special = independent();
    let mut lines = Vec::new();
    for year in 2020..=2026 {
        let (ok, out, err) =
            cli(&["calendar", "days", "--from", &format!("{year}-01-01"), "--to", &format!("{year}-12-31")]);
        assert!(ok, "{err}");
        lines.extend(out.lines().map(str::to_string));
    }
    assert_eq!(lines.len(), 2557);
    for line in &lines {
        let (date, kind) = line.split_once(' ').unwrap();
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        let expected = if is_workday(&special, d) { "workday" } else { "restday" };
        assert_eq!(kind, expected, "{line}");
    }
    assert!(lines.contains(&"2024-09-29 workday".to_string()) && lines.contains(&"2024-10-01 restday".to_string()));
}

/// Bar: `gongshu calendar due` prints only the due date, and agrees with an independent
/// count on randomly chosen questions.
#[test]
fn calendar_due_agrees_with_an_independent_count() {
    let (ok, out, _) = cli(&["calendar", "due", "2024-09-30", "5"]);
    assert!(ok);
    assert_eq!(out, "2024-10-12\n", "the due date and nothing else on stdout");
    let special = independent();
    // A fixed-seed linear congruential generator: random but repeatable questions.
    let mut seed: u64 = 20_260_101;
    let mut next = |m: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) % m
    };
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for _ in 0..40 {
        let received = start + chrono::Duration::days(next(2500) as i64);
        let n = 1 + next(25) as u32;
        let expected = naive_due(&special, received, n);
        if expected.year() > 2026 {
            continue;
        }
        let (ok, out, err) = cli(&["calendar", "due", &received.to_string(), &n.to_string()]);
        assert!(ok, "{err}");
        assert_eq!(out.trim(), expected.to_string(), "received {received}, {n} working days");
    }
    let (ok, _, err) = cli(&["calendar", "due", "2024-02-30", "5"]);
    assert!(!ok && err.contains("invalid_date"), "{err}");
}

/// A year without official data still counts weekends, but the answer is marked
/// provisional until the administrator imports the notice; importing a bad file names
/// each bad line; a good file makes the deadline exact.
#[tokio::test]
async fn importing_a_year_ends_provisional_deadlines() {
    let app = TestApp::spawn().await;
    let (status, due) =
        app.call(reqwest::Method::GET, "/api/v1/calendar/due?received=2026-12-28&days=5", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((due["due"].as_str(), due["provisional"].as_bool()), (Some("2027-01-04"), Some(true)));
    assert!(due["closes_at"].as_str().unwrap().ends_with("23:59:59+08:00"));
    let (_, years) = app.call(reqwest::Method::GET, "/api/v1/calendar/years", None, None).await;
    assert!(years["missing"].as_array().unwrap().contains(&json!(2027)));

    let admin = app.token("admin").await;
    let post_csv = |body: &'static str, token: String| {
        let req = app
            .http
            .post(app.url("/api/v1/calendar/years"))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(body);
        async move {
            let r = req.send().await.unwrap();
            (r.status(), r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let bad = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,workday,元旦\n2027-13-01,holiday,x\n2028-01-01,holiday,元旦\n";
    let (status, err) = post_csv(bad, admin.clone()).await;
    assert_eq!(status.as_u16(), 422, "{err}");
    let message = err["error"]["message_en"].as_str().unwrap();
    assert!(message.contains("line 3") && message.contains("line 4") && message.contains("line 5"), "{message}");
    let (status, err) = post_csv("date,kind,name\n2026-10-01,holiday,国庆节\n", admin.clone()).await;
    assert_eq!((status.as_u16(), error_code(&err)), (409, "official_year"));
    let (status, _) = post_csv("date,kind,name\n2027-01-01,holiday,元旦\n", app.token("reviewer").await).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // 2027: 元旦 Jan 1–3 (Fri–Sun), with a make-up Saturday on Jan 9 (an example notice).
    let good = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-03,holiday,元旦\n2027-01-09,workday,元旦\n";
    let (status, imported) = post_csv(good, admin.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{imported}");
    assert_eq!(
        (imported["year"].as_i64(), imported["holidays"].as_i64(), imported["workdays"].as_i64()),
        (Some(2027), Some(3), Some(1))
    );
    let (_, due) = app.call(reqwest::Method::GET, "/api/v1/calendar/due?received=2026-12-28&days=5", None, None).await;
    assert_eq!((due["due"].as_str(), due["provisional"].as_bool()), (Some("2027-01-05"), Some(false)));
    let (status, err) = post_csv(good, admin.clone()).await;
    assert_eq!((status.as_u16(), error_code(&err)), (422, "holiday_year_present"), "{err}");

    // A local override (LS-style local festival) changes that region only.
    let (status, _) = app
        .post(
            "/api/v1/calendar/overrides",
            &admin,
            json!({"region_code": "371000", "date": "2027-01-05", "kind": "holiday", "note": "地方调休示例"}),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, local) = app
        .call(reqwest::Method::GET, "/api/v1/calendar/due?received=2026-12-28&days=5&region=371002", None, None)
        .await;
    assert_eq!(local["due"], "2027-01-06", "a county inherits its city's override");
    let (_, national) =
        app.call(reqwest::Method::GET, "/api/v1/calendar/due?received=2026-12-28&days=5", None, None).await;
    assert_eq!(national["due"], "2027-01-05");
    let (status, err) = app
        .post(
            "/api/v1/calendar/overrides",
            &admin,
            json!({"region_code": "371000", "date": "2027-01-05", "kind": "nap"}),
        )
        .await;
    assert_eq!((status.as_u16(), error_code(&err)), (422, "invalid_day_kind"));
    let (_, days) =
        app.call(reqwest::Method::GET, "/api/v1/calendar/days?from=2027-01-01&to=2027-01-10", None, None).await;
    let kinds: Vec<&str> = days["items"].as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["restday", "restday", "restday", "workday", "workday", "workday", "workday", "workday", "workday", "restday"]
    );
    let (status, err) =
        app.call(reqwest::Method::GET, "/api/v1/calendar/days?from=2027-01-10&to=2027-01-01", None, None).await;
    assert_eq!((status.as_u16(), error_code(&err)), (400, "invalid_range"));
    app.stop().await;
}

/// The active profile is one API call and one page; a bad profile file stops the server
/// at start, naming the file, the key and the reason.
#[tokio::test]
async fn the_active_profile_is_shown_and_a_bad_one_refuses_to_start() {
    let app = TestApp::spawn_with_profile("binzhou").await;
    let (_, p) = app.call(reqwest::Method::GET, "/api/v1/profile", None, None).await;
    assert_eq!(p["name"], "binzhou");
    assert!(
        p["rules"].as_array().unwrap().iter().any(|r| r["source"] == "BZ-12"),
        "BZ-12: deletion needs the city's consent"
    );
    let mut b = app.login("reviewer", crate::helpers::PASSWORD).await;
    let (status, html) = b.get("/console/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("滨州市") && html.contains("BZ-12"));
    app.stop().await;

    let dir = temp_dir("bad-profile");
    let file = dir.join("weihai.toml");
    let text =
        gongshu_rules::Profile::builtin_text("weihai").unwrap().replacen("working_days = 2", "working_days = -2", 1);
    std::fs::write(&file, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_gongshu"))
        .args(["serve", "--addr", "127.0.0.1:0", "--profile"])
        .arg(&file)
        .arg("--data-dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("weihai.toml") && err.contains("working_days"), "{err}");
    let check = Command::new(env!("CARGO_BIN_EXE_gongshu")).args(["profile", "check"]).arg(&file).output().unwrap();
    assert!(!check.status.success());
}

/// The profile table in the docs is generated from the profile files, so it cannot drift:
/// regenerate with `gongshu profile show NAME --format markdown` (see docs/profiles.md).
#[test]
fn docs_profiles_md_matches_the_profile_files() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/profiles.md");
    let mut expected = String::from(gongshu::regulation::PROFILES_DOC_HEADER);
    for p in gongshu_rules::Profile::all().unwrap() {
        expected.push('\n');
        expected.push_str(&p.to_markdown());
    }
    if std::env::var("GONGSHU_UPDATE_DOCS").is_ok() {
        std::fs::write(path, &expected).unwrap();
    }
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/profiles.md is stale: run `GONGSHU_UPDATE_DOCS=1 cargo test -p gongshu --test e2e docs_profiles`"
    );
}

/// The console's calendar page: the administrator is warned about a year without data
/// and imports the notice as a file upload; others see the calendar without the form.
#[tokio::test]
async fn calendar_page_warns_and_imports_a_file() {
    let app = TestApp::spawn().await;
    let mut admin = app.login("admin", crate::helpers::PASSWORD).await;
    let (status, html) = admin.get("/console/calendar?month=2027-01").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"missing-years\"") && html.contains("2027"), "the admin is told to import 2027");
    assert!(html.contains("data-date=\"2027-01-04\""));
    let (_, home) = admin.get("/console").await;
    assert!(home.contains("id=\"missing-years\""), "the console home warns too");
    let csrf = crate::helpers::form_csrf(&html);
    let boundary = "gongshu-test-boundary";
    let csv = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-09,workday,元旦\n";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"2027.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n\
         --{boundary}--\r\n"
    );
    let cookie = format!("gongshu_session={}", admin.cookie("gongshu_session").unwrap());
    let resp = app
        .http
        .post(app.url("/console/calendar/import"))
        .header("cookie", &cookie)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, html) = admin.get("/console/calendar?month=2027-01&received=2026-12-31&days=5").await;
    assert!(html.contains("id=\"due-result\""));
    assert!(html.contains("<strong>2027-01-08</strong>"), "Jan 4–8 with 元旦 on Jan 1");
    let resp = app
        .http
        .post(app.url("/console/calendar/import"))
        .header("cookie", &cookie)
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body.replace(&csrf, "forged"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN, "CSRF on the upload too");
    let mut provider = app.login("provider", crate::helpers::PASSWORD).await;
    let (status, html) = provider.get("/console/calendar").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains("calendar-import"), "no import form without the permission");
    app.stop().await;
}
