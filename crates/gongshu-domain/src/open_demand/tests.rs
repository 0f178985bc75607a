use chrono::{Datelike, NaiveDate, Weekday};

use super::stats::{Sample, median, provider_stats, working_days_after};
use super::*;
use crate::Localized;

use DemandState as S;

fn draft<'a>(kind: &'a str, entry: Option<i64>) -> DemandDraft<'a> {
    DemandDraft {
        kind, entry_id: entry, title: "需要按月更新", body: "希望提供 CSV 格式", ..Default::default()
    }
}

fn code(r: Result<impl std::fmt::Debug, OpenDemandError>) -> &'static str {
    match r {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => {
            assert!(!e.message_zh().is_empty() && !e.message_en().is_empty());
            e.code()
        }
    }
}

/// OPN-7 (WH-25, ZJ-21): every kind about an open entry is accepted, its texts trimmed.
#[test]
fn opn_7_every_kind_about_an_entry_is_accepted() {
    for kind in DemandKind::ALL {
        let mut d = draft(kind.as_str(), Some(7));
        if *kind == DemandKind::Infringement {
            d.infringement_kind = Some("privacy");
        }
        d.title = "  标题  ";
        let parsed = NewDemand::parse(&d).unwrap();
        assert_eq!((parsed.kind, parsed.entry_id, parsed.title.as_str()), (*kind, Some(7), "标题"));
        assert_eq!(parsed.infringement_kind.is_some(), *kind == DemandKind::Infringement);
        assert_eq!(DemandKind::from_code(kind.as_str()), Some(*kind));
    }
}

/// OPN-7 (ZJ-22): only a demand asks for data outside the catalog, optionally naming
/// the organization that holds it; everything else names an open entry.
#[test]
fn opn_7_only_demands_ask_for_data_outside_the_catalog() {
    let outside = NewDemand::parse(&DemandDraft { org_id: Some(3), ..draft("demand", None) }).unwrap();
    assert_eq!((outside.entry_id, outside.named_org_id), (None, Some(3)));
    assert!(NewDemand::parse(&draft("demand", None)).is_ok());
    for kind in ["objection", "infringement", "suggestion"] {
        assert_eq!(code(NewDemand::parse(&draft(kind, None))), "entry_required", "{kind}");
    }
    assert_eq!(code(NewDemand::parse(&DemandDraft { org_id: Some(3), ..draft("demand", Some(1)) })), "org_with_entry");
}

/// OPN-7: bad input is named: unknown kind, empty or long texts, the infringed right.
#[test]
fn opn_7_bad_submissions_are_refused_with_a_code() {
    assert_eq!(code(NewDemand::parse(&draft("complaint", Some(1)))), "unknown_kind");
    assert_eq!(code(NewDemand::parse(&DemandDraft { title: "  ", ..draft("demand", Some(1)) })), "text_required");
    assert_eq!(code(NewDemand::parse(&DemandDraft { body: "", ..draft("demand", Some(1)) })), "text_required");
    let long = "长".repeat(TITLE_MAX + 1);
    assert_eq!(code(NewDemand::parse(&DemandDraft { title: &long, ..draft("demand", Some(1)) })), "text_too_long");
    let exact = "长".repeat(TITLE_MAX);
    assert!(NewDemand::parse(&DemandDraft { title: &exact, ..draft("demand", Some(1)) }).is_ok());
    assert_eq!(code(NewDemand::parse(&draft("infringement", Some(1)))), "infringement_kind_required");
    let bad_right = DemandDraft { infringement_kind: Some("copyright"), ..draft("infringement", Some(1)) };
    assert_eq!(code(NewDemand::parse(&bad_right)), "unknown_infringement_kind");
    let stray = DemandDraft { infringement_kind: Some("privacy"), ..draft("objection", Some(1)) };
    assert_eq!(code(NewDemand::parse(&stray)), "infringement_kind_not_allowed");
    let blank = DemandDraft { infringement_kind: Some(" "), ..draft("objection", Some(1)) };
    assert!(NewDemand::parse(&blank).is_ok(), "an empty form field is no right named");
    for right in InfringementKind::ALL {
        let d = DemandDraft { infringement_kind: Some(right.as_str()), ..draft("infringement", Some(1)) };
        assert_eq!(NewDemand::parse(&d).unwrap().infringement_kind, Some(*right));
    }
}

