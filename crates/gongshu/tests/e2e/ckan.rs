//! The CKAN-compatible Action API (OPN-1), first part: datasets and organizations with
//! CKAN's envelope, by GET and by POST as CKAN clients send it; a missing dataset is a
//! CKAN `Not Found Error`.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn action(app: &TestApp, name: &str, body: Option<Value>) -> (StatusCode, Value) {
    let url = app.url(&format!("/api/3/action/{name}"));
    let resp = match body {
        Some(b) => app.http.post(url).json(&b).send().await.unwrap(),
        None => app.http.get(url).send().await.unwrap(),
    };
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn opn_1_ckan_actions_list_and_show_the_open_datasets() {
    let app = TestApp::spawn().await;
    let (status, status_show) = action(&app, "status_show", None).await;
    assert_eq!((status, status_show["success"].as_bool()), (StatusCode::OK, Some(true)));
    assert!(status_show["result"]["ckan_version"].as_str().unwrap().starts_with("2."));
    let (_, list) = action(&app, "package_list", None).await;
    let names: Vec<String> =
        list["result"].as_array().unwrap().iter().map(|n| n.as_str().unwrap().to_string()).collect();
    assert!(names.len() >= 20, "the demo opens at least 20 datasets: {}", names.len());
    let (_, posted) = action(&app, "package_list", Some(json!({}))).await;
    assert_eq!(posted["result"], list["result"], "POST answers as GET");
    // ckanapi calls CKAN's unversioned path.
    let unversioned: Value =
        app.http.post(app.url("/api/action/package_list")).json(&json!({})).send().await.unwrap().json().await.unwrap();
    assert_eq!(unversioned["result"], list["result"]);
    // Every listed dataset shows, and is a published, unconditionally open entry.
    for name in &names {
        let (status, pkg) = action(&app, "package_show", Some(json!({ "id": name }))).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert_eq!(pkg["result"]["name"], name.as_str());
        let code = pkg["result"]["extras"][0]["value"].as_str().unwrap().to_string();
        let e = app.store.entry_by_code(&code).await.unwrap().unwrap();
        assert_eq!((e.state.as_str(), e.open_type.as_str()), ("published", "unconditional"));
    }
    let (status, missing) = action(&app, "package_show", Some(json!({ "id": "no-such-dataset" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        (missing["success"].as_bool(), missing["error"]["__type"].as_str()),
        (Some(false), Some("Not Found Error"))
    );
    // A published entry that is not open is not a dataset.
    let closed = app.store.entry_by_code("1010010/00001").await.unwrap().unwrap();
    assert_ne!(closed.open_type, "unconditional");
    let (status, _) = action(&app, "package_show", Some(json!({ "id": "1010010-00001" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, no_id) = action(&app, "package_show", None).await;
    assert_eq!((status.as_u16(), no_id["error"]["__type"].as_str()), (409, Some("Validation Error")));

    let (_, orgs) = action(&app, "organization_list", Some(json!({}))).await;
    let first = orgs["result"][0].as_str().unwrap().to_string();
    let (status, org) = action(&app, "organization_show", Some(json!({ "id": first }))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(org["result"]["package_count"].as_u64().unwrap() >= 1);
    let (status, _) = action(&app, "organization_show", None).await;
    assert_eq!(status.as_u16(), 409);
    app.stop().await;
}
