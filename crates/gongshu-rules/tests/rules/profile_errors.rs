//! Bad profile files fail with the file name, the key path and the reason.

use gongshu_rules::Profile;
use gongshu_rules::profile::ProfileError;

fn weihai_text() -> String {
    Profile::builtin_text("weihai").unwrap().to_string()
}

fn load_changed(from: &str, to: &str) -> ProfileError {
    let text = weihai_text();
    assert!(text.contains(from), "the fixture lacks {from:?}");
    Profile::from_toml("weihai.toml", &text.replacen(from, to, 1)).unwrap_err()
}

#[test]
fn an_unknown_key_names_the_file_the_key_path_and_the_reason() {
    let err = load_changed("[opening.demand_answer]\n", "[opening.demand_answer]\nbogus = 1\n");
    assert_eq!(err.code(), "profile_unknown_key");
    assert_eq!(err.file(), "weihai.toml");
    assert_eq!(err.key(), "opening.demand_answer.bogus");
    assert!(err.reason().contains("unknown field `bogus`"), "{}", err.reason());
    assert!(err.message_en().starts_with("weihai.toml: opening.demand_answer.bogus: unknown key"));
    assert!(err.message_zh().contains("配置文件 weihai.toml 的 opening.demand_answer.bogus：未知的键"));
}

#[test]
fn a_negative_number_names_the_step_in_its_array_of_tables() {
    let err = load_changed("working_days = 2\nsource = \"WH-17\"", "working_days = -2\nsource = \"WH-17\"");
    assert_eq!(err.code(), "profile_bad_value");
    assert_eq!(err.file(), "weihai.toml");
    assert_eq!(err.key(), "sharing.conditional_review[1].working_days");
    assert!(err.reason().contains("-2"), "{}", err.reason());
}

#[test]
fn a_missing_field_names_the_table_and_the_field() {
    let err = load_changed("[catalog.change_filing]\nworking_days = 15\n", "[catalog.change_filing]\n");
    assert_eq!(err.code(), "profile_missing_key");
    assert_eq!(err.key(), "catalog.change_filing.working_days");
    assert!(err.reason().contains("missing field `working_days`"));
    let err = load_changed("[quality.correction_ticket]", "[quality.correction]");
    assert_eq!(err.code(), "profile_unknown_key");
    assert_eq!(err.key(), "quality.correction");
}

#[test]
fn zero_working_days_are_refused_with_the_key_of_the_figure() {
    let err = load_changed("working_days = 15\nsource = \"WH-9\"", "working_days = 0\nsource = \"WH-9\"");
    assert_eq!(err.code(), "profile_zero_working_days");
    assert_eq!(err.key(), "catalog.change_filing.working_days");
    assert_eq!(err.reason(), "a deadline must be at least 1 working day");
}

#[test]
fn a_default_without_a_note_is_refused() {
    let text = weihai_text();
    let start = text.find("[quality.correction_ticket]").unwrap();
    let note = start + text[start..].find("note = ").unwrap();
    let end = note + text[note..].find('\n').unwrap() + 1;
    let broken = format!("{}{}", &text[..note], &text[end..]);
    let err = Profile::from_toml("weihai.toml", &broken).unwrap_err();
    assert_eq!(err.code(), "profile_default_without_note");
    assert_eq!(err.key(), "quality.correction_ticket.note");
}

#[test]
fn a_stated_figure_must_cite_an_article_of_its_own_regulation() {
    let err = load_changed("source = \"WH-25\"", "source = \"QQ-15\"");
    assert_eq!(err.code(), "profile_source_outside_regulation");
    assert_eq!(err.key(), "opening.demand_answer.source");
    let err = load_changed("source = \"WH-25\"", "source = \"article 25\"");
    assert_eq!(err.code(), "profile_source_not_article");
}

#[test]
fn the_name_must_match_the_file_name() {
    let err = Profile::from_toml("profiles/lishui.toml", &weihai_text()).unwrap_err();
    assert_eq!(err.code(), "profile_name_mismatch");
    assert_eq!((err.file(), err.key()), ("profiles/lishui.toml", "name"));
}

#[test]
fn silence_means_consent_needs_a_provider_step_with_a_deadline() {
    let text = Profile::builtin_text("wuhan").unwrap().replacen(
        "reviewer = \"provider\"\nworking_days = 10",
        "reviewer = \"authority\"\nworking_days = 10",
        1,
    );
    let err = Profile::from_toml("wuhan.toml", &text).unwrap_err();
    assert_eq!(err.code(), "profile_consent_without_deadline");
    assert_eq!(err.key(), "sharing.provider_silence.outcome");
}

#[test]
fn a_city_consent_flag_without_its_deadline_is_refused() {
    let text = Profile::builtin_text("binzhou").unwrap();
    let start = text.find("[catalog.city_consent_review]").unwrap();
    let end = start + text[start..].find("[catalog.not_shared_approval]").unwrap();
    let broken = format!("{}{}", &text[..start], &text[end..]);
    let err = Profile::from_toml("binzhou.toml", &broken).unwrap_err();
    assert_eq!(err.code(), "profile_consent_review_mismatch");
}

#[test]
fn a_bad_month_day_and_a_bad_enum_value_are_bad_values_at_their_keys() {
    let err = load_changed("due = \"02-end\"", "due = \"02-30\"");
    assert_eq!(err.code(), "profile_bad_value");
    assert_eq!(err.key(), "planning.annual_demand_plan.due");
    assert!(err.reason().contains("02-30"));
    let err = load_changed("outcome = \"escalate\"", "outcome = \"ignore\"");
    assert_eq!(err.key(), "sharing.provider_silence.outcome");
}

#[test]
fn a_toml_syntax_error_names_the_file_and_its_place() {
    let err = load_changed("[opening.demand_answer]\n", "[opening.demand_answer\n");
    assert_eq!(err.code(), "profile_syntax");
    assert_eq!(err.file(), "weihai.toml");
    assert!(!err.message_zh().is_empty());
}
