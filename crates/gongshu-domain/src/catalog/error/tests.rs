use std::collections::HashSet;

use super::*;

/// One error of every variant.
fn one_of_each() -> Vec<CatalogError> {
    use CatalogError as E;
    let item = ItemRef { position: 2, name: "公民身份号码".into() };
    let v = || "x".to_string();
    let share = AttributeMove::Share { from: ShareType::Unconditional, to: ShareType::NotShared };
    vec![
        E::Missing { field: Field::Name, item: None },
        E::TooLong { field: Field::ItemDescription, item: Some(item.clone()), max: 500 },
        E::InvalidResourceCode { value: v(), reason: "must contain digits only" },
        E::InvalidProviderCode { value: v(), reason: "must be 18 characters" },
        E::ProviderCodeMismatch { given: v(), expected: v() },
        E::UnknownCategory { value: v() },
        E::UnknownBaseLibrary { value: v() },
        E::BaseLibraryRequired,
        E::InvalidFormat { value: v() },
        E::UnknownFormatClass { value: v() },
        E::UnknownDataType { value: v() },
        E::InvalidDataLength { value: v(), reason: "decimals must be fewer than the total length" },
        E::DataLengthScaleNotAllowed { item: item.clone(), data_type: DataType::Character },
        E::DuplicateItemName { item: item.clone() },
        E::ItemsRequired { format_class: FormatClass::Database },
        E::UnknownShareType { value: v() },
        E::UnknownShareMethod { value: v() },
        E::UnknownOpenType { value: v() },
        E::UnknownOpenFlag { value: v() },
        E::UnknownUpdateCycle { value: v() },
        E::UnknownGrade { value: v() },
        E::InvalidPublicationDate { value: v() },
        E::ShareConditionsRequired,
        E::ShareConditionsNotAllowed { share_type: ShareType::Unconditional },
        E::ShareReasonRequired { share_type: ShareType::NotShared },
        E::ShareLegalBasisRequired { share_type: ShareType::Conditional },
        E::ShareMethodRequired { share_type: ShareType::Conditional },
        E::ShareMethodNotAllowed,
        E::FormatMethodMismatch { format_class: FormatClass::Image, method: ShareMethod::Database },
        E::OpenConditionsRequired,
        E::OpenConditionsNotAllowed { open_type: OpenType::NotOpen },
        E::OpenLegalBasisRequired,
        E::OpenExceedsShare { open_type: OpenType::Unconditional, share_type: ShareType::Conditional },
        E::GradeRequired,
        E::GradeBelowItem { item, item_grade: Grade::General4, entry_grade: Grade::General2 },
        E::GradeForbidsOpen { grade: Grade::General2, open_type: OpenType::Unconditional, max: OpenType::Conditional },
        E::RelatedCodeIsSelf { code: v() },
        E::DuplicateRelatedCode { code: v() },
        E::DowngradeNeedsConsent { change: share },
        E::DowngradeNeedsFiling { change: share },
        E::OpeningNeedsDeidentification { from: OpenType::NotOpen, to: OpenType::Conditional },
        E::TransitionNotAllowed { from: EntryState::Draft, action: ActionKind::Approve, actor: Actor::Provider },
        E::RejectionReasonRequired,
        E::TemplateCellMismatch { column: "信息资源名称", first_row: 2 },
        E::TemplateEntryRejected { rows: vec![3, 5] },
    ]
}

/// CAT-1: every variant has its own stable snake_case code and a sentence in both languages.
#[test]
fn cat_1_every_catalog_error_has_a_unique_code_and_two_languages() {
    let errors = one_of_each();
    let codes: HashSet<_> = errors.iter().map(|e| e.code()).collect();
    assert_eq!(codes.len(), errors.len());
    for e in &errors {
        assert!(e.code().bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "{}", e.code());
        assert!(!e.message_zh().is_empty() && !e.message_en().is_empty(), "{e:?}");
        assert!(e.message_zh().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e:?}");
        assert!(!e.message_zh().contains("不符合规则"), "untranslated reason in {e:?}");
    }
}

/// CAT-8: the grade-versus-open message says what is allowed instead.
#[test]
fn cat_8_grade_messages_say_what_is_allowed() {
    let e = CatalogError::GradeForbidsOpen {
        grade: Grade::General3,
        open_type: OpenType::Unconditional,
        max: OpenType::Conditional,
    };
    assert_eq!(e.message_zh(), "一般数据3级不能无条件开放，最多只能有条件开放");
    assert_eq!(
        e.message_en(),
        "general data, level 3 cannot be unconditionally open; at most conditionally open (restricted) (CAT-8)"
    );
    let e =
        CatalogError::GradeForbidsOpen { grade: Grade::Core, open_type: OpenType::Conditional, max: OpenType::NotOpen };
    assert_eq!(e.message_zh(), "核心数据不能向社会开放（不能有条件开放）");
    assert_eq!(e.message_en(), "core data must not be open to society, so not conditionally open (restricted) (CAT-8)");
}

/// Errors point at their field and, for items, the item's position.
#[test]
fn errors_name_their_field_and_item() {
    let errors = one_of_each();
    assert_eq!(errors[1].field(), Some(Field::ItemDescription));
    assert_eq!(errors[1].item_position(), Some(2));
    assert_eq!(errors[0].item_position(), None);
    assert_eq!(errors[41].field(), None);
    assert_eq!(errors[1].message_zh(), "第2个信息项“公民身份号码”的信息项描述不能超过500个字符");
}
