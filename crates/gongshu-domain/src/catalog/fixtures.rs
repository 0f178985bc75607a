//! Sample entries for the catalog's tests.

use chrono::NaiveDate;

use super::*;
use crate::uscc::CreditCode;

pub fn code(s: &str) -> ResourceCode {
    ResourceCode::parse(s).unwrap()
}

pub fn item(name: &str, data_type: DataType, length: Option<u32>) -> DataItem {
    DataItem {
        name: name.into(),
        data_type,
        length: length.map(|total| DataLength { total, scale: None }),
        description: String::new(),
        key_identifier: false,
        grade: None,
    }
}

/// A base population entry: conditional share, not open, general level 3.
pub fn population() -> NewEntry {
    NewEntry {
        code: code("1010100/00017"),
        name: "户籍人口基本信息".into(),
        summary: "本市户籍人口的姓名、公民身份号码、出生日期".into(),
        provider: Provider {
            name: "威海市公安局".into(), code: CreditCode::parse("11100000000013127D").unwrap()
        },
        category: Category::Base(BaseLibrary::Population),
        format: Format { class: FormatClass::Database, kind: "mysql".into() },
        items: vec![
            item("姓名", DataType::Character, Some(50)),
            DataItem {
                key_identifier: true,
                grade: Some(Grade::General3),
                ..item("公民身份号码", DataType::Character, Some(18))
            },
            item("出生日期", DataType::Date, None),
        ],
        share: Share {
            share_type: ShareType::Conditional,
            conditions: "仅用于社会救助资格核验".into(),
            reason: "含个人信息".into(),
            legal_basis: "《中华人民共和国个人信息保护法》第三十四条".into(),
            method: Some(ShareMethod::Interface),
        },
        open: Open {
            open_type: OpenType::NotOpen,
            conditions: String::new(),
            legal_basis: "《中华人民共和国个人信息保护法》第二十五条".into(),
        },
        grade: Some(Grade::General3),
        update_cycle: UpdateCycle::Daily,
        published_on: NaiveDate::from_ymd_opt(2024, 3, 1),
        related: vec![code("1010100/00018")],
    }
}

/// A thematic entry that is shared and open unconditionally: general level 1, a file.
pub fn bus_stops() -> NewEntry {
    NewEntry {
        code: code("2050100/00003"),
        name: "公交站点".into(),
        summary: "公交站点名称与位置".into(),
        provider: Provider {
            name: "威海市交通运输局".into(), code: CreditCode::parse("91110000600037341L").unwrap()
        },
        category: Category::Thematic(Some("公共服务".into())),
        format: Format { class: FormatClass::Spreadsheet, kind: "xlsx".into() },
        items: vec![item("站点名称", DataType::Character, Some(100)), item("经度", DataType::Double, Some(12))],
        share: Share {
            share_type: ShareType::Unconditional,
            conditions: String::new(),
            reason: String::new(),
            legal_basis: String::new(),
            method: Some(ShareMethod::File),
        },
        open: Open { open_type: OpenType::Unconditional, conditions: String::new(), legal_basis: String::new() },
        grade: Some(Grade::General1),
        update_cycle: UpdateCycle::Monthly,
        published_on: NaiveDate::from_ymd_opt(2024, 1, 15),
        related: vec![],
    }
}
