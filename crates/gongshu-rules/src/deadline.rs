//! The deadline engine's rules, with no I/O: which clocks a workflow starts under a
//! profile, what happens when one is missed, when to remind, and how a clock stands.
//!
//! A clock counts working days from the day of receipt (CST) with the calendar; its last
//! moment is 23:59:59 CST on the due date. The scheduler (in the server) fires the
//! outcome chosen here exactly once.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::Serialize;

use crate::calendar::{Calendar, CalendarError, Due, cst};
use crate::profile::{Profile, Reviewer, SilenceOutcome, Stage};

/// What the platform does when a clock runs out unanswered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnMiss {
    /// Tell the holder it is overdue (the item stays with them).
    Remind,
    /// Tell the holder and raise it to the authority's overview.
    Escalate,
    /// The platform acts itself (e.g. WHN-17: silence means consent).
    Act(Act),
}

/// Acts the platform performs by itself when a deadline passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Act {
    /// Grant a conditional share request the provider left unanswered (WHN-17).
    GrantShareRequest,
    /// End an emergency adjustment of a catalog entry's attributes (CAT-7).
    RevertEmergency,
}

impl OnMiss {
    pub fn as_str(self) -> &'static str {
        match self {
            OnMiss::Remind => "remind",
            OnMiss::Escalate => "escalate",
            OnMiss::Act(Act::GrantShareRequest) => "act:share_request.grant",
            OnMiss::Act(Act::RevertEmergency) => "act:catalog.emergency_end",
        }
    }

    pub fn parse(s: &str) -> Option<OnMiss> {
        match s {
            "remind" => Some(OnMiss::Remind),
            "escalate" => Some(OnMiss::Escalate),
            "act:share_request.grant" => Some(OnMiss::Act(Act::GrantShareRequest)),
            "act:catalog.emergency_end" => Some(OnMiss::Act(Act::RevertEmergency)),
            _ => None,
        }
    }
}

/// One step of a workflow as a clock: who holds it, for how long, and what a miss means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepClock {
    /// The profile key, e.g. `sharing.conditional_review[1]`.
    pub rule: String,
    pub stage: Stage,
    pub reviewer: Reviewer,
    pub working_days: u32,
    /// The article the figure comes from.
    pub source: String,
    pub on_miss: OnMiss,
}

/// The clocks of a conditional share request's review (SHR-2), in order, under `profile`.
/// A provider step that the profile lets lapse into consent (WHN-17) is granted by the
/// platform; any other missed provider step goes to the authority; a missed authority
/// step reminds the authority.
pub fn share_review_clocks(profile: &Profile) -> Vec<StepClock> {
    profile
        .sharing
        .conditional_review
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let on_miss = match (step.reviewer, profile.sharing.provider_silence.outcome) {
                (Reviewer::Provider, SilenceOutcome::Consent) => OnMiss::Act(Act::GrantShareRequest),
                (Reviewer::Provider, SilenceOutcome::Escalate) => OnMiss::Escalate,
                _ => OnMiss::Remind,
            };
            StepClock {
                rule: format!("sharing.conditional_review[{i}]"),
                stage: step.stage,
                reviewer: step.reviewer,
                working_days: step.working_days,
                source: step.source.clone(),
                on_miss,
            }
        })
        .collect()
}

/// The review steps of a catalog entry under `profile` (CAT-2, CAT-3): the profile's
/// `catalog.change_review` steps, then, for a change or retirement of a published entry
/// where the profile requires it (BZ-12), the city authority's consent. A missed review
/// step is escalated; nothing is approved by silence.
pub fn catalog_review_clocks(profile: &Profile, changes_published: bool) -> Vec<StepClock> {
    let mut steps: Vec<StepClock> = profile
        .catalog
        .change_review
        .iter()
        .enumerate()
        .map(|(i, step)| StepClock {
            rule: format!("catalog.change_review[{i}]"),
            stage: step.stage,
            reviewer: step.reviewer,
            working_days: step.working_days,
            source: step.source.clone(),
            on_miss: OnMiss::Escalate,
        })
        .collect();
    if changes_published
        && profile.catalog.city_consent_for_deletion.value
        && let Some(consent) = &profile.catalog.city_consent_review
    {
        steps.push(StepClock {
            rule: "catalog.city_consent_review".into(),
            stage: Stage::Review,
            reviewer: Reviewer::CityAuthority,
            working_days: consent.working_days,
            source: consent.source.clone(),
            on_miss: OnMiss::Escalate,
        });
    }
    steps
}

