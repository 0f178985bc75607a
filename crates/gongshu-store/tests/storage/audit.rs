use gongshu_domain::audit::{AuditEvent, ChainBreak};
use gongshu_domain::org::NewOrg;
use gongshu_store::{AuditFilter, verify_audit};

use crate::harness::{actor, backends};
use crate::orgs::seed_weihai;
use crate::users::new_user;

async fn write_some(store: &gongshu_store::Store, n: usize) {
    for i in 0..n {
        store.append(&AuditEvent::new("user:test", "test.event", format!("thing:{i}"))).await.unwrap();
    }
}

/// SEC-1: every write lands in the audit log with who, what, object and request id.
#[tokio::test]
async fn sec_1_writes_are_audited_in_the_same_transaction() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市民政局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let _ = s
            .create_org(
                &NewOrg::parse("重复", Some("11100000000013127D"), "department", "371000").unwrap(),
                None,
                &actor(),
            )
            .await;
        s.create_user(&new_user("auditme"), "h", &[], &actor()).await.unwrap();
        let entries = s.audit_entries(&AuditFilter { limit: 100, ..Default::default() }).await.unwrap();
        let actions: Vec<&str> = entries.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["user.create", "org.create"], "the failed insert left no entry ({})", b.name);
        let e = &entries[1];
        assert_eq!(
            (e.actor.as_str(), e.object.clone(), e.request_id.as_deref()),
            ("user:test", format!("org:{}", org.id), Some("req-test"))
        );
        let by_object = s
            .audit_entries(&AuditFilter { object: Some("org:".into()), limit: 10, ..Default::default() })
            .await
            .unwrap();
        assert_eq!(by_object.len(), 1);
        let paged =
            s.audit_entries(&AuditFilter { before_seq: Some(2), limit: 10, ..Default::default() }).await.unwrap();
        assert_eq!(paged.iter().map(|e| e.seq).collect::<Vec<_>>(), [1]);
        assert!(verify_audit(s.as_ref()).await.unwrap().is_ok());
    }
}

/// SEC-1: an altered middle entry is found and named.
#[tokio::test]
async fn sec_1_altered_entry_is_detected() {
    for b in backends().await {
        write_some(&b.store, 6).await;
        assert_eq!(verify_audit(b.store.as_ref()).await.unwrap().map(|r| r.entries), Ok(6));
        b.exec("UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3").await;
        assert_eq!(verify_audit(b.store.as_ref()).await.unwrap(), Err(ChainBreak::Altered { seq: 3 }), "{}", b.name);
    }
}

/// SEC-1: a removed middle entry is found and named.
#[tokio::test]
async fn sec_1_removed_entry_is_detected() {
    for b in backends().await {
        write_some(&b.store, 6).await;
        b.exec("DELETE FROM audit_log WHERE seq = 4").await;
        assert_eq!(
            verify_audit(b.store.as_ref()).await.unwrap(),
            Err(ChainBreak::Missing { expected: 4, found: 5 }),
            "{}",
            b.name
        );
    }
}

/// SEC-1: entries cut off the end after a checkpoint are detected.
#[tokio::test]
async fn sec_1_truncation_after_a_checkpoint_is_detected() {
    for b in backends().await {
        write_some(&b.store, 5).await;
        let cp = b.store.seal_checkpoint(1).await.unwrap().unwrap();
        assert_eq!(cp.seq, 5);
        assert_eq!(b.store.seal_checkpoint(2).await.unwrap(), None, "already sealed ({})", b.name);
        b.exec("DELETE FROM audit_log WHERE seq >= 4").await;
        assert_eq!(verify_audit(b.store.as_ref()).await.unwrap(), Err(ChainBreak::Checkpoint { seq: 5 }), "{}", b.name);
    }
}

/// SEC-1 with two replicas: appends from two processes on one database keep one intact chain.
#[tokio::test]
async fn sec_1_two_replicas_keep_one_chain() {
    for b in backends().await {
        let other = (b.reopen)().await;
        let mut tasks = Vec::new();
        for store in [b.store.clone(), other] {
            for _ in 0..4 {
                let store = store.clone();
                tasks.push(tokio::spawn(async move { write_some(&store, 10).await }));
            }
        }
        for t in tasks {
            t.await.unwrap();
        }
        let report = verify_audit(b.store.as_ref()).await.unwrap().unwrap();
        assert_eq!((report.entries, report.head_seq), (80, 80), "{}", b.name);
    }
}
