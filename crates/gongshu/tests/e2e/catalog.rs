//! The catalog end to end (CAT-1, CAT-2): a provider drafts through the API and the form,
//! the authority of its level reviews on the profile's clock, every version is kept and
//! two versions compare side by side.

use chrono::NaiveDate;
use gongshu_domain::catalog::{
    BaseLibrary, Category, DataItem, DataLength, DataType, Format, FormatClass, Grade, NewEntry, Open, OpenType,
    Provider, ResourceCode, Share, ShareMethod, ShareType, UpdateCycle,
};
use gongshu_domain::uscc::CreditCode;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, error_code, form_csrf};

const POLICE: &str = "11371000754859022G";

fn item(name: &str, data_type: DataType, length: u32, key: bool, grade: Grade) -> DataItem {
    DataItem {
        name: name.into(),
        data_type,
        length: Some(DataLength { total: length, scale: None }),
        description: String::new(),
        key_identifier: key,
        grade: Some(grade),
    }
}

fn population(code: &str) -> NewEntry {
    NewEntry {
        code: ResourceCode::parse(code).unwrap(),
        name: "户籍人口基本信息".into(),
        summary: "本市户籍人口的姓名、公民身份号码、出生日期".into(),
        provider: Provider { name: "威海市公安局".into(), code: CreditCode::parse(POLICE).unwrap() },
        category: Category::Base(BaseLibrary::Population),
        format: Format { class: FormatClass::Database, kind: "mysql".into() },
        items: vec![
            item("姓名", DataType::Character, 50, false, Grade::General2),
            item("公民身份号码", DataType::Character, 18, true, Grade::General3),
        ],
        share: Share {
            share_type: ShareType::Conditional,
            conditions: "仅用于社会救助资格核验".into(),
            reason: "含个人信息".into(),
            legal_basis: "《中华人民共和国个人信息保护法》第三十四条".into(),
            method: Some(ShareMethod::Interface),
        },
        open: Open {
            open_type: OpenType::NotOpen,
            conditions: String::new(),
            legal_basis: "《中华人民共和国个人信息保护法》".into(),
        },
        grade: Some(Grade::General3),
        update_cycle: UpdateCycle::Daily,
        published_on: NaiveDate::from_ymd_opt(2024, 3, 1),
        related: vec![],
    }
}

fn body(e: &NewEntry) -> Value {
    serde_json::to_value(e).unwrap()
}

/// CAT-2: draft → submit → the authority approves within the profile's clock → published;
/// a change is a new version, compared side by side; a rejection needs a reason.
#[tokio::test]
async fn cat_2_draft_submit_review_publish_change_and_compare() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (status, created) = app.post("/api/v1/catalog/entries", &provider, body(&population("1010100/90001"))).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["state"], "draft");
    let (status, resp) = app.post("/api/v1/catalog/entries", &provider, body(&population("1010100/90001"))).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::CONFLICT, "duplicate_resource_code"));

    let (status, _) = app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, mine) = app.get("/api/v1/deadlines/mine", &reviewer).await;
    let clock = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["item"] == format!("catalog_entry:{id}:v1"))
        .unwrap()
        .clone();
    assert_eq!(
        (clock["working_days"].as_i64(), clock["source"].as_str()),
        (Some(2), Some("WH-9")),
        "CAT-3: Weihai reviews in 2 working days"
    );
    let (status, resp) =
        app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, json!({"decision": "reject"})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "reason_required"));
    let (status, resp) =
        app.post(&format!("/api/v1/catalog/entries/{id}/review"), &provider, json!({"decision": "approve"})).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::FORBIDDEN, "forbidden"), "a provider does not review");
    let (status, r) =
        app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, json!({"decision": "approve"})).await;
    assert_eq!((status, r["late"].as_bool()), (StatusCode::OK, Some(false)));

    // A change: version 2, the published version stays in force until it is approved.
    let mut changed = population("1010100/90001");
    changed.name = "户籍人口基本信息（含出生日期）".into();
    changed.items.push(item("出生日期", DataType::Date, 8, false, Grade::General2));
    let (status, saved) =
        app.call(Method::PUT, &format!("/api/v1/catalog/entries/{id}"), Some(&provider), Some(body(&changed))).await;
    assert_eq!((status, saved["version"].as_i64()), (StatusCode::OK, Some(2)));
    let (_, detail) = app.get(&format!("/api/v1/catalog/entries/{id}"), &reviewer).await;
    assert_eq!(detail["entry"]["state"], "published");
    assert_eq!(detail["entry"]["name"], "户籍人口基本信息", "the published version is in force");
    let (_, cmp) = app.get(&format!("/api/v1/catalog/entries/{id}/compare?a=1&b=2"), &reviewer).await;
    let fields: Vec<String> = cmp["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(fields.iter().any(|f| f == "name"), "{cmp}");
    assert!(cmp["changes"].to_string().contains("出生日期"), "the added item is listed: {cmp}");

    app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    let (status, _) = app
        .post(
            &format!("/api/v1/catalog/entries/{id}/review"),
            &reviewer,
            json!({"decision": "reject", "reason": "新增信息项缺少依据"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, detail) = app.get(&format!("/api/v1/catalog/entries/{id}"), &reviewer).await;
    let states: Vec<&str> =
        detail["versions"].as_array().unwrap().iter().map(|v| v["state"].as_str().unwrap()).collect();
    assert_eq!(states, ["published", "rejected"]);
    assert_eq!(detail["versions"][1]["reason"], "新增信息项缺少依据");
    let auditor = app.token("auditor").await;
    let (_, log) = app.get(&format!("/api/v1/audit?object=catalog_entry:{id}"), &auditor).await;
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["catalog.reject", "catalog.submit", "catalog.draft", "catalog.publish", "catalog.submit", "catalog.draft"]
    );
    app.stop().await;
}

/// CAT-1, CAT-4, CAT-8: a bad entry is refused with every problem listed, and nothing is stored.
#[tokio::test]
async fn cat_4_bad_entries_list_every_problem() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let mut bad = population("1010100/90002");
    bad.share.conditions = String::new();
    bad.share.legal_basis = String::new();
    bad.open.open_type = OpenType::Unconditional;
    bad.name = " ".into();
    let (status, resp) = app.post("/api/v1/catalog/entries", &provider, body(&bad)).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "invalid_entry"));
    let problems = resp["error"]["problems"].as_array().unwrap();
    assert!(problems.len() >= 3, "{resp}");
    assert!(problems.iter().all(|p| p["message"].as_str().is_some() && p["message_en"].as_str().is_some()));
    let mut wrong_code = body(&population("1010100/90003"));
    wrong_code["code"] = json!("1010100-90003");
    let (status, _) = app.post("/api/v1/catalog/entries", &provider, wrong_code).await;
    assert_eq!(status.as_u16(), 422);
    let mut other = population("1010100/90004");
    other.provider =
        Provider { name: "威海市民政局".into(), code: CreditCode::parse("11371000570916491X").unwrap() };
    let (status, resp) = app.post("/api/v1/catalog/entries", &provider, body(&other)).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::FORBIDDEN, "not_your_entry"));
    let (_, list) = app.get("/api/v1/catalog/entries", &provider).await;
    assert!(list["items"].as_array().unwrap().iter().all(|e| e["code"] != "1010100/90002"));
    app.stop().await;
}

