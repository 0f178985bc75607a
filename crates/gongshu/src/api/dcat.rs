//! The open catalog as DCAT-AP 3.0 (OPN-1): `/catalog.ttl` and `/catalog.jsonld`. One
//! `dcat:Dataset` per dataset that `package_search` lists (the same snapshot), with a
//! distribution per download format when data is loaded. The documents are made by
//! `gongshu_open::dcat` and checked against the DCAT-AP 3.0.0 shapes in the tests.

use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use gongshu_data::export::ExportFormat;
use gongshu_open::dcat::{self, Agent, Catalog, Dataset, Distribution, Frequency};

use super::ckan::base_url;
use crate::app::{AppState, AppStateExt};
use crate::error::ApiError;
use crate::open::catalog::{OpenDataset, open_catalog, org_name};

fn time(micros: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
}

fn agent(base: &str, ds: &OpenDataset) -> Agent {
    match &ds.org {
        Some(o) => Agent {
            uri: format!("{base}/open/organizations/{}", org_name(o)),
            name: o.name.clone(),
            identifier: o.credit_code.clone(),
        },
        None => Agent {
            uri: format!("{base}/open/organizations/unknown"),
            name: ds.content.provider.name.clone(),
            identifier: None,
        },
    }
}

fn dataset(base: &str, catalog_uri: &str, ds: &OpenDataset) -> Dataset {
    let page = format!("{base}/open/datasets/{}", ds.name);
    let distributions = match &ds.version {
        Some(v) => ExportFormat::ALL
            .iter()
            .map(|f| {
                let url = format!("{base}/open/download/{}.{}", ds.name, f.ext());
                Distribution {
                    uri: format!("{page}#{}", f.ext()),
                    title: format!("{}（{}）", ds.entry.name, f.label()),
                    access_url: page.clone(),
                    download_url: Some(url),
                    media_type: f.media_type().to_string(),
                    format: f.label().to_string(),
                    byte_size: None,
                    modified: time(v.created_at),
                    license: Some(format!("{base}/open/license")),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    Dataset {
        uri: page.clone(),
        identifier: ds.name.clone(),
        title: ds.entry.name.clone(),
        description: ds.content.summary.clone(),
        publisher: agent(base, ds),
        keywords: ds.content.items.iter().map(|i| i.name.clone()).collect(),
        themes: vec![(dcat::theme_uri(catalog_uri, &ds.entry.category), ds.entry.category.clone())],
        issued: time(ds.entry.created_at),
        modified: time(ds.entry.updated_at),
        landing_page: Some(page),
        frequency: Frequency::from_cycle(&ds.entry.update_cycle),
        distributions,
    }
}

/// The DCAT-AP catalog of the datasets `package_search` lists.
pub async fn catalog(state: &AppState, headers: &HeaderMap) -> Result<Catalog, ApiError> {
    let snapshot = open_catalog(state).await?;
    let base = base_url(state, headers);
    let uri = format!("{base}/catalog");
    let datasets: Vec<Dataset> = snapshot.listed().map(|d| dataset(&base, &uri, d)).collect();
    let modified = snapshot.listed().map(|d| d.entry.updated_at).max().and_then(time);
    Ok(Catalog {
        title: "公共数据开放目录".into(),
        title_en: Some("Open public data catalog".into()),
        description: "本平台无条件开放的公共数据资源目录".into(),
        description_en: Some("The public data resources this platform opens without conditions".into()),
        homepage: Some(format!("{base}/open")),
        publisher: Agent {
            uri: format!("{base}/open/organizations/platform"),
            name: "公共数据平台".into(),
            identifier: None,
        },
        modified,
        datasets,
        uri,
    })
}

/// `GET /catalog.ttl`: the open catalog in Turtle.
#[utoipa::path(get, path = "/catalog.ttl", tag = "open", responses((status = 200, description = "DCAT-AP 3.0 in Turtle")))]
pub async fn turtle(state: AppStateExt, headers: HeaderMap) -> Result<Response, ApiError> {
    let c = catalog(&state, &headers).await?;
    Ok(([(header::CONTENT_TYPE, dcat::TURTLE_MEDIA_TYPE)], dcat::to_turtle(&c)).into_response())
}

/// `GET /catalog.jsonld`: the open catalog in JSON-LD.
#[utoipa::path(get, path = "/catalog.jsonld", tag = "open", responses((status = 200, description = "DCAT-AP 3.0 in JSON-LD")))]
pub async fn jsonld(state: AppStateExt, headers: HeaderMap) -> Result<Response, ApiError> {
    let c = catalog(&state, &headers).await?;
    Ok(([(header::CONTENT_TYPE, dcat::JSONLD_MEDIA_TYPE)], dcat::to_jsonld(&c).to_string()).into_response())
}
