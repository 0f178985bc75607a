//! The open data portal's pages (OPN-1, SUP-4): browse and search the open catalog
//! with filters, a dataset's page (metadata, items and their release rules, update
//! history, quality, a released preview, downloads, how to cite it), the licence, and
//! the public statistics with charts. No sign-in needed.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use gongshu_data::export::ExportFormat;
use gongshu_data::release::Release;
use minijinja::context;
use serde::Deserialize;

use super::charts::bars;
use super::{PageResult, render};
use crate::api::ckan::search::{Key, facet, find};
use crate::api::ckan::{base_url, group_name};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Path, Query};
use crate::open::catalog::open_catalog;
use gongshu_open::solr::{Clause, Parsed, Value as Q};

const PAGE: usize = 20;

#[derive(Debug, Default, Deserialize)]
pub struct BrowseParams {
    pub q: Option<String>,
    /// Provider (organization name).
    pub org: Option<String>,
    /// Topic (group name).
    pub group: Option<String>,
    pub format: Option<String>,
    pub cycle: Option<String>,
    pub page: Option<usize>,
}

fn clause(field: &str, v: &Option<String>) -> Option<Clause> {
    v.as_ref().filter(|v| !v.is_empty()).map(|v| Clause {
        field: field.into(),
        value: Q::Is(v.clone()),
        negated: false,
    })
}

/// `/open`: the open catalog, searched and filtered.
pub async fn browse(state: AppStateExt, ctx: Ctx, Query(p): Query<BrowseParams>) -> PageResult {
    let catalog = open_catalog(&state).await?;
    let words: Vec<String> = p.q.as_deref().unwrap_or_default().split_whitespace().map(String::from).collect();
    let clauses = [
        clause("organization", &p.org),
        clause("groups", &p.group),
        clause("format", &p.format),
        clause("update_cycle", &p.cycle),
    ]
    .into_iter()
    .flatten()
    .collect();
    let sort = if words.is_empty() { vec![(Key::Modified, true)] } else { vec![(Key::Score, true)] };
    let found = find(&state, &catalog, &Parsed { clauses, words }, &sort).await?;
    let pairs: Vec<(&str, String)> =
        [("q", &p.q), ("org", &p.org), ("group", &p.group), ("format", &p.format), ("cycle", &p.cycle)]
            .into_iter()
            .filter_map(|(k, v)| v.clone().filter(|v| !v.is_empty()).map(|v| (k, v)))
            .collect();
    let link = |extra: &[(&str, String)]| -> String {
        let mut all: Vec<(&str, String)> =
            pairs.iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).cloned().collect();
        all.extend(extra.iter().cloned());
        let qs: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(all).finish();
        format!("/open?{qs}")
    };
    let facets: Vec<minijinja::Value> =
        [("organization", "org"), ("groups", "group"), ("format", "format"), ("update_cycle", "cycle")]
            .iter()
            .map(|(field, param)| {
                let items: Vec<minijinja::Value> = facet(&found, field, 1, 15)
                    .into_iter()
                    .map(|(name, title, count)| {
                        let label = if *field == "update_cycle" { cycle_label(&name, ctx.lang) } else { title };
                        context! { label, count, href => link(&[(param, name)]) }
                    })
                    .collect();
                context! { key => field, items }
            })
            .collect();
    let page = p.page.unwrap_or(1).max(1);
    let hits: Vec<minijinja::Value> = found
        .iter()
        .skip((page - 1) * PAGE)
        .take(PAGE)
        .map(|d| {
            context! {
                name => d.name, title => d.entry.name, summary => d.content.summary,
                provider => d.org.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
                category => d.entry.category, updated => d.entry.updated_at,
                has_data => d.version.is_some(), cycle => cycle_label(&d.entry.update_cycle, ctx.lang),
            }
        })
        .collect();
    let next = (page * PAGE < found.len()).then(|| link(&[("page", (page + 1).to_string())]));
    let prev = (page > 1).then(|| link(&[("page", (page - 1).to_string())]));
    render(
        &state,
        &ctx,
        "open_browse.html",
        context! { q => p.q, total => found.len(), hits, facets, next, prev, filtered => !pairs.is_empty() },
    )
}

fn cycle_label(code: &str, lang: crate::i18n::Lang) -> String {
    match gongshu_domain::catalog::UpdateCycle::parse(code) {
        Ok(c) => lang.pick(c.label_zh(), c.label_en()).to_string(),
        Err(_) => code.to_string(),
    }
}

fn rule_key(r: &Release) -> &'static str {
    match r {
        Release::Keep => "open.release.keep",
        Release::Mask => "open.release.mask",
        Release::Pseudonymize => "open.release.pseudonymize",
        Release::Generalize(_) => "open.release.generalize",
        Release::Suppress => "open.release.suppress",
    }
}

