use gongshu_domain::org::NewOrg;
use gongshu_domain::role::Role;
use gongshu_store::{
    AfterOutcome, AuditFilter, ClockFilter, EntryRecord, NewClock, NewNotification, NewOpenDemand, OpenDemandFilter,
    Store, StoreError, verify_audit,
};

use crate::harness::{actor, backends};
use crate::orgs::seed_weihai;
use crate::users::new_user;

fn entry_record(code: &str, provider: i64) -> EntryRecord {
    EntryRecord {
        code: code.into(),
        provider_org_id: provider,
        name: "公交线路".into(),
        category: "交通".into(),
        share_type: "unconditional".into(),
        open_type: "unconditional".into(),
        level: 1,
        update_cycle: "每月".into(),
        content: "{}".into(),
    }
}

fn clock() -> NewClock {
    NewClock {
        item: String::new(),
        duty: "demand_answer".into(),
        rule: "opening.demand_answer".into(),
        source: "WH-25".into(),
        holder_org_id: None,
        received_on: "2026-03-02".into(),
        working_days: 10,
        due_on: "2026-03-16".into(),
        due_at: i64::MAX / 2,
        remind_at: i64::MAX / 2,
        provisional: false,
        on_miss: "escalate".into(),
    }
}

fn note(text: &str) -> NewNotification {
    NewNotification {
        org_id: None,
        kind: "open_demand".into(),
        item: String::new(),
        title_zh: text.into(),
        title_en: text.into(),
    }
}

/// A provider with one entry, and a requester.
async fn seed(s: &Store, code: &str) -> (i64, i64, i64) {
    seed_weihai(s).await;
    let org = NewOrg::parse("威海市交通运输局", Some("11100000000013127D"), "department", "371000").unwrap();
    let org = s.create_org(&org, None, &actor()).await.unwrap();
    let entry = s.create_entry(&entry_record(code, org.id), &actor()).await.unwrap();
    let user = s.create_user(&new_user("citizen"), "x", &[Role::DataUser], &actor()).await.unwrap();
    (org.id, entry.id, user.id)
}

fn demand(kind: &str, entry: i64, org: i64, user: i64) -> NewOpenDemand {
    NewOpenDemand {
        kind: kind.into(),
        entry_id: Some(entry),
        provider_org_id: org,
        requester_user_id: user,
        infringement_kind: (kind == "infringement").then(|| "privacy".to_string()),
        title: "标题".into(),
        body: "内容".into(),
    }
}

