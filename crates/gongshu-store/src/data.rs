//! Data versions (AGG-1, AGG-3): the record of each load. The files themselves live in
//! the platform's object storage under the version's `storage_key`.

pub(crate) const VERSION_COLUMNS: &str = "id, entry_id, version, storage_key, source, file_name, rows_total, \
     rows_valid, rows_rejected, bytes, report, loaded_by, created_at";

macro_rules! impl_data_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::DataStore for $store {
            async fn add_data_version(
                &self,
                v: &$crate::NewDataVersion,
                next_update: Option<&$crate::NewClock>,
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::DataVersion> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "INSERT INTO data_versions (entry_id, version, storage_key, source, file_name, rows_total, \
                     rows_valid, rows_rejected, bytes, report, loaded_by, created_at) \
                     SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11 \
                     FROM data_versions WHERE entry_id = $1 RETURNING {}",
                    $crate::data::VERSION_COLUMNS
                );
                let version: $crate::DataVersion = sqlx::query_as(&sql)
                    .bind(v.entry_id)
                    .bind(&v.storage_key)
                    .bind(&v.source)
                    .bind(&v.file_name)
                    .bind(v.rows_total)
                    .bind(v.rows_valid)
                    .bind(v.rows_rejected)
                    .bind(v.bytes)
                    .bind(&v.report)
                    .bind(&by.who)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let item = format!("data_update:{}", v.entry_id);
                Self::stop_clocks_in(&mut tx, &item, now).await?;
                if let Some(clock) = next_update {
                    Self::insert_clock(&mut tx, &$crate::NewClock { item, ..clock.clone() }, now).await?;
                }
                let event = by.event("data.load", format!("catalog_entry:{}", v.entry_id)).detail(serde_json::json!({
                    "version": version.version, "source": v.source, "file": v.file_name,
                    "rows_total": v.rows_total, "rows_valid": v.rows_valid, "rows_rejected": v.rows_rejected,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(version)
            }

            async fn data_versions(&self, entry_id: i64) -> $crate::Result<Vec<$crate::DataVersion>> {
                let sql = format!(
                    "SELECT {} FROM data_versions WHERE entry_id = $1 ORDER BY version",
                    $crate::data::VERSION_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(entry_id).fetch_all(&self.pool).await?)
            }

            async fn data_version(&self, entry_id: i64, version: i64) -> $crate::Result<Option<$crate::DataVersion>> {
                let sql = format!(
                    "SELECT {} FROM data_versions WHERE entry_id = $1 AND version = $2",
                    $crate::data::VERSION_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(entry_id).bind(version).fetch_optional(&self.pool).await?)
            }

            async fn latest_data_versions(&self) -> $crate::Result<Vec<$crate::DataVersion>> {
                let sql = format!(
                    "SELECT {} FROM data_versions d WHERE version = \
                     (SELECT MAX(version) FROM data_versions m WHERE m.entry_id = d.entry_id) ORDER BY entry_id",
                    $crate::data::VERSION_COLUMNS
                );
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }

            async fn notify(
                &self,
                notes: &[$crate::NewNotification],
                event: &gongshu_domain::audit::AuditEvent,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                Self::notify_in(&mut tx, notes, gongshu_domain::time::now_micros()).await?;
                Self::write_entry(&mut tx, head, event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn data_storage_keys(&self) -> $crate::Result<Vec<String>> {
                let rows: Vec<(String,)> = sqlx::query_as("SELECT storage_key FROM data_versions").fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(|r| r.0).collect())
            }
        }
    };
}
pub(crate) use impl_data_store;