/// `/open/datasets/{name}`: one open dataset. A suspended one keeps its page, without
/// preview or downloads, and says why.
pub async fn dataset(state: AppStateExt, ctx: Ctx, headers: HeaderMap, Path(name): Path<String>) -> PageResult {
    let catalog = open_catalog(&state).await?;
    let ds = catalog.get(&name).ok_or_else(|| ApiError::not_found("开放数据", "Open dataset"))?;
    let base = base_url(&state, &headers);
    let items: Vec<minijinja::Value> = ds
        .plan
        .items
        .iter()
        .zip(&ds.content.items)
        .map(|(rule, item)| {
            context! {
                name => rule.name, description => item.description, data_type => item.data_type.to_string(),
                rule => rule_key(&rule.rule),
            }
        })
        .collect();
    let served = ds.suspended.is_none();
    let history: Vec<minijinja::Value> = state
        .store()
        .data_versions(ds.entry.id)
        .await?
        .iter()
        .rev()
        .take(12)
        .map(|v| context! { version => v.version, at => v.created_at, records => v.rows_valid, total => v.rows_total })
        .collect();
    let quality = ds.version.as_ref().and_then(|v| {
        let report: serde_json::Value = serde_json::from_str(&v.report).ok()?;
        let items = report.get("items")?.as_object()?;
        let n = items.len().max(1) as f64;
        let mean = |k: &str| items.values().filter_map(|i| i.get(k)?.as_f64()).sum::<f64>() * 100.0 / n;
        let (completeness, validity) = (mean("completeness"), mean("validity"));
        let valid = if v.rows_total == 0 { 0.0 } else { v.rows_valid as f64 * 100.0 / v.rows_total as f64 };
        Some(context! {
            valid => format!("{valid:.1}"),
            completeness => format!("{completeness:.1}"), validity => format!("{validity:.1}"),
        })
    });
    let preview = match (served, &ds.version) {
        (true, Some(_)) => {
            let (columns, rows) = crate::open::release::preview(&state, ds, 10).await?;
            Some(context! { columns, rows })
        }
        _ => None,
    };
    let downloads: Vec<minijinja::Value> = if served && ds.version.is_some() {
        ExportFormat::ALL
            .iter()
            .map(|f| context! { label => f.label(), href => format!("/open/download/{}.{}", ds.name, f.ext()) })
            .collect()
    } else {
        Vec::new()
    };
    let provider = ds.org.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| ds.content.provider.name.clone());
    let version_day = ds
        .version
        .as_ref()
        .map(|v| gongshu_domain::time::format_cst(v.created_at).chars().take(10).collect::<String>());
    let url = format!("{base}/open/datasets/{}", ds.name);
    let cite = format!(
        "{provider}. {}[DS/OL]. 版本 {}（{}）. {url}",
        ds.entry.name,
        ds.version.as_ref().map(|v| v.version).unwrap_or_default(),
        version_day.unwrap_or_default()
    );
    render(
        &state,
        &ctx,
        "open_dataset.html",
        context! {
            ds => context! {
                name => ds.name, title => ds.entry.name, code => ds.entry.code, summary => ds.content.summary,
                category => ds.entry.category, group => group_name(&ds.entry.category),
                cycle => cycle_label(&ds.entry.update_cycle, ctx.lang), format => ds.content.format.to_string(),
                published => ds.content.published_on.map(|d| d.to_string()), updated => ds.entry.updated_at,
                org => ds.org_name(), entry_id => ds.entry.id,
            },
            provider, items, history, quality, preview, downloads, cite, suspended => ds.suspended,
            api => format!("{base}/api/3/action/datastore_search?resource_id={}.csv&limit=5", ds.name),
        },
    )
}

/// `/open/license`: the terms of use of open data.
pub async fn license(state: AppStateExt, ctx: Ctx) -> PageResult {
    render(&state, &ctx, "open_license.html", context! {})
}

/// `/open/stats`: what is open and how much it is used (SUP-4), by provider and topic.
pub async fn stats(state: AppStateExt, ctx: Ctx) -> PageResult {
    let catalog = open_catalog(&state).await?;
    let downloads: BTreeMap<i64, i64> =
        state.store().download_counts().await?.iter().fold(BTreeMap::new(), |mut m, c| {
            *m.entry(c.entry_id).or_default() += c.downloads;
            m
        });
    #[derive(Default, Clone)]
    struct Row {
        datasets: i64,
        records: i64,
        downloads: i64,
    }
    let mut by_provider: BTreeMap<String, Row> = BTreeMap::new();
    let mut by_topic: BTreeMap<String, Row> = BTreeMap::new();
    let mut total = Row::default();
    for d in catalog.listed() {
        let provider = d.org.as_ref().map(|o| o.name.clone()).unwrap_or_default();
        let topic = d.entry.category.split('/').next().unwrap_or_default().to_string();
        let records = d.version.as_ref().map(|v| v.rows_valid).unwrap_or_default();
        let n = downloads.get(&d.entry.id).copied().unwrap_or_default();
        for row in [by_provider.entry(provider).or_default(), by_topic.entry(topic).or_default(), &mut total] {
            row.datasets += 1;
            row.records += records;
            row.downloads += n;
        }
    }
    let table = |m: &BTreeMap<String, Row>| -> Vec<minijinja::Value> {
        m.iter()
            .map(
                |(k, r)| context! { name => k, datasets => r.datasets, records => r.records, downloads => r.downloads },
            )
            .collect()
    };
    let lang = ctx.lang;
    let t = |k: &str| crate::i18n::text(lang, k);
    let series = |m: &BTreeMap<String, Row>, f: fn(&Row) -> i64| -> Vec<(String, f64)> {
        m.iter().map(|(k, r)| (k.clone(), f(r) as f64)).collect()
    };
    let charts = vec![
        bars(
            &format!("{}（{}）", t("open.stats.datasets"), t("open.stats.by_provider")),
            &series(&by_provider, |r| r.datasets),
        ),
        bars(
            &format!("{}（{}）", t("open.stats.downloads"), t("open.stats.by_provider")),
            &series(&by_provider, |r| r.downloads),
        ),
        bars(
            &format!("{}（{}）", t("open.stats.datasets"), t("open.stats.by_topic")),
            &series(&by_topic, |r| r.datasets),
        ),
        bars(
            &format!("{}（{}）", t("open.stats.records"), t("open.stats.by_topic")),
            &series(&by_topic, |r| r.records),
        ),
    ];
    render(
        &state,
        &ctx,
        "open_stats.html",
        context! {
            datasets => total.datasets, records => total.records, downloads => total.downloads,
            providers => by_provider.len(), charts, by_provider => table(&by_provider), by_topic => table(&by_topic),
        },
    )
}
