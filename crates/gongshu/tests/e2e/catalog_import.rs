//! Catalog spreadsheets (the compilation guide's template): the CLI import's dry-run
//! report, good entries going in beside rejected ones, the demo catalog and its export,
//! and the XLSX round trip with the console upload.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, error_code, form_csrf};

fn gongshu(dir: &std::path::Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_gongshu"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("GONGSHU_DATABASE_URL")
        .output()
        .unwrap()
}

const HEADER: &str = "信息资源分类,信息资源名称,信息资源代码,信息资源提供方,信息资源提供方代码,信息资源摘要,信息资源格式,信息项名称,数据类型,数据长度,共享类型,共享条件,共享方式,是否向社会开放,开放条件,更新周期,发布日期,关联资源代码";

/// The template import: a dry run reports every fault by row and column and changes
/// nothing; good entries go in while bad ones are rejected, unless all-or-nothing.
#[test]
fn catalog_import_dry_run_reports_faults_and_good_entries_go_in() {
    let dir = crate::helpers::temp_dir("cat-import");
    assert!(
        gongshu(&dir, &["org", "import", concat!(env!("CARGO_MANIFEST_DIR"), "/demo/weihai-orgs.csv")])
            .status
            .success()
    );
    let file = dir.join("catalog.csv");
    let good = "基础/人口,人口基本信息,1010010/00001,威海市公安局,11371000754859022G,户籍人口基本信息,数据库/mysql,姓名,C,50,无条件共享,,接口,否,涉及个人隐私,每日,2024-01-01,";
    let good2 = "基础/人口,人口基本信息,1010010/00001,威海市公安局,11371000754859022G,户籍人口基本信息,数据库/mysql,公民身份号码,C,18,无条件共享,,接口,否,涉及个人隐私,每日,2024-01-01,";
    let bad_type = "主题/交通出行,公交线路,2020010/00002,威海市交通运输局,11371000143182040J,公交线路信息,数据库/mysql,线路名称,Q,50,无条件共享,,接口,是,,每日,2024-01-01,";
    let bad_code = "主题/交通出行,公交站点,2020010-00003,威海市交通运输局,11371000143182040J,公交站点信息,数据库/mysql,站点名称,C,50,无条件共享,,接口,是,,每日,2024-01-01,";
    let bad_share = "部门/公安,案件信息,3010010/00004,威海市公安局,11371000754859022G,案件信息,数据库/mysql,案件编号,C,32,有条件共享,,接口,否,涉密,每日,2024-01-01,";
    let bad_date = "主题/交通出行,出租车,2020010/00005,威海市交通运输局,11371000143182040J,出租车信息,数据库/mysql,车牌号码,C,10,无条件共享,,接口,否,涉及个人信息,每日,2024-13-01,";
    std::fs::write(&file, format!("{HEADER}\n{good}\n{good2}\n{bad_type}\n{bad_code}\n{bad_share}\n{bad_date}\n"))
        .unwrap();
    let out = gongshu(&dir, &["catalog", "import", file.to_str().unwrap(), "--dry-run", "--format", "json"]);
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert_eq!((report["entries_ok"].as_i64(), report["entries_rejected"].as_i64()), (Some(1), Some(4)), "{report}");
    let errors = report["errors"].as_array().unwrap();
    let at = |row: i64, column: &str| errors.iter().any(|e| e["row"] == row && e["column"] == column);
    assert!(at(4, "数据类型"), "an unknown type code: {report}");
    assert!(at(5, "信息资源代码"), "a malformed code: {report}");
    assert!(at(6, "共享条件"), "conditional sharing with no condition: {report}");
    assert!(at(7, "发布日期"), "a bad date: {report}");
    assert!(errors.iter().all(|e| e["code"].as_str().is_some() && e["message"].as_str().is_some()));
    let listed = gongshu(&dir, &["catalog", "list", "--format", "json"]);
    assert_eq!(serde_json::from_slice::<Value>(&listed.stdout).unwrap(), json!([]), "a dry run changes nothing");

    let out = gongshu(&dir, &["catalog", "import", file.to_str().unwrap(), "--all-or-nothing", "--format", "json"]);
    assert!(!out.status.success());
    let listed = gongshu(&dir, &["catalog", "list", "--format", "json"]);
    assert_eq!(serde_json::from_slice::<Value>(&listed.stdout).unwrap(), json!([]), "all or nothing");

    let out = gongshu(&dir, &["catalog", "import", file.to_str().unwrap(), "--format", "json"]);
    assert!(!out.status.success(), "some entries were rejected");
    let listed: Value =
        serde_json::from_slice(&gongshu(&dir, &["catalog", "list", "--format", "json"]).stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1, "the good entry went in");
    assert_eq!(listed[0]["state"], "draft");
    let again: Value = serde_json::from_slice(
        &gongshu(&dir, &["catalog", "import", file.to_str().unwrap(), "--dry-run", "--format", "json"]).stdout,
    )
    .unwrap();
    assert!(again["errors"].to_string().contains("duplicate_resource_code"));
}

