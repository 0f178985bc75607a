//! The Binzhou profile, rule by rule against 滨州市公共数据管理办法 (articles 23-28 missing).

use crate::common::{d, rule};
use gongshu_rules::profile::{Basis, Reviewer, SilenceOutcome};
use gongshu_rules::{Calendar, Profile};

fn binzhou() -> Profile {
    Profile::builtin("binzhou").unwrap()
}

#[test]
fn binzhou_bz_12_cat_3_a_change_is_filed_within_15_and_reviewed_within_2_working_days() {
    let p = binzhou();
    assert_eq!((p.catalog.change_filing.working_days, p.catalog.change_filing.source.as_str()), (15, "BZ-12"));
    let review = &p.catalog.change_review;
    assert_eq!((review.len(), review[0].reviewer, review[0].working_days), (1, Reviewer::Authority, 2));
    assert_eq!(review[0].source, "BZ-12");
    let cal = Calendar::official().unwrap();
    // The basis changed on 2025-09-26: 15 working days cross 国庆、中秋 to 2025-10-23.
    assert_eq!(p.catalog.change_filing.due(&cal, d(2025, 9, 26), p.region()).unwrap().date, d(2025, 10, 23));
}

#[test]
fn binzhou_bz_12_cat_3_deleting_or_modifying_an_entry_needs_the_city_authoritys_consent() {
    let p = binzhou();
    let flag = rule(&p, "catalog.city_consent_for_deletion");
    assert_eq!((flag.value.as_str(), flag.source.as_str(), flag.basis), ("required", "BZ-12", Basis::Stated));
    let consent = rule(&p, "catalog.city_consent_review");
    assert_eq!((consent.value.as_str(), consent.basis), ("2 working days", Basis::Silent));
    assert!(consent.note.unwrap().contains("default 2 working days"));
}

#[test]
fn binzhou_bz_21_cat_6_conditional_share_data_is_reevaluated_periodically_by_default_yearly() {
    let r = rule(&binzhou(), "catalog.conditional_reevaluation");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("12 months", "BZ-21", Basis::Periodically));
}

#[test]
fn binzhou_bz_20_shr_2_sharing_uses_noted_defaults_because_articles_23_to_28_are_missing() {
    let p = binzhou();
    let r = rule(&p, "sharing.conditional_review[0]");
    assert_eq!((r.value.as_str(), r.basis), ("10 working days", Basis::Silent));
    assert!(r.note.unwrap().contains("23-28"));
    assert_eq!(p.sharing.provider_silence.outcome, SilenceOutcome::Escalate);
}

#[test]
fn binzhou_bz_33_opn_7_objections_and_suggestions_are_handled_promptly_by_default_within_10_working_days() {
    let r = rule(&binzhou(), "opening.demand_answer");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("10 working days", "BZ-33", Basis::Promptly));
}

#[test]
fn binzhou_bz_19_agg_4_errors_are_corrected_promptly_by_default_within_5_working_days() {
    let r = rule(&binzhou(), "quality.correction_ticket");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("5 working days", "BZ-19", Basis::Promptly));
}
