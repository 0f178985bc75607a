//! Regions, organizations and their people.

pub(crate) const ORG_COLUMNS: &str = "id, name, credit_code, kind, region_code, parent_id, created_at";
/// A process's copy of the organization list, valid while `version` matches the
/// database's `cache_versions` row (see migration 0002).
#[derive(Debug, Default)]
pub(crate) struct OrgCache {
    pub version: i64,
    pub orgs: Option<std::sync::Arc<Vec<crate::Org>>>,
}

pub(crate) const PERSON_COLUMNS: &str = "id, org_id, duty, name, phone, email, user_id, created_at";

macro_rules! impl_org_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::OrgStore for $store {
            async fn upsert_region(&self, r: &$crate::Region) -> $crate::Result<()> {
                sqlx::query(
                    "INSERT INTO regions (code, name, level, parent_code) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, \
                     parent_code = excluded.parent_code",
                )
                .bind(&r.code)
                .bind(&r.name)
                .bind(&r.level)
                .bind(&r.parent_code)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn regions(&self) -> $crate::Result<Vec<$crate::Region>> {
                Ok(sqlx::query_as("SELECT code, name, level, parent_code FROM regions ORDER BY code")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn create_org(
                &self,
                org: &gongshu_domain::org::NewOrg,
                parent_id: Option<i64>,
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::Org> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let known: Option<(String,)> = sqlx::query_as("SELECT code FROM regions WHERE code = $1")
                    .bind(org.region.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                if known.is_none() {
                    return Err($crate::StoreError::MissingReference("the region code"));
                }
                let sql = format!(
                    "INSERT INTO orgs (name, credit_code, kind, region_code, parent_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {}",
                    $crate::orgs::ORG_COLUMNS
                );
                let created: $crate::Org = sqlx::query_as(&sql)
                    .bind(&org.name)
                    .bind(org.credit_code.as_ref().map(|c| c.as_str()))
                    .bind(org.kind.as_str())
                    .bind(org.region.as_str())
                    .bind(parent_id)
                    .bind(gongshu_domain::time::now_micros())
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query("UPDATE cache_versions SET version = version + 1 WHERE name = 'orgs'")
                    .execute(&mut *tx)
                    .await?;
                let event = by.event("org.create", format!("org:{}", created.id)).detail(serde_json::json!({
                    "name": created.name, "credit_code": created.credit_code,
                    "kind": created.kind, "region_code": created.region_code, "parent_id": created.parent_id,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(created)
            }

            async fn orgs(&self) -> $crate::Result<std::sync::Arc<Vec<$crate::Org>>> {
                let (version,): (i64,) = sqlx::query_as("SELECT version FROM cache_versions WHERE name = 'orgs'")
                    .fetch_one(&self.pool)
                    .await?;
                if let Ok(cache) = self.org_cache.lock()
                    && cache.version == version
                    && let Some(orgs) = &cache.orgs
                {
                    return Ok(orgs.clone());
                }
                let sql = format!("SELECT {} FROM orgs ORDER BY region_code, id", $crate::orgs::ORG_COLUMNS);
                let orgs: std::sync::Arc<Vec<$crate::Org>> = std::sync::Arc::new(sqlx::query_as(&sql).fetch_all(&self.pool).await?);
                if let Ok(mut cache) = self.org_cache.lock() {
                    *cache = $crate::orgs::OrgCache { version, orgs: Some(orgs.clone()) };
                }
                Ok(orgs)
            }

            async fn org(&self, id: i64) -> $crate::Result<Option<$crate::Org>> {
                let sql = format!("SELECT {} FROM orgs WHERE id = $1", $crate::orgs::ORG_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn org_by_credit_code(&self, code: &str) -> $crate::Result<Option<$crate::Org>> {
                let sql = format!("SELECT {} FROM orgs WHERE credit_code = $1", $crate::orgs::ORG_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(code).fetch_optional(&self.pool).await?)
            }

            async fn add_person(&self, p: &$crate::NewPerson, by: &$crate::Actor) -> $crate::Result<$crate::Person> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let sql = format!(
                    "INSERT INTO org_people (org_id, duty, name, phone, email, user_id, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {}",
                    $crate::orgs::PERSON_COLUMNS
                );
                let person: $crate::Person = sqlx::query_as(&sql)
                    .bind(p.org_id)
                    .bind(p.duty.as_str())
                    .bind(&p.name)
                    .bind(&p.phone)
                    .bind(&p.email)
                    .bind(p.user_id)
                    .bind(gongshu_domain::time::now_micros())
                    .fetch_one(&mut *tx)
                    .await?;
                let event = by
                    .event("org.person.add", format!("org:{}", p.org_id))
                    .detail(serde_json::json!({ "person_id": person.id, "duty": person.duty, "name": person.name }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(person)
            }

            async fn people(&self, org_id: Option<i64>) -> $crate::Result<Vec<$crate::Person>> {
                let sql = format!(
                    "SELECT {} FROM org_people WHERE ($1 IS NULL OR org_id = $1) ORDER BY org_id, duty, id",
                    $crate::orgs::PERSON_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(org_id).fetch_all(&self.pool).await?)
            }

            async fn person(&self, id: i64) -> $crate::Result<Option<$crate::Person>> {
                let sql = format!("SELECT {} FROM org_people WHERE id = $1", $crate::orgs::PERSON_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn remove_person(&self, id: i64, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let removed: Option<(i64, String)> =
                    sqlx::query_as("DELETE FROM org_people WHERE id = $1 RETURNING org_id, name")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some((org_id, name)) = removed else {
                    return Ok(false);
                };
                let event = by
                    .event("org.person.remove", format!("org:{org_id}"))
                    .detail(serde_json::json!({ "person_id": id, "name": name }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
pub(crate) use impl_org_store;