/// OPN-7: a demand is stored with its holder's clock and notification; it is read, then
/// answered once, which stops the clock and tells the requester personally.
#[tokio::test]
async fn opn_7_a_demand_is_read_and_answered_once_with_its_clock() {
    for b in backends().await {
        let s = &b.store;
        let (org, entry, user) = seed(s, "3010100/00001").await;
        let holder_note = NewNotification { org_id: Some(org), ..note("新需求") };
        let clock = NewClock { holder_org_id: Some(org), ..clock() };
        let d =
            s.create_open_demand(&demand("demand", entry, org, user), &clock, &[holder_note], &actor()).await.unwrap();
        assert_eq!((d.state.as_str(), d.due_on.as_str(), d.entry_id), ("submitted", "2026-03-16", Some(entry)));
        let item = format!("open_demand:{}", d.id);
        let clocks = s.clocks(&ClockFilter { item: Some(item.clone()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!((clocks.len(), clocks[0].holder_org_id), (1, Some(org)), "{}", b.name);
        assert!(s.notifications(Some(org), 10).await.unwrap().iter().any(|n| n.item == item));

        assert!(s.mark_open_demand_read(d.id, &actor()).await.unwrap(), "{}", b.name);
        assert!(!s.mark_open_demand_read(d.id, &actor()).await.unwrap(), "{}: read once", b.name);
        assert_eq!(s.open_demand(d.id).await.unwrap().unwrap().state, "read");
        assert!(s.answer_open_demand(d.id, "submitted", "x", user, &note("答"), &actor()).await.unwrap().is_none());
        let answered = s.answer_open_demand(d.id, "read", "已按月更新", user, &note("已答复"), &actor()).await.unwrap();
        let answered = answered.unwrap();
        assert_eq!(
            (answered.state.as_str(), answered.answer.as_deref(), answered.late),
            ("answered", Some("已按月更新"), false)
        );
        assert!(answered.answered_at.is_some() && answered.read_at.is_some());
        assert!(s.answer_open_demand(d.id, "read", "again", user, &note("x"), &actor()).await.unwrap().is_none());
        let clocks = s.clocks(&ClockFilter { item: Some(item.clone()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!(clocks[0].state, "answered", "{}", b.name);
        let mine = s.user_notifications(user, 10).await.unwrap();
        assert_eq!((mine.len(), mine[0].item.as_str(), mine[0].org_id), (1, item.as_str(), None), "{}", b.name);
        assert!(s.user_notifications(user + 1, 10).await.unwrap().is_empty());

        let filter =
            |f: OpenDemandFilter| async move { s.open_demands(&OpenDemandFilter { limit: 50, ..f }).await.unwrap() };
        assert_eq!(filter(OpenDemandFilter { requester_user_id: Some(user), ..Default::default() }).await.len(), 1);
        assert_eq!(filter(OpenDemandFilter { provider_org_id: Some(org), ..Default::default() }).await.len(), 1);
        assert_eq!(filter(OpenDemandFilter { provider_org_id: Some(org + 9), ..Default::default() }).await.len(), 0);
        let answered_only = OpenDemandFilter { state: Some("answered".into()), ..Default::default() };
        assert_eq!(filter(answered_only).await.len(), 1);
        let log = s.audit_entries(&AuditFilter { object: Some(item), limit: 10, ..Default::default() }).await.unwrap();
        let actions: Vec<&str> = log.iter().rev().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["open_demand.submit", "open_demand.read", "open_demand.answer"], "{}", b.name);
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
    }
}

/// OPN-8: the store API the portal reads: suspend an entry's opening, list the
/// suspensions, restore; a second suspension of one entry is a conflict.
#[tokio::test]
async fn opn_8_suspend_opening_lists_and_restores() {
    for b in backends().await {
        let s = &b.store;
        let (_, entry, user) = seed(s, "3010100/00002").await;
        let at = 1_767_225_600_000_000;
        let sus = s.suspend_opening(entry, "涉及个人隐私", None, user, at).await.unwrap();
        assert_eq!(
            (sus.entry_id, sus.reason.as_str(), sus.objection_id, sus.suspended_by, sus.suspended_at),
            (entry, "涉及个人隐私", None, user, at)
        );
        assert_eq!(s.suspensions().await.unwrap(), vec![sus.clone()], "{}", b.name);
        let again = s.suspend_opening(entry, "again", None, user, at).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}: {again:?}", b.name);
        let missing = s.suspend_opening(entry + 100, "x", None, user, at).await;
        assert!(matches!(missing, Err(StoreError::MissingReference(_))), "{}: {missing:?}", b.name);
        assert!(s.restore_opening(entry).await.unwrap(), "{}", b.name);
        assert!(!s.restore_opening(entry).await.unwrap(), "{}: once", b.name);
        assert!(s.suspensions().await.unwrap().is_empty());
        let log = s
            .audit_entries(&AuditFilter {
                object: Some(format!("catalog_entry:{entry}")),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        let actions: Vec<(&str, &str)> = log.iter().rev().map(|e| (e.actor.as_str(), e.action.as_str())).collect();
        assert!(
            actions.contains(&("user:citizen", "open.suspend")) && actions.contains(&("platform", "open.restore")),
            "{actions:?}"
        );
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
    }
}

/// OPN-8: an infringement objection suspends its entry at once; the outcome lifts the
/// suspension (restore, reopen) or keeps it for good (withdraw); decided once.
#[tokio::test]
async fn opn_8_objection_suspends_then_its_outcome_lifts_or_keeps_it() {
    for b in backends().await {
        let s = &b.store;
        let (org, entry, user) = seed(s, "3010100/00003").await;
        let new = |kind: &'static str| {
            let d = demand(kind, entry, org, user);
            async move { s.create_open_demand(&d, &clock(), &[], &actor()).await.unwrap() }
        };
        let plain = new("objection").await;
        let none = s.suspend_for_objection(plain.id, "submitted", "x", user, &note("x"), &actor()).await.unwrap();
        assert!(none.is_none(), "{}: only infringement objections suspend", b.name);

        let first = new("infringement").await;
        let sus = s.suspend_for_objection(first.id, "submitted", "核实中", user, &note("已中止"), &actor()).await;
        let sus = sus.unwrap().unwrap();
        assert_eq!((sus.entry_id, sus.objection_id), (entry, Some(first.id)), "{}", b.name);
        let second = new("infringement").await;
        let clash = s.suspend_for_objection(second.id, "submitted", "y", user, &note("y"), &actor()).await;
        assert!(matches!(clash, Err(StoreError::Conflict(_))), "{}: {clash:?}", b.name);
        assert_eq!(s.open_demand(second.id).await.unwrap().unwrap().state, "submitted", "rolled back");

        let restored = s
            .decide_objection(
                first.id,
                "restore",
                "restored",
                "经核实不涉及",
                &AfterOutcome::Lift,
                user,
                &note("恢复"),
                &actor(),
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!((restored.state.as_str(), restored.outcome.as_deref()), ("restored", Some("restore")));
        assert!(s.suspensions().await.unwrap().is_empty(), "{}", b.name);
        let twice = s
            .decide_objection(first.id, "restore", "restored", "x", &AfterOutcome::Lift, user, &note("x"), &actor())
            .await
            .unwrap();
        assert!(twice.is_none(), "{}: decided once", b.name);

        s.suspend_for_objection(second.id, "submitted", "再核实", user, &note("z"), &actor()).await.unwrap().unwrap();
        let keep = AfterOutcome::KeepSuspended("已撤回开放".into());
        let withdrawn = s
            .decide_objection(second.id, "withdraw", "withdrawn", "含个人信息", &keep, user, &note("撤回"), &actor())
            .await;
        assert_eq!(withdrawn.unwrap().unwrap().state, "withdrawn");
        let left = s.suspensions().await.unwrap();
        assert_eq!((left.len(), left[0].reason.as_str(), left[0].objection_id), (1, "已撤回开放", Some(second.id)));
        let item = format!("open_demand:{}", second.id);
        let clocks = s.clocks(&ClockFilter { item: Some(item), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!(clocks[0].state, "answered", "{}: the outcome stops the clock", b.name);
        assert_eq!(s.user_notifications(user, 10).await.unwrap().len(), 4, "{}", b.name);
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
    }
}
