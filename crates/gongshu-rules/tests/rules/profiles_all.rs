//! What holds for every built-in profile, and the section 8 deadline table of the requirements.

use gongshu_rules::Profile;
use gongshu_rules::profile::{Basis, SilenceOutcome};

#[test]
fn every_builtin_profile_loads_and_carries_the_name_of_its_file() {
    let all = Profile::all().unwrap();
    let names: Vec<&str> = all.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, Profile::NAMES);
    assert_eq!(Profile::builtin("hangzhou").unwrap_err().code(), "profile_unknown");
    assert!(Profile::builtin_text("wuhan").unwrap().contains("WHN-17"));
}

#[test]
fn every_figure_names_a_source_and_every_default_says_which_default_and_why() {
    for p in Profile::all().unwrap() {
        let rules = p.rules();
        assert!(rules.len() >= 13, "{}", p.name);
        for r in rules {
            assert!(!r.source.is_empty(), "{} {}", p.name, r.key);
            if r.basis != Basis::Stated {
                let note = r.note.unwrap_or_default();
                assert!(note.contains("default") || note.contains("Our reading"), "{} {}: {note}", p.name, r.key);
            }
        }
    }
}

/// Section 8 of the requirements: "Deadlines by profile (working days unless said)".
/// `None` is a dash in the table or a "promptly": the profile's figure is then a noted default.
#[test]
fn section_8_the_deadline_table_holds_for_every_profile() {
    type Row = (&'static str, [Option<u32>; 5]);
    let rows: [Row; 7] = [
        ("catalog.change_filing", [Some(15), None, None, Some(15), None]),
        ("catalog.change_review[0]", [Some(2), None, Some(5), Some(2), Some(3)]),
        ("opening.demand_answer", [Some(10), Some(10), None, None, None]),
        ("opening.restricted_review[0]", [Some(5), Some(15), None, None, None]),
        ("opening.restricted_review[1]", [Some(10), Some(15), None, None, None]),
        ("sharing.conditional_review[0]", [Some(1), None, Some(1), None, Some(10)]),
        ("sharing.conditional_review[1]", [Some(2), None, None, None, None]),
    ];
    let all = Profile::all().unwrap();
    for (key, expected) in rows {
        for (p, want) in all.iter().zip(expected) {
            let rule = p.rules().into_iter().find(|r| r.key == key);
            match (want, rule) {
                (Some(n), Some(r)) => {
                    assert_eq!(r.basis, Basis::Stated, "{} {key}", p.name);
                    assert!(r.value.starts_with(&format!("{n} working day")), "{} {key}: {}", p.name, r.value);
                }
                (None, Some(r)) => {
                    assert!(r.basis.is_default(), "{} {key} should be a default", p.name)
                }
                (Some(_), None) => panic!("{} lacks {key}", p.name),
                (None, None) => {}
            }
        }
    }
    let qq = Profile::builtin("qiqihar").unwrap();
    assert_eq!(qq.catalog.change_review[1].working_days, 10, "QQ: +10 for the service agency");
    let ls = Profile::builtin("lishui").unwrap();
    assert_eq!(ls.opening.restricted_review[2].working_days, 15, "LS: authority re-check");
    assert_eq!(ls.opening.product_publication.unwrap().months, 3, "LS: product in 3 months");
}

#[test]
fn the_rules_that_only_some_cities_have_belong_to_exactly_those_cities() {
    let all = Profile::all().unwrap();
    let with =
        |f: &dyn Fn(&Profile) -> bool| -> Vec<String> { all.iter().filter(|p| f(p)).map(|p| p.name.clone()).collect() };
    assert_eq!(with(&|p| p.sharing.provider_silence.outcome == SilenceOutcome::Consent), ["wuhan"]);
    assert_eq!(with(&|p| p.opening.user_rating.applies), ["lishui"]);
    assert_eq!(with(&|p| p.catalog.city_consent_for_deletion.value), ["binzhou"]);
    assert_eq!(with(&|p| p.planning.annual_demand_plan.is_some()), ["weihai"]);
    assert_eq!(with(&|p| p.opening.quarterly_cutoffs.is_some()), ["lishui"]);
    assert_eq!(with(&|p| p.opening.product_publication.is_some()), ["lishui"]);
    assert_eq!(with(&|p| p.catalog.change_review.len() > 1), ["qiqihar"]);
    assert_eq!(with(&|p| p.catalog.not_shared_approval.approvers.len() > 1), ["wuhan"]);
    assert!(all.iter().all(|p| p.quality.correction_ticket.working_days == 5));
    assert!(all.iter().all(|p| p.catalog.conditional_reevaluation.months == 12));
}

#[test]
fn the_markdown_rendering_is_a_table_of_rule_value_source_and_note() {
    let md = Profile::builtin("wuhan").unwrap().to_markdown();
    assert!(md.starts_with("## Wuhan (武汉市, `wuhan`)"));
    assert!(md.contains("| rule | value | source | note |"));
    assert!(md.contains("| provider does not answer in time (SHR-2) | consent | WHN-17 |"));
    assert!(md.contains("default (the text says \"promptly\")"));
    let rows = md.lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(rows, 1 + Profile::builtin("wuhan").unwrap().rules().len());
}

#[test]
fn a_profile_round_trips_through_json_for_the_api() {
    let p = Profile::builtin("lishui").unwrap();
    let json = serde_json::to_string(&p).unwrap();
    assert!(json.contains("\"dates\":[\"03-30\",\"06-30\",\"09-30\",\"12-30\"]"));
    let back: Profile = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
}
