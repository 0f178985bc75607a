use gongshu_domain::org::NewOrg;
use gongshu_store::{
    AuditFilter, ClockFilter, EntryDecision, EntryFilter, EntryRecord, ImportItem, NewClock, StoreError, Submission,
    verify_audit,
};

use crate::harness::{actor, backends};
use crate::orgs::seed_weihai;

fn record(code: &str, provider: i64, name: &str) -> EntryRecord {
    EntryRecord {
        code: code.into(),
        provider_org_id: provider,
        name: name.into(),
        category: "基础/人口".into(),
        share_type: "conditional".into(),
        open_type: "not_open".into(),
        level: 3,
        update_cycle: "每日".into(),
        content: format!("{{\"name\":\"{name}\"}}"),
    }
}

fn initial() -> Submission {
    Submission { kind: "initial".into(), ..Default::default() }
}

fn change() -> Submission {
    Submission { kind: "change".into(), basis_changed_on: Some("2026-11-01".into()), late_filing: true }
}

fn review_clock(item: &str) -> NewClock {
    NewClock {
        item: item.into(),
        duty: "authority_review".into(),
        rule: "catalog.change_review[0]".into(),
        source: "WH-9".into(),
        holder_org_id: None,
        received_on: "2026-12-01".into(),
        working_days: 2,
        due_on: "2026-12-03".into(),
        due_at: i64::MAX / 2,
        remind_at: i64::MAX / 2,
        provisional: false,
        on_miss: "escalate".into(),
    }
}