/// OPN-7: only published open entries take submissions.
#[test]
fn opn_7_only_published_open_entries_take_submissions() {
    assert!(entry_takes_submissions(true, "unconditional").is_ok());
    assert!(entry_takes_submissions(true, "conditional").is_ok());
    assert_eq!(code(entry_takes_submissions(true, "not_open")), "entry_not_open");
    assert_eq!(code(entry_takes_submissions(false, "unconditional")), "entry_not_published");
}

/// OPN-7: submitted → read (when the holder opens it) → answered; answering twice is refused.
#[test]
fn opn_7_submitted_then_read_then_answered_once() {
    for kind in DemandKind::ALL.iter().copied() {
        assert_eq!(next(kind, S::Submitted, Action::Read), Ok(S::Read));
        assert_eq!(next(kind, S::Read, Action::Read), Ok(S::Read), "opening again changes nothing");
        assert_eq!(next(kind, S::Read, Action::Answer), Ok(S::Answered));
        assert_eq!(next(kind, S::Submitted, Action::Answer), Ok(S::Answered), "answered unread");
        assert_eq!(code(next(kind, S::Answered, Action::Answer)), "already_answered");
        assert_eq!(next(kind, S::Answered, Action::Read), Ok(S::Answered));
    }
}

/// OPN-8 (ZJ-35, LS-17, QQ-19, WHN-24): an infringement objection suspends opening at
/// once, then its outcome is withdraw, restore, or fix-and-reopen, once.
#[test]
fn opn_8_infringement_suspends_then_decides() {
    let k = DemandKind::Infringement;
    for from in [S::Submitted, S::Read] {
        assert_eq!(next(k, from, Action::Suspend), Ok(S::Suspended));
    }
    assert_eq!(code(next(k, S::Suspended, Action::Suspend)), "already_suspended");
    let ends = [(Outcome::Withdraw, S::Withdrawn), (Outcome::Restore, S::Restored), (Outcome::Reopen, S::Reopened)];
    for (o, end) in ends {
        assert_eq!(next(k, S::Suspended, Action::Decide(o)), Ok(end));
        assert!(end.is_final());
        assert_eq!(code(next(k, end, Action::Decide(o))), "already_decided");
        assert_eq!(code(next(k, end, Action::Answer)), "already_decided");
        assert_eq!(code(next(k, end, Action::Suspend)), "already_decided");
        assert_eq!(next(k, end, Action::Read), Ok(end));
        assert_eq!(Outcome::from_code(o.as_str()), Some(o));
    }
    assert!(!Outcome::Withdraw.lifts_suspension());
    assert!(Outcome::Restore.lifts_suspension() && Outcome::Reopen.lifts_suspension());
}

/// OPN-8: a suspended item is closed by an outcome, not an answer; an outcome needs a
/// suspension; an infringement objection found unfounded at once is simply answered.
#[test]
fn opn_8_outcomes_follow_a_suspension_only() {
    let k = DemandKind::Infringement;
    assert_eq!(code(next(k, S::Suspended, Action::Answer)), "outcome_required");
    for from in [S::Submitted, S::Read] {
        assert_eq!(code(next(k, from, Action::Decide(Outcome::Restore))), "not_suspended");
        assert_eq!(next(k, from, Action::Answer), Ok(S::Answered));
    }
    assert_eq!(code(next(k, S::Answered, Action::Suspend)), "already_answered");
    assert_eq!(code(next(k, S::Answered, Action::Decide(Outcome::Withdraw))), "already_answered");
}

/// OPN-8: only an infringement objection suspends opening or takes an outcome.
#[test]
fn opn_8_only_infringement_objections_suspend() {
    for kind in [DemandKind::Demand, DemandKind::Objection, DemandKind::Suggestion] {
        for state in DemandState::ALL.iter().copied() {
            assert_eq!(code(next(kind, state, Action::Suspend)), "not_infringement", "{kind:?} {state:?}");
            assert_eq!(code(next(kind, state, Action::Decide(Outcome::Restore))), "not_infringement");
        }
    }
}

