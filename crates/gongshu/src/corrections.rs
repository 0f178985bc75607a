//! Traceable corrections (AGG-4, QQ-11, BZ-19): an error reported on a record of a data
//! version becomes a ticket for the provider with the profile's deadline (a clock that
//! escalates to the authority when missed); a later version in which the record is
//! corrected closes it by itself, and the reporter is told.

use std::collections::HashSet;

use axum::http::StatusCode;
use chrono::Utc;
use gongshu_data::ItemSpec;
use gongshu_store::{Correction, Entry, NewClock, NewCorrection, NewNotification, Store};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Ctx;
use crate::data::DataFiles;
use crate::error::ApiError;

/// What a reporter says: which record (by its key identifier) of which version, which
/// item is wrong, and how.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// The data version the error was seen in.
    pub version: i64,
    /// The record's key identifier value (e.g. its citizen ID number).
    pub key: String,
    /// The data item that is wrong.
    pub item: String,
    pub description: String,
}

fn unprocessable(code: &'static str, zh: String, en: String) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, zh, en)
}

/// The entry's key identifier item: the one marked 关键标识, else its first citizen ID
/// or credit code item.
pub fn key_item(items: &[ItemSpec]) -> Option<&ItemSpec> {
    items.iter().find(|i| i.key).or_else(|| items.iter().find(|i| i.item_type.is_identifier()))
}

async fn parquet_of(files: &DataFiles, storage_key: &str) -> Result<std::path::PathBuf, ApiError> {
    files.local(storage_key).await
}

/// Opens a ticket; the provider is notified at once and its clock starts.
pub async fn report(app: &AppState, ctx: &Ctx, entry_id: i64, input: &CorrectionInput) -> Result<Correction, ApiError> {
    let store = app.store();
    let entry = store.entry(entry_id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let version = store
        .data_version(entry_id, input.version)
        .await?
        .ok_or_else(|| ApiError::not_found("数据版本", "Data version"))?;
    let description = input.description.trim();
    if description.is_empty() {
        return Err(unprocessable("description_required", "请说明数据错在哪里".into(), "Say what is wrong".into()));
    }
    let (_, items) = crate::data::entry_items(store, &entry).await?;
    let Some(key) = key_item(&items) else {
        return Err(unprocessable(
            "no_key_identifier",
            "该目录没有关键标识信息项，无法定位记录".into(),
            "The entry has no key identifier to find the record by".into(),
        ));
    };
    if !items.iter().any(|i| i.name == input.item) {
        return Err(unprocessable(
            "unknown_item",
            format!("“{}”不是该目录的信息项", input.item),
            format!("{:?} is not a data item of the entry", input.item),
        ));
    }
    let path = parquet_of(app.data_files(), &version.storage_key).await?;
    let (key_name, wanted, item) = (key.name.clone(), input.key.trim().to_string(), input.item.clone());
    let keys: HashSet<String> = [wanted.clone()].into();
    let found =
        tokio::task::spawn_blocking(move || gongshu_data::lookup::lookup(&path, &key_name, &keys, &[item.as_str()]))
            .await
            .map_err(|_| ApiError::internal())?
            .map_err(crate::data::data_error)?;
    let Some(record) = found.get(&wanted) else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "record_not_found",
            format!("数据版本 v{} 中没有{}为该值的记录", input.version, key.name),
            format!("Version {} has no record with that {}", input.version, key.name),
        ));
    };
    let profile = app.regulation().profile();
    let deadline = &profile.quality.correction_ticket;
    let clock = deadline_clock(
        app,
        deadline.working_days,
        "quality.correction_ticket",
        &deadline.source,
        entry.provider_org_id,
    )
    .await?;
    let note = NewNotification {
        org_id: Some(entry.provider_org_id),
        kind: "correction".into(),
        item: String::new(),
        title_zh: format!("数据纠错：“{}”的{}有误，请于 {} 前更正", entry.name, input.item, clock.due_on),
        title_en: format!(
            "Correction: {} of \"{}\" is reported wrong; fix it by {}",
            input.item, entry.name, clock.due_on
        ),
    };
    let new = NewCorrection {
        entry_id,
        data_version: input.version,
        key_item: key.name.clone(),
        key_value: wanted,
        item: input.item.clone(),
        reported_value: record.get(&input.item).cloned().flatten(),
        description: description.to_string(),
        reporter_org_id: ctx.me()?.user.org_id,
        provider_org_id: entry.provider_org_id,
    };
    Ok(store.create_correction(&new, &clock, &[note], &ctx.actor()).await?)
}

