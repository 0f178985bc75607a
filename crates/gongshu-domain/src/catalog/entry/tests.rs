use super::*;
use crate::Localized;
use crate::catalog::fixtures::{bus_stops, code, item, population};
use crate::catalog::{FormatClass, ShareMethod};

fn problems(entry: &NewEntry) -> Vec<CatalogError> {
    entry.validate().err().unwrap_or_default()
}

/// CAT-1: the sample entries hold every core metadata element and pass.
#[test]
fn cat_1_complete_entries_are_valid() {
    assert_eq!(population().validate(), Ok(()));
    assert_eq!(bus_stops().validate(), Ok(()));
    assert_eq!(population().check_ready_for_review(), Ok(()));
}

/// CAT-1: validate returns every problem, not just the first.
#[test]
fn cat_1_validate_reports_all_problems_at_once() {
    let mut e = population();
    e.name = " ".into();
    e.summary = String::new();
    e.share.legal_basis = String::new();
    e.open.legal_basis = String::new();
    assert_eq!(
        problems(&e),
        vec![
            CatalogError::Missing { field: Field::Name, item: None },
            CatalogError::Missing { field: Field::Summary, item: None },
            CatalogError::ShareLegalBasisRequired { share_type: ShareType::Conditional },
            CatalogError::OpenLegalBasisRequired,
        ]
    );
}

/// CAT-1: text fields are required and bounded, and the errors name the field.
#[test]
fn cat_1_text_fields_are_required_and_bounded() {
    let mut e = population();
    e.provider.name = String::new();
    e.name = "名".repeat(201);
    e.category = Category::Department(Some(" ".into()));
    e.items[0].description = "述".repeat(501);
    assert_eq!(
        problems(&e),
        vec![
            CatalogError::TooLong { field: Field::Name, item: None, max: 200 },
            CatalogError::Missing { field: Field::ProviderName, item: None },
            CatalogError::Missing { field: Field::Category, item: None },
            CatalogError::TooLong {
                field: Field::ItemDescription,
                item: Some(ItemRef { position: 1, name: "姓名".into() }),
                max: 500
            },
        ]
    );
}

/// CAT-1: a structured resource needs data items; a document may have none.
#[test]
fn cat_1_structured_resources_need_data_items() {
    let mut e = population();
    e.items.clear();
    e.grade = Some(Grade::General1);
    assert_eq!(problems(&e), vec![CatalogError::ItemsRequired { format_class: FormatClass::Database }]);
    e.format = Format { class: FormatClass::ElectronicFile, kind: "pdf".into() };
    e.share.method = Some(ShareMethod::File);
    assert_eq!(e.validate(), Ok(()));
}

/// CAT-1: item names are required and unique; decimals only for numeric types.
#[test]
fn cat_1_data_items_have_unique_names_and_fitting_lengths() {
    let mut e = bus_stops();
    e.items.push(item(" 站点名称 ", DataType::Character, Some(10)));
    e.items.push(item("", DataType::Character, None));
    e.items[0].length = Some(DataLength { total: 10, scale: Some(2) });
    e.items[1].length = Some(DataLength { total: 12, scale: Some(6) });
    let r = |position: usize, name: &str| ItemRef { position, name: name.into() };
    assert_eq!(
        problems(&e),
        vec![
            CatalogError::DataLengthScaleNotAllowed { item: r(1, "站点名称"), data_type: DataType::Character },
            CatalogError::DuplicateItemName { item: r(3, "站点名称") },
            CatalogError::Missing { field: Field::ItemName, item: Some(r(4, "")) },
        ]
    );
}

/// CAT-4: conditional sharing needs its conditions.
#[test]
fn cat_4_conditional_share_needs_conditions() {
    let mut e = population();
    e.share.conditions = "  ".into();
    assert_eq!(problems(&e), vec![CatalogError::ShareConditionsRequired]);
}

