//! Organization import from CSV (`name,credit_code,kind,region_code,parent_credit_code`)
//! and the built-in region list. Every row is checked before anything is written, so
//! a file with one bad line changes nothing.

use gongshu_domain::org::NewOrg;
use gongshu_domain::region::{RegionCode, RegionLevel};
use gongshu_domain::{DomainError, Localized};
use gongshu_store::{Actor, Region, Store};
use serde::Serialize;

use crate::error::ApiError;
use crate::service::{self, OrgInput};

/// GB/T 2260 codes of the five source cities, with Weihai's functional zones.
const REGIONS_CSV: &str = include_str!("../assets/regions.csv");

/// Loads the built-in region tree (idempotent).
pub async fn load_regions(store: &Store) -> Result<usize, ApiError> {
    let mut n = 0;
    for line in REGIONS_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let Some((code, name)) = line.split_once(',') else { continue };
        let code = RegionCode::parse(code)?;
        let level = match code.level() {
            RegionLevel::Province => "province",
            RegionLevel::City => "city",
            RegionLevel::County => "county",
            RegionLevel::FunctionalZone => "functional_zone",
        };
        let parent_code = code.parent().map(|p| p.to_string());
        let region =
            Region { code: code.to_string(), name: name.trim().to_string(), level: level.to_string(), parent_code };
        store.upsert_region(&region).await?;
        n += 1;
    }
    Ok(n)
}

/// One bad line of an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    pub line: usize,
    pub code: String,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub created: usize,
    /// Rows whose credit code is already registered.
    pub skipped: usize,
}

#[derive(Debug, serde::Deserialize)]
struct Row {
    name: String,
    credit_code: String,
    kind: String,
    region_code: String,
    #[serde(default)]
    parent_credit_code: String,
}

/// Imports organizations; returns every bad line, or what was done.
pub async fn import_orgs(
    store: &Store,
    csv_text: &str,
    by: &Actor,
) -> Result<Result<ImportReport, Vec<LineError>>, ApiError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(csv_text.as_bytes());
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let known_regions: Vec<String> = store.regions().await?.into_iter().map(|r| r.code).collect();
    for (i, record) in reader.deserialize::<Row>().enumerate() {
        let line = i + 2;
        let row = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(LineError {
                    line,
                    code: "malformed_row".into(),
                    message: format!("第{line}行格式错误：{e}"),
                    message_en: format!("line {line} is malformed: {e}"),
                });
                continue;
            }
        };
        let credit = Some(row.credit_code.as_str()).filter(|c| !c.is_empty());
        match NewOrg::parse(&row.name, credit, &row.kind, &row.region_code) {
            Ok(org) if !known_regions.contains(&org.region.to_string()) => errors.push(LineError {
                line,
                code: "unknown_region".into(),
                message: format!("第{line}行：行政区划代码 {} 不在区划表中", org.region),
                message_en: format!("line {line}: region code {} is not in the region table", org.region),
            }),
            Ok(org) => rows.push((line, org, row.parent_credit_code)),
            Err(e) => errors.push(domain_line_error(line, &e)),
        }
    }
    // Parents must be registered already or appear on an earlier line.
    let mut seen: Vec<String> = Vec::new();
    for (line, org, parent) in &rows {
        if !parent.is_empty() && !seen.contains(parent) && store.org_by_credit_code(parent).await?.is_none() {
            errors.push(LineError {
                line: *line,
                code: "unknown_parent".into(),
                message: format!("第{line}行：上级机构 {parent} 未登记，也未在前面的行中出现"),
                message_en: format!("line {line}: parent {parent} is neither registered nor on an earlier line"),
            });
        }
        if let Some(c) = &org.credit_code {
            seen.push(c.to_string());
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Ok(Err(errors));
    }
    let mut report = ImportReport::default();
    for (_, org, parent) in rows {
        if let Some(code) = &org.credit_code
            && store.org_by_credit_code(code.as_str()).await?.is_some()
        {
            report.skipped += 1;
            continue;
        }
        let parent_id = match parent.as_str() {
            "" => None,
            p => store.org_by_credit_code(p).await?.map(|o| o.id),
        };
        let input = OrgInput {
            name: org.name,
            credit_code: org.credit_code.map(String::from),
            kind: org.kind.as_str().to_string(),
            region_code: org.region.to_string(),
            parent_id,
        };
        service::create_org(store, &input, by).await?;
        report.created += 1;
    }
    Ok(Ok(report))
}

fn domain_line_error(line: usize, e: &DomainError) -> LineError {
    LineError {
        line,
        code: e.code().into(),
        message: format!("第{line}行：{}", e.message_zh()),
        message_en: format!("line {line}: {}", e.message_en()),
    }
}
