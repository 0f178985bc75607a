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
use gongshu_domain::catalog::{
    Grade, NewEntry, OpenType, RowError, ShareType, TEMPLATE_COLUMNS, TemplateRow, entries_from_rows,
};
use gongshu_store::{Actor, ImportItem, NewClock, Store};
use serde::Serialize;

use crate::catalog::{self, record};
use crate::error::ApiError;
use crate::regulation::Regulation;

/// Entries written per transaction (all of them with `--all-or-nothing`).
const IMPORT_BATCH: usize = 500;

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

/// A sheet: its header and its rows of text cells.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

fn unreadable(what: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(
        "unreadable_file",
        format!("无法读取文件：{what}"),
        format!("The file cannot be read: {what}"),
    )
}

/// Reads CSV text (UTF-8, header row first).
pub fn table_from_csv(text: &str) -> Result<Table, ApiError> {
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().map_err(unreadable)?.iter().map(|h| h.trim().to_string()).collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(record.map_err(unreadable)?.iter().map(str::to_string).collect());
    }
    Ok(Table { header, rows })
}

/// Reads the first sheet of an XLSX workbook. Numbers come back as written (18, not
/// 18.0) and dates as YYYY-MM-DD.
pub fn table_from_xlsx(bytes: &[u8]) -> Result<Table, ApiError> {
    use calamine::{Data, Reader};
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).map_err(unreadable)?;
    let Some(Ok(range)) = book.worksheet_range_at(0) else {
        return Err(unreadable("no worksheet"));
    };
    let text = |d: &Data| match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => {
            if *b {
                "是".into()
            } else {
                "否".into()
            }
        }
        Data::DateTime(dt) => excel_date(dt.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
        Data::Error(e) => format!("#{e:?}"),
    };
    let mut rows = range.rows().map(|r| r.iter().map(text).collect::<Vec<String>>());
    let header = rows.next().unwrap_or_default().into_iter().map(|h| h.trim().to_string()).collect();
    Ok(Table { header, rows: rows.collect() })
}

/// An Excel serial date (days since 1899-12-30, the usual epoch) as YYYY-MM-DD.
fn excel_date(serial: f64) -> String {
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30);
    match epoch.and_then(|e| e.checked_add_signed(chrono::Duration::days(serial.floor() as i64))) {
        Some(d) => d.to_string(),
        None => serial.to_string(),
    }
}

