//! Version comparison for the side-by-side view (CAT-2: every version is kept).
//!
//! Values are shown as the spreadsheet template writes them (Chinese labels, dates as
//! `YYYY-MM-DD`, related codes joined by `,`); an empty optional value is `""`. Data items
//! are matched by name, so a renamed item shows as one removed and one added; a change of
//! item order alone is not a change.

use serde::Serialize;

use super::entry::{DataItem, NewEntry};
use super::field::Field;

/// One difference between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: Field,
    /// The data item's name, for item fields and for items added or removed.
    pub item: Option<String>,
    /// `None` when the item was added.
    pub old: Option<String>,
    /// `None` when the item was removed.
    pub new: Option<String>,
}

fn entry_values(e: &NewEntry) -> Vec<(Field, String)> {
    let opt = |v: Option<&str>| v.unwrap_or_default().to_string();
    vec![
        (Field::Code, e.code.to_string()),
        (Field::Name, e.name.clone()),
        (Field::Summary, e.summary.clone()),
        (Field::ProviderName, e.provider.name.clone()),
        (Field::ProviderCode, e.provider.code.to_string()),
        (Field::Category, e.category.to_string()),
        (Field::Format, e.format.to_string()),
        (Field::ShareType, e.share.share_type.label_zh().to_string()),
        (Field::ShareConditions, e.share.conditions.clone()),
        (Field::ShareReason, e.share.reason.clone()),
        (Field::ShareLegalBasis, e.share.legal_basis.clone()),
        (Field::ShareMethod, opt(e.share.method.map(|m| m.label_zh()))),
        (Field::OpenType, e.open.open_type.label_zh().to_string()),
        (Field::OpenConditions, e.open.conditions.clone()),
        (Field::OpenLegalBasis, e.open.legal_basis.clone()),
        (Field::Grade, opt(e.grade.map(|g| g.label_zh()))),
        (Field::UpdateCycle, e.update_cycle.label_zh().to_string()),
        (Field::PublicationDate, e.published_on.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()),
        (Field::RelatedCodes, e.related.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(",")),
    ]
}

fn item_values(i: &DataItem) -> [(Field, String); 5] {
    [
        (Field::ItemDataType, i.data_type.as_str().to_string()),
        (Field::ItemLength, i.length.map(|l| l.to_string()).unwrap_or_default()),
        (Field::ItemDescription, i.description.clone()),
        (Field::ItemKeyIdentifier, if i.key_identifier { "是" } else { "否" }.to_string()),
        (Field::ItemGrade, i.grade.map(|g| g.label_zh()).unwrap_or_default().to_string()),
    ]
}

/// An item in one line, e.g. `C(18)` or `D`.
fn item_summary(i: &DataItem) -> String {
    match i.length {
        Some(length) => format!("{}({length})", i.data_type.as_str()),
        None => i.data_type.as_str().to_string(),
    }
}

/// The changed fields from `old` to `new`: entry fields in template order, then items
/// removed, changed and added.
pub fn diff(old: &NewEntry, new: &NewEntry) -> Vec<FieldChange> {
    let mut changes: Vec<FieldChange> = entry_values(old)
        .into_iter()
        .zip(entry_values(new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, a), (_, b))| FieldChange { field, item: None, old: Some(a), new: Some(b) })
        .collect();
    let find = |items: &'_ [DataItem], name: &str| items.iter().find(|i| i.name.trim() == name).cloned();
    for o in &old.items {
        let name = o.name.trim();
        match find(&new.items, name) {
            None => changes.push(FieldChange {
                field: Field::Items,
                item: Some(name.to_string()),
                old: Some(item_summary(o)),
                new: None,
            }),
            Some(n) => {
                for ((field, a), (_, b)) in item_values(o).into_iter().zip(item_values(&n)) {
                    if a != b {
                        changes.push(FieldChange { field, item: Some(name.to_string()), old: Some(a), new: Some(b) });
                    }
                }
            }
        }
    }
    for n in &new.items {
        let name = n.name.trim();
        if find(&old.items, name).is_none() {
            changes.push(FieldChange {
                field: Field::Items,
                item: Some(name.to_string()),
                old: None,
                new: Some(item_summary(n)),
            });
        }
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::fixtures::{item, population};
    use crate::catalog::{DataLength, DataType, Grade, ShareType};

    fn change(field: Field, item: Option<&str>, old: Option<&str>, new: Option<&str>) -> FieldChange {
        FieldChange { field, item: item.map(Into::into), old: old.map(Into::into), new: new.map(Into::into) }
    }

    /// CAT-2: identical versions have no differences.
    #[test]
    fn cat_2_identical_versions_have_no_changes() {
        assert!(diff(&population(), &population()).is_empty());
    }

    /// CAT-2: changed entry fields are listed with old and new values.
    #[test]
    fn cat_2_changed_fields_show_old_and_new_values() {
        let old = population();
        let mut new = population();
        new.name = "户籍人口信息".into();
        new.share.share_type = ShareType::NotShared;
        new.share.conditions = String::new();
        new.share.method = None;
        new.grade = Some(Grade::General4);
        new.published_on = None;
        new.related.clear();
        assert_eq!(
            diff(&old, &new),
            vec![
                change(Field::Name, None, Some("户籍人口基本信息"), Some("户籍人口信息")),
                change(Field::ShareType, None, Some("有条件共享"), Some("不予共享")),
                change(Field::ShareConditions, None, Some("仅用于社会救助资格核验"), Some("")),
                change(Field::ShareMethod, None, Some("接口"), Some("")),
                change(Field::Grade, None, Some("一般数据3级"), Some("一般数据4级")),
                change(Field::PublicationDate, None, Some("2024-03-01"), Some("")),
                change(Field::RelatedCodes, None, Some("1010100/00018"), Some("")),
            ]
        );
    }

    /// CAT-2: data items added, removed and changed are listed by name.
    #[test]
    fn cat_2_items_added_removed_and_changed_are_listed() {
        let old = population();
        let mut new = population();
        new.items.remove(0);
        new.items[0].length = Some(DataLength { total: 20, scale: None });
        new.items[0].key_identifier = false;
        new.items.push(item("性别", DataType::Character, Some(1)));
        new.items.swap(0, 1);
        assert_eq!(
            diff(&old, &new),
            vec![
                change(Field::Items, Some("姓名"), Some("C(50)"), None),
                change(Field::ItemLength, Some("公民身份号码"), Some("18"), Some("20")),
                change(Field::ItemKeyIdentifier, Some("公民身份号码"), Some("是"), Some("否")),
                change(Field::Items, Some("性别"), None, Some("C(1)")),
            ]
        );
    }
}