/// CAT-2: a provider drafts, submits; the authority approves or rejects with a reason;
/// only approved versions are published; every version is kept.
#[tokio::test]
async fn cat_2_draft_submit_review_publish_and_keep_every_version() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let e = s.create_entry(&record("2010300/00017", org.id, "人口基本信息"), &actor()).await.unwrap();
        assert_eq!((e.state.as_str(), e.latest_version, e.published_version), ("draft", 1, None));
        let dup = s.create_entry(&record("2010300/00017", org.id, "重复"), &actor()).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{}: {dup:?}", b.name);
        assert_eq!(
            s.save_draft(e.id, &record("2010300/00017", org.id, "人口基本信息（修订）"), &actor()).await.unwrap(),
            1
        );

        s.submit_entry(e.id, 1, &initial(), &review_clock(&format!("catalog_entry:{}:v1", e.id)), &[], &actor())
            .await
            .unwrap();
        assert!(matches!(
            s.submit_entry(e.id, 1, &initial(), &review_clock("x"), &[], &actor()).await,
            Err(StoreError::Conflict(_))
        ));
        let under_review = s.save_draft(e.id, &record("2010300/00017", org.id, "x"), &actor()).await;
        assert!(matches!(under_review, Err(StoreError::Conflict(_))), "no edits under review ({})", b.name);
        let reject = EntryDecision {
            approve: false,
            reason: Some("缺少法律依据".into()),
            record: None,
            step: 0,
            next_step: None,
            reevaluation: None,
        };
        s.decide_entry(e.id, 1, &reject, &[], &actor()).await.unwrap();
        assert_eq!(s.entry(e.id).await.unwrap().unwrap().state, "rejected");

        // Resubmitted as version 2 and published.
        assert_eq!(s.save_draft(e.id, &record("2010300/00017", org.id, "人口基本信息"), &actor()).await.unwrap(), 2);
        s.submit_entry(e.id, 2, &initial(), &review_clock(&format!("catalog_entry:{}:v2", e.id)), &[], &actor())
            .await
            .unwrap();
        let rec = record("2010300/00017", org.id, "人口基本信息");
        let approve = EntryDecision {
            approve: true,
            reason: None,
            record: Some(rec.clone()),
            step: 0,
            next_step: None,
            reevaluation: None,
        };
        assert!(!s.decide_entry(e.id, 2, &approve, &[], &actor()).await.unwrap(), "in time");
        let published = s.entry(e.id).await.unwrap().unwrap();
        assert_eq!((published.state.as_str(), published.published_version), ("published", Some(2)));
        let clocks = s
            .clocks(&ClockFilter { item: Some(format!("catalog_entry:{}:v2", e.id)), limit: 5, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(clocks[0].state, "answered", "the review clock stopped");

        // A change of a published entry is a new draft version; the published one stays in force.
        assert_eq!(s.save_draft(e.id, &record("2010300/00017", org.id, "人口基本信息 v3"), &actor()).await.unwrap(), 3);
        let listed = s.entry(e.id).await.unwrap().unwrap();
        assert_eq!((listed.name.as_str(), listed.state.as_str()), ("人口基本信息", "published"), "{}", b.name);
        s.submit_entry(e.id, 3, &change(), &review_clock("c3"), &[], &actor()).await.unwrap();
        let rec3 = record("2010300/00017", org.id, "人口基本信息 v3");
        s.decide_entry(
            e.id,
            3,
            &EntryDecision {
                approve: true,
                reason: None,
                record: Some(rec3),
                step: 0,
                next_step: None,
                reevaluation: None,
            },
            &[],
            &actor(),
        )
        .await
        .unwrap();
        let versions = s.entry_versions(e.id).await.unwrap();
        let states: Vec<&str> = versions.iter().map(|v| v.state.as_str()).collect();
        assert_eq!(states, ["rejected", "superseded", "published"], "{}", b.name);
        assert_eq!(versions[0].reason.as_deref(), Some("缺少法律依据"));
        assert_eq!(s.entry_by_code("2010300/00017").await.unwrap().unwrap().name, "人口基本信息 v3");
        let listed =
            s.entries(&EntryFilter { state: Some("published".into()), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(listed.len(), 1);
        let none = s
            .entries(&EntryFilter { provider_org_id: Some(org.id + 100), limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert!(none.is_empty());
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok());
    }
}

/// CAT-3: a change walks every review step of the profile; a retirement keeps history.
#[tokio::test]
async fn cat_3_multi_step_review_and_retirement() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("滨州市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let rec = record("2010300/00099", org.id, "机动车信息");
        let e = s.create_entry(&rec, &actor()).await.unwrap();
        s.submit_entry(e.id, 1, &initial(), &review_clock("v1"), &[], &actor()).await.unwrap();
        let next = review_clock(&format!("catalog_entry:{}:v1", e.id));
        let step0 = EntryDecision {
            approve: true,
            reason: None,
            record: None,
            step: 0,
            next_step: Some(next),
            reevaluation: None,
        };
        s.decide_entry(e.id, 1, &step0, &[], &actor()).await.unwrap();
        let v = &s.entry_versions(e.id).await.unwrap()[0];
        assert_eq!((v.state.as_str(), v.step), ("submitted", 1), "{}", b.name);
        let stale = EntryDecision {
            approve: true,
            reason: None,
            record: Some(rec.clone()),
            step: 0,
            next_step: None,
            reevaluation: None,
        };
        assert!(matches!(s.decide_entry(e.id, 1, &stale, &[], &actor()).await, Err(StoreError::Conflict(_))));
        let last = EntryDecision {
            approve: true,
            reason: None,
            record: Some(rec.clone()),
            step: 1,
            next_step: None,
            reevaluation: None,
        };
        s.decide_entry(e.id, 1, &last, &[], &actor()).await.unwrap();
        assert_eq!(s.entry(e.id).await.unwrap().unwrap().state, "published");

        let retire =
            Submission { kind: "retire".into(), basis_changed_on: Some("2026-11-20".into()), late_filing: false };
        s.submit_entry(e.id, 2, &retire, &review_clock("r2"), &[], &actor()).await.unwrap();
        let done = EntryDecision {
            approve: true,
            reason: Some("职责调整".into()),
            record: None,
            step: 0,
            next_step: None,
            reevaluation: None,
        };
        s.decide_entry(e.id, 2, &done, &[], &actor()).await.unwrap();
        let retired = s.entry(e.id).await.unwrap().unwrap();
        assert_eq!(retired.state, "retired", "{}", b.name);
        let versions = s.entry_versions(e.id).await.unwrap();
        assert_eq!(versions.len(), 2, "history is kept");
        assert_eq!(
            (versions[1].kind.as_str(), versions[1].basis_changed_on.as_deref()),
            ("retire", Some("2026-11-20"))
        );
    }
}

/// CAT-1, CAT-6: an imported catalog is written in batches, one transaction each: a
/// batch with a taken code writes nothing; published conditional entries start their
/// re-evaluation clock; every entry has its audit entry and the chain holds.
#[tokio::test]
async fn cat_1_import_batches_are_atomic_and_start_reevaluation_clocks() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let reeval = NewClock { duty: "reevaluation".into(), on_miss: "remind".into(), ..review_clock("") };
        let item = |code: &str, clock: bool| ImportItem {
            record: record(code, org.id, code),
            reevaluation: clock.then(|| reeval.clone()),
        };
        let batch = [item("2010300/00001", true), item("2010300/00002", false), item("2010300/00003", true)];
        assert_eq!(s.import_entries(&batch, true, &actor()).await.unwrap(), 3, "{}", b.name);
        let taken =
            s.existing_codes(&["2010300/00002".into(), "2010300/00009".into(), "2010300/00003".into()]).await.unwrap();
        let mut taken = taken;
        taken.sort();
        assert_eq!(taken, ["2010300/00002", "2010300/00003"], "{}", b.name);
        // A batch with one taken code writes none of its entries.
        let bad = [item("2010300/00004", false), item("2010300/00002", false)];
        assert!(s.import_entries(&bad, true, &actor()).await.is_err(), "{}", b.name);
        assert!(s.entry_by_code("2010300/00004").await.unwrap().is_none(), "{}", b.name);
        let published = s
            .entries(&EntryFilter { state: Some("published".into()), limit: 100, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(published.len(), 3, "{}", b.name);
        let clocks =
            s.clocks(&ClockFilter { state: Some("open".into()), limit: 100, ..Default::default() }).await.unwrap();
        let mut items: Vec<String> = clocks.iter().map(|c| c.item.clone()).collect();
        items.sort();
        let ids: Vec<i64> = ["2010300/00001", "2010300/00003"]
            .iter()
            .map(|c| published.iter().find(|e| e.code == *c).unwrap().id)
            .collect();
        let mut want: Vec<String> = ids.iter().map(|id| format!("catalog_reeval:{id}")).collect();
        want.sort();
        assert_eq!(items, want, "{}", b.name);
        // Drafts start no clock.
        s.import_entries(&[item("2010300/00005", true)], false, &actor()).await.unwrap();
        let e = s.entry_by_code("2010300/00005").await.unwrap().unwrap();
        assert_eq!(e.state, "draft", "{}", b.name);
        let clocks =
            s.clocks(&ClockFilter { state: Some("open".into()), limit: 100, ..Default::default() }).await.unwrap();
        assert_eq!(clocks.len(), 2, "{}", b.name);
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
        let imports = s.audit_entries(&AuditFilter { limit: 1000, ..Default::default() }).await.unwrap();
        assert_eq!(imports.iter().filter(|e| e.action == "catalog.import").count(), 3, "{}", b.name);
    }
}

/// AGG-1: data versions are numbered per entry in the order recorded, audited, and
/// listed newest per entry; every storage key is known (for cleaning up).
#[tokio::test]
async fn agg_1_data_versions_are_numbered_per_entry() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let a = s.create_entry(&record("2010300/00021", org.id, "a"), &actor()).await.unwrap();
        let c = s.create_entry(&record("2010300/00022", org.id, "c"), &actor()).await.unwrap();
        let new = |entry_id: i64, key: &str, rows: i64| gongshu_store::NewDataVersion {
            entry_id,
            storage_key: key.into(),
            source: "api".into(),
            file_name: "x.csv".into(),
            rows_total: rows,
            rows_valid: rows - 1,
            rows_rejected: 1,
            bytes: 100,
            report: "{}".into(),
        };
        let v1 = s.add_data_version(&new(a.id, "a/1", 10), None, &actor()).await.unwrap();
        let v2 = s.add_data_version(&new(a.id, "a/2", 20), None, &actor()).await.unwrap();
        let w1 = s.add_data_version(&new(c.id, "c/1", 5), None, &actor()).await.unwrap();
        assert_eq!((v1.version, v2.version, w1.version), (1, 2, 1), "{}", b.name);
        let dup = s.add_data_version(&new(c.id, "a/1", 5), None, &actor()).await;
        assert!(dup.is_err(), "{}: a storage key belongs to one version", b.name);
        assert_eq!(s.data_versions(a.id).await.unwrap().iter().map(|v| v.rows_total).collect::<Vec<_>>(), [10, 20]);
        assert_eq!(s.data_version(a.id, 2).await.unwrap().map(|v| v.storage_key), Some("a/2".into()));
        assert!(s.data_version(a.id, 3).await.unwrap().is_none());
        let latest = s.latest_data_versions().await.unwrap();
        assert_eq!(latest.iter().map(|v| (v.entry_id, v.version)).collect::<Vec<_>>(), [(a.id, 2), (c.id, 1)]);
        let mut keys = s.data_storage_keys().await.unwrap();
        keys.sort();
        assert_eq!(keys, ["a/1", "a/2", "c/1"], "{}", b.name);
        let log = s
            .audit_entries(&AuditFilter { action: Some("data.load".into()), limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(log.len(), 3, "{}", b.name);
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
    }
}

/// AGG-4: a correction ticket opens with its clock and notification; it closes once,
/// stopping the clock; both are audited.
#[tokio::test]
async fn agg_4_correction_tickets_open_with_a_clock_and_close_once() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let e = s.create_entry(&record("2010300/00031", org.id, "a"), &actor()).await.unwrap();
        let new = gongshu_store::NewCorrection {
            entry_id: e.id,
            data_version: 1,
            key_item: "公民身份号码".into(),
            key_value: "11010519491231002X".into(),
            item: "姓名".into(),
            reported_value: Some("李四".into()),
            description: "姓名有误".into(),
            reporter_org_id: None,
            provider_org_id: org.id,
        };
        let note = gongshu_store::NewNotification {
            org_id: Some(org.id),
            kind: "correction".into(),
            item: String::new(),
            title_zh: "纠错".into(),
            title_en: "Correction".into(),
        };
        let clock = NewClock { duty: "correction".into(), holder_org_id: Some(org.id), ..review_clock("") };
        let c = s.create_correction(&new, &clock, std::slice::from_ref(&note), &actor()).await.unwrap();
        assert_eq!((c.state.as_str(), c.reported_value.as_deref()), ("open", Some("李四")), "{}", b.name);
        let item = format!("correction:{}", c.id);
        let clocks = s.clocks(&ClockFilter { item: Some(item.clone()), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!(clocks.len(), 1, "{}", b.name);
        let notes = s.notifications(Some(org.id), 10).await.unwrap();
        assert!(notes.iter().any(|n| n.item == item), "{}", b.name);
        assert!(s.close_correction(c.id, 2, "fixed", &[], &actor()).await.unwrap(), "{}", b.name);
        assert!(!s.close_correction(c.id, 3, "fixed", &[], &actor()).await.unwrap(), "{}: once", b.name);
        let closed = s.correction(c.id).await.unwrap().unwrap();
        assert_eq!(
            (closed.state.as_str(), closed.fixed_in_version, closed.outcome.as_deref()),
            ("closed", Some(2), Some("fixed"))
        );
        let clocks = s.clocks(&ClockFilter { item: Some(item), limit: 5, ..Default::default() }).await.unwrap();
        assert_eq!(clocks[0].state, "answered", "{}", b.name);
        assert_eq!(s.corrections(Some(e.id), Some("open")).await.unwrap().len(), 0);
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
    }
}

/// AGG-9: a project's supply list is stored; acceptance moves it once; refusals and
/// acceptances are audited.
#[tokio::test]
async fn agg_9_projects_are_accepted_once() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let p = s.create_project("一件事", org.id, &[3, 5], 0.95, &actor()).await.unwrap();
        assert_eq!(
            (p.state.as_str(), p.entry_ids.as_str(), p.min_valid_share),
            ("declared", "[3,5]", 0.95),
            "{}",
            b.name
        );
        assert!(s.decide_project(p.id, false, serde_json::json!({"shortfalls": 1}), &actor()).await.unwrap());
        assert_eq!(s.project(p.id).await.unwrap().unwrap().state, "declared", "{}: a refusal changes nothing", b.name);
        assert!(s.decide_project(p.id, true, serde_json::json!({}), &actor()).await.unwrap());
        assert!(!s.decide_project(p.id, true, serde_json::json!({}), &actor()).await.unwrap(), "{}: once", b.name);
        assert_eq!(s.projects().await.unwrap()[0].state, "accepted");
        let log = s
            .audit_entries(&AuditFilter {
                object: Some(format!("it_project:{}", p.id)),
                limit: 10,
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(log.len(), 3, "{}", b.name);
    }
}

/// AGG-8: a plan is filed once per organization and year; revisions count up and keep
/// the first filing's lateness; each is audited.
#[tokio::test]
async fn agg_8_demand_plans_are_revised_in_place() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市民政局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let p1 = s.save_demand_plan(org.id, 2027, "[]", true, &actor()).await.unwrap();
        let p2 = s.save_demand_plan(org.id, 2027, "[{\"name\":\"x\"}]", false, &actor()).await.unwrap();
        assert_eq!(
            (p1.id, p2.revision, p2.late, p2.items.as_str()),
            (p2.id, 2, true, "[{\"name\":\"x\"}]"),
            "{}",
            b.name
        );
        let other = s.save_demand_plan(org.id, 2028, "[]", false, &actor()).await.unwrap();
        assert_eq!(other.revision, 1);
        assert_eq!(s.demand_plans(Some(2027)).await.unwrap().len(), 1, "{}", b.name);
        assert_eq!(s.demand_plans(None).await.unwrap().len(), 2, "{}", b.name);
        let log = s
            .audit_entries(&AuditFilter { action: Some("demand_plan.save".into()), limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(log.len(), 3, "{}", b.name);
    }
}

/// AGG-7: exemptions are set and lifted; purchases are decided once; all audited.
#[tokio::test]
async fn agg_7_exemptions_and_purchases() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let e = s.create_entry(&record("2010300/00041", org.id, "a"), &actor()).await.unwrap();
        s.set_exemption(e.id, Some("依据"), &actor()).await.unwrap();
        s.set_exemption(e.id, Some("新依据"), &actor()).await.unwrap();
        let x = s.exemptions().await.unwrap();
        assert_eq!((x.len(), x[0].legal_basis.as_str()), (1, "新依据"), "{}", b.name);
        s.set_exemption(e.id, None, &actor()).await.unwrap();
        assert!(s.exemptions().await.unwrap().is_empty(), "{}", b.name);
        let p = s.create_purchase(e.id, org.id, "供应方", "用途", &actor()).await.unwrap();
        assert_eq!(p.state, "submitted");
        assert!(s.decide_purchase(p.id, false, Some("无依据"), &actor()).await.unwrap());
        assert!(!s.decide_purchase(p.id, true, None, &actor()).await.unwrap(), "{}: once", b.name);
        let p = &s.purchases().await.unwrap()[0];
        assert_eq!((p.state.as_str(), p.reason.as_deref()), ("rejected", Some("无依据")), "{}", b.name);
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
    }
}