/// Every state and action pair has a defined answer, and only the listed moves change state.
#[test]
fn opn_7_the_transition_table_is_complete() {
    let actions = [
        Action::Read,
        Action::Answer,
        Action::Suspend,
        Action::Decide(Outcome::Withdraw),
        Action::Decide(Outcome::Restore),
        Action::Decide(Outcome::Reopen),
    ];
    let mut moves = 0;
    for kind in DemandKind::ALL.iter().copied() {
        for state in DemandState::ALL.iter().copied() {
            for action in actions {
                if let Ok(to) = next(kind, state, action)
                    && to != state
                {
                    assert!(state.is_open(), "{kind:?}: {state:?} is final");
                    moves += 1;
                }
            }
        }
    }
    // Per kind: read, answer from submitted and read; plus for infringement: suspend
    // from submitted and read, and three outcomes.
    assert_eq!(moves, 4 * 3 + 2 + 3);
    assert_eq!(DemandState::from_code("answered"), Some(S::Answered));
    assert_eq!(DemandState::Submitted.label_zh(), "未读");
    assert_eq!(DemandState::Read.label_zh(), "已读");
    assert_eq!(DemandState::Answered.label_zh(), "已答复");
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn weekdays(day: NaiveDate) -> bool {
    !matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

/// SUP-4: working days are counted as deadlines count them: after the day of receipt.
#[test]
fn sup_4_working_days_to_answer_count_after_the_day_of_receipt() {
    // Friday 2025-01-03.
    assert_eq!(working_days_after(d(2025, 1, 3), d(2025, 1, 3), weekdays), 0);
    assert_eq!(working_days_after(d(2025, 1, 3), d(2025, 1, 5), weekdays), 0, "the weekend does not count");
    assert_eq!(working_days_after(d(2025, 1, 3), d(2025, 1, 6), weekdays), 1);
    assert_eq!(working_days_after(d(2025, 1, 3), d(2025, 1, 17), weekdays), 10);
    assert_eq!(working_days_after(d(2025, 1, 6), d(2025, 1, 3), weekdays), 0, "an answer before receipt is 0");
    let holiday = |day: NaiveDate| weekdays(day) && day != d(2025, 1, 6);
    assert_eq!(working_days_after(d(2025, 1, 3), d(2025, 1, 7), holiday), 1);
}

/// SUP-4: the median of odd and even counts, and of none.
#[test]
fn sup_4_median_of_answer_times() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[4.0]), Some(4.0));
    assert_eq!(median(&[9.0, 1.0, 4.0]), Some(4.0));
    assert_eq!(median(&[9.0, 1.0, 4.0, 2.0]), Some(3.0));
    assert_eq!(median(&[f64::NAN, 2.0]), Some(2.0));
}

/// SUP-4: per provider, received, answered, overdue (open past the deadline now),
/// answered late, and the medians in working days and hours over answered items.
#[test]
fn sup_4_provider_statistics() {
    const H: i64 = 3_600_000_000;
    let s = |holder, received_at, answered: Option<(i64, u32)>| Sample {
        holder_org_id: holder,
        received_at,
        due_at: received_at + 100 * H,
        answered_at: answered.map(|a| a.0),
        answer_working_days: answered.map(|a| a.1),
    };
    let samples = [
        s(2, 0, Some((10 * H, 1))),
        s(2, 0, Some((30 * H, 3))),
        s(2, 0, Some((200 * H, 8))),
        s(2, 0, None),
        s(2, 500 * H, None),
        s(1, 0, Some((5 * H, 0))),
        s(3, 0, None),
    ];
    let stats = provider_stats(&samples, 150 * H);
    assert_eq!(stats.iter().map(|p| p.holder_org_id).collect::<Vec<_>>(), [1, 2, 3]);
    let two = &stats[1];
    assert_eq!((two.received, two.answered, two.overdue, two.answered_late), (5, 3, 1, 1));
    assert_eq!((two.median_working_days, two.median_hours), (Some(3.0), Some(30.0)));
    assert_eq!((stats[0].median_working_days, stats[0].median_hours), (Some(0.0), Some(5.0)));
    assert_eq!((stats[2].answered, stats[2].overdue, stats[2].median_hours), (0, 1, None));
    assert!(provider_stats(&[], 0).is_empty());
}
