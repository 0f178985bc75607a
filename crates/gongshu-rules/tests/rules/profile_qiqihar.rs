//! The Qiqihar profile, rule by rule against 齐齐哈尔市公共数据管理暂行办法.

use crate::common::{d, rule};
use gongshu_rules::profile::{Basis, Reviewer, SilenceOutcome, Stage};
use gongshu_rules::{Calendar, Profile};

fn qiqihar() -> Profile {
    Profile::builtin("qiqihar").unwrap()
}

#[test]
fn qiqihar_qq_8_cat_3_the_authority_rechecks_a_change_in_5_then_the_service_agency_updates_in_10_more_working_days() {
    let p = qiqihar();
    let chain: Vec<(Stage, Reviewer, u32)> =
        p.catalog.change_review.iter().map(|s| (s.stage, s.reviewer, s.working_days)).collect();
    assert_eq!(chain, [(Stage::Review, Reviewer::Authority, 5), (Stage::Update, Reviewer::ServiceAgency, 10)]);
    assert!(p.catalog.change_review.iter().all(|s| s.source == "QQ-8" && s.basis == Basis::Stated));
    let cal = Calendar::official().unwrap();
    let recheck = p.catalog.change_review[0].due(&cal, d(2024, 9, 27), p.region()).unwrap();
    assert_eq!(recheck.date, d(2024, 10, 10));
    let update = p.catalog.change_review[1].due(&cal, recheck.date, p.region()).unwrap();
    assert_eq!(update.date, d(2024, 10, 23));
}

#[test]
fn qiqihar_qq_8_cat_3_filing_a_change_promptly_defaults_to_15_working_days() {
    let r = rule(&qiqihar(), "catalog.change_filing");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("15 working days", "QQ-8", Basis::Promptly));
    assert!(r.note.unwrap().contains("及时"));
}

#[test]
fn qiqihar_qq_15_shr_2_the_provider_answers_a_conditional_share_request_within_1_working_day() {
    let p = qiqihar();
    let steps = &p.sharing.conditional_review;
    assert_eq!(steps.len(), 1);
    assert_eq!((steps[0].reviewer, steps[0].working_days, steps[0].source.as_str()), (Reviewer::Provider, 1, "QQ-15"));
    assert_eq!(p.sharing.provider_silence.outcome, SilenceOutcome::Escalate);
    let cal = Calendar::official().unwrap();
    // Received Friday 2024-05-10: the make-up Saturday 05-11 is the answer day.
    assert_eq!(steps[0].due(&cal, d(2024, 5, 10), p.region()).unwrap().date, d(2024, 5, 11));
}

#[test]
fn qiqihar_qq_18_cat_6_conditional_data_is_reevaluated_periodically_by_default_yearly() {
    let r = rule(&qiqihar(), "catalog.conditional_reevaluation");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("12 months", "QQ-18", Basis::Periodically));
}

#[test]
fn qiqihar_qq_19_opn_7_objections_are_verified_promptly_with_a_default_outer_bound_of_10_working_days() {
    let r = rule(&qiqihar(), "opening.demand_answer");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("10 working days", "QQ-19", Basis::Promptly));
}

#[test]
fn qiqihar_qq_11_agg_4_a_correction_ticket_is_promptly_fixed_by_default_within_5_working_days() {
    let r = rule(&qiqihar(), "quality.correction_ticket");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("5 working days", "QQ-11", Basis::Promptly));
}

#[test]
fn qiqihar_qq_19_opn_3_restricted_reviews_take_the_noted_default_figures() {
    let p = qiqihar();
    let days: Vec<u32> = p.opening.restricted_review.iter().map(|s| s.working_days).collect();
    assert_eq!(days, [5, 10]);
    assert!(p.opening.restricted_review.iter().all(|s| s.basis == Basis::Silent && s.source == "QQ-19"));
    assert!(!p.opening.user_rating.applies);
}
