//! Annual open lists (CAT-10).

pub(crate) const LIST_COLUMNS: &str =
    "id, provider_org_id, year, state, entry_ids, reason, created_by, created_at, decided_by, decided_at";

macro_rules! impl_open_list_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::OpenListStore for $store {
            async fn save_open_list(
                &self,
                provider_org_id: i64,
                year: i64,
                entry_ids: &[i64],
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::OpenList> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let ids = serde_json::to_string(entry_ids).map_err(|e| $crate::StoreError::Corrupt(e.to_string()))?;
                let sql = format!(
                    "INSERT INTO open_lists (provider_org_id, year, state, entry_ids, created_by, created_at) \
                     VALUES ($1, $2, 'draft', $3, $4, $5) ON CONFLICT (provider_org_id, year) DO UPDATE \
                     SET entry_ids = excluded.entry_ids, state = 'draft', reason = NULL \
                     WHERE open_lists.state IN ('draft', 'rejected') RETURNING {}",
                    $crate::open_lists::LIST_COLUMNS
                );
                let list: Option<$crate::OpenList> = sqlx::query_as(&sql)
                    .bind(provider_org_id)
                    .bind(year)
                    .bind(&ids)
                    .bind(&by.who)
                    .bind(now)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(list) = list else {
                    return Err($crate::StoreError::Conflict("a submitted or published list for this year"));
                };
                let event = by.event("open_list.save", format!("open_list:{}", list.id)).detail(serde_json::json!({
                    "year": year, "entries": entry_ids.len(),
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(list)
            }

            async fn move_open_list(&self, id: i64, from: &str, to: &str, reason: Option<&str>, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let done = sqlx::query(
                    "UPDATE open_lists SET state = $3, reason = COALESCE($4, reason), decided_by = $5, decided_at = $6 \
                     WHERE id = $1 AND state = $2",
                )
                .bind(id)
                .bind(from)
                .bind(to)
                .bind(reason)
                .bind(&by.who)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                let event = by.event(format!("open_list.{to}").as_str(), format!("open_list:{id}")).detail(serde_json::json!({ "reason": reason }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn open_lists(&self, year: Option<i64>, state: Option<&str>) -> $crate::Result<Vec<$crate::OpenList>> {
                let sql = format!(
                    "SELECT {} FROM open_lists WHERE ($1 IS NULL OR year = $1) AND ($2 IS NULL OR state = $2) ORDER BY year DESC, id",
                    $crate::open_lists::LIST_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(year).bind(state).fetch_all(&self.pool).await?)
            }

            async fn open_list(&self, id: i64) -> $crate::Result<Option<$crate::OpenList>> {
                let sql = format!("SELECT {} FROM open_lists WHERE id = $1", $crate::open_lists::LIST_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }
        }
    };
}
pub(crate) use impl_open_list_store;
