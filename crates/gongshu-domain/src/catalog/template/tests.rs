use super::*;
use crate::catalog::fixtures::{bus_stops, population};
use crate::catalog::{Field, Grade, Open, Share};

/// `population()` as the template can carry it: no descriptions, key flags or grades.
fn imported_population() -> NewEntry {
    let mut e = population();
    e.grade = None;
    for item in &mut e.items {
        item.key_identifier = false;
        item.grade = None;
    }
    e
}

fn imported_bus_stops() -> NewEntry {
    NewEntry { grade: None, ..bus_stops() }
}

fn codes(errors: &[RowError]) -> Vec<(usize, &str, &str)> {
    errors.iter().map(|e| (e.row, e.column, e.code)).collect()
}

/// CAT-1: the guide's eighteen columns, in order.
#[test]
fn cat_1_template_has_the_guides_eighteen_columns() {
    assert_eq!(TEMPLATE_COLUMNS.len(), 18);
    assert_eq!(TEMPLATE_COLUMNS[0], "信息资源分类");
    assert_eq!(TEMPLATE_COLUMNS[17], "关联资源代码");
    let row = rows_from_entry(&population()).remove(0);
    assert_eq!(TemplateRow::from_cells(row.row, row.cells().map(String::from)), row);
}

/// CAT-1: an entry is written as one row per data item, in the template's cell formats.
#[test]
fn cat_1_export_writes_one_row_per_item() {
    let rows = rows_from_entry(&population());
    assert_eq!(rows.len(), 3);
    let r = &rows[1];
    assert_eq!(
        r.cells(),
        [
            "基础/人口",
            "户籍人口基本信息",
            "1010100/00017",
            "威海市公安局",
            "11100000000013127D",
            "本市户籍人口的姓名、公民身份号码、出生日期",
            "数据库/mysql",
            "公民身份号码",
            "C",
            "18",
            "有条件共享",
            "仅用于社会救助资格核验\n理由：含个人信息\n依据：《中华人民共和国个人信息保护法》第三十四条",
            "接口",
            "否",
            "《中华人民共和国个人信息保护法》第二十五条",
            "每日",
            "2024-03-01",
            "1010100/00018",
        ]
    );
    assert_eq!(rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 3, 4]);
}

/// CAT-1: export then import gives the same entries, and the same rows again.
#[test]
fn cat_1_template_round_trip_is_lossless() {
    let mut file = imported_population();
    file.format = Format::parse("电子文件/pdf").unwrap();
    file.items.clear();
    file.share.method = Some(ShareMethod::File);
    let mut not_shared = imported_bus_stops();
    not_shared.share = Share {
        share_type: ShareType::NotShared,
        conditions: String::new(),
        reason: "涉及国家安全\n涉及商业秘密".into(),
        legal_basis: "《中华人民共和国数据安全法》第二十一条".into(),
        method: None,
    };
    not_shared.open = Open { open_type: OpenType::NotOpen, conditions: String::new(), legal_basis: "依据一".into() };
    let mut restricted = imported_bus_stops();
    restricted.code = ResourceCode::parse("2050100/00004").unwrap();
    restricted.open =
        Open {
            open_type: OpenType::Conditional, conditions: "实名注册".into(), legal_basis: "开放办法第十条".into()
        };
    restricted.items[1].length = Some(DataLength { total: 12, scale: Some(6) });
    restricted.published_on = None;
    for entry in [imported_population(), imported_bus_stops(), file, not_shared, restricted] {
        assert_eq!(entry.validate(), Ok(()), "{}", entry.name);
        let rows = rows_from_entry(&entry);
        let (entries, errors) = entries_from_rows(&rows);
        assert_eq!(errors, vec![], "{}", entry.name);
        assert_eq!(entries, vec![entry]);
        assert_eq!(rows_from_entry(&entries[0]), rows);
    }
}