/// CAT-9 and the demo: 140 published entries covering every base library, share type,
/// open attribute and grade; the export is the same template and imports back whole.
#[tokio::test]
async fn demo_catalog_covers_everything_and_exports_the_template() {
    let app = TestApp::spawn().await;
    let auditor = app.token("auditor").await;
    let (_, list) = app.get("/api/v1/catalog/entries?state=published&limit=1000", &auditor).await;
    let entries = list["items"].as_array().unwrap();
    assert!(entries.len() >= 120, "{}", entries.len());
    let has = |key: &str, value: &str| entries.iter().any(|e| e[key] == value);
    for lib in ["基础/人口", "基础/法人", "基础/自然资源和空间地理", "基础/电子证照", "基础/社会信用", "基础/宏观经济"]
    {
        assert!(has("category", lib), "{lib}");
    }
    for s in ["unconditional", "conditional", "not_shared"] {
        assert!(has("share_type", s), "{s}");
    }
    for o in ["unconditional", "conditional", "not_open"] {
        assert!(has("open_type", o), "{o}");
    }
    // Grades general 1–3, important and core (entries with level-4 items are graded
    // important or core in the demo).
    for rank in [1, 2, 3, 5, 6] {
        assert!(entries.iter().any(|e| e["level"] == rank), "grade rank {rank}");
    }
    app.stop().await;

    let dir = crate::helpers::temp_dir("cat-export");
    let src = crate::helpers::temp_dir("cat-export-src");
    assert!(
        gongshu(&src, &["org", "import", concat!(env!("CARGO_MANIFEST_DIR"), "/demo/weihai-orgs.csv")])
            .status
            .success()
    );
    let out = gongshu(
        &src,
        &["catalog", "import", concat!(env!("CARGO_MANIFEST_DIR"), "/demo/weihai-catalog.csv"), "--publish"],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let exported = src.join("export.csv");
    assert!(gongshu(&src, &["catalog", "export", "--out", exported.to_str().unwrap()]).status.success());
    assert!(
        gongshu(&dir, &["org", "import", concat!(env!("CARGO_MANIFEST_DIR"), "/demo/weihai-orgs.csv")])
            .status
            .success()
    );
    let out = gongshu(&dir, &["catalog", "import", exported.to_str().unwrap(), "--dry-run", "--format", "json"]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((report["entries_ok"].as_i64(), report["entries_rejected"].as_i64()), (Some(140), Some(0)), "{report}");
}

/// The XLSX template: the export reads back cell for cell (every code collides with the
/// catalog it came from, and nothing else is wrong); the console uploads a file.
#[tokio::test]
async fn catalog_xlsx_round_trip_and_console_upload() {
    let app = TestApp::spawn().await;
    let admin = app.token("admin").await;
    let resp = app.http.get(app.url("/api/v1/catalog/export?format=xlsx")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains("catalog.xlsx"));
    let xlsx = resp.bytes().await.unwrap();
    assert!(xlsx.starts_with(b"PK"));
    let resp = app
        .http
        .post(app.url("/api/v1/catalog/import?dry_run=true"))
        .bearer_auth(&admin)
        .body(xlsx.to_vec())
        .send()
        .await
        .unwrap();
    let report: Value = resp.json().await.unwrap();
    assert_eq!(report["entries_rejected"].as_i64(), Some(140), "{report}");
    let errors = report["errors"].as_array().unwrap();
    assert!(errors.iter().all(|e| e["code"] == "duplicate_resource_code"), "only the duplicates: {report}");
    let (status, resp) = app.call(Method::GET, "/api/v1/catalog/export?format=pdf", Some(&admin), None).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (400, "invalid_format"));
    let provider = app.token("provider").await;
    let forbidden =
        app.http.post(app.url("/api/v1/catalog/import")).bearer_auth(&provider).body("x").send().await.unwrap();
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);

    let mut b = app.login("admin", PASSWORD).await;
    let (status, html) = b.get("/console/catalog/import").await;
    assert_eq!(status, StatusCode::OK);
    let csrf = form_csrf(&html);
    let boundary = "gongshu-catalog-boundary";
    let csv = format!(
        "{HEADER}\n基础/人口,婚姻登记信息,1010020/09999,威海市民政局,11371000570916491X,婚姻登记,数据库/mysql,登记日期,D,8,无条件共享,,接口,否,涉及个人隐私,每日,2024-01-01,\n"
    );
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"dry_run\"\r\n\r\non\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n"
    );
    let resp = app
        .http
        .post(app.url("/console/catalog/import"))
        .header("cookie", format!("gongshu_session={}", b.cookie("gongshu_session").unwrap()))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"import-report\"") && html.contains("<strong>1</strong>"), "{html}");
    app.stop().await;
}
