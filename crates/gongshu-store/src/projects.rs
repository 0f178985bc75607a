//! IT projects and their supply lists (AGG-9).

pub(crate) const PROJECT_COLUMNS: &str =
    "id, name, org_id, entry_ids, min_valid_share, state, created_by, created_at, decided_by, decided_at";

macro_rules! impl_project_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::ProjectStore for $store {
            async fn create_project(
                &self,
                name: &str,
                org_id: i64,
                entry_ids: &[i64],
                min_valid_share: f64,
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::Project> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let ids = serde_json::to_string(entry_ids).map_err(|e| $crate::StoreError::Corrupt(e.to_string()))?;
                let sql = format!(
                    "INSERT INTO it_projects (name, org_id, entry_ids, min_valid_share, state, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, 'declared', $5, $6) RETURNING {}",
                    $crate::projects::PROJECT_COLUMNS
                );
                let p: $crate::Project = sqlx::query_as(&sql)
                    .bind(name)
                    .bind(org_id)
                    .bind(&ids)
                    .bind(min_valid_share)
                    .bind(&by.who)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let event = by.event("project.declare", format!("it_project:{}", p.id)).detail(serde_json::json!({
                    "name": name, "entries": entry_ids, "min_valid_share": min_valid_share,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(p)
            }

            async fn projects(&self) -> $crate::Result<Vec<$crate::Project>> {
                let sql = format!("SELECT {} FROM it_projects ORDER BY id", $crate::projects::PROJECT_COLUMNS);
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }

            async fn project(&self, id: i64) -> $crate::Result<Option<$crate::Project>> {
                let sql = format!("SELECT {} FROM it_projects WHERE id = $1", $crate::projects::PROJECT_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn decide_project(
                &self,
                id: i64,
                accepted: bool,
                detail: serde_json::Value,
                by: &$crate::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let changed = if accepted {
                    sqlx::query(
                        "UPDATE it_projects SET state = 'accepted', decided_by = $2, decided_at = $3 \
                         WHERE id = $1 AND state = 'declared'",
                    )
                    .bind(id)
                    .bind(&by.who)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                        > 0
                } else {
                    true
                };
                if !changed {
                    return Ok(false);
                }
                let action = if accepted { "project.accept" } else { "project.acceptance_refused" };
                Self::write_entry(&mut tx, head, &by.event(action, format!("it_project:{id}")).detail(detail)).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
pub(crate) use impl_project_store;
