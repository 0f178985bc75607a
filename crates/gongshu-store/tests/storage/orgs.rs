use gongshu_domain::org::{Duty, NewOrg};
use gongshu_store::{NewPerson, Region, StoreError};

use crate::harness::{actor, backends};

pub async fn seed_weihai(store: &gongshu_store::Store) {
    for (code, name, level, parent) in [
        ("370000", "山东省", "province", None),
        ("371000", "威海市", "city", Some("370000")),
        ("371002", "环翠区", "county", Some("371000")),
    ] {
        let region =
            Region { code: code.into(), name: name.into(), level: level.into(), parent_code: parent.map(Into::into) };
        store.upsert_region(&region).await.unwrap();
    }
}

/// ORG-1: organizations with kind, region code and credit code; duplicates and unknown regions refused.
#[tokio::test]
async fn org_1_organizations_in_the_region_tree() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        assert_eq!(s.regions().await.unwrap().len(), 3, "{}", b.name);
        let bureau = NewOrg::parse("威海市大数据中心", Some("11100000000013127D"), "authority", "371000").unwrap();
        let created = s.create_org(&bureau, None, &actor()).await.unwrap();
        assert_eq!(created.kind, "authority");
        let county = NewOrg::parse("环翠区大数据局", Some("91110000600037341L"), "authority", "371002").unwrap();
        let child = s.create_org(&county, Some(created.id), &actor()).await.unwrap();
        assert_eq!(child.parent_id, Some(created.id));

        let again = s.create_org(&bureau, None, &actor()).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}: {again:?}", b.name);
        let elsewhere = NewOrg::parse("丽水某局", None, "social_entity", "331100").unwrap();
        let missing = s.create_org(&elsewhere, None, &actor()).await;
        assert!(matches!(missing, Err(StoreError::MissingReference(_))), "{}: {missing:?}", b.name);

        let all = s.orgs().await.unwrap();
        assert_eq!(all.len(), 2, "a refused write stores nothing ({})", b.name);
        let found = s.org_by_credit_code("11100000000013127D").await.unwrap();
        assert_eq!(found.map(|o| o.id), Some(created.id));
        assert_eq!(s.org(child.id).await.unwrap().map(|o| o.name), Some("环翠区大数据局".into()));
        assert_eq!(s.org(9999).await.unwrap(), None);
    }
}

/// ORG-2: each organization names its chief data officer and data specialists.
#[tokio::test]
async fn org_2_people_responsible_for_data_work() {
    for b in backends().await {
        let s = &b.store;
        seed_weihai(s).await;
        let org = NewOrg::parse("威海市公安局", Some("11100000000013127D"), "department", "371000").unwrap();
        let org = s.create_org(&org, None, &actor()).await.unwrap();
        let cdo = NewPerson {
            org_id: org.id,
            duty: Duty::ChiefDataOfficer,
            name: "王海".into(),
            phone: Some("0631-5200000".into()),
            email: None,
            user_id: None,
        };
        let p = s.add_person(&cdo, &actor()).await.unwrap();
        s.add_person(&NewPerson { duty: Duty::DataSpecialist, name: "李娜".into(), ..cdo.clone() }, &actor())
            .await
            .unwrap();
        assert_eq!(s.people(Some(org.id)).await.unwrap().len(), 2);
        assert_eq!(s.people(None).await.unwrap().len(), 2);
        assert!(s.remove_person(p.id, &actor()).await.unwrap());
        assert!(!s.remove_person(p.id, &actor()).await.unwrap());
        let left = s.people(Some(org.id)).await.unwrap();
        assert_eq!(left.iter().map(|p| p.duty.as_str()).collect::<Vec<_>>(), ["data_specialist"], "{}", b.name);
        let orphan = s.add_person(&NewPerson { org_id: 4242, ..cdo }, &actor()).await;
        assert!(matches!(orphan, Err(StoreError::MissingReference(_))), "{}: {orphan:?}", b.name);
    }
}

/// ORG-1 with two replicas: a process's cached organization list is refreshed as soon as
/// another process adds an organization.
#[tokio::test]
async fn org_1_cached_list_follows_writes_of_other_replicas() {
    for b in backends().await {
        seed_weihai(&b.store).await;
        let other = (b.reopen)().await;
        assert_eq!(b.store.orgs().await.unwrap().len(), 0);
        let org = NewOrg::parse("威海市教育局", Some("11100000000013127D"), "department", "371000").unwrap();
        other.create_org(&org, None, &actor()).await.unwrap();
        assert_eq!(b.store.orgs().await.unwrap().len(), 1, "{}", b.name);
        let failed = other.create_org(&org, None, &actor()).await;
        assert!(failed.is_err());
        assert_eq!(b.store.orgs().await.unwrap().len(), 1, "{}", b.name);
    }
}
