//! Catalog import from the national compilation guide's spreadsheet template (CSV here;
//! XLSX is read into the same rows): one row per data item, rows with the same code form
//! one entry. After the guide's 18 columns, three optional columns carry what the
//! template cannot: 安全级别 (item level 1–4), 重要程度 (entry: 核心/重要/一般) and
//! 是否关键标识 (是/否). Without them, imported entries are ungraded drafts.
//!
//! Every problem is reported by row and column. Rejected entries never stop the good
//! ones, unless `all_or_nothing`; a dry run changes nothing.

use std::collections::HashMap;

use gongshu_domain::Localized;
use gongshu_domain::catalog::{Grade, NewEntry, RowError, TEMPLATE_COLUMNS, TemplateRow, entries_from_rows};
use gongshu_store::{Actor, Store};
use serde::Serialize;

use crate::catalog::{self, record};
use crate::error::ApiError;

/// The extension columns, after the guide's 18.
pub const EXTRA_COLUMNS: [&str; 3] = ["安全级别", "重要程度", "是否关键标识"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    pub row: usize,
    pub column: String,
    pub code: String,
    pub message: String,
    pub message_en: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub entries_ok: usize,
    pub entries_rejected: usize,
    pub errors: Vec<ImportProblem>,
    /// Whether anything was written (false for a dry run, or all-or-nothing with errors).
    pub written: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportOptions {
    pub dry_run: bool,
    pub all_or_nothing: bool,
    /// Publish at once (a city loading its already-approved catalog); otherwise drafts.
    pub publish: bool,
}

struct Extra {
    row: usize,
    code: String,
    item: String,
    level: String,
    grade: String,
    key: String,
}

fn problem(row: usize, column: &str, code: &str, zh: String, en: String) -> ImportProblem {
    ImportProblem { row, column: column.to_string(), code: code.to_string(), message: zh, message_en: en }
}

fn from_row_error(e: RowError) -> ImportProblem {
    problem(e.row, e.column, e.code, e.message_zh, e.message_en)
}

/// Reads CSV text (UTF-8, header row first) into template rows and extension cells.
fn read_csv(text: &str) -> Result<(Vec<TemplateRow>, Vec<Extra>), ApiError> {
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            ApiError::bad_request(
                "unreadable_csv",
                format!("无法读取表头：{e}"),
                format!("The header cannot be read: {e}"),
            )
        })?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let missing: Vec<&str> = TEMPLATE_COLUMNS.iter().copied().filter(|c| !header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return Err(ApiError::bad_request(
            "template_columns_missing",
            format!("缺少模板列：{}", missing.join("、")),
            format!("Template columns missing: {}", missing.join(", ")),
        ));
    }
    let index = |name: &str| header.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut extras = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| {
            ApiError::bad_request(
                "unreadable_csv",
                format!("第{row}行无法读取：{e}"),
                format!("Row {row} cannot be read: {e}"),
            )
        })?;
        let cell = |name: &str| index(name).and_then(|j| record.get(j)).unwrap_or("").trim().to_string();
        let cells: [String; 18] = TEMPLATE_COLUMNS.map(cell);
        extras.push(Extra {
            row,
            code: cell("信息资源代码"),
            item: cell("信息项名称"),
            level: cell(EXTRA_COLUMNS[0]),
            grade: cell(EXTRA_COLUMNS[1]),
            key: cell(EXTRA_COLUMNS[2]),
        });
        rows.push(TemplateRow::from_cells(row, cells));
    }
    Ok((rows, extras))
}

