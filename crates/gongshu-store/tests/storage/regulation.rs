use gongshu_domain::audit::AuditEvent;
use gongshu_domain::org::NewOrg;
use gongshu_store::{
    CalendarOverride, ClockFilter, Effect, NewClock, NewNotification, NewShareRequest, ShareAnswer, StoreError,
    verify_audit,
};

use crate::harness::{Backend, actor, backends};
use crate::orgs::seed_weihai;

fn clock(item: &str, due_at: i64) -> NewClock {
    NewClock {
        item: item.into(),
        duty: "provider_answer".into(),
        rule: "sharing.conditional_review[0]".into(),
        source: "WHN-17".into(),
        holder_org_id: None,
        received_on: "2024-09-30".into(),
        working_days: 10,
        due_on: "2024-10-16".into(),
        due_at,
        remind_at: due_at - 100,
        provisional: false,
        on_miss: "escalate".into(),
    }
}

fn effect(item: &str) -> Effect {
    Effect {
        outcome: "escalated".into(),
        grant_share_request: None,
        end_emergency: None,
        audit: AuditEvent::new("platform", "clock.escalate", item),
        notifications: vec![NewNotification {
            org_id: None,
            kind: "escalated".into(),
            item: item.into(),
            title_zh: "逾期".into(),
            title_en: "Overdue".into(),
        }],
    }
}

async fn two_orgs(b: &Backend) -> (i64, i64) {
    seed_weihai(&b.store).await;
    let a = NewOrg::parse("威海市民政局", Some("11100000000013127D"), "department", "371000").unwrap();
    let p = NewOrg::parse("威海市公安局", Some("91110000600037341L"), "department", "371000").unwrap();
    let a = b.store.create_org(&a, None, &actor()).await.unwrap();
    let p = b.store.create_org(&p, None, &actor()).await.unwrap();
    (a.id, p.id)
}

