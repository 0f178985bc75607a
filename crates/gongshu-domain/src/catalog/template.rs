//! Rows of the national compilation guide's spreadsheet template, both ways (pure part:
//! reading the xlsx file is the data crate's job).
//!
//! The template has one row per data item; rows with the same 信息资源代码 form one
//! entry and must agree on every entry-level column. A resource without data items is
//! one row with the three item cells empty.
//!
//! The guide's 18 columns have no room for a few of the platform's fields, so:
//! - 共享条件 holds the conditions of conditional sharing, or the legal basis of 不予共享;
//!   further parts go on their own lines labelled `理由：`, `依据：` (and `条件：` for 不予共享).
//! - 开放条件 holds the conditions of conditional opening (是 with conditions; 是 without
//!   them is unconditional) or, for 否, the legal basis; further parts are labelled lines
//!   `依据：` (or `条件：` for 否).
//! - Item descriptions, key-identifier flags and all grades are not in the template: an
//!   import leaves them empty, `false` and ungraded, for the form to complete before review.
//!
//! With that, [`rows_from_entry`] then [`entries_from_rows`] gives back the same valid
//! entry, and rows written in the canonical form read back and export unchanged.

use serde::{Deserialize, Serialize};

use super::entry::{DataItem, NewEntry, Provider};
use super::error::{CatalogError, ItemRef};
use super::field::Field;
use super::metadata::{Category, DataLength, Format, ResourceCode, parse_provider_code};
use super::vocab::{DataType, OpenType, ShareMethod, ShareType, UpdateCycle};
use crate::Localized;

mod cells;

use cells::{open_cell, open_from_cells, parse_date, share_cell, share_from_cells};

/// The template's columns, in order.
pub const TEMPLATE_COLUMNS: [&str; 18] = [
    "信息资源分类",
    "信息资源名称",
    "信息资源代码",
    "信息资源提供方",
    "信息资源提供方代码",
    "信息资源摘要",
    "信息资源格式",
    "信息项名称",
    "数据类型",
    "数据长度",
    "共享类型",
    "共享条件",
    "共享方式",
    "是否向社会开放",
    "开放条件",
    "更新周期",
    "发布日期",
    "关联资源代码",
];

const CODE_COLUMN: usize = 2;
const ITEM_COLUMNS: [usize; 3] = [7, 8, 9];
const RELATED_COLUMN: usize = 17;

/// One row of the template: its 18 cells as text and its 1-based row number in the sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateRow {
    pub row: usize,
    pub category: String,
    pub name: String,
    pub code: String,
    pub provider: String,
    pub provider_code: String,
    pub summary: String,
    pub format: String,
    pub item_name: String,
    pub data_type: String,
    pub data_length: String,
    pub share_type: String,
    pub share_condition: String,
    pub share_method: String,
    pub open_to_public: String,
    pub open_condition: String,
    pub update_cycle: String,
    pub published_on: String,
    pub related_codes: String,
}

impl TemplateRow {
    /// The cells in the order of [`TEMPLATE_COLUMNS`].
    pub fn cells(&self) -> [&str; 18] {
        [
            &self.category,
            &self.name,
            &self.code,
            &self.provider,
            &self.provider_code,
            &self.summary,
            &self.format,
            &self.item_name,
            &self.data_type,
            &self.data_length,
            &self.share_type,
            &self.share_condition,
            &self.share_method,
            &self.open_to_public,
            &self.open_condition,
            &self.update_cycle,
            &self.published_on,
            &self.related_codes,
        ]
    }

    /// A row from cells in the order of [`TEMPLATE_COLUMNS`].
    pub fn from_cells(row: usize, cells: [String; 18]) -> Self {
        let [
            category,
            name,
            code,
            provider,
            provider_code,
            summary,
            format,
            item_name,
            data_type,
            data_length,
            share_type,
            share_condition,
            share_method,
            open_to_public,
            open_condition,
            update_cycle,
            published_on,
            related_codes,
        ] = cells;
        TemplateRow {
            row,
            category,
            name,
            code,
            provider,
            provider_code,
            summary,
            format,
            item_name,
            data_type,
            data_length,
            share_type,
            share_condition,
            share_method,
            open_to_public,
            open_condition,
            update_cycle,
            published_on,
            related_codes,
        }
    }
}

/// A problem in one cell of the template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: usize,
    /// The Chinese column header.
    pub column: &'static str,
    pub code: &'static str,
    pub message_zh: String,
    pub message_en: String,
}

impl RowError {
    fn new(row: usize, column: &'static str, error: &CatalogError) -> Self {
        RowError { row, column, code: error.code(), message_zh: error.message_zh(), message_en: error.message_en() }
    }
}