/// CAT-4: conditional sharing needs a reason and a legal basis.
#[test]
fn cat_4_conditional_share_needs_reason_and_legal_basis() {
    let mut e = population();
    e.share.reason = String::new();
    e.share.legal_basis = String::new();
    let t = ShareType::Conditional;
    assert_eq!(
        problems(&e),
        vec![
            CatalogError::ShareReasonRequired { share_type: t },
            CatalogError::ShareLegalBasisRequired { share_type: t }
        ]
    );
}

/// CAT-4: not shared needs a reason and a legal basis, and has no conditions or method.
#[test]
fn cat_4_not_shared_needs_reason_and_legal_basis_and_no_method() {
    let mut e = population();
    e.share = Share {
        share_type: ShareType::NotShared,
        conditions: String::new(),
        reason: "涉及国家安全".into(),
        legal_basis: "《中华人民共和国数据安全法》第二十一条".into(),
        method: None,
    };
    assert_eq!(e.validate(), Ok(()));
    e.share.method = Some(ShareMethod::Interface);
    e.share.conditions = "x".into();
    e.share.reason = String::new();
    e.share.legal_basis = String::new();
    let t = ShareType::NotShared;
    assert_eq!(
        problems(&e),
        vec![
            CatalogError::ShareConditionsNotAllowed { share_type: t },
            CatalogError::ShareReasonRequired { share_type: t },
            CatalogError::ShareLegalBasisRequired { share_type: t },
            CatalogError::ShareMethodNotAllowed,
        ]
    );
}

/// CAT-4: with no legal basis an entry must be unconditional: only that kind passes without one.
#[test]
fn cat_4_without_legal_basis_the_entry_must_be_unconditional() {
    for share_type in ShareType::ALL {
        let mut e = bus_stops();
        e.open.open_type = OpenType::NotOpen;
        e.open.legal_basis = "依据".into();
        e.share.share_type = *share_type;
        e.share.reason = "理由".into();
        e.share.conditions = if *share_type == ShareType::Conditional { "条件".into() } else { String::new() };
        e.share.method = (*share_type != ShareType::NotShared).then_some(ShareMethod::File);
        let missing = CatalogError::ShareLegalBasisRequired { share_type: *share_type };
        assert_eq!(problems(&e).contains(&missing), *share_type != ShareType::Unconditional, "{share_type:?}");
    }
}

/// CAT-4: unconditional sharing has no conditions and needs a method.
#[test]
fn cat_4_unconditional_share_has_no_conditions_and_needs_a_method() {
    let mut e = bus_stops();
    e.share.conditions = "仅限".into();
    e.share.method = None;
    let t = ShareType::Unconditional;
    assert_eq!(
        problems(&e),
        vec![
            CatalogError::ShareConditionsNotAllowed { share_type: t },
            CatalogError::ShareMethodRequired { share_type: t }
        ]
    );
}

/// CAT-4: the share method fits the format class (a database is not shared as a file).
#[test]
fn cat_4_share_method_must_fit_the_format() {
    let mut e = population();
    e.share.method = Some(ShareMethod::File);
    assert_eq!(
        problems(&e),
        vec![CatalogError::FormatMethodMismatch { format_class: FormatClass::Database, method: ShareMethod::File }]
    );
    e.share.method = Some(ShareMethod::Database);
    assert_eq!(e.validate(), Ok(()));
}

/// CAT-5: conditional opening needs conditions; unconditional and not open have none.
#[test]
fn cat_5_conditional_open_needs_conditions() {
    let mut e = bus_stops();
    e.grade = Some(Grade::General2);
    e.open.open_type = OpenType::Conditional;
    assert_eq!(problems(&e), vec![CatalogError::OpenConditionsRequired]);
    e.open.conditions = "须实名注册并签署协议".into();
    assert_eq!(e.validate(), Ok(()));
    e.open.open_type = OpenType::Unconditional;
    e.grade = Some(Grade::General1);
    assert_eq!(problems(&e), vec![CatalogError::OpenConditionsNotAllowed { open_type: OpenType::Unconditional }]);
}

