//! The catalog's change pages (CAT-3, CAT-6): the change form opens with the latest
//! version filled in and posts back unchanged; opening closed data through the form
//! needs the evidence boxes; a due re-evaluation is answered on the entry page; an
//! imported catalog starts the re-evaluation clocks of its conditional entries.

use gongshu_domain::catalog::NewEntry;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::catalog::{body, population};
use crate::helpers::{PASSWORD, TestApp, form_csrf};

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

/// The fields a browser would post from the form with id `form_id`: inputs with their
/// values (checked boxes only), each select's selected option, each textarea's text.
fn form_fields(html: &str, form_id: &str) -> Vec<(String, String)> {
    let start = html.find(&format!("id=\"{form_id}\"")).expect("the form is on the page");
    let end = html[start..].find("</form>").unwrap() + start;
    let form = &html[start..end];
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let close = rest.find('>').unwrap();
        let tag = &rest[..=close];
        if tag.starts_with("<input") {
            let kind = attr(tag, "type").unwrap_or_default();
            if let Some(name) = attr(tag, "name")
                && (kind != "checkbox" || tag.contains(" checked"))
                && !tag.contains(" disabled")
            {
                let value =
                    attr(tag, "value").unwrap_or_else(|| if kind == "checkbox" { "on".into() } else { String::new() });
                out.push((name, value));
            }
        } else if tag.starts_with("<select") {
            let name = attr(tag, "name").unwrap();
            let end = rest.find("</select>").unwrap();
            let options = &rest[..end];
            let selected = options
                .split("<option")
                .skip(1)
                .find(|o| o.contains(" selected"))
                .or_else(|| options.split("<option").nth(1));
            out.push((name, selected.and_then(|o| attr(&format!(" {o}"), "value")).unwrap_or_default()));
        } else if tag.starts_with("<textarea") {
            let name = attr(tag, "name").unwrap();
            let end = rest.find("</textarea>").unwrap();
            out.push((name, unescape(&rest[close + 1..end])));
        }
        rest = &rest[close..];
    }
    out
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let f = fields.iter_mut().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no field {name}"));
    f.1 = value.into();
}

