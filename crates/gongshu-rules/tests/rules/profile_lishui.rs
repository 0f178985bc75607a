//! The Lishui profile, rule by rule against 丽水市公共数据开放工作细则 and the Zhejiang measures (ZJ).

use crate::common::{d, rule};
use gongshu_rules::profile::{Basis, DowngradeControl, Rating, Reviewer, SilenceOutcome, Stage};
use gongshu_rules::{Calendar, Profile};

fn lishui() -> Profile {
    Profile::builtin("lishui").unwrap()
}

#[test]
fn lishui_ls_10_org_4_users_are_rated_a_aa_aaa_with_aa_for_restricted_data_and_aaa_for_the_sandbox() {
    let rating = lishui().opening.user_rating;
    assert!(rating.applies);
    assert_eq!(rating.source, "LS-10");
    assert_eq!(rating.restricted_min, Some(Rating::AA));
    assert_eq!(rating.sandbox_min, Some(Rating::AAA));
    assert_eq!(rating.min_protection_level, Some(2));
}

#[test]
fn lishui_ls_11_opn_3_formal_review_15_provider_review_15_and_authority_recheck_15_working_days() {
    let p = lishui();
    let chain: Vec<(Stage, Reviewer, u32)> =
        p.opening.restricted_review.iter().map(|s| (s.stage, s.reviewer, s.working_days)).collect();
    assert_eq!(
        chain,
        [
            (Stage::FormalReview, Reviewer::Authority, 15),
            (Stage::Review, Reviewer::Provider, 15),
            (Stage::Recheck, Reviewer::Authority, 15),
        ]
    );
    assert!(p.opening.restricted_review.iter().all(|s| s.source == "LS-11" && s.basis == Basis::Stated));
}

#[test]
fn lishui_ls_11_opn_3_provider_reviews_end_by_mar_30_jun_30_sep_30_dec_30_and_disputed_demands_wait_for_the_round() {
    let p = lishui();
    let cutoffs = p.opening.quarterly_cutoffs.as_ref().unwrap();
    let dates: Vec<String> = cutoffs.dates.iter().map(ToString::to_string).collect();
    assert_eq!(dates, ["03-30", "06-30", "09-30", "12-30"]);
    assert_eq!(cutoffs.source, "LS-11");
    let cal = Calendar::official().unwrap();
    // Undisputed, received Friday 2024-03-01: 15 working days end on 2024-03-22.
    let plain = p.provider_review_due(&cal, d(2024, 3, 1), false).unwrap().unwrap();
    assert_eq!(plain.date, d(2024, 3, 22));
    // Disputed: the first quarterly cut-off on or after that, 2024-03-30.
    assert_eq!(p.provider_review_due(&cal, d(2024, 3, 1), true).unwrap().unwrap().date, d(2024, 3, 30));
    // Received 2024-03-20: 15 working days cross 清明 (make-up Sunday 04-07) to 04-11; disputed: 06-30.
    assert_eq!(p.provider_review_due(&cal, d(2024, 3, 20), false).unwrap().unwrap().date, d(2024, 4, 11));
    assert_eq!(p.provider_review_due(&cal, d(2024, 3, 20), true).unwrap().unwrap().date, d(2024, 6, 30));
}

#[test]
fn lishui_zj_21_opn_7_an_opinion_or_suggestion_about_open_data_is_handled_within_10_working_days() {
    let r = rule(&lishui(), "opening.demand_answer");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("10 working days", "ZJ-21", Basis::Stated));
}

#[test]
fn lishui_ls_21_opn_10_a_product_is_published_within_3_months_of_obtaining_restricted_data() {
    let p = lishui();
    let period = p.opening.product_publication.as_ref().unwrap();
    assert_eq!((period.months, period.source.as_str()), (3, "LS-21"));
    let cal = Calendar::official().unwrap();
    // Obtained 2024-07-01: three months end on National Day 10-01, so the period runs to 10-08.
    assert_eq!(period.due(&cal, d(2024, 7, 1), p.region()).unwrap().date, d(2024, 10, 8));
    assert_eq!(period.due(&cal, d(2024, 11, 30), p.region()).unwrap().date, d(2025, 2, 28));
}

#[test]
fn lishui_zj_15_cat_6_making_data_restricted_is_filed_and_restricted_data_is_reevaluated_periodically() {
    let p = lishui();
    assert_eq!(p.opening.attribute_downgrade.control, DowngradeControl::Filing);
    assert_eq!(p.opening.attribute_downgrade.source, "ZJ-15");
    let r = rule(&p, "catalog.conditional_reevaluation");
    assert_eq!((r.value.as_str(), r.source.as_str(), r.basis), ("12 months", "ZJ-15", Basis::Periodically));
}

#[test]
fn lishui_cat_3_and_shr_2_catalog_and_sharing_figures_are_noted_defaults_as_the_texts_cover_opening_only() {
    let p = lishui();
    for key in [
        "catalog.change_filing",
        "catalog.change_review[0]",
        "sharing.conditional_review[0]",
        "sharing.provider_silence",
    ] {
        let r = rule(&p, key);
        assert_eq!(r.basis, Basis::Silent, "{key}");
        assert!(r.note.unwrap().contains("default"), "{key}");
    }
    assert_eq!(p.catalog.change_review[0].working_days, 5);
    assert_eq!(p.sharing.conditional_review[0].working_days, 10);
    assert_eq!(p.sharing.provider_silence.outcome, SilenceOutcome::Escalate);
    assert!(p.planning.annual_demand_plan.is_none());
}
