//! The Wuhan profile, rule by rule against 武汉市公共数据资源管理办法.

use crate::common::{d, rule};
use gongshu_rules::profile::{Basis, Reviewer, SilenceOutcome};
use gongshu_rules::{Calendar, Profile};

fn wuhan() -> Profile {
    Profile::builtin("wuhan").unwrap()
}

#[test]
fn wuhan_whn_17_shr_2_silence_means_consent_after_10_working_days() {
    let p = wuhan();
    let steps = &p.sharing.conditional_review;
    assert_eq!(steps.len(), 1);
    assert_eq!(
        (steps[0].reviewer, steps[0].working_days, steps[0].source.as_str()),
        (Reviewer::Provider, 10, "WHN-17")
    );
    let silence = &p.sharing.provider_silence;
    assert_eq!(
        (silence.outcome, silence.source.as_str(), silence.basis),
        (SilenceOutcome::Consent, "WHN-17", Basis::Stated)
    );
    let cal = Calendar::official().unwrap();
    // Asked on 2024-09-30: ten working days end on 2024-10-18; from 10-19 CST the platform grants it.
    let due = steps[0].due(&cal, d(2024, 9, 30), p.region()).unwrap();
    assert_eq!(due.date, d(2024, 10, 18));
    assert!(!due.is_overdue_at(due.closes_at_utc()));
    assert!(due.is_overdue_at(due.closes_at_utc() + chrono::Duration::seconds(1)));
}

#[test]
fn wuhan_whn_11_cat_3_the_authority_rechecks_a_catalog_change_within_3_working_days() {
    let p = wuhan();
    let review = &p.catalog.change_review;
    assert_eq!((review.len(), review[0].reviewer, review[0].working_days), (1, Reviewer::Authority, 3));
    assert_eq!(review[0].source, "WHN-11");
    assert_eq!(rule(&p, "catalog.change_filing").basis, Basis::Promptly);
}

#[test]
fn wuhan_whn_16_cat_4_not_shared_is_reviewed_by_the_authority_and_approved_by_the_city_government() {
    let approval = wuhan().catalog.not_shared_approval;
    assert_eq!(approval.approvers, [Reviewer::Authority, Reviewer::CityGovernment]);
    assert_eq!((approval.source.as_str(), approval.basis), ("WHN-16", Basis::Stated));
}

#[test]
fn wuhan_whn_24_opn_7_objections_are_verified_promptly_with_a_default_outer_bound_of_10_working_days() {
    let r = rule(&wuhan(), "opening.demand_answer");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("10 working days", "WHN-24", Basis::Promptly));
}

#[test]
fn wuhan_whn_23_opn_3_restricted_reviews_take_noted_defaults_and_users_are_not_rated() {
    let p = wuhan();
    assert!(p.opening.restricted_review.iter().all(|s| s.basis == Basis::Silent && s.source == "WHN-23"));
    assert!(!p.opening.user_rating.applies);
    assert!(p.opening.product_publication.is_none());
}
