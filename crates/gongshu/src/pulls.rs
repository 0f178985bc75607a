//! Scheduled pulls (AGG-1): the platform fetches an entry's data from the provider's
//! address (HTTP or HTTPS) at an interval and loads it as the next version. Every server
//! runs due pulls; each run is claimed in the database, so one server does it. A pull
//! that breaks (unreachable, an error answer, a file that does not load) is told to the
//! provider at once.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use gongshu_data::Format;
use gongshu_store::{Actor, NewNotification, Pull};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Ctx;
use crate::data::LoadFile;
use crate::error::ApiError;

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PullInput {
    /// Where the provider publishes the file: `http://` or `https://`.
    pub url: String,
    /// `csv`, `xlsx` or `json`; from the address or the answer's content type if absent.
    pub format: Option<String>,
    /// Minutes between pulls (at least 5).
    pub every_minutes: i64,
}

fn unprocessable(code: &'static str, zh: &str, en: &str) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
}

/// Sets an entry's pull; the first run is due at once.
pub async fn set(app: &AppState, ctx: &Ctx, entry_id: i64, input: &PullInput) -> Result<Pull, ApiError> {
    let entry = crate::api::data::loadable_entry(app, ctx, entry_id).await?;
    let url = input.url.trim();
    if !(url.starts_with("http://") || url.starts_with("https://")) || reqwest::Url::parse(url).is_err() {
        return Err(unprocessable(
            "bad_url",
            "拉取地址须为 http:// 或 https:// 网址",
            "The address must be an http:// or https:// URL",
        ));
    }
    if input.every_minutes < 5 {
        return Err(unprocessable("interval_too_short", "拉取间隔不得少于 5 分钟", "Pull at most every 5 minutes"));
    }
    let format = match input.format.as_deref().filter(|f| !f.is_empty()) {
        Some(f) => Some(Format::parse(f).map(|_| f.to_ascii_lowercase()).ok_or_else(|| {
            ApiError::bad_request(
                "unknown_format",
                "格式应为 csv、xlsx 或 json",
                "The format must be csv, xlsx or json",
            )
        })?),
        None => None,
    };
    let now = Utc::now().timestamp_micros();
    Ok(app.store().set_pull(entry.id, url, format.as_deref(), input.every_minutes, now, &ctx.actor()).await?)
}

fn format_of(pull: &Pull, content_type: Option<&str>) -> Option<Format> {
    pull.format
        .as_deref()
        .and_then(Format::parse)
        .or_else(|| Format::from_name(pull.url.split('?').next().unwrap_or_default()))
        .or_else(|| match content_type.unwrap_or_default().split(';').next().unwrap_or_default().trim() {
            "text/csv" => Some(Format::Csv),
            "application/json" | "application/x-ndjson" => Some(Format::Json),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Some(Format::Xlsx),
            _ => None,
        })
}

/// Fetches and loads one pull; the error says what broke.
async fn run(app: &AppState, pull: &Pull) -> Result<i64, String> {
    let store = app.store();
    let entry = store.entry(pull.entry_id).await.map_err(|e| e.to_string())?.ok_or("the entry is gone")?;
    let client = reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .user_agent(concat!("gongshu/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| e.to_string())?;
    let resp = client.get(&pull.url).send().await.map_err(|e| format!("cannot reach {}: {e}", pull.url))?;
    if !resp.status().is_success() {
        return Err(format!("{} answered {}", pull.url, resp.status()));
    }
    let content_type =
        resp.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(String::from);
    let format =
        format_of(pull, content_type.as_deref()).ok_or("cannot tell the file's format: set csv, xlsx or json")?;
    let path = crate::api::data::stage_stream(app, resp.bytes_stream()).await.map_err(|e| e.message_en)?;
    let file = LoadFile {
        path,
        staged: true,
        file_name: pull.url.rsplit('/').next().unwrap_or("pull").to_string(),
        format: Some(format),
        encoding: None,
        source: "pull",
    };
    let by = Actor::new("platform", None);
    let loaded = crate::data::load(store, app.data_files(), &by, &entry, file, None).await.map_err(|e| e.message_en)?;
    Ok(loaded.version.version)
}

/// Runs every due pull this server can claim; returns how many ran and how many broke.
pub async fn run_due(app: &AppState, now: DateTime<Utc>) -> Result<(usize, usize), ApiError> {
    let store = app.store();
    let now_us = now.timestamp_micros();
    let (mut ran, mut broke) = (0, 0);
    for pull in store.pulls().await?.into_iter().filter(|p| p.next_at <= now_us) {
        let next = now_us + pull.every_minutes * 60_000_000;
        if !store.claim_pull(pull.id, pull.next_at, next, now_us).await? {
            continue;
        }
        ran += 1;
        match run(app, &pull).await {
            Ok(_) => store.pull_result(pull.id, None).await?,
            Err(reason) => {
                broke += 1;
                store.pull_result(pull.id, Some(&reason)).await?;
                let Some(entry) = store.entry(pull.entry_id).await? else { continue };
                let note = NewNotification {
                    org_id: Some(entry.provider_org_id),
                    kind: "pull_failed".into(),
                    item: format!("catalog_entry:{}", entry.id),
                    title_zh: format!("定时拉取失败：“{}”：{reason}", entry.name),
                    title_en: format!("Scheduled pull failed: \"{}\": {reason}", entry.name),
                };
                let event = Actor::new("platform", None)
                    .event("data.pull_failed", format!("catalog_entry:{}", entry.id))
                    .detail(serde_json::json!({ "url": pull.url, "reason": reason }));
                store.notify(&[note], &event).await?;
            }
        }
    }
    Ok((ran, broke))
}
