//! Scheduled pulls (AGG-1).

pub(crate) const PULL_COLUMNS: &str =
    "id, entry_id, url, format, every_minutes, next_at, last_run_at, last_error, created_by";

macro_rules! impl_pull_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::PullStore for $store {
            async fn set_pull(
                &self,
                entry_id: i64,
                url: &str,
                format: Option<&str>,
                every_minutes: i64,
                next_at: i64,
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::Pull> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let sql = format!(
                    "INSERT INTO data_pulls (entry_id, url, format, every_minutes, next_at, created_by) VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (entry_id) DO UPDATE SET url = excluded.url, format = excluded.format, \
                     every_minutes = excluded.every_minutes, next_at = excluded.next_at, last_error = NULL RETURNING {}",
                    $crate::pulls::PULL_COLUMNS
                );
                let p: $crate::Pull = sqlx::query_as(&sql)
                    .bind(entry_id)
                    .bind(url)
                    .bind(format)
                    .bind(every_minutes)
                    .bind(next_at)
                    .bind(&by.who)
                    .fetch_one(&mut *tx)
                    .await?;
                let event = by.event("data.pull_set", format!("catalog_entry:{entry_id}")).detail(serde_json::json!({
                    "url": url, "every_minutes": every_minutes,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(p)
            }

            async fn pulls(&self) -> $crate::Result<Vec<$crate::Pull>> {
                let sql = format!("SELECT {} FROM data_pulls ORDER BY entry_id", $crate::pulls::PULL_COLUMNS);
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }

            async fn claim_pull(&self, id: i64, seen_next_at: i64, next_at: i64, now: i64) -> $crate::Result<bool> {
                let done = sqlx::query(
                    "UPDATE data_pulls SET next_at = $3, last_run_at = $4 WHERE id = $1 AND next_at = $2",
                )
                .bind(id)
                .bind(seen_next_at)
                .bind(next_at)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn pull_result(&self, id: i64, error: Option<&str>) -> $crate::Result<()> {
                sqlx::query("UPDATE data_pulls SET last_error = $2 WHERE id = $1").bind(id).bind(error).execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_pull_store;
