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

pub(crate) fn population(code: &str) -> NewEntry {
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

pub(crate) fn body(e: &NewEntry) -> Value {
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

    let (status, sub) = app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    assert_eq!((status, sub["kind"].as_str()), (StatusCode::OK, Some("initial")));
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

    let (status, resp) = app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    assert_eq!(
        (status.as_u16(), error_code(&resp)),
        (422, "basis_date_required"),
        "CAT-3: a change states when its basis changed"
    );
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let (status, sub) = app
        .post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({"basis_changed_on": yesterday}))
        .await;
    assert_eq!(
        (status, sub["kind"].as_str(), sub["late_filing"].as_bool()),
        (StatusCode::OK, Some("change"), Some(false))
    );
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
    let (status, _, _) = p.post_form(&format!("{page}/submit"), &[("csrf", &csrf), ("basis_changed_on", "")]).await;
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

/// CAT-3: in Binzhou a change also needs the city authority's consent (BZ-12); in Qiqihar
/// the service agency has 10 working days after approval to update (QQ-8); filing after
/// the profile's 15 working days is allowed but flagged; a retirement keeps history.
#[tokio::test]
async fn cat_3_change_requests_follow_the_profile() {
    for (profile, second_reviewer, second_days, source) in
        [("binzhou", "reviewer", 2, "BZ-12"), ("qiqihar", "operator", 10, "QQ-8")]
    {
        let app = TestApp::spawn_with_profile(profile).await;
        let provider = app.token("provider").await;
        let reviewer = app.token("reviewer").await;
        let second = app.token(second_reviewer).await;
        let (_, created) = app.post("/api/v1/catalog/entries", &provider, body(&population("1010100/90020"))).await;
        let id = created["id"].as_i64().unwrap();
        app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
        let approve = json!({"decision": "approve"});
        if profile == "qiqihar" {
            // QQ-8 applies to first publications too: review, then the agency's update.
            app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, approve.clone()).await;
            app.post(&format!("/api/v1/catalog/entries/{id}/review"), &second, approve.clone()).await;
        } else {
            app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, approve.clone()).await;
        }
        let (_, d) = app.get(&format!("/api/v1/catalog/entries/{id}"), &provider).await;
        assert_eq!(d["entry"]["state"], "published", "{profile}: {d}");

        let mut changed = population("1010100/90020");
        changed.summary = "变更后的摘要".into();
        app.call(Method::PUT, &format!("/api/v1/catalog/entries/{id}"), Some(&provider), Some(body(&changed))).await;
        let long_ago = (chrono::Utc::now() - chrono::Duration::days(60)).format("%Y-%m-%d").to_string();
        let (status, sub) = app
            .post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({"basis_changed_on": long_ago}))
            .await;
        assert_eq!(
            (status, sub["late_filing"].as_bool()),
            (StatusCode::OK, Some(true)),
            "{profile}: filed after 15 working days"
        );
        let (status, _) = app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, approve.clone()).await;
        assert_eq!(status, StatusCode::OK);
        let (_, d) = app.get(&format!("/api/v1/catalog/entries/{id}"), &provider).await;
        assert_eq!(
            (d["versions"][1]["state"].as_str(), d["versions"][1]["step"].as_i64()),
            (Some("submitted"), Some(1)),
            "{profile}: a second step"
        );
        let (_, mine) = app.get("/api/v1/deadlines/mine", &second).await;
        let clock = mine["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["item"] == format!("catalog_entry:{id}:v2"))
            .unwrap()
            .clone();
        assert_eq!(clock["working_days"].as_i64(), Some(second_days), "{profile}");
        assert!(clock["source"].as_str().unwrap().starts_with(&source[..2]), "{profile}: {clock}");
        let (status, _) = app.post(&format!("/api/v1/catalog/entries/{id}/review"), &second, approve.clone()).await;
        assert_eq!(status, StatusCode::OK);
        let (_, d) = app.get(&format!("/api/v1/catalog/entries/{id}"), &provider).await;
        assert_eq!(d["entry"]["published_version"], 2, "{profile}");
        assert_eq!(d["versions"][1]["late_filing"], true);

        let today = gongshu_rules::calendar::cst_date(chrono::Utc::now()).to_string();
        let (status, sub) = app
            .post(&format!("/api/v1/catalog/entries/{id}/retire"), &provider, json!({"basis_changed_on": today}))
            .await;
        assert_eq!((status, sub["kind"].as_str()), (StatusCode::OK, Some("retire")), "{sub}");
        app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, approve.clone()).await;
        app.post(&format!("/api/v1/catalog/entries/{id}/review"), &second, approve.clone()).await;
        let (_, d) = app.get(&format!("/api/v1/catalog/entries/{id}"), &provider).await;
        assert_eq!(d["entry"]["state"], "retired", "{profile}: {d}");
        assert_eq!(d["versions"].as_array().unwrap().len(), 3, "history kept");
        app.stop().await;
    }
}