/// CAT-1: rows with the same code form one entry, even when not adjacent; order is kept.
#[test]
fn cat_1_rows_with_the_same_code_form_one_entry() {
    let mut rows = rows_from_entry(&population());
    rows.insert(1, rows_from_entry(&bus_stops()).remove(0));
    rows.push(TemplateRow { row: 99, ..TemplateRow::default() });
    for (i, row) in rows.iter_mut().enumerate() {
        row.row = i + 2;
    }
    let (entries, errors) = entries_from_rows(&rows);
    assert_eq!(errors, vec![]);
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], imported_population());
    assert_eq!(entries[1].items.len(), 1);
}

/// CAT-1: each bad cell is reported with its row, its column and a localized code.
#[test]
fn cat_1_bad_cells_are_reported_by_row_and_column() {
    let mut rows = rows_from_entry(&population());
    for row in &mut rows {
        row.category = "基础".into();
        row.provider_code = "11100000000013127E".into();
        row.format = "数据库".into();
        row.open_to_public = "可以".into();
        row.update_cycle = "每旬".into();
        row.published_on = "2024/03/01".into();
        row.related_codes = "1010100/00018，abc".into();
    }
    rows[1].data_type = "X".into();
    rows[2].data_length = "0".into();
    let (entries, errors) = entries_from_rows(&rows);
    assert!(entries.is_empty());
    assert_eq!(
        codes(&errors),
        vec![
            (2, "信息资源分类", "base_library_required"),
            (2, "信息资源提供方代码", "invalid_provider_code"),
            (2, "信息资源格式", "invalid_format"),
            (2, "是否向社会开放", "unknown_open_flag"),
            (2, "更新周期", "unknown_update_cycle"),
            (2, "发布日期", "invalid_publication_date"),
            (2, "关联资源代码", "invalid_resource_code"),
            (3, "数据类型", "unknown_data_type"),
            (4, "数据长度", "invalid_data_length"),
        ]
    );
    assert_eq!(errors[3].message_zh, "“是否向社会开放”应填“是”或“否”，而不是“可以”");
}

/// CAT-1: rows of one entry that disagree on an entry-level column are an error on the later row.
#[test]
fn cat_1_disagreeing_rows_are_an_error_on_the_later_row() {
    let mut rows = rows_from_entry(&population());
    rows[2].name = "别的名称".into();
    rows[2].update_cycle = "每月".into();
    let (entries, errors) = entries_from_rows(&rows);
    assert!(entries.is_empty());
    assert_eq!(
        codes(&errors),
        vec![
            (2, "信息资源代码", "template_entry_rejected"),
            (3, "信息资源代码", "template_entry_rejected"),
            (4, "信息资源名称", "template_cell_mismatch"),
            (4, "更新周期", "template_cell_mismatch"),
        ]
    );
    assert_eq!(errors[2].message_en, "column 信息资源名称 differs from row 2 of the same resource code");
    assert_eq!(errors[0].message_zh, "第4行有错误，该信息资源整体未导入");
}

/// CAT-1: an entry with a bad row is rejected whole; the other entries go through.
#[test]
fn cat_1_a_bad_entry_is_rejected_whole_and_others_go_through() {
    let mut rows = rows_from_entry(&population());
    rows[1].item_name = "姓名".into();
    let mut other = rows_from_entry(&bus_stops());
    for (i, row) in other.iter_mut().enumerate() {
        row.row = 10 + i;
    }
    rows.extend(other);
    let (entries, errors) = entries_from_rows(&rows);
    assert_eq!(entries, vec![imported_bus_stops()]);
    assert_eq!(
        codes(&errors),
        vec![
            (2, "信息资源代码", "template_entry_rejected"),
            (3, "信息项名称", "duplicate_item_name"),
            (4, "信息资源代码", "template_entry_rejected"),
        ]
    );
}

/// CAT-1: a row without a code cannot join an entry and is reported alone; blank rows are skipped.
#[test]
fn cat_1_rows_without_a_code_are_reported_alone() {
    let mut rows = rows_from_entry(&bus_stops());
    rows[1].code = " ".into();
    rows.push(TemplateRow { row: 9, ..TemplateRow::default() });
    let (entries, errors) = entries_from_rows(&rows);
    assert_eq!(codes(&errors), vec![(3, "信息资源代码", "catalog_field_missing")]);
    assert_eq!(entries.len(), 1);
}

