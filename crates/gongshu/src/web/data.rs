//! Data pages (AGG-1, AGG-3): the upload on an entry's page (with a progress bar) and a
//! version's quality report, with a chart of quality over the entry's versions.

use axum::extract::Multipart;
use minijinja::context;
use serde::Serialize;

use super::{PageResult, render, saved};
use crate::api::data::{encoding_from, loadable_entry, stage_stream, view};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::data::LoadFile;
use crate::error::{ApiError, Path};

/// One bar of the quality chart.
#[derive(Debug, Serialize)]
struct Bar {
    version: i64,
    rows: i64,
    /// Valid rows in percent, and the bar's height in the SVG (px).
    valid_pct: f64,
    height: f64,
    x: usize,
}

fn cst(micros: i64) -> String {
    gongshu_domain::time::format_cst(micros)
}

/// The versions of an entry for its page, newest first, and the chart's bars.
pub async fn versions_for_page(state: &AppStateExt, id: i64) -> Result<minijinja::Value, ApiError> {
    let versions = state.store().data_versions(id).await?;
    let bars: Vec<Bar> = versions
        .iter()
        .rev()
        .take(12)
        .rev()
        .enumerate()
        .map(|(i, v)| {
            let pct = if v.rows_total == 0 { 100.0 } else { v.rows_valid as f64 * 100.0 / v.rows_total as f64 };
            Bar {
                version: v.version,
                rows: v.rows_total,
                valid_pct: (pct * 10.0).round() / 10.0,
                height: pct * 1.2,
                x: 40 + i * 44,
            }
        })
        .collect();
    let rows: Vec<minijinja::Value> = versions
        .into_iter()
        .rev()
        .map(|v| {
            let at = cst(v.created_at);
            let on_time = serde_json::from_str::<serde_json::Value>(&v.report)
                .ok()
                .and_then(|r| r["timeliness"]["on_time"].as_bool())
                .unwrap_or(true);
            context! { v => view(v), at, on_time }
        })
        .collect();
    Ok(context! { rows, bars })
}

/// The console's upload: the file is streamed to disk, then loaded as the next version.
pub async fn upload(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, mut form: Multipart) -> PageResult {
    let entry = loadable_entry(&state, &ctx, id).await?;
    let bad_form = || ApiError::bad_request("bad_form", "表单无法读取", "The form cannot be read");
    let mut csrf = String::new();
    let mut encoding = String::new();
    let mut staged: Option<(std::path::PathBuf, String)> = None;
    let result: Result<(), ApiError> = async {
        while let Some(field) = form.next_field().await.map_err(|_| bad_form())? {
            match field.name().unwrap_or_default() {
                "csrf" => csrf = field.text().await.map_err(|_| bad_form())?,
                "encoding" => encoding = field.text().await.map_err(|_| bad_form())?,
                "file" => {
                    let name = field.file_name().unwrap_or("upload").to_string();
                    staged = Some((stage_stream(&state, field).await?, name));
                }
                _ => {}
            }
        }
        ctx.check_csrf(&csrf)?;
        Ok(())
    }
    .await;
    let cleanup = |staged: &Option<(std::path::PathBuf, String)>| {
        if let Some((p, _)) = staged {
            let _ = std::fs::remove_file(p);
        }
    };
    if let Err(e) = result {
        cleanup(&staged);
        return Err(e.into());
    }
    let Some((path, file_name)) = staged else {
        return Err(ApiError::bad_request("no_file", "请选择要上传的文件", "Choose a file to upload").into());
    };
    let encoding = match encoding_from(Some(encoding.as_str())) {
        Ok(e) => e,
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(e.into());
        }
    };
    let file = LoadFile { path, staged: true, file_name, format: None, encoding, source: "upload" };
    let loaded = crate::data::load(state.store(), state.data_files(), &ctx.actor(), &entry, file, None).await?;
    saved(&format!("/console/catalog/{id}/data/{}", loaded.version.version))
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionForm {
    #[serde(default)]
    pub csrf: String,
    pub version: i64,
    pub key: String,
    pub item: String,
    #[serde(default)]
    pub description: String,
}

/// The console's error report on a record (AGG-4).
pub async fn report_correction(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    crate::error::Form(f): crate::error::Form<CorrectionForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let input = crate::corrections::CorrectionInput {
        version: f.version,
        key: f.key,
        item: f.item,
        description: f.description,
    };
    crate::corrections::report(&state, &ctx, id, &input).await?;
    saved(&format!("/console/catalog/{id}/data/{}", input.version))
}

/// A version's quality report.
pub async fn report(
    state: AppStateExt,
    ctx: Ctx,
    Path((id, version)): Path<(i64, i64)>,
    crate::error::Query(n): crate::error::Query<super::Notice>,
) -> PageResult {
    let entry = state.store().entry(id).await?.ok_or_else(|| ApiError::not_found("目录", "Catalog entry"))?;
    let v = state
        .store()
        .data_version(id, version)
        .await?
        .ok_or_else(|| ApiError::not_found("数据版本", "Data version"))?;
    let at = cst(v.created_at);
    let view = view(v);
    let items: Vec<minijinja::Value> = view.quality["items"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(name, r)| {
                    let rules: Vec<String> = r["violations"]
                        .as_object()
                        .map(|v| v.iter().map(|(k, n)| format!("{k} {n}")).collect())
                        .unwrap_or_default();
                    context! {
                        name, t => r["type"].as_str(), required => r["required"].as_bool(),
                        completeness => format!("{:.1}", r["completeness"].as_f64().unwrap_or(0.0) * 100.0),
                        validity => format!("{:.1}", r["validity"].as_f64().unwrap_or(0.0) * 100.0),
                        rules => rules.join("，"), distinct => r["distinct"].as_u64(), duplicates => r["duplicates"].as_u64(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let data = versions_for_page(&state, id).await?;
    let me = ctx.me()?;
    let own = me.user.org_id == Some(entry.provider_org_id);
    let names: Vec<String> = view.quality["items"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let corrections = state.store().corrections(Some(id), None).await?;
    render(
        &state,
        &ctx,
        "data_version.html",
        context! { entry, v => view, at, items, data, own, names, corrections, saved => n.saved.is_some() },
    )
}
