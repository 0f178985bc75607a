//! The Weihai profile, rule by rule against 威海市公共数据管理办法.

use crate::common::{d, rule};
use gongshu_rules::profile::{Basis, DowngradeControl, Reviewer, SilenceOutcome, Stage};
use gongshu_rules::{Calendar, Profile};

fn weihai() -> Profile {
    Profile::builtin("weihai").unwrap()
}

#[test]
fn weihai_wh_9_cat_3_a_catalog_change_is_filed_within_15_and_reviewed_within_2_working_days() {
    let p = weihai();
    assert_eq!(p.catalog.change_filing.working_days, 15);
    assert_eq!(p.catalog.change_filing.source, "WH-9");
    let review = &p.catalog.change_review;
    assert_eq!(review.len(), 1);
    assert_eq!((review[0].reviewer, review[0].stage, review[0].working_days), (Reviewer::Authority, Stage::Review, 2));
    assert_eq!(review[0].source, "WH-9");
    assert!(!p.catalog.city_consent_for_deletion.value);
    assert!(p.catalog.city_consent_review.is_none());
    let cal = Calendar::official().unwrap();
    // Filed on Friday 2024-09-27: day 1 is the make-up Sunday 09-29, day 2 is 09-30.
    assert_eq!(review[0].due(&cal, d(2024, 9, 27), p.region()).unwrap().date, d(2024, 9, 30));
}

#[test]
fn weihai_wh_17_shr_2_a_conditional_share_goes_to_the_authority_for_1_then_the_provider_for_2_working_days() {
    let p = weihai();
    let steps = &p.sharing.conditional_review;
    let chain: Vec<(Reviewer, u32)> = steps.iter().map(|s| (s.reviewer, s.working_days)).collect();
    assert_eq!(chain, [(Reviewer::Authority, 1), (Reviewer::Provider, 2)]);
    assert!(steps.iter().all(|s| s.source == "WH-17" && s.basis == Basis::Stated));
    assert_eq!(p.sharing.provider_silence.outcome, SilenceOutcome::Escalate);
    assert_eq!(p.sharing.provider_silence.basis, Basis::Silent);
    let cal = Calendar::official().unwrap();
    let authority = steps[0].due(&cal, d(2024, 9, 30), p.region()).unwrap();
    assert_eq!(authority.date, d(2024, 10, 8));
    assert_eq!(steps[1].due(&cal, authority.date, p.region()).unwrap().date, d(2024, 10, 10));
}

#[test]
fn weihai_wh_22_cat_6_making_data_less_open_needs_the_authoritys_consent() {
    let r = rule(&weihai(), "opening.attribute_downgrade");
    assert_eq!((r.source.as_str(), r.basis), ("WH-22", Basis::Stated));
    assert_eq!(weihai().opening.attribute_downgrade.control, DowngradeControl::Consent);
}

#[test]
fn weihai_wh_24_opn_3_a_restricted_application_has_a_5_day_formal_review_then_a_10_day_provider_review() {
    let p = weihai();
    let chain: Vec<(Stage, Reviewer, u32)> =
        p.opening.restricted_review.iter().map(|s| (s.stage, s.reviewer, s.working_days)).collect();
    assert_eq!(chain, [(Stage::FormalReview, Reviewer::Authority, 5), (Stage::Review, Reviewer::Provider, 10)]);
    assert!(p.opening.restricted_review.iter().all(|s| s.source == "WH-24"));
    assert!(p.opening.quarterly_cutoffs.is_none());
}

#[test]
fn weihai_wh_25_opn_7_a_demand_objection_or_suggestion_is_answered_within_10_working_days() {
    let p = weihai();
    assert_eq!(p.opening.demand_answer.working_days, 10);
    assert_eq!(p.opening.demand_answer.source, "WH-25");
    let cal = Calendar::official().unwrap();
    assert_eq!(p.opening.demand_answer.due(&cal, d(2025, 1, 24), p.region()).unwrap().date, d(2025, 2, 13));
}

#[test]
fn weihai_wh_18_agg_8_the_annual_demand_plan_is_due_at_the_end_of_february_and_updated_monthly() {
    let plan = weihai().planning.annual_demand_plan.unwrap();
    assert_eq!(plan.source, "WH-18");
    assert!(plan.monthly_update);
    assert_eq!(plan.due_in(2024), Some(d(2024, 2, 29)));
    assert_eq!(plan.due_in(2025), Some(d(2025, 2, 28)));
}

#[test]
fn weihai_rates_no_users_sets_no_product_deadline_and_defaults_corrections_and_reevaluation() {
    let p = weihai();
    assert!(!p.opening.user_rating.applies);
    assert!(p.opening.product_publication.is_none());
    assert_eq!(p.quality.correction_ticket.working_days, 5);
    assert_eq!(p.quality.correction_ticket.basis, Basis::Silent);
    assert_eq!(p.catalog.conditional_reevaluation.months, 12);
    assert!(rule(&p, "quality.correction_ticket").note.unwrap().contains("default 5 working days"));
}
