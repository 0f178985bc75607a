//! Open data (OPN-1, OPN-6): providers' release rules per item and download counts.

macro_rules! impl_open_data_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::OpenDataStore for $store {
            async fn release_rules(&self, entry_id: Option<i64>) -> $crate::Result<Vec<$crate::ReleaseRule>> {
                let sql = "SELECT entry_id, item, rule, set_by, set_at FROM release_rules \
                           WHERE ($1 IS NULL OR entry_id = $1) ORDER BY entry_id, item";
                Ok(sqlx::query_as(sql).bind(entry_id).fetch_all(&self.pool).await?)
            }

            async fn set_release_rules(
                &self,
                entry_id: i64,
                rules: &[(String, String)],
                now: i64,
                by: &$crate::Actor,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                sqlx::query("DELETE FROM release_rules WHERE entry_id = $1").bind(entry_id).execute(&mut *tx).await?;
                for (item, rule) in rules {
                    sqlx::query(
                        "INSERT INTO release_rules (entry_id, item, rule, set_by, set_at) VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(entry_id)
                    .bind(item)
                    .bind(rule)
                    .bind(&by.who)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let detail: serde_json::Map<String, serde_json::Value> = rules
                    .iter()
                    .map(|(i, r)| (i.clone(), serde_json::from_str(r).unwrap_or(serde_json::Value::String(r.clone()))))
                    .collect();
                let event = by
                    .event("open.release_rules_set", format!("catalog_entry:{entry_id}"))
                    .detail(serde_json::json!({ "rules": detail }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn count_download(
                &self,
                entry_id: i64,
                format: &str,
                day: &str,
                records: i64,
                by: &$crate::Actor,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                sqlx::query(
                    "INSERT INTO open_downloads (entry_id, format, day, downloads, records) VALUES ($1, $2, $3, 1, $4) \
                     ON CONFLICT (entry_id, format, day) DO UPDATE SET downloads = open_downloads.downloads + 1, \
                     records = open_downloads.records + excluded.records",
                )
                .bind(entry_id)
                .bind(format)
                .bind(day)
                .bind(records)
                .execute(&mut *tx)
                .await?;
                let event = by
                    .event("open.download", format!("catalog_entry:{entry_id}"))
                    .detail(serde_json::json!({ "format": format, "records": records }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn platform_key(&self, name: &str, candidate: &str, now: i64) -> $crate::Result<String> {
                sqlx::query(
                    "INSERT INTO platform_keys (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
                )
                .bind(name)
                .bind(candidate)
                .bind(now)
                .execute(&self.pool)
                .await?;
                let (value,): (String,) = sqlx::query_as("SELECT value FROM platform_keys WHERE name = $1")
                    .bind(name)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(value)
            }

            async fn open_stamp(&self) -> $crate::Result<(i64, i64, i64, i64)> {
                let sql = "SELECT (SELECT COALESCE(MAX(id), 0) FROM data_versions), \
                           (SELECT COUNT(*) FROM release_rules), \
                           (SELECT COALESCE(MAX(set_at), 0) FROM release_rules), \
                           (SELECT CAST(COALESCE(SUM(suspended_at % 1000000007 + entry_id), 0) + COUNT(*) AS BIGINT) \
                            FROM open_suspensions)";
                Ok(sqlx::query_as(sql).fetch_one(&self.pool).await?)
            }

            async fn download_counts(&self) -> $crate::Result<Vec<$crate::DownloadCount>> {
                let sql = "SELECT entry_id, format, CAST(SUM(downloads) AS BIGINT) AS downloads, CAST(SUM(records) AS BIGINT) AS records \
                           FROM open_downloads GROUP BY entry_id, format ORDER BY entry_id, format";
                Ok(sqlx::query_as(sql).fetch_all(&self.pool).await?)
            }
        }
    };
}
pub(crate) use impl_open_data_store;