/// AGG-1: a pull's run is claimed by one caller only (servers race for it).
#[tokio::test]
async fn agg_1_a_pull_run_is_claimed_once() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let e = s.create_entry(&record("2010300/00051", org.id, "a"), &actor()).await.unwrap();
        let p = s.set_pull(e.id, "https://example.org/a.csv", Some("csv"), 60, 1_000, &actor()).await.unwrap();
        assert!(s.claim_pull(p.id, 1_000, 2_000, 1_000).await.unwrap(), "{}", b.name);
        assert!(!s.claim_pull(p.id, 1_000, 2_000, 1_000).await.unwrap(), "{}: the second claim loses", b.name);
        s.pull_result(p.id, Some("down")).await.unwrap();
        let again = s.set_pull(e.id, "https://example.org/b.csv", None, 30, 5_000, &actor()).await.unwrap();
        assert_eq!(
            (again.id, again.url.as_str(), again.last_error.as_deref()),
            (p.id, "https://example.org/b.csv", None),
            "{}",
            b.name
        );
        assert_eq!(s.pulls().await.unwrap().len(), 1);
    }
}

/// OPN-6, SUP-4: release rules are replaced as a whole and audited; downloads add up
/// per entry and format over days.
#[tokio::test]
async fn opn_6_release_rules_and_download_counts() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let e = s.create_entry(&record("2010300/00061", org.id, "a"), &actor()).await.unwrap();
        let rules = vec![("姓名".to_string(), r#"{"rule":"suppress"}"#.to_string())];
        s.set_release_rules(e.id, &rules, 10, &actor()).await.unwrap();
        let two = vec![
            ("年龄".to_string(), r#"{"rule":"keep"}"#.to_string()),
            ("地址".to_string(), r#"{"rule":"generalize","how":"district"}"#.to_string()),
        ];
        s.set_release_rules(e.id, &two, 20, &actor()).await.unwrap();
        let got = s.release_rules(Some(e.id)).await.unwrap();
        let items: Vec<&str> = got.iter().map(|r| r.item.as_str()).collect();
        assert_eq!(items, ["地址", "年龄"], "{}: replaced as a whole", b.name);
        assert_eq!(s.release_rules(None).await.unwrap().len(), 2);
        assert!(s.release_rules(Some(e.id + 99)).await.unwrap().is_empty());
        for (day, n) in [("2026-12-01", 10), ("2026-12-01", 5), ("2026-12-02", 1)] {
            s.count_download(e.id, "csv", day, n, &actor()).await.unwrap();
        }
        s.count_download(e.id, "json", "2026-12-02", 7, &actor()).await.unwrap();
        let counts = s.download_counts().await.unwrap();
        let got: Vec<(&str, i64, i64)> = counts.iter().map(|c| (c.format.as_str(), c.downloads, c.records)).collect();
        assert_eq!(got, [("csv", 3, 16), ("json", 1, 7)], "{}", b.name);
        let audit = s.audit_entries(&gongshu_store::AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        assert!(audit.iter().filter(|a| a.action == "open.download").count() == 4, "{}: each download audited", b.name);
        assert!(audit.iter().any(|a| a.action == "open.release_rules_set"));
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok(), "{}", b.name);
        let k = s.platform_key("pseudonym", "first", 1).await.unwrap();
        assert_eq!((k.as_str(), s.platform_key("pseudonym", "second", 2).await.unwrap().as_str()), ("first", "first"));
    }
}
