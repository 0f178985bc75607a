//! Correction tickets (AGG-4).

pub(crate) const CORRECTION_COLUMNS: &str = "id, entry_id, data_version, key_item, key_value, item, reported_value, \
     description, reported_by, reporter_org_id, provider_org_id, state, outcome, fixed_in_version, created_at, closed_at";

macro_rules! impl_correction_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::CorrectionStore for $store {
            async fn create_correction(
                &self,
                c: &$crate::NewCorrection,
                clock: &$crate::NewClock,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::Correction> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "INSERT INTO corrections (entry_id, data_version, key_item, key_value, item, reported_value, description, \
                     reported_by, reporter_org_id, provider_org_id, state, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11) RETURNING {}",
                    $crate::corrections::CORRECTION_COLUMNS
                );
                let row: $crate::Correction = sqlx::query_as(&sql)
                    .bind(c.entry_id)
                    .bind(c.data_version)
                    .bind(&c.key_item)
                    .bind(&c.key_value)
                    .bind(&c.item)
                    .bind(&c.reported_value)
                    .bind(&c.description)
                    .bind(&by.who)
                    .bind(c.reporter_org_id)
                    .bind(c.provider_org_id)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let item = format!("correction:{}", row.id);
                Self::insert_clock(&mut tx, &$crate::NewClock { item: item.clone(), ..clock.clone() }, now).await?;
                let notes: Vec<$crate::NewNotification> =
                    notes.iter().cloned().map(|n| $crate::NewNotification { item: item.clone(), ..n }).collect();
                Self::notify_in(&mut tx, &notes, now).await?;
                let event = by.event("correction.report", format!("catalog_entry:{}", c.entry_id)).detail(serde_json::json!({
                    "correction": row.id, "version": c.data_version, "key_item": c.key_item, "item": c.item,
                    "due_on": clock.due_on,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(row)
            }

            async fn corrections(&self, entry_id: Option<i64>, state: Option<&str>) -> $crate::Result<Vec<$crate::Correction>> {
                let sql = format!(
                    "SELECT {} FROM corrections WHERE ($1 IS NULL OR entry_id = $1) AND ($2 IS NULL OR state = $2) ORDER BY id",
                    $crate::corrections::CORRECTION_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(entry_id).bind(state).fetch_all(&self.pool).await?)
            }

            async fn correction(&self, id: i64) -> $crate::Result<Option<$crate::Correction>> {
                let sql = format!("SELECT {} FROM corrections WHERE id = $1", $crate::corrections::CORRECTION_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn close_correction(
                &self,
                id: i64,
                fixed_in_version: i64,
                outcome: &str,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let done = sqlx::query(
                    "UPDATE corrections SET state = 'closed', outcome = $2, fixed_in_version = $3, closed_at = $4 \
                     WHERE id = $1 AND state = 'open'",
                )
                .bind(id)
                .bind(outcome)
                .bind(fixed_in_version)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                let item = format!("correction:{id}");
                let late = Self::stop_clocks_in(&mut tx, &item, now).await?;
                let notes: Vec<$crate::NewNotification> =
                    notes.iter().cloned().map(|n| $crate::NewNotification { item: item.clone(), ..n }).collect();
                Self::notify_in(&mut tx, &notes, now).await?;
                let event = by.event("correction.close", item).detail(serde_json::json!({
                    "outcome": outcome, "version": fixed_in_version, "late": late,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
pub(crate) use impl_correction_store;
