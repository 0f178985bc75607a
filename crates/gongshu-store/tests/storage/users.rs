use gongshu_domain::role::Role;
use gongshu_store::{NewUser, StoreError};

use crate::harness::{actor, backends};

pub fn new_user(name: &str) -> NewUser {
    NewUser { username: name.into(), display_name: format!("{name} 测试"), email: None, org_id: None }
}

/// ORG-3: accounts carry roles that can be granted and revoked.
#[tokio::test]
async fn org_3_accounts_and_roles() {
    for b in backends().await {
        let s = &b.store;
        let u = s.create_user(&new_user("zhangsan"), "hash-1", &[Role::ProviderOfficer], &actor()).await.unwrap();
        assert_eq!(s.roles(u.id).await.unwrap(), vec![Role::ProviderOfficer]);
        let dup = s.create_user(&new_user("zhangsan"), "hash-2", &[], &actor()).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{}: {dup:?}", b.name);

        assert!(s.grant_role(u.id, Role::Auditor, &actor()).await.unwrap());
        assert!(!s.grant_role(u.id, Role::Auditor, &actor()).await.unwrap());
        assert_eq!(s.roles(u.id).await.unwrap(), vec![Role::Auditor, Role::ProviderOfficer]);
        assert!(s.revoke_role(u.id, Role::ProviderOfficer, &actor()).await.unwrap());
        assert!(!s.revoke_role(u.id, Role::ProviderOfficer, &actor()).await.unwrap());
        assert_eq!(s.roles(u.id).await.unwrap(), vec![Role::Auditor]);
        let ghost = s.grant_role(777, Role::Auditor, &actor()).await;
        assert!(matches!(ghost, Err(StoreError::MissingReference(_))), "{}", b.name);

        assert_eq!(s.user_by_name("zhangsan").await.unwrap().map(|x| x.id), Some(u.id));
        assert_eq!(s.password_hash(u.id).await.unwrap().as_deref(), Some("hash-1"));
        s.create_session("digest-a", u.id, "csrf", i64::MAX).await.unwrap();
        s.set_password(u.id, "hash-3", &actor()).await.unwrap();
        assert_eq!(s.password_hash(u.id).await.unwrap().as_deref(), Some("hash-3"));
        assert_eq!(s.session("digest-a", 0).await.unwrap(), None, "a new password ends sessions ({})", b.name);
        assert_eq!(s.users().await.unwrap().len(), 1);
    }
}

/// ORG-3: a role name the code does not know is reported, not silently dropped.
#[tokio::test]
async fn org_3_unknown_stored_role_is_an_error() {
    for b in backends().await {
        let u = b.store.create_user(&new_user("lisi"), "h", &[], &actor()).await.unwrap();
        b.exec(&format!("INSERT INTO user_roles (user_id, role, granted_at) VALUES ({}, 'emperor', 0)", u.id)).await;
        assert!(matches!(b.store.roles(u.id).await, Err(StoreError::Corrupt(_))), "{}", b.name);
    }
}