/// CAT-1: in an entry with several rows every row names an item.
#[test]
fn cat_1_every_row_of_a_multi_row_entry_names_an_item() {
    let mut rows = rows_from_entry(&bus_stops());
    rows[1].item_name = String::new();
    rows[1].data_type = String::new();
    rows[1].data_length = String::new();
    let (_, errors) = entries_from_rows(&rows);
    assert_eq!(
        codes(&errors),
        vec![
            (2, "信息资源代码", "template_entry_rejected"),
            (3, "信息项名称", "catalog_field_missing"),
            (3, "数据类型", "catalog_field_missing"),
        ]
    );
}

/// CAT-4: an imported conditional entry without a legal basis is refused at 共享条件.
#[test]
fn cat_4_imported_conditional_share_needs_a_legal_basis() {
    let mut rows = rows_from_entry(&population());
    for row in &mut rows {
        row.share_condition = "仅用于社会救助资格核验".into();
    }
    let (_, errors) = entries_from_rows(&rows);
    assert_eq!(
        codes(&errors),
        vec![
            (2, "共享条件", "share_reason_required"),
            (2, "共享条件", "share_legal_basis_required"),
            (3, "信息资源代码", "template_entry_rejected"),
            (4, "信息资源代码", "template_entry_rejected"),
        ]
    );
}

/// CAT-4: for 不予共享 the 共享条件 cell carries the legal basis; a method is refused.
#[test]
fn cat_4_not_shared_cell_carries_the_legal_basis() {
    let mut rows = rows_from_entry(&imported_bus_stops());
    for row in &mut rows {
        row.share_type = "不予共享".into();
        row.share_condition = "《数据安全法》第二十一条\n理由: 涉及国家安全".into();
        row.open_to_public = "否".into();
        row.open_condition = "《数据安全法》第二十一条".into();
    }
    let (_, errors) = entries_from_rows(&rows);
    assert_eq!(codes(&errors)[0], (2, "共享方式", "share_method_not_allowed"));
    for row in &mut rows {
        row.share_method = String::new();
    }
    let (entries, errors) = entries_from_rows(&rows);
    assert_eq!(errors, vec![]);
    let share = &entries[0].share;
    assert_eq!((share.legal_basis.as_str(), share.reason.as_str()), ("《数据安全法》第二十一条", "涉及国家安全"));
    assert_eq!(entries[0].open.legal_basis, "《数据安全法》第二十一条");
}

/// CAT-5: 是 with conditions is conditional opening, 是 without is unconditional, 否 needs a basis.
#[test]
fn cat_5_open_cells_map_to_the_open_attribute() {
    let mut rows = rows_from_entry(&imported_bus_stops());
    let (entries, _) = entries_from_rows(&rows);
    assert_eq!(entries[0].open.open_type, OpenType::Unconditional);
    for row in &mut rows {
        row.open_condition = "实名注册后下载".into();
    }
    let (entries, _) = entries_from_rows(&rows);
    assert_eq!(entries[0].open.open_type, OpenType::Conditional);
    for row in &mut rows {
        row.open_to_public = "否".into();
        row.open_condition = String::new();
    }
    let (entries, errors) = entries_from_rows(&rows);
    assert!(entries.is_empty());
    assert_eq!(codes(&errors)[0], (2, "开放条件", "open_legal_basis_required"));
    assert_eq!(errors[0].message_en, "data that is not open needs a legal basis (CAT-5)");
}

/// CAT-8: an import leaves grades unset, so a draft can be imported and graded in the form.
#[test]
fn cat_8_import_leaves_grades_for_the_form() {
    let (entries, _) = entries_from_rows(&rows_from_entry(&population()));
    assert_eq!(entries[0].grade, None);
    assert!(entries[0].items.iter().all(|i| i.grade.is_none()));
    assert_eq!(
        entries[0].check_ready_for_review().map_err(|e| e.iter().map(|e| e.field()).collect::<Vec<_>>()),
        Err(vec![Some(Field::Grade)])
    );
    let graded = NewEntry { grade: Some(Grade::General3), ..entries[0].clone() };
    assert_eq!(graded.check_ready_for_review(), Ok(()));
}
