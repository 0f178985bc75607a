//! Release rules end to end (OPN-6, SEC-3): one set of rules on every path that lets
//! data out, set by the provider through the API or the console page.

use std::io::Read;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::open_data::{action, bytes, column_of_csv, column_of_records, dataset_of, demo_with_data, get_json};

/// OPN-6, SEC-3: one set of rules, applied on every path that lets data out: the page
/// preview, the four downloads, the provider ZIP, CKAN datastore_search and
/// datastore_search_sql, and the native records API. No path shows a suppressed item
/// or an unmasked value.
#[tokio::test]
async fn opn_6_every_path_applies_the_release_rules() {
    let app = demo_with_data().await;
    // The demo's provider officer works for the public security bureau.
    let (name, entry_id, items) = dataset_of(&app, "11371000754859022g").await;
    let (hidden, masked, pseudo) = (&items[0], &items[1], &items[2]);
    let (_, before) = get_json(&app, &format!("/api/v1/open/datasets/{name}/records?limit=1000")).await;
    let raw_hidden = column_of_records(&before["records"], hidden);
    let raw_masked = column_of_records(&before["records"], masked);
    let raw_pseudo = column_of_records(&before["records"], pseudo);

    let token = app.token("provider").await;
    let rules = json!({ "rules": { hidden: { "rule": "suppress" }, masked: { "rule": "mask" }, pseudo: { "rule": "pseudonymize" } } });
    let (status, view) = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/catalog/entries/{entry_id}/release-rules"),
            Some(&token),
            Some(rules),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let rule_of = |n: &str| view["items"].as_array().unwrap().iter().find(|i| i["name"] == n).unwrap().clone();
    assert_eq!(
        (rule_of(hidden)["source"].as_str(), rule_of(hidden)["rule"]["rule"].as_str()),
        (Some("provider"), Some("suppress"))
    );

    let expect_masked: Vec<String> = raw_masked
        .iter()
        .map(|v| {
            gongshu_data::release::apply(gongshu_data::release::Release::Mask, v.as_deref().unwrap_or(""), b"").unwrap()
        })
        .collect();
    let n = expect_masked.len();
    let check = |path: &str, hidden_col: Option<Vec<String>>, masked_col: Vec<String>, pseudo_col: Vec<String>| {
        assert!(hidden_col.is_none(), "{path}: a suppressed item is left out");
        assert_eq!(masked_col[..n.min(masked_col.len())], expect_masked[..n.min(masked_col.len())], "{path}: masked");
        assert!(masked_col.len() >= n.min(10), "{path}: rows");
        for (p, raw) in pseudo_col.iter().zip(&raw_pseudo) {
            assert_eq!(p.len(), 24, "{path}: a pseudonym");
            assert_ne!(Some(p.as_str()), raw.as_deref(), "{path}: never the raw value");
        }
        pseudo_col
    };

    // Downloads.
    let (status, csv) = bytes(&app, &format!("/open/download/{name}.csv")).await;
    assert_eq!(status, StatusCode::OK);
    let pseudo_csv = check(
        "csv",
        column_of_csv(&csv, hidden),
        column_of_csv(&csv, masked).unwrap(),
        column_of_csv(&csv, pseudo).unwrap(),
    );
    let (_, json_file) = bytes(&app, &format!("/open/download/{name}.json")).await;
    let records: Value = serde_json::from_slice(&json_file).unwrap();
    assert!(records[0].get(hidden).is_none());
    let strings = |c: Vec<Option<String>>| c.into_iter().map(Option::unwrap_or_default).collect::<Vec<_>>();
    let pseudo_json =
        check("json", None, strings(column_of_records(&records, masked)), strings(column_of_records(&records, pseudo)));
    assert_eq!(pseudo_json, pseudo_csv, "the same pseudonyms on every path");
    let (_, xlsx) = bytes(&app, &format!("/open/download/{name}.xlsx")).await;
    let dir = crate::helpers::temp_dir("open-xlsx");
    std::fs::write(dir.join("d.xlsx"), &xlsx).unwrap();
    {
        use calamine::Reader;
        let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("d.xlsx")).unwrap();
        let range = book.worksheet_range_at(0).unwrap().unwrap();
        let header: Vec<String> = range.rows().next().unwrap().iter().map(|c| c.to_string()).collect();
        let col = |n: &str| header.iter().position(|h| h == n);
        assert!(col(hidden).is_none(), "xlsx: suppressed");
        let masked_x: Vec<String> = range.rows().skip(1).map(|r| r[col(masked).unwrap()].to_string()).collect();
        let pseudo_x: Vec<String> = range.rows().skip(1).map(|r| r[col(pseudo).unwrap()].to_string()).collect();
        assert_eq!(check("xlsx", None, masked_x, pseudo_x), pseudo_csv);
    }
    let (_, pq) = bytes(&app, &format!("/open/download/{name}.parquet")).await;
    std::fs::write(dir.join("d.parquet"), &pq).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(dir.join("d.parquet")).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let (mut masked_p, mut pseudo_p) = (Vec::new(), Vec::new());
    for batch in reader {
        let batch = batch.unwrap();
        assert!(batch.schema().field_with_name(hidden).is_err(), "parquet: suppressed");
        for r in 0..batch.num_rows() {
            let text = |n: &str| {
                let c = batch.column(batch.schema().index_of(n).unwrap());
                gongshu_data::lookup::value_text(c.as_ref(), r).unwrap_or_default()
            };
            masked_p.push(text(masked));
            pseudo_p.push(text(pseudo));
        }
    }
    assert_eq!(check("parquet", None, masked_p, pseudo_p), pseudo_csv);

    // The provider's ZIP holds the same CSV.
    let (_, ds) = get_json(&app, &format!("/api/v1/open/datasets/{name}")).await;
    let org = ds["provider"]["organization"].as_str().unwrap();
    let (status, zip_bytes) = bytes(&app, &format!("/open/bulk/{org}.zip")).await;
    assert_eq!(status, StatusCode::OK);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut inner = Vec::new();
    zip.by_name(&format!("{name}.csv")).unwrap().read_to_end(&mut inner).unwrap();
    assert_eq!(inner, csv, "bulk: the same released file");

    // APIs.
    let (_, ds_search) =
        action(&app, "datastore_search", json!({ "resource_id": format!("{name}.csv"), "limit": 1000 })).await;
    let result = &ds_search["result"];
    assert!(result["fields"].as_array().unwrap().iter().all(|f| f["id"] != hidden.as_str()));
    assert_eq!(
        check(
            "datastore_search",
            None,
            strings(column_of_records(&result["records"], masked)),
            strings(column_of_records(&result["records"], pseudo)),
        ),
        pseudo_csv
    );
    let sql = format!(r#"SELECT * FROM "{name}.csv" ORDER BY "_id""#);
    let (status, by_sql) = action(&app, "datastore_search_sql", json!({ "sql": sql })).await;
    assert_eq!(status, StatusCode::OK, "{by_sql}");
    let r = &by_sql["result"]["records"];
    assert!(r[0].get(hidden).is_none(), "sql: suppressed");
    check("sql", None, strings(column_of_records(r, masked)), strings(column_of_records(r, pseudo)));
    let (status, by_name) =
        action(&app, "datastore_search_sql", json!({ "sql": format!(r#"SELECT "{hidden}" FROM "{name}.csv""#) })).await;
    assert_eq!(status.as_u16(), 409, "sql cannot name a suppressed item: {by_name}");
    let (_, native) = get_json(&app, &format!("/api/v1/open/datasets/{name}/records?limit=1000")).await;
    check(
        "native",
        None,
        strings(column_of_records(&native["records"], masked)),
        strings(column_of_records(&native["records"], pseudo)),
    );

    // The page preview.
    let html = app.http.get(app.url(&format!("/open/datasets/{name}"))).send().await.unwrap().text().await.unwrap();
    for (raw, m) in raw_masked.iter().zip(&expect_masked).take(10) {
        assert!(html.contains(&format!("<td>{m}</td>")), "preview shows the masked value {m}");
        if raw.as_deref() != Some(m.as_str()) {
            assert!(
                !html.contains(&format!("<td>{}</td>", raw.as_deref().unwrap_or_default())),
                "preview: no raw value"
            );
        }
    }
    for raw in raw_hidden.iter().take(10).flatten() {
        assert!(!html.contains(&format!("<td>{raw}</td>")), "preview: the suppressed item is not shown");
    }

    // Bad rules are refused and change nothing.
    let bad = json!({ "rules": { "没有这个信息项": { "rule": "mask" } } });
    let (status, body) = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/catalog/entries/{entry_id}/release-rules"),
            Some(&token),
            Some(bad),
        )
        .await;
    assert_eq!((status.as_u16(), crate::helpers::error_code(&body)), (422, "unknown_item"));
    let odd = json!({ "rules": { masked: { "rule": "shuffle" } } });
    let (status, _) = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/catalog/entries/{entry_id}/release-rules"),
            Some(&token),
            Some(odd),
        )
        .await;
    assert!(status.is_client_error());
    let (_, again) = bytes(&app, &format!("/open/download/{name}.csv")).await;
    assert_eq!(again, csv, "the rules in force are unchanged");
    let citizen = app.token("citizen").await;
    let (status, _) = app
        .call(
            reqwest::Method::PUT,
            &format!("/api/v1/catalog/entries/{entry_id}/release-rules"),
            Some(&citizen),
            Some(json!({ "rules": {} })),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a data user cannot change rules");
    app.stop().await;
}

/// OPN-6 in the console: the provider overrides an item's rule on the entry's release
/// rules page; the download follows at once. A bad choice is refused and changes nothing.
#[tokio::test]
async fn opn_6_the_provider_sets_release_rules_on_a_page() {
    let app = demo_with_data().await;
    let (name, entry_id, items) = dataset_of(&app, "11371000754859022g").await;
    let (_, before_rules) = bytes(&app, &format!("/open/download/{name}.csv")).await;
    assert!(column_of_csv(&before_rules, &items[0]).is_some());
    let mut b = app.login("provider", crate::helpers::PASSWORD).await;
    let page = format!("/console/catalog/{entry_id}/release-rules");
    let (status, html) = b.get(&page).await;
    assert_eq!(status, StatusCode::OK);
    let index = html.find(&format!("value=\"{}\"", items[0])).expect("the item is on the form");
    let field = html[..index].rsplit("name=\"").next().unwrap().split('"').next().unwrap().to_string();
    let n = field.trim_start_matches("item_").to_string();
    let csrf = crate::helpers::form_csrf(&html);
    let rule_field = format!("rule_{n}");
    let (status, _, _) = b.post_form(&page, &[("csrf", &csrf), (&field, &items[0]), (&rule_field, "suppress")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, csv) = bytes(&app, &format!("/open/download/{name}.csv")).await;
    assert!(column_of_csv(&csv, &items[0]).is_none(), "the download follows the page's choice");
    let (status, _, _) = b.post_form(&page, &[("csrf", &csrf), (&field, &items[0]), (&rule_field, "shred")]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, view) =
        app.get(&format!("/api/v1/catalog/entries/{entry_id}/release-rules"), &app.token("provider").await).await;
    let rule = view["items"].as_array().unwrap().iter().find(|i| i["name"] == items[0].as_str()).unwrap().clone();
    assert_eq!(rule["rule"]["rule"], "suppress", "the bad post changed nothing");
    let (status, _, _) = b.post_form(&page, &[("csrf", "forged"), (&field, &items[0]), (&rule_field, "keep")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The download made under the earlier rules is removed at the next start; today's stays.
    let (_, zip) = bytes(&app, "/open/bulk/11371000754859022g.zip").await;
    assert!(zip.starts_with(b"PK"));
    let exports = app.state().settings().data_dir.join("exports");
    let count = |dir: &std::path::Path| walk(dir).into_iter().filter(|p| p.ends_with("data.csv")).count();
    let before = count(&exports);
    let removed = gongshu::open::exports::prune(app.state()).await.unwrap();
    assert!(removed >= 2, "the old rules' files and the bulk ZIP: {removed}");
    assert_eq!(count(&exports), before - 1, "one CSV of the old rules removed");
    let (status, again) = bytes(&app, &format!("/open/download/{name}.csv")).await;
    assert_eq!((status, again), (StatusCode::OK, csv), "today's download is still served");
    app.stop().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