/// Reads entries from template rows. Rows with the same code form one entry; an entry
/// with any problem is left out as a whole and each of its rows is reported (rows
/// without a problem of their own with `template_entry_rejected`); the other entries go
/// through. Entirely blank rows are skipped. Each entry is checked with
/// [`NewEntry::validate`].
pub fn entries_from_rows(rows: &[TemplateRow]) -> (Vec<NewEntry>, Vec<RowError>) {
    let mut errors = Vec::new();
    let mut groups: Vec<(&str, Vec<&TemplateRow>)> = Vec::new();
    for row in rows.iter().filter(|r| r.cells().iter().any(|c| !c.trim().is_empty())) {
        let code = row.code.trim();
        if code.is_empty() {
            let missing = CatalogError::Missing { field: Field::Code, item: None };
            errors.push(RowError::new(row.row, TEMPLATE_COLUMNS[CODE_COLUMN], &missing));
        } else if let Some((_, group)) = groups.iter_mut().find(|(c, _)| *c == code) {
            group.push(row);
        } else {
            groups.push((code, vec![row]));
        }
    }
    let mut entries = Vec::new();
    for (_, group) in groups {
        match entry_from_group(&group) {
            Ok(entry) => entries.push(entry),
            Err(mut problems) => errors.append(&mut problems),
        }
    }
    errors.sort_by_key(|e| e.row);
    (entries, errors)
}

/// Collects the problems of one group of rows.
struct Collector(Vec<RowError>);

impl Collector {
    fn cell<T>(&mut self, row: usize, column: usize, result: Result<T, CatalogError>) -> Option<T> {
        result.map_err(|e| self.0.push(RowError::new(row, TEMPLATE_COLUMNS[column], &e))).ok()
    }

    fn required<'a>(&mut self, row: usize, column: usize, cell: &'a str, field: Field) -> Option<&'a str> {
        let cell = cell.trim();
        let result = if cell.is_empty() { Err(CatalogError::Missing { field, item: None }) } else { Ok(cell) };
        self.cell(row, column, result)
    }
}

fn entry_from_group(group: &[&TemplateRow]) -> Result<NewEntry, Vec<RowError>> {
    let Some((first, rest)) = group.split_first() else { return Err(Vec::new()) };
    let mut c = Collector(Vec::new());
    let first_cells = first.cells();
    for row in rest {
        for (column, cell) in row.cells().iter().enumerate() {
            if !ITEM_COLUMNS.contains(&column) && cell.trim() != first_cells[column].trim() {
                let e = CatalogError::TemplateCellMismatch { column: TEMPLATE_COLUMNS[column], first_row: first.row };
                c.0.push(RowError::new(row.row, TEMPLATE_COLUMNS[column], &e));
            }
        }
    }
    let r = first.row;
    let category = c.required(r, 0, &first.category, Field::Category).and_then(|s| c.cell(r, 0, Category::parse(s)));
    let code = c.required(r, 2, &first.code, Field::Code).and_then(|s| c.cell(r, 2, ResourceCode::parse(s)));
    let provider_code =
        c.required(r, 4, &first.provider_code, Field::ProviderCode).and_then(|s| c.cell(r, 4, parse_provider_code(s)));
    let format = c.required(r, 6, &first.format, Field::Format).and_then(|s| c.cell(r, 6, Format::parse(s)));
    let share_type =
        c.required(r, 10, &first.share_type, Field::ShareType).and_then(|s| c.cell(r, 10, ShareType::parse(s)));
    let method = match first.share_method.trim() {
        "" => Some(None),
        s => c.cell(r, 12, ShareMethod::parse(s)).map(Some),
    };
    let open_flag = c.required(r, 13, &first.open_to_public, Field::OpenType).and_then(|s| {
        let flag = match s {
            "是" => Ok(true),
            "否" => Ok(false),
            _ => Err(CatalogError::UnknownOpenFlag { value: s.to_string() }),
        };
        c.cell(r, 13, flag)
    });
    let cycle =
        c.required(r, 15, &first.update_cycle, Field::UpdateCycle).and_then(|s| c.cell(r, 15, UpdateCycle::parse(s)));
    let published_on = match first.published_on.trim() {
        "" => Some(None),
        s => c.cell(r, 16, parse_date(s)).map(Some),
    };
    let related: Vec<_> = first
        .related_codes
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| c.cell(r, RELATED_COLUMN, ResourceCode::parse(s)))
        .collect();
    let items = items_from_rows(group, &mut c);

    let (Some(category), Some(code), Some(provider_code), Some(format), Some(share_type), Some(method)) =
        (category, code, provider_code, format, share_type, method)
    else {
        return Err(reject(group, c.0));
    };
    let (Some(open_flag), Some(update_cycle), Some(published_on), Some(related), Some(items)) =
        (open_flag, cycle, published_on, related.into_iter().collect::<Option<Vec<_>>>(), items)
    else {
        return Err(reject(group, c.0));
    };
    let entry = NewEntry {
        code,
        name: first.name.trim().to_string(),
        summary: first.summary.trim().to_string(),
        provider: Provider { name: first.provider.trim().to_string(), code: provider_code },
        category,
        format,
        items,
        share: share_from_cells(share_type, &first.share_condition, method),
        open: open_from_cells(open_flag, &first.open_condition),
        grade: None,
        update_cycle,
        published_on,
        related,
    };
    for e in entry.validate().err().unwrap_or_default() {
        let row = e.item_position().and_then(|p| group.get(p - 1)).map_or(first.row, |r| r.row);
        let column = e.field().map_or(TEMPLATE_COLUMNS[CODE_COLUMN], Field::column);
        c.0.push(RowError::new(row, column, &e));
    }
    if c.0.is_empty() { Ok(entry) } else { Err(reject(group, c.0)) }
}