/// A clock as planned: when it is due and when to remind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Plan {
    pub received: NaiveDate,
    pub due: Due,
    /// 23:59:59 CST on the due date.
    pub due_at: DateTime<Utc>,
    /// 09:00 CST on the working day before the due date (on the due date itself for a
    /// one-day deadline).
    pub remind_at: DateTime<Utc>,
}

/// Plans a clock of `working_days` for something received at `received_at`.
pub fn plan(
    calendar: &Calendar,
    received_at: DateTime<Utc>,
    working_days: u32,
    region: Option<&str>,
) -> Result<Plan, CalendarError> {
    let received = crate::calendar::cst_date(received_at);
    let due = calendar.due_date(received, working_days, region)?;
    let remind_on = if working_days >= 2 { previous_workday(calendar, due.date, received, region) } else { due.date };
    Ok(Plan { received, due, due_at: due.closes_at_utc(), remind_at: at_nine_cst(remind_on) })
}

fn previous_workday(calendar: &Calendar, before: NaiveDate, after: NaiveDate, region: Option<&str>) -> NaiveDate {
    let mut day = before;
    while let Some(prev) = day.pred_opt() {
        if prev <= after {
            break;
        }
        if calendar.is_workday(prev, region) {
            return prev;
        }
        day = prev;
    }
    before
}

fn at_nine_cst(day: NaiveDate) -> DateTime<Utc> {
    match NaiveTime::from_hms_opt(9, 0, 0).and_then(|t| day.and_time(t).and_local_timezone(cst()).single()) {
        Some(t) => t.with_timezone(&Utc),
        None => day.and_time(NaiveTime::MIN).and_utc(),
    }
}

/// How a clock stands at a moment, for "my deadlines" and the overview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Open, not yet in its reminder window.
    Open,
    /// Open, past the reminder time: due soon.
    DueSoon,
    /// Open and past its last moment.
    Overdue,
}

pub fn standing(now: DateTime<Utc>, due_at: DateTime<Utc>, remind_at: DateTime<Utc>) -> Standing {
    if now > due_at {
        Standing::Overdue
    } else if now >= remind_at {
        Standing::DueSoon
    } else {
        Standing::Open
    }
}