/// The template rows of a sheet and its extension cells.
fn template_rows(table: &Table) -> Result<(Vec<TemplateRow>, Vec<Extra>), ApiError> {
    let missing: Vec<&str> =
        TEMPLATE_COLUMNS.iter().copied().filter(|c| !table.header.iter().any(|h| h == c)).collect();
    if !missing.is_empty() {
        return Err(ApiError::bad_request(
            "template_columns_missing",
            format!("缺少模板列：{}", missing.join("、")),
            format!("Template columns missing: {}", missing.join(", ")),
        ));
    }
    let index = |name: &str| table.header.iter().position(|h| h == name);
    let mut rows = Vec::new();
    let mut extras = Vec::new();
    for (i, record) in table.rows.iter().enumerate() {
        let row = i + 2;
        let cell =
            |name: &str| index(name).and_then(|j| record.get(j)).map(|c| c.trim().to_string()).unwrap_or_default();
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
pub async fn import_csv(
    store: &Store,
    regulation: &Regulation,
    by: &Actor,
    text: &str,
    opts: ImportOptions,
) -> Result<ImportReport, ApiError> {
    import_table(store, regulation, by, &table_from_csv(text)?, opts).await
}

/// Imports a file: XLSX when it starts like a zip archive, else UTF-8 CSV.
pub async fn import_bytes(
    store: &Store,
    regulation: &Regulation,
    by: &Actor,
    bytes: &[u8],
    opts: ImportOptions,
) -> Result<ImportReport, ApiError> {
    let table = if bytes.starts_with(b"PK") {
        table_from_xlsx(bytes)?
    } else {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| ApiError::bad_request("not_utf8", "CSV 文件须为 UTF-8 编码", "A CSV file must be UTF-8"))?;
        table_from_csv(text)?
    };
    import_table(store, regulation, by, &table, opts).await
}

/// Imports a sheet of the template.
pub async fn import_table(
    store: &Store,
    regulation: &Regulation,
    by: &Actor,
    table: &Table,
    opts: ImportOptions,
) -> Result<ImportReport, ApiError> {
    let (rows, extras) = template_rows(table)?;
    let (mut entries, row_errors) = entries_from_rows(&rows);
    let mut errors: Vec<ImportProblem> = row_errors.into_iter().map(from_row_error).collect();
    errors.extend(apply_extras(&mut entries, &extras));
    let first_row: HashMap<String, usize> = extras.iter().rev().map(|x| (x.code.clone(), x.row)).collect();
    let rejected_codes: std::collections::HashSet<String> =
        extras.iter().filter(|x| errors.iter().any(|e| e.row == x.row)).map(|x| x.code.clone()).collect();
    // Two queries for the whole sheet: the codes already taken, and the registered
    // organizations by credit code (the cached list).
    let codes: Vec<String> = entries.iter().map(|e| e.code.to_string()).collect();
    let taken: std::collections::HashSet<String> = store.existing_codes(&codes).await?.into_iter().collect();
    let orgs: HashMap<String, i64> =
        store.orgs().await?.iter().filter_map(|o| Some((o.credit_code.clone()?, o.id))).collect();
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
        if taken.contains(&code) {
            own.push(problem(
                row,
                "信息资源代码",
                "duplicate_resource_code",
                format!("信息资源代码 {code} 已在目录中"),
                format!("Resource code {code} is already in the catalog"),
            ));
        }
        let org = orgs.get(entry.provider.code.as_str()).copied();
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
            (true, Some(org)) => ready.push((entry, org)),
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
    // A published conditional entry starts its re-evaluation clock (CAT-6); the due date
    // is the same for the whole import, only the holder differs.
    let reevaluation = if opts.publish { Some(catalog::reevaluation_clock(regulation, store, 0).await?) } else { None };
    let mut items = Vec::with_capacity(ready.len());
    for (entry, org_id) in &ready {
        let conditional =
            entry.share.share_type == ShareType::Conditional || entry.open.open_type == OpenType::Conditional;
        items.push(ImportItem {
            record: record(entry, *org_id)?,
            reevaluation: reevaluation
                .as_ref()
                .filter(|_| conditional)
                .map(|c| NewClock { holder_org_id: Some(*org_id), ..c.clone() }),
        });
    }
    // Batches keep each transaction short, so other writers are not held up for long.
    let batch_size = if opts.all_or_nothing { items.len().max(1) } else { IMPORT_BATCH };
    for batch in items.chunks(batch_size) {
        store.import_entries(batch, opts.publish, by).await?;
    }
    report.written = true;
    Ok(report)
}

/// The published catalog as template rows with the level columns, for export.
pub async fn export_table(store: &Store) -> Result<Table, ApiError> {
    use gongshu_domain::catalog::rows_from_entry;
    let mut header: Vec<String> = TEMPLATE_COLUMNS.iter().map(|c| c.to_string()).collect();
    header.extend(EXTRA_COLUMNS.iter().map(|c| c.to_string()));
    let filter = gongshu_store::EntryFilter { state: Some("published".into()), limit: 100_000, ..Default::default() };
    let mut rows = Vec::new();
    for e in store.entries(&filter).await? {
        let versions = store.entry_versions(e.id).await?;
        let Some(v) = versions.iter().find(|v| Some(v.version) == e.published_version) else { continue };
        let entry = catalog::content(v)?;
        let grade = match entry.grade {
            Some(Grade::Core) => "核心",
            Some(Grade::Important) => "重要",
            Some(_) => "一般",
            None => "",
        };
        for (row, item) in
            rows_from_entry(&entry).iter().zip(entry.items.iter().map(Some).chain(std::iter::repeat(None)))
        {
            let mut cells: Vec<String> = row.cells().iter().map(|c| c.to_string()).collect();
            let level =
                item.and_then(|i| i.grade).and_then(|g| g.general_level()).map(|l| l.to_string()).unwrap_or_default();
            let key = if item.is_some_and(|i| i.key_identifier) { "是" } else { "否" };
            cells.extend([level, grade.to_string(), key.to_string()]);
            rows.push(cells);
        }
    }
    Ok(Table { header, rows })
}

pub fn table_to_csv(t: &Table) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&t.header).map_err(|_| ApiError::internal())?;
    for r in &t.rows {
        w.write_record(r).map_err(|_| ApiError::internal())?;
    }
    w.into_inner().map_err(|_| ApiError::internal())
}

/// The same sheet as an XLSX workbook (formulas are never written: every cell is text).
pub fn table_to_xlsx(t: &Table) -> Result<Vec<u8>, ApiError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let fail = |e: rust_xlsxwriter::XlsxError| {
        tracing::error!(error = %e, "xlsx export failed");
        ApiError::internal()
    };
    for (c, h) in t.header.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, &bold).map_err(fail)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string((r + 1) as u32, c as u16, v).map_err(fail)?;
        }
    }
    book.save_to_buffer().map_err(fail)
}