/// SUP-1: two schedulers racing over the same due clocks fire each exactly once.
#[tokio::test]
async fn sup_1_two_schedulers_fire_each_clock_exactly_once() {
    for b in backends().await {
        let clocks: Vec<NewClock> = (0..40).map(|i| clock(&format!("item:{i}"), 1_000 + i)).collect();
        b.store.start_clocks(&clocks, &actor()).await.unwrap();
        let other = (b.reopen)().await;
        let mut tasks = Vec::new();
        for (n, store) in [b.store.clone(), other.clone(), b.store.clone(), other].into_iter().enumerate() {
            tasks.push(tokio::spawn(async move {
                // Half the racers fire clock by clock, half in one batch.
                let due = store.due_clocks(10_000, 100).await.unwrap();
                let batch: Vec<(i64, Effect)> = due.iter().map(|c| (c.id, effect(&c.item))).collect();
                let mut fired = 0;
                if n % 2 == 0 {
                    for one in batch.chunks(1) {
                        fired += store.fire_clocks(10_000, one).await.unwrap();
                    }
                } else {
                    fired = store.fire_clocks(10_000, &batch).await.unwrap();
                }
                fired
            }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap();
        }
        assert_eq!(total, 40, "{}", b.name);
        let missed = b
            .store
            .clocks(&ClockFilter { state: Some("missed".into()), limit: 100, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(missed.len(), 40);
        assert!(missed.iter().all(|c| c.outcome.as_deref() == Some("escalated") && c.fired_at == Some(10_000)));
        assert_eq!(
            b.store.notifications(None, 100).await.unwrap().len(),
            40,
            "one notification per clock ({})",
            b.name
        );
        assert_eq!(verify_audit(b.store.as_ref()).await.unwrap().map(|r| r.entries), Ok(41));
    }
}

/// SUP-1: a clock not yet due does not fire; a stopped clock never fires; a late answer is recorded as late.
#[tokio::test]
async fn sup_1_clocks_fire_only_when_due_and_stop_when_answered() {
    for b in backends().await {
        b.store.start_clocks(&[clock("a", 5_000), clock("b", 5_000), clock("c", 5_000)], &actor()).await.unwrap();
        assert!(
            b.store.due_clocks(5_000, 10).await.unwrap().is_empty(),
            "due at the end of the last moment ({})",
            b.name
        );
        assert!(!b.store.stop_clocks("a", 4_000, &actor()).await.unwrap(), "answered in time");
        assert!(b.store.stop_clocks("b", 6_000, &actor()).await.unwrap(), "answered late");
        let due = b.store.due_clocks(7_000, 10).await.unwrap();
        assert_eq!(due.iter().map(|c| c.item.as_str()).collect::<Vec<_>>(), ["c"]);
        let a = b.store.clocks(&ClockFilter { item: Some("a".into()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!(
            b.store.fire_clocks(7_000, &[(a[0].id, effect("a"))]).await.unwrap(),
            0,
            "an answered clock never fires"
        );
        let late =
            b.store.clocks(&ClockFilter { item: Some("b".into()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!((late[0].state.as_str(), late[0].late), ("answered", true));
    }
}

/// SUP-1: a reminder is sent once, by one process.
#[tokio::test]
async fn sup_1_reminders_are_sent_once() {
    for b in backends().await {
        b.store.start_clocks(&[clock("r", 10_000)], &actor()).await.unwrap();
        assert!(b.store.reminder_clocks(9_899, 10).await.unwrap().is_empty());
        let due = b.store.reminder_clocks(9_900, 10).await.unwrap();
        let other = (b.reopen)().await;
        let note = effect("r").notifications;
        let first = b.store.remind_clocks(9_950, &[(due[0].id, note.clone())]).await.unwrap();
        let second = other.remind_clocks(9_960, &[(due[0].id, note)]).await.unwrap();
        assert_eq!((first, second), (1, 0), "{}", b.name);
        assert!(b.store.reminder_clocks(9_990, 10).await.unwrap().is_empty());
    }
}

/// SHR-2 and WHN-17: a share request's clock; the platform's grant is one transaction with the claim.
#[tokio::test]
async fn shr_2_share_request_steps_and_the_platforms_grant() {
    for b in backends().await {
        let (requester, provider) = two_orgs(&b).await;
        let req = NewShareRequest {
            requester_org_id: requester,
            provider_org_id: provider,
            resource: "2010300/00017".into(),
            purpose: "低保资格核查".into(),
            legal_basis: "《社会救助暂行办法》".into(),
            items: "姓名,公民身份号码".into(),
        };
        let first =
            NewClock { holder_org_id: Some(provider), on_miss: "act:share_request.grant".into(), ..clock("", 1_000) };
        let created = b.store.create_share_request(&req, &first, &[], &actor()).await.unwrap();
        let item = format!("share_request:{}", created.id);
        let open =
            b.store.clocks(&ClockFilter { item: Some(item.clone()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!((open.len(), open[0].holder_org_id), (1, Some(provider)));
        let grant = Effect { grant_share_request: Some(created.id), outcome: "acted".into(), ..effect(&item) };
        assert_eq!(b.store.fire_clocks(2_000, &[(open[0].id, grant)]).await.unwrap(), 1);
        let after = b.store.share_request(created.id).await.unwrap().unwrap();
        assert_eq!((after.state.as_str(), after.decided_by.as_deref()), ("granted", Some("platform")), "{}", b.name);
        let answer = ShareAnswer {
            step: 0,
            new_state: "refused".into(),
            reason: Some("晚了".into()),
            decided_by: "user:p".into(),
        };
        let too_late = b.store.answer_share_request(created.id, &answer, None, &[], &actor()).await;
        assert!(matches!(too_late, Err(StoreError::Conflict(_))), "decided already ({})", b.name);

        // A second request answered by the provider: the clock stops, the step moves on.
        let second = b.store.create_share_request(&req, &first, &[], &actor()).await.unwrap();
        let approve = ShareAnswer { step: 0, new_state: "pending".into(), reason: None, decided_by: "user:a".into() };
        let next = NewClock { due_at: 50_000, ..first.clone() };
        b.store.answer_share_request(second.id, &approve, Some(&next), &[], &actor()).await.unwrap();
        let s = b.store.share_request(second.id).await.unwrap().unwrap();
        assert_eq!((s.state.as_str(), s.step), ("pending", 1));
        let clocks = b
            .store
            .clocks(&ClockFilter { item: Some(format!("share_request:{}", second.id)), limit: 5, ..Default::default() })
            .await
            .unwrap();
        let states: Vec<&str> = clocks.iter().map(|c| c.state.as_str()).collect();
        assert_eq!(states, ["answered", "open"]);
        assert_eq!(b.store.share_requests(Some(requester)).await.unwrap().len(), 2);
        assert_eq!(b.store.share_requests(Some(9999)).await.unwrap().len(), 0);
    }
}

/// The outbox: a webhook subscription queues deliveries; a lease keeps two senders apart;
/// failures retry and finally give up.
#[tokio::test]
async fn outbox_leases_retries_and_gives_up() {
    for b in backends().await {
        b.store.add_webhook(None, "http://127.0.0.1:9/hook", &actor()).await.unwrap();
        b.store.start_clocks(&[clock("w", 1_000)], &actor()).await.unwrap();
        let due = b.store.due_clocks(2_000, 10).await.unwrap();
        b.store.fire_clocks(2_000, &[(due[0].id, effect("w"))]).await.unwrap();
        let other = (b.reopen)().await;
        let leased = b.store.claim_outbox(3_000, 60_000, 10).await.unwrap();
        assert_eq!(leased.len(), 1, "{}", b.name);
        assert!(other.claim_outbox(3_000, 60_000, 10).await.unwrap().is_empty(), "leased ({})", b.name);
        b.store.outbox_failed(leased[0].id, "connection refused", Some(4_000)).await.unwrap();
        let again = other.claim_outbox(4_000, 60_000, 10).await.unwrap();
        assert_eq!(again[0].attempts, 1);
        other.outbox_failed(again[0].id, "connection refused", None).await.unwrap();
        let all = b.store.outbox(10).await.unwrap();
        assert_eq!((all[0].state.as_str(), all[0].attempts), ("failed", 2));
        assert!(b.store.claim_outbox(1 << 40, 1 << 41, 10).await.unwrap().is_empty());
        let hooks = b.store.webhooks().await.unwrap();
        assert!(b.store.remove_webhook(hooks[0].id, &actor()).await.unwrap());
    }
}

/// The calendar's imported years and overrides are shared through the database, and
/// every change moves the version other processes watch.
#[tokio::test]
async fn calendar_years_and_overrides_are_versioned() {
    for b in backends().await {
        let v0 = b.store.calendar_version().await.unwrap();
        b.store.save_calendar_year(2027, "date,kind,name\n2027-01-01,holiday,元旦\n", false, &actor()).await.unwrap();
        let again = b.store.save_calendar_year(2027, "date,kind,name\n", false, &actor()).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}", b.name);
        b.store.save_calendar_year(2027, "date,kind,name\n2027-01-01,holiday,元旦节\n", true, &actor()).await.unwrap();
        let o = CalendarOverride {
            region_code: "331100".into(),
            day: "2025-05-06".into(),
            kind: "holiday".into(),
            note: None,
            created_at: 0,
        };
        b.store.save_calendar_override(&o, &actor()).await.unwrap();
        let other = (b.reopen)().await;
        assert_eq!(other.calendar_version().await.unwrap(), v0 + 3);
        let years = other.calendar_years().await.unwrap();
        assert_eq!((years.len(), years[0].csv.contains("元旦节")), (1, true));
        assert_eq!(other.calendar_overrides().await.unwrap().len(), 1);
    }
}