/// An answer after the last moment is allowed but recorded as late.
pub fn answered_late(answered_at: DateTime<Utc>, due_at: DateTime<Utc>) -> bool {
    answered_at > due_at
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
    }

    /// WHN-17 and SHR-2: in Wuhan an unanswered provider is taken as consent; elsewhere it escalates.
    #[test]
    fn whn_17_shr_2_silence_is_consent_only_where_the_profile_says_so() {
        let wuhan = share_review_clocks(&Profile::builtin("wuhan").unwrap());
        assert_eq!(wuhan.len(), 1);
        assert_eq!((wuhan[0].working_days, wuhan[0].on_miss), (10, OnMiss::Act(Act::GrantShareRequest)));
        assert_eq!(wuhan[0].source, "WHN-17");
        let weihai = share_review_clocks(&Profile::builtin("weihai").unwrap());
        let shape: Vec<(Reviewer, u32, OnMiss)> =
            weihai.iter().map(|c| (c.reviewer, c.working_days, c.on_miss)).collect();
        assert_eq!(
            shape,
            [(Reviewer::Authority, 1, OnMiss::Remind), (Reviewer::Provider, 2, OnMiss::Escalate)],
            "WH-17"
        );
        let qiqihar = share_review_clocks(&Profile::builtin("qiqihar").unwrap());
        assert_eq!((qiqihar[0].reviewer, qiqihar[0].working_days), (Reviewer::Provider, 1), "QQ-15");
        for name in Profile::NAMES {
            for c in share_review_clocks(&Profile::builtin(name).unwrap()) {
                assert_eq!(OnMiss::parse(c.on_miss.as_str()), Some(c.on_miss));
            }
        }
    }

    /// CAT-3, BZ-12, QQ-8: catalog review steps differ by city.
    #[test]
    fn cat_3_catalog_review_steps_by_profile() {
        let shape = |name: &str, change: bool| -> Vec<(Reviewer, u32)> {
            catalog_review_clocks(&Profile::builtin(name).unwrap(), change)
                .iter()
                .map(|c| (c.reviewer, c.working_days))
                .collect()
        };
        assert_eq!(shape("weihai", true), [(Reviewer::Authority, 2)], "WH-9");
        assert_eq!(shape("binzhou", false), [(Reviewer::Authority, 2)], "BZ-12: a first publication");
        assert_eq!(
            shape("binzhou", true),
            [(Reviewer::Authority, 2), (Reviewer::CityAuthority, 2)],
            "BZ-12: changes need the city"
        );
        assert_eq!(shape("qiqihar", true), [(Reviewer::Authority, 5), (Reviewer::ServiceAgency, 10)], "QQ-8");
        assert_eq!(shape("wuhan", true), [(Reviewer::Authority, 3)], "WHN-11");
    }

    /// SUP-1: receipt is counted on the China Standard Time date, whatever the server's
    /// zone: 16:30 UTC on a Thursday is already Friday 00:30 in China.
    #[test]
    fn sup_1_receipt_is_counted_on_the_china_standard_time_date() {
        let cal = Calendar::official().unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(2024, m, d).unwrap();
        let thursday_late = plan(&cal, utc(2024, 11, 14, 15, 30), 1, None).unwrap();
        assert_eq!((thursday_late.received, thursday_late.due.date), (day(11, 14), day(11, 15)));
        let friday_early_cst = plan(&cal, utc(2024, 11, 14, 16, 30), 1, None).unwrap();
        assert_eq!((friday_early_cst.received, friday_early_cst.due.date), (day(11, 15), day(11, 18)));
        // Friday 2024-09-27 23:30 CST, before National Day: Sun 29 (make-up), Mon 30, then
        // the holiday to Oct 7, then Tue 8, Wed 9, Thu 10.
        let friday_evening = plan(&cal, utc(2024, 9, 27, 15, 30), 5, None).unwrap();
        assert_eq!((friday_evening.received, friday_evening.due.date), (day(9, 27), day(10, 10)));
        assert_eq!(friday_evening.due_at, utc(2024, 10, 10, 15, 59) + chrono::Duration::seconds(59));
    }

    /// SUP-1: the reminder falls on the working day before the due date, at 09:00 CST.
    #[test]
    fn sup_1_reminder_on_the_working_day_before() {
        let cal = Calendar::official().unwrap();
        // Received Mon 2024-09-30; 5 working days end Sat 2024-10-12 (a make-up workday);
        // the working day before is Fri 2024-10-11.
        let p = plan(&cal, utc(2024, 9, 30, 2, 0), 5, None).unwrap();
        assert_eq!(p.due.date, NaiveDate::from_ymd_opt(2024, 10, 12).unwrap());
        assert_eq!(p.remind_at, utc(2024, 10, 11, 1, 0));
        // A one-day deadline reminds on its own day.
        let p = plan(&cal, utc(2024, 9, 30, 2, 0), 1, None).unwrap();
        assert_eq!(p.due.date, NaiveDate::from_ymd_opt(2024, 10, 8).unwrap());
        assert_eq!(p.remind_at, utc(2024, 10, 8, 1, 0));
    }

    #[test]
    fn standing_moves_from_open_to_due_soon_to_overdue() {
        let remind = utc(2024, 10, 11, 1, 0);
        let due = utc(2024, 10, 12, 15, 59);
        assert_eq!(standing(utc(2024, 10, 10, 0, 0), due, remind), Standing::Open);
        assert_eq!(standing(utc(2024, 10, 11, 2, 0), due, remind), Standing::DueSoon);
        assert_eq!(standing(utc(2024, 10, 12, 16, 0), due, remind), Standing::Overdue);
        assert!(answered_late(utc(2024, 10, 12, 16, 0), due));
        assert!(!answered_late(utc(2024, 10, 12, 15, 0), due));
    }
}