/// Applies the extension columns to parsed entries; returns problems by row.
fn apply_extras(entries: &mut [NewEntry], extras: &[Extra]) -> Vec<ImportProblem> {
    let mut problems = Vec::new();
    let by_code: HashMap<&str, Vec<&Extra>> = extras.iter().fold(HashMap::new(), |mut m, e| {
        m.entry(e.code.as_str()).or_default().push(e);
        m
    });
    for entry in entries.iter_mut() {
        let Some(rows) = by_code.get(entry.code.as_str()) else { continue };
        for x in rows {
            let Some(item) = entry.items.iter_mut().find(|i| i.name == x.item) else { continue };
            item.grade = match x.level.as_str() {
                "" => None,
                "1" => Some(Grade::General1),
                "2" => Some(Grade::General2),
                "3" => Some(Grade::General3),
                "4" => Some(Grade::General4),
                other => {
                    problems.push(problem(
                        x.row,
                        EXTRA_COLUMNS[0],
                        "invalid_level",
                        format!("安全级别“{other}”无效，应为1–4"),
                        format!("Level {other:?} is not 1–4"),
                    ));
                    None
                }
            };
            item.key_identifier = match x.key.as_str() {
                "是" => true,
                "否" | "" => false,
                other => {
                    problems.push(problem(
                        x.row,
                        EXTRA_COLUMNS[2],
                        "invalid_flag",
                        format!("“{other}”应为 是 或 否"),
                        format!("{other:?} must be 是 or 否"),
                    ));
                    false
                }
            };
        }
        let first = rows[0];
        let highest_item = entry.minimum_grade();
        entry.grade = match first.grade.as_str() {
            "" => highest_item,
            "一般" => highest_item.or(Some(Grade::General1)),
            "重要" => Some(Grade::Important),
            "核心" => Some(Grade::Core),
            other => {
                problems.push(problem(
                    first.row,
                    EXTRA_COLUMNS[1],
                    "invalid_grade",
                    format!("重要程度“{other}”无效，应为 核心、重要 或 一般"),
                    format!("Grade {other:?} must be 核心, 重要 or 一般"),
                ));
                None
            }
        };
    }
    problems
}

/// Imports a template CSV.
pub async fn import_csv(store: &Store, by: &Actor, text: &str, opts: ImportOptions) -> Result<ImportReport, ApiError> {
    let (rows, extras) = read_csv(text)?;
    let (mut entries, row_errors) = entries_from_rows(&rows);
    let mut errors: Vec<ImportProblem> = row_errors.into_iter().map(from_row_error).collect();
    errors.extend(apply_extras(&mut entries, &extras));
    let first_row: HashMap<String, usize> = extras.iter().rev().map(|x| (x.code.clone(), x.row)).collect();
    let rejected_codes: std::collections::HashSet<String> =
        extras.iter().filter(|x| errors.iter().any(|e| e.row == x.row)).map(|x| x.code.clone()).collect();
    let mut ready = Vec::new();
    for entry in entries {
        let code = entry.code.to_string();
        let row = first_row.get(&code).copied().unwrap_or(0);
        if rejected_codes.contains(&code) {
            continue;
        }
        let mut own = Vec::new();
        if let Err(problems) = entry.validate() {
            for p in problems {
                let column = p.field().map(|f| f.column().to_string()).unwrap_or_default();
                own.push(problem(row, &column, p.code(), p.message_zh(), p.message_en()));
            }
        }
        if store.entry_by_code(&code).await?.is_some() {
            own.push(problem(
                row,
                "信息资源代码",
                "duplicate_resource_code",
                format!("信息资源代码 {code} 已在目录中"),
                format!("Resource code {code} is already in the catalog"),
            ));
        }
        let org = store.org_by_credit_code(entry.provider.code.as_str()).await?;
        if org.is_none() {
            own.push(problem(
                row,
                "信息资源提供方代码",
                "unknown_provider",
                "信息资源提供方代码不是已登记机构的统一社会信用代码".into(),
                "The provider code is not the credit code of a registered organization".into(),
            ));
        }
        match (own.is_empty(), org) {
            (true, Some(org)) => ready.push((entry, org.id)),
            _ => errors.extend(own),
        }
    }
    let rejected_entries = {
        let mut codes: Vec<String> =
            errors.iter().filter_map(|e| extras.iter().find(|x| x.row == e.row).map(|x| x.code.clone())).collect();
        codes.sort();
        codes.dedup();
        codes.len()
    };
    errors.sort_by_key(|e| e.row);
    let mut report =
        ImportReport { entries_ok: ready.len(), entries_rejected: rejected_entries, errors, written: false };
    if opts.dry_run || (opts.all_or_nothing && !report.errors.is_empty()) {
        return Ok(report);
    }
    for (entry, org_id) in &ready {
        let rec = record(entry, *org_id)?;
        if opts.publish {
            store.import_published_entry(&rec, by).await?;
        } else {
            catalog::create(store, None, by, entry).await?;
        }
    }
    report.written = true;
    Ok(report)
}