/// CAT-7: the authority changes an entry's attributes for an emergency, with a reason and
/// an end; at the end the platform restores them by itself, once.
#[tokio::test]
async fn cat_7_emergency_adjustment_reverts_by_itself() {
    let app = TestApp::spawn().await;
    let reviewer = app.token("reviewer").await;
    let provider = app.token("provider").await;
    let (_, list) = app.get("/api/v1/catalog/entries?state=published&limit=1000", &reviewer).await;
    let entry = list["items"].as_array().unwrap().iter().find(|e| e["share_type"] == "conditional").unwrap().clone();
    let id = entry["id"].as_i64().unwrap();
    let today = gongshu_rules::calendar::cst_date(chrono::Utc::now()).to_string();
    let input = json!({"share_type": "unconditional", "open_type": entry["open_type"], "reason": "防汛应急：临时向各部门无条件共享", "until": today});
    let (status, resp) = app.post(&format!("/api/v1/catalog/entries/{id}/emergency"), &provider, input.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{resp}");
    let (status, resp) = app
        .post(
            &format!("/api/v1/catalog/entries/{id}/emergency"),
            &reviewer,
            json!({"share_type": "unconditional", "open_type": "not_open", "reason": " ", "until": today}),
        )
        .await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "reason_required"));
    let (status, e) = app.post(&format!("/api/v1/catalog/entries/{id}/emergency"), &reviewer, input.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    let (status, resp) = app.post(&format!("/api/v1/catalog/entries/{id}/emergency"), &reviewer, input).await;
    assert_eq!((status, error_code(&resp)), (StatusCode::CONFLICT, "already_exists"), "one at a time");
    let (_, now) = app.get(&format!("/api/v1/catalog/entries/{id}"), &reviewer).await;
    assert_eq!(now["entry"]["share_type"], "unconditional");
    let ends = chrono::DateTime::<chrono::Utc>::from_timestamp_micros(e["ends_at"].as_i64().unwrap()).unwrap();
    assert_eq!(gongshu::deadlines::tick(app.state(), ends - chrono::Duration::minutes(1)).await.unwrap().fired, 0);
    assert_eq!(gongshu::deadlines::tick(app.state(), ends + chrono::Duration::seconds(1)).await.unwrap().fired, 1);
    let (_, after) = app.get(&format!("/api/v1/catalog/entries/{id}"), &reviewer).await;
    assert_eq!(after["entry"]["share_type"], "conditional", "restored at the end");
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=catalog.emergency_end", &auditor).await;
    assert_eq!(log["items"][0]["actor"], "platform");
    let (status, _) = app.post(&format!("/api/v1/catalog/emergencies/{}/end", e["id"]), &reviewer, json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already ended");
    app.stop().await;
}

/// CAT-11: anyone searches published entries in Chinese or by code, with facets and
/// highlights; partial words match; a missing word never empties the result; staff
/// also find their own drafts; the index follows a change at once.
#[tokio::test]
async fn cat_11_search_ranks_filters_and_follows_changes() {
    let app = TestApp::spawn().await;
    let get = |path: String| {
        let url = app.url(&path);
        let http = app.http.clone();
        async move { http.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let r = get("/api/v1/catalog/search?q=人口".into()).await;
    assert!(r["total"].as_u64().unwrap() >= 3, "{r}");
    let first = &r["hits"][0];
    assert!(first["name"].as_str().unwrap().contains("人口"), "{r}");
    assert!(first["highlights"].to_string().contains("<mark>"), "{first}");
    let none_missing = get("/api/v1/catalog/search?q=人口%20不存在的词汇xyz".into()).await;
    assert!(none_missing["total"].as_u64().unwrap() >= 3, "one missing word does not empty the result");
    let by_code = get("/api/v1/catalog/search?q=1010010/00001".into()).await;
    assert_eq!(by_code["hits"][0]["code"], "1010010/00001", "{by_code}");
    let base = get("/api/v1/catalog/search?category=基础&limit=100".into()).await;
    assert!(base["hits"].as_array().unwrap().len() >= 40);
    let facets = &base["facets"]["category"];
    assert!(facets.as_array().unwrap().iter().all(|f| f["value"].as_str().unwrap().starts_with("基础")), "{facets}");
    let share = get("/api/v1/catalog/search?share_type=not_shared".into()).await;
    assert!(share["total"].as_u64().unwrap() >= 1);
    let (status, bad) = app.call(Method::GET, "/api/v1/catalog/search?sort=random", None, None).await;
    assert_eq!((status.as_u16(), error_code(&bad)), (400, "invalid_sort"));

    // A new draft: its provider finds it, the public does not; once published, everyone.
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (status, created) = app.post("/api/v1/catalog/entries", &provider, body(&population("1010100/90030"))).await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_i64().unwrap();
    let public = get("/api/v1/catalog/search?q=1010100/90030".into()).await;
    assert!(public["hits"].as_array().unwrap().iter().all(|h| h["id"] != id), "drafts are not public");
    let (_, staff) = app.get("/api/v1/catalog/search?q=1010100/90030", &provider).await;
    assert_eq!(staff["hits"][0]["id"], id, "staff find their own drafts");
    app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, json!({"decision": "approve"})).await;
    let public = get("/api/v1/catalog/search?q=1010100/90030".into()).await;
    assert_eq!(public["hits"][0]["id"], id, "published: found by everyone at once");

    let (status, html) = crate::helpers::Browser::anonymous(&app).get("/catalog?q=公交").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<mark>") && html.contains("id=\"search-total\""), "the portal page shows highlights");
    let admin = app.token("admin").await;
    let (status, _) = app.post("/api/v1/catalog/reindex", &admin, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let again = get("/api/v1/catalog/search?q=人口".into()).await;
    assert_eq!(again["total"], r["total"].as_u64().unwrap() + 1, "rebuilt, with the new entry");
    app.stop().await;
}

/// CAT-6: publishing a conditional entry starts its re-evaluation clock (the profile's
/// period, yearly by default); the provider keeps it with a reason (the next period's
/// clock starts) or moves it to unconditional (a change draft for review).
#[tokio::test]
async fn cat_6_conditional_entries_are_re_evaluated() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (_, created) = app.post("/api/v1/catalog/entries", &provider, body(&population("1010100/90040"))).await;
    let id = created["id"].as_i64().unwrap();
    let (status, resp) = app
        .post(
            &format!("/api/v1/catalog/entries/{id}/reevaluate"),
            &provider,
            json!({"decision": "keep", "reason": "x"}),
        )
        .await;
    assert_eq!((status, error_code(&resp)), (StatusCode::CONFLICT, "no_reevaluation_due"), "not published yet");
    app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, json!({"decision": "approve"})).await;
    let (_, mine) = app.get("/api/v1/deadlines/mine", &provider).await;
    let clock =
        mine["items"].as_array().unwrap().iter().find(|c| c["item"] == format!("catalog_reeval:{id}")).unwrap().clone();
    assert_eq!((clock["duty"].as_str(), clock["on_miss"].as_str()), (Some("reevaluation"), Some("remind")));
    let due = chrono::NaiveDate::parse_from_str(clock["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let days = (due - chrono::Utc::now().date_naive()).num_days();
    assert!((360..=375).contains(&days), "about a year: {days} days");

    let (status, resp) =
        app.post(&format!("/api/v1/catalog/entries/{id}/reevaluate"), &provider, json!({"decision": "keep"})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "reason_required"));
    let (status, _) = app
        .post(
            &format!("/api/v1/catalog/entries/{id}/reevaluate"),
            &provider,
            json!({"decision": "keep", "reason": "仍含个人信息"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let clocks = app
        .store
        .clocks(&gongshu_store::ClockFilter {
            item: Some(format!("catalog_reeval:{id}")),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        clocks.iter().map(|c| c.state.as_str()).collect::<Vec<_>>(),
        ["answered", "open"],
        "the next period's clock"
    );

    let (status, r) = app
        .post(
            &format!("/api/v1/catalog/entries/{id}/reevaluate"),
            &provider,
            json!({"decision": "unconditional", "reason": "已脱敏"}),
        )
        .await;
    assert_eq!((status, r["draft_version"].as_i64()), (StatusCode::OK, Some(2)), "{r}");
    let (_, d) = app.get(&format!("/api/v1/catalog/entries/{id}"), &provider).await;
    assert_eq!(d["versions"][1]["content"]["share"]["share_type"], "unconditional");
    let auditor = app.token("auditor").await;
    let (_, log) =
        app.get(&format!("/api/v1/audit?action=catalog.reevaluate&object=catalog_entry:{id}"), &auditor).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 2);
    app.stop().await;
}

/// CAT-10: a provider compiles its open list for the year from its published open
/// entries; the city authority reviews and publishes it; the published list is public.
#[tokio::test]
async fn cat_10_annual_open_list() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (_, me) = app.get("/api/v1/me", &provider).await;
    let (_, list) = app
        .get(&format!("/api/v1/catalog/entries?state=published&provider={}&limit=1000", me["org_id"]), &provider)
        .await;
    let entries = list["items"].as_array().unwrap();
    let open: Vec<i64> =
        entries.iter().filter(|e| e["open_type"] != "not_open").map(|e| e["id"].as_i64().unwrap()).collect();
    let closed = entries.iter().find(|e| e["open_type"] == "not_open").map(|e| e["id"].as_i64().unwrap());
    assert!(!open.is_empty());
    if let Some(closed) = closed {
        let (status, resp) =
            app.post("/api/v1/open-lists", &provider, json!({"year": 2027, "entry_ids": [closed]})).await;
        assert_eq!((status.as_u16(), error_code(&resp)), (422, "not_openable"));
    }
    let (status, resp) = app.post("/api/v1/open-lists", &provider, json!({"year": 2027, "entry_ids": []})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "empty_list"));
    let (status, saved) = app.post("/api/v1/open-lists", &provider, json!({"year": 2027, "entry_ids": open})).await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let id = saved["id"].as_i64().unwrap();
    let (status, _) = app.post(&format!("/api/v1/open-lists/{id}/submit"), &provider, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.post("/api/v1/open-lists", &provider, json!({"year": 2027, "entry_ids": open})).await;
    assert_eq!(status, StatusCode::CONFLICT, "no edits once submitted");
    let (status, resp) =
        app.post(&format!("/api/v1/open-lists/{id}/review"), &reviewer, json!({"decision": "reject"})).await;
    assert_eq!((status.as_u16(), error_code(&resp)), (422, "reason_required"));
    let (_, public) = app.call(Method::GET, "/api/v1/open-lists?year=2027", None, None).await;
    assert!(public["items"].as_array().unwrap().is_empty(), "not public before publication");
    let (status, _) =
        app.post(&format!("/api/v1/open-lists/{id}/review"), &reviewer, json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, public) = app.call(Method::GET, "/api/v1/open-lists?year=2027", None, None).await;
    assert_eq!(public["items"][0]["entries"].as_array().unwrap().len(), open.len());
    assert_eq!(public["items"][0]["provider"], "威海市公安局");
    let (status, html) = crate::helpers::Browser::anonymous(&app).get("/open-lists?year=2027").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("威海市公安局") && html.contains("open-list"));
    app.stop().await;
}

/// CAT-6: a change that opens data that was not open needs a recorded de-identification
/// or the right holder's consent; with it, the evidence is in the audit log.
#[tokio::test]
async fn cat_6_opening_closed_data_needs_deidentification_or_consent() {
    let app = TestApp::spawn().await;
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (_, created) = app.post("/api/v1/catalog/entries", &provider, body(&population("1010100/90050"))).await;
    let id = created["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, json!({"decision": "approve"})).await;
    let mut opened = population("1010100/90050");
    opened.items.iter_mut().for_each(|i| i.grade = Some(Grade::General2));
    opened.grade = Some(Grade::General2);
    opened.open =
        Open { open_type: OpenType::Conditional, conditions: "仅限科研使用".into(), legal_basis: String::new() };
    let (status, resp) =
        app.call(Method::PUT, &format!("/api/v1/catalog/entries/{id}"), Some(&provider), Some(body(&opened))).await;
    assert_eq!(status.as_u16(), 422, "{resp}");
    assert!(resp["error"]["problems"].to_string().contains("opening"), "{resp}");
    let (status, saved) = app
        .call(
            Method::PUT,
            &format!("/api/v1/catalog/entries/{id}?deidentified=true"),
            Some(&provider),
            Some(body(&opened)),
        )
        .await;
    assert_eq!((status, saved["version"].as_i64()), (StatusCode::OK, Some(2)), "{saved}");
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=catalog.open_evidence", &auditor).await;
    assert_eq!(log["items"][0]["detail"]["deidentified"], true);
    app.stop().await;
}