/// CAT-5: data that is not open needs a legal basis.
#[test]
fn cat_5_not_open_needs_a_legal_basis() {
    let mut e = population();
    e.open.legal_basis = " ".into();
    assert_eq!(problems(&e), vec![CatalogError::OpenLegalBasisRequired]);
}

/// CAT-5: data is never more open to society than it is shared between public bodies.
#[test]
fn cat_5_open_attribute_never_exceeds_share_attribute() {
    let mut e = population();
    e.grade = Some(Grade::General2);
    e.items[1].grade = None;
    e.open = Open { open_type: OpenType::Conditional, conditions: "脱敏后".into(), legal_basis: String::new() };
    assert_eq!(e.validate(), Ok(()));
    e.open = Open { open_type: OpenType::Unconditional, conditions: String::new(), legal_basis: String::new() };
    e.grade = Some(Grade::General1);
    assert_eq!(
        problems(&e),
        vec![CatalogError::OpenExceedsShare { open_type: OpenType::Unconditional, share_type: ShareType::Conditional }]
    );
}

/// CAT-8: an entry's grade is at least its highest item's.
#[test]
fn cat_8_entry_grade_is_at_least_the_highest_items() {
    let mut e = population();
    e.items[0].grade = Some(Grade::General4);
    assert_eq!(e.minimum_grade(), Some(Grade::General4));
    assert_eq!(
        problems(&e),
        vec![CatalogError::GradeBelowItem {
            item: ItemRef { position: 1, name: "姓名".into() },
            item_grade: Grade::General4,
            entry_grade: Grade::General3,
        }]
    );
    e.grade = Some(Grade::General4);
    assert_eq!(e.validate(), Ok(()));
}

/// CAT-8: the entry's grade limits its open attribute.
#[test]
fn cat_8_grade_limits_the_open_attribute_of_an_entry() {
    let mut e = bus_stops();
    for grade in [Grade::General2, Grade::Important, Grade::Core] {
        e.grade = Some(grade);
        assert_eq!(
            problems(&e),
            vec![CatalogError::GradeForbidsOpen {
                grade,
                open_type: OpenType::Unconditional,
                max: crate::catalog::max_open_for(grade)
            }]
        );
    }
}

/// CAT-8: a draft may be ungraded, but review needs a grade.
#[test]
fn cat_8_review_needs_a_grade() {
    let mut e = bus_stops();
    e.grade = None;
    assert_eq!(e.validate(), Ok(()));
    assert_eq!(e.check_ready_for_review(), Err(vec![CatalogError::GradeRequired]));
}

/// CAT-1: related codes do not repeat and do not name the entry itself.
#[test]
fn cat_1_related_codes_are_other_distinct_entries() {
    let mut e = population();
    e.related = vec![code("1010100/00018"), code("1010100/00017"), code("1010100/00018")];
    assert_eq!(
        problems(&e),
        vec![
            CatalogError::RelatedCodeIsSelf { code: "1010100/00017".into() },
            CatalogError::DuplicateRelatedCode { code: "1010100/00018".into() },
        ]
    );
}

/// CAT-1: every problem has a stable code and a sentence in both languages.
#[test]
fn cat_1_problems_are_told_in_chinese_and_english() {
    let mut e = population();
    e.share.legal_basis = String::new();
    let errors = problems(&e);
    assert_eq!(errors[0].code(), "share_legal_basis_required");
    assert_eq!(errors[0].message_zh(), "有条件共享须有法律法规或政策依据；没有依据的应列为无条件共享");
    assert_eq!(
        errors[0].message_en(),
        "conditional sharing needs a legal basis; without one the entry must be shared unconditionally (CAT-4)"
    );
    assert_eq!(errors[0].field(), Some(Field::ShareLegalBasis));
}