/// The data items, one per row, or `None` if a cell is wrong.
fn items_from_rows(group: &[&TemplateRow], c: &mut Collector) -> Option<Vec<DataItem>> {
    let blank = |r: &TemplateRow| [&r.item_name, &r.data_type, &r.data_length].iter().all(|s| s.trim().is_empty());
    if group.len() == 1 && group.iter().all(|r| blank(r)) {
        return Some(Vec::new());
    }
    let mut items = Some(Vec::new());
    for (index, row) in group.iter().enumerate() {
        let name = row.item_name.trim();
        if name.is_empty() {
            let item = Some(ItemRef { position: index + 1, name: String::new() });
            c.cell::<()>(row.row, 7, Err(CatalogError::Missing { field: Field::ItemName, item }));
        }
        let data_type = c
            .required(row.row, 8, &row.data_type, Field::ItemDataType)
            .and_then(|s| c.cell(row.row, 8, DataType::parse(s)));
        let length = match row.data_length.trim() {
            "" => Some(None),
            s => c.cell(row.row, 9, DataLength::parse(s)).map(Some),
        };
        items = match (items, data_type, length, name.is_empty()) {
            (Some(mut items), Some(data_type), Some(length), false) => {
                let (description, key_identifier, grade) = (String::new(), false, None);
                items.push(DataItem { name: name.to_string(), data_type, length, description, key_identifier, grade });
                Some(items)
            }
            _ => None,
        };
    }
    items
}

/// Adds a `template_entry_rejected` line for every row of the group that has no problem of its own.
fn reject(group: &[&TemplateRow], mut errors: Vec<RowError>) -> Vec<RowError> {
    let mut bad: Vec<usize> = errors.iter().map(|e| e.row).collect();
    bad.sort_unstable();
    bad.dedup();
    for row in group.iter().filter(|r| !bad.contains(&r.row)) {
        let e = CatalogError::TemplateEntryRejected { rows: bad.clone() };
        errors.push(RowError::new(row.row, TEMPLATE_COLUMNS[CODE_COLUMN], &e));
    }
    errors
}

/// The template rows of an entry, one per data item (one row with empty item cells if
/// it has none), numbered from 2 as under a header row.
pub fn rows_from_entry(entry: &NewEntry) -> Vec<TemplateRow> {
    let base = TemplateRow {
        row: 2,
        category: entry.category.to_string(),
        name: entry.name.clone(),
        code: entry.code.to_string(),
        provider: entry.provider.name.clone(),
        provider_code: entry.provider.code.to_string(),
        summary: entry.summary.clone(),
        format: entry.format.to_string(),
        share_type: entry.share.share_type.label_zh().to_string(),
        share_condition: share_cell(&entry.share),
        share_method: entry.share.method.map(|m| m.label_zh().to_string()).unwrap_or_default(),
        open_to_public: if entry.open.open_type == OpenType::NotOpen { "否" } else { "是" }.to_string(),
        open_condition: open_cell(&entry.open),
        update_cycle: entry.update_cycle.label_zh().to_string(),
        published_on: entry.published_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
        related_codes: entry.related.iter().map(ResourceCode::as_str).collect::<Vec<_>>().join(","),
        ..TemplateRow::default()
    };
    if entry.items.is_empty() {
        return vec![base];
    }
    entry
        .items
        .iter()
        .enumerate()
        .map(|(index, item)| TemplateRow {
            row: index + 2,
            item_name: item.name.clone(),
            data_type: item.data_type.as_str().to_string(),
            data_length: item.length.map(|l| l.to_string()).unwrap_or_default(),
            ..base.clone()
        })
        .collect()
}

#[cfg(test)]
mod tests;