/// A clock of `working_days` from now for `holder`, escalated to the authority if missed.
async fn deadline_clock(
    app: &AppState,
    working_days: u32,
    rule: &str,
    source: &str,
    holder: i64,
) -> Result<NewClock, ApiError> {
    let cal = app.regulation().calendar(app.store()).await?;
    let profile = app.regulation().profile();
    let p = gongshu_rules::deadline::plan(&cal, Utc::now(), working_days, profile.region())?;
    Ok(NewClock {
        item: String::new(),
        duty: "correction".into(),
        rule: rule.into(),
        source: source.into(),
        holder_org_id: Some(holder),
        received_on: p.received.to_string(),
        working_days: i64::from(working_days),
        due_on: p.due.date.to_string(),
        due_at: p.due_at.timestamp_micros(),
        remind_at: p.remind_at.timestamp_micros(),
        provisional: p.due.provisional,
        on_miss: "escalate".into(),
    })
}

/// After a new version of an entry, closes the open tickets whose record changed (the
/// item's value differs from the reported one) or is gone. Returns how many closed.
pub async fn verify(
    store: &Store,
    files: &DataFiles,
    entry: &Entry,
    version: i64,
    storage_key: &str,
) -> Result<usize, ApiError> {
    let open = store.corrections(Some(entry.id), Some("open")).await?;
    let open: Vec<Correction> = open.into_iter().filter(|c| c.data_version < version).collect();
    if open.is_empty() {
        return Ok(0);
    }
    let path = parquet_of(files, storage_key).await?;
    let key_item = open[0].key_item.clone();
    let keys: HashSet<String> = open.iter().map(|c| c.key_value.clone()).collect();
    let items: Vec<String> = open.iter().map(|c| c.item.clone()).collect::<HashSet<_>>().into_iter().collect();
    let found = tokio::task::spawn_blocking(move || {
        let refs: Vec<&str> = items.iter().map(String::as_str).collect();
        gongshu_data::lookup::lookup(&path, &key_item, &keys, &refs)
    })
    .await
    .map_err(|_| ApiError::internal())?
    .map_err(crate::data::data_error)?;
    let by = gongshu_store::Actor::new("platform", None);
    let mut closed = 0;
    for c in open {
        let outcome = match found.get(&c.key_value) {
            None => "removed",
            Some(values) if values.get(&c.item).cloned().flatten() != c.reported_value => "fixed",
            Some(_) => continue,
        };
        let zh = if outcome == "fixed" { "已更正" } else { "已删除该记录" };
        let note = |org_id| NewNotification {
            org_id,
            kind: "correction_closed".into(),
            item: String::new(),
            title_zh: format!("数据纠错已办结：“{}”的{}在数据版本 v{version} 中{zh}", entry.name, c.item),
            title_en: format!("Correction closed: {} of \"{}\" is {outcome} in version {version}", c.item, entry.name),
        };
        let mut notes = vec![note(Some(c.provider_org_id))];
        if c.reporter_org_id.is_some() && c.reporter_org_id != Some(c.provider_org_id) {
            notes.push(note(c.reporter_org_id));
        }
        if store.close_correction(c.id, version, outcome, &notes, &by).await? {
            closed += 1;
        }
    }
    Ok(closed)
}