/// CAT-2 through the pages: the form explains each field; the provider drafts and
/// submits; the reviewer approves.
#[tokio::test]
async fn cat_2_through_the_pages() {
    let app = TestApp::spawn().await;
    let mut p = app.login("provider", PASSWORD).await;
    let (status, form) = p.get("/console/catalog/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("前段码/后段码") && form.contains("就高从严"), "the form explains its fields");
    let csrf = form_csrf(&form);
    let fields = [
        ("csrf", csrf.as_str()),
        ("code", "1010100/90010"),
        ("name", "流动人口登记信息"),
        ("summary", "流动人口的登记与居住信息"),
        ("category", "基础/人口"),
        ("format", "数据库/mysql"),
        ("update_cycle", "daily"),
        ("grade", "general_3"),
        ("published_on", ""),
        ("related", ""),
        ("share_type", "conditional"),
        ("share_method", "interface"),
        ("share_conditions", "仅限社区服务管理使用"),
        ("share_reason", "含个人信息"),
        ("share_legal_basis", "《居住证暂行条例》"),
        ("open_type", "not_open"),
        ("open_conditions", ""),
        ("open_legal_basis", "涉及个人隐私"),
        ("item_name_0", "姓名"),
        ("item_type_0", "C"),
        ("item_length_0", "50"),
        ("item_desc_0", ""),
        ("item_grade_0", "general_2"),
        ("item_name_1", "公民身份号码"),
        ("item_type_1", "C"),
        ("item_length_1", "18"),
        ("item_desc_1", ""),
        ("item_key_1", "on"),
        ("item_grade_1", "general_3"),
    ];
    let (status, _, headers) = p.post_form("/console/catalog", &fields).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let page = headers["location"].to_str().unwrap().split('?').next().unwrap().to_string();
    let (_, html) = p.get(&page).await;
    assert!(html.contains("流动人口登记信息") && html.contains("公民身份号码") && html.contains("entry-submit"));
    let (status, _, _) = p.post_form(&format!("{page}/submit"), &[("csrf", &csrf)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let mut r = app.login("reviewer", PASSWORD).await;
    let (_, html) = r.get(&page).await;
    assert!(html.contains("entry-approve"), "the reviewer of the provider's level sees the review form");
    let rcsrf = form_csrf(&html);
    let (status, _, _) =
        r.post_form(&format!("{page}/review"), &[("csrf", &rcsrf), ("decision", "approve"), ("reason", "")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, list) = r.get("/console/catalog?state=published").await;
    assert!(list.contains("流动人口登记信息"));
    let (status, html, _) = p.post_form("/console/catalog", &fields).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(html.contains("duplicate_resource_code"));
    app.stop().await;
}