async fn published(app: &TestApp, entry: &NewEntry) -> i64 {
    let provider = app.token("provider").await;
    let reviewer = app.token("reviewer").await;
    let (status, created) = app.post("/api/v1/catalog/entries", &provider, body(entry)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let id = created["id"].as_i64().unwrap();
    app.post(&format!("/api/v1/catalog/entries/{id}/submit"), &provider, json!({})).await;
    let (status, r) =
        app.post(&format!("/api/v1/catalog/entries/{id}/review"), &reviewer, json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::OK, "{r}");
    id
}

async fn versions(app: &TestApp, id: i64) -> Vec<Value> {
    let provider = app.token("provider").await;
    let (_, d) = app.get(&format!("/api/v1/catalog/entries/{id}"), &provider).await;
    d["versions"].as_array().unwrap().clone()
}

/// CAT-3 and CAT-6 through the pages: the change form posts back the version in force
/// unchanged; opening closed data needs a ticked evidence box, which is audited.
#[tokio::test]
async fn cat_6_change_form_round_trips_and_asks_for_evidence() {
    let app = TestApp::spawn().await;
    let id = published(&app, &population("1010100/90060")).await;
    let mut p = app.login("provider", PASSWORD).await;
    let (_, page) = p.get(&format!("/console/catalog/{id}")).await;
    assert!(page.contains("entry-edit"), "the provider may change its published entry");
    let (status, form) = p.get(&format!("/console/catalog/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        form.contains("f-deidentified") && form.contains("f-consent"),
        "a published entry's form asks for evidence"
    );
    let mut fields = form_fields(&form, "entry-form");
    let as_refs = |f: &[(String, String)]| f.iter().map(|(a, b)| (a.clone(), b.clone())).collect::<Vec<_>>();

    // Posted back as it is, the form saves a draft equal to the version in force.
    let post = as_refs(&fields);
    let refs: Vec<(&str, &str)> = post.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, html, _) = p.post_form(&format!("/console/catalog/{id}/edit"), &refs).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let v = versions(&app, id).await;
    assert_eq!(v.len(), 2);
    assert_eq!(v[1]["content"], v[0]["content"], "the form carries every field of the version in force");

    // Opening the data: refused without evidence, nothing saved.
    set(&mut fields, "open_type", "conditional");
    set(&mut fields, "open_conditions", "仅限科研使用");
    set(&mut fields, "grade", "general_2");
    for i in 0..2 {
        set(&mut fields, &format!("item_grade_{i}"), "general_2");
    }
    let post = as_refs(&fields);
    let refs: Vec<(&str, &str)> = post.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let (status, html, _) = p.post_form(&format!("/console/catalog/{id}/edit"), &refs).await;
    assert_eq!(status.as_u16(), 422, "{html}");
    assert!(html.contains("open"), "the refusal names the opening: {html}");
    assert_eq!(versions(&app, id).await[1]["content"]["open"]["open_type"], "not_open", "nothing saved");
    let mut with_consent = refs.clone();
    with_consent.push(("right_holder_consent", "on"));
    let (status, html, _) = p.post_form(&format!("/console/catalog/{id}/edit"), &with_consent).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{html}");
    let v = versions(&app, id).await;
    assert_eq!(v[1]["content"]["open"]["open_type"], "conditional");
    let auditor = app.token("auditor").await;
    let (_, log) = app.get("/api/v1/audit?action=catalog.open_evidence", &auditor).await;
    assert_eq!(log["items"][0]["detail"]["right_holder_consent"], true, "{log}");

    // Another department's officer has no change link and cannot post the form.
    let mut other = app.login("consumer", PASSWORD).await;
    let (_, page) = other.get(&format!("/console/catalog/{id}")).await;
    assert!(!page.contains("entry-edit"));
    let (status, _, _) = other.post_form(&format!("/console/catalog/{id}/edit"), &refs).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.stop().await;
}

/// CAT-6 through the pages: a conditional entry's re-evaluation is answered on its
/// page; "keep" needs a reason; the answer starts the next period's clock.
#[tokio::test]
async fn cat_6_reevaluation_answered_on_the_entry_page() {
    let app = TestApp::spawn().await;
    let id = published(&app, &population("1010100/90061")).await;
    let mut p = app.login("provider", PASSWORD).await;
    let (_, page) = p.get(&format!("/console/catalog/{id}")).await;
    assert!(page.contains("id=\"reevaluation\""), "the pending re-evaluation is on the page");
    let csrf = form_csrf(&page);
    let url = format!("/console/catalog/{id}/reevaluate");
    let (status, html, _) = p.post_form(&url, &[("csrf", &csrf), ("decision", "keep"), ("reason", "")]).await;
    assert_eq!(status.as_u16(), 422);
    assert!(html.contains("reason_required"));
    let (status, _, _) = p.post_form(&url, &[("csrf", &csrf), ("decision", "keep"), ("reason", "仍含个人信息")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let clocks = app
        .store
        .clocks(&gongshu_store::ClockFilter {
            item: Some(format!("catalog_reeval:{id}")),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(clocks.iter().map(|c| c.state.as_str()).collect::<Vec<_>>(), ["answered", "open"]);
    app.stop().await;
}

/// CAT-6: an imported, published catalog starts a re-evaluation clock for each of its
/// conditional entries, held by the entry's provider (the demo is such an import).
#[tokio::test]
async fn cat_6_imported_conditional_entries_get_reevaluation_clocks() {
    let app = TestApp::spawn().await;
    let entries = app
        .store
        .entries(&gongshu_store::EntryFilter { state: Some("published".into()), limit: 1000, ..Default::default() })
        .await
        .unwrap();
    let conditional: Vec<_> =
        entries.iter().filter(|e| e.share_type == "conditional" || e.open_type == "conditional").collect();
    assert!(conditional.len() >= 10, "the demo has conditional entries");
    let clocks = app
        .store
        .clocks(&gongshu_store::ClockFilter { state: Some("open".into()), limit: 10_000, ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .filter(|c| c.item.starts_with("catalog_reeval:"))
        .collect::<Vec<_>>();
    assert_eq!(clocks.len(), conditional.len());
    for e in conditional {
        let c = clocks.iter().find(|c| c.item == format!("catalog_reeval:{}", e.id)).expect("a clock per entry");
        assert_eq!(c.holder_org_id, Some(e.provider_org_id));
    }
    app.stop().await;
}
