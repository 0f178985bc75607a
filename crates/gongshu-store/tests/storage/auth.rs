use gongshu_domain::role::Role;
use gongshu_store::NewToken;

use crate::harness::{actor, backends};
use crate::users::new_user;

/// ORG-3: sessions expire and can be ended; they are shared by every process on the database.
#[tokio::test]
async fn org_3_sessions_are_stored_and_shared() {
    for b in backends().await {
        let u = b.store.create_user(&new_user("wangwu"), "h", &[], &actor()).await.unwrap();
        b.store.create_session("d1", u.id, "csrf-1", 1_000).await.unwrap();
        let other = (b.reopen)().await;
        assert_eq!(other.session("d1", 999).await.unwrap().map(|s| s.csrf_token), Some("csrf-1".into()));
        assert_eq!(other.session("d1", 1_000).await.unwrap(), None, "expired ({})", b.name);
        b.store.create_session("d2", u.id, "csrf-2", i64::MAX).await.unwrap();
        other.delete_session("d2").await.unwrap();
        assert_eq!(b.store.session("d2", 0).await.unwrap(), None);
    }
}

/// ORG-3: API tokens are stored by digest, scoped to roles, revocable, with expiry.
#[tokio::test]
async fn org_3_api_tokens() {
    for b in backends().await {
        let s = &b.store;
        let u = s.create_user(&new_user("zhaoliu"), "h", &[Role::Auditor], &actor()).await.unwrap();
        let t = s
            .create_token(
                &NewToken {
                    user_id: u.id,
                    name: "ci".into(),
                    digest: "abc".into(),
                    roles: vec![Role::Auditor],
                    expires_at: Some(50),
                },
                &actor(),
            )
            .await
            .unwrap();
        let found = s.token_by_digest("abc").await.unwrap().unwrap();
        assert_eq!(found.role_list(), vec![Role::Auditor]);
        assert!(found.is_live(49));
        assert!(!found.is_live(50));
        assert_eq!(s.token_by_digest("abd").await.unwrap(), None);
        assert!(s.revoke_token(t.id, 10, &actor()).await.unwrap());
        assert!(!s.revoke_token(t.id, 11, &actor()).await.unwrap());
        assert!(!s.token(t.id).await.unwrap().unwrap().is_live(0), "{}", b.name);
        assert_eq!(s.tokens(Some(u.id)).await.unwrap().len(), 1);
        assert_eq!(s.tokens(Some(u.id + 1)).await.unwrap().len(), 0);
    }
}

/// ORG-3: failed logins are counted in the database, for every process.
#[tokio::test]
async fn org_3_login_failures_are_shared() {
    for b in backends().await {
        for at in [10, 20, 30] {
            b.store.record_login_failure("admin", at).await.unwrap();
        }
        let other = (b.reopen)().await;
        assert_eq!(other.login_failures_since("admin", 15).await.unwrap(), vec![20, 30]);
        other.clear_login_failures("admin").await.unwrap();
        assert!(b.store.login_failures_since("admin", 0).await.unwrap().is_empty(), "{}", b.name);
    }
}

/// ORG-3: a credential, its account and the account's roles come back in one query.
#[tokio::test]
async fn org_3_principal_lookups() {
    for b in backends().await {
        let s = &b.store;
        let u = s.create_user(&new_user("sunqi"), "h", &[Role::Auditor, Role::Expert], &actor()).await.unwrap();
        s.create_session("sd", u.id, "csrf-x", 100).await.unwrap();
        let (session, user, roles) = s.session_principal("sd", 99).await.unwrap().unwrap();
        assert_eq!(
            (session.csrf_token.as_str(), user.id, roles.clone()),
            ("csrf-x", u.id, vec![Role::Auditor, Role::Expert])
        );
        assert!(s.session_principal("sd", 100).await.unwrap().is_none(), "expired ({})", b.name);
        let new = NewToken {
            user_id: u.id,
            name: "n".into(),
            digest: "td".into(),
            roles: vec![Role::Auditor],
            expires_at: None,
        };
        let t = s.create_token(&new, &actor()).await.unwrap();
        let (token, user, roles) = s.token_principal("td").await.unwrap().unwrap();
        assert_eq!((token.id, token.role_list(), user.username.as_str()), (t.id, vec![Role::Auditor], "sunqi"));
        assert_eq!(roles, vec![Role::Auditor, Role::Expert]);
        let bare = s.create_user(&new_user("noroles"), "h", &[], &actor()).await.unwrap();
        let new =
            NewToken { user_id: bare.id, name: "n".into(), digest: "td2".into(), roles: vec![], expires_at: None };
        s.create_token(&new, &actor()).await.unwrap();
        let (_, _, roles) = s.token_principal("td2").await.unwrap().unwrap();
        assert!(roles.is_empty(), "{}", b.name);
        assert!(s.token_principal("nope").await.unwrap().is_none());
    }
}
