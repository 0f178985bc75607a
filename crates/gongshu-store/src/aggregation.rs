//! Aggregation rules (AGG-7): exemptions with their legal basis, and data purchases.

pub(crate) const PURCHASE_COLUMNS: &str =
    "id, entry_id, org_id, supplier, purpose, state, reason, created_by, created_at, decided_by, decided_at";

macro_rules! impl_aggregation_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::AggregationStore for $store {
            async fn set_exemption(&self, entry_id: i64, legal_basis: Option<&str>, by: &$crate::Actor) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                sqlx::query("DELETE FROM aggregation_exemptions WHERE entry_id = $1").bind(entry_id).execute(&mut *tx).await?;
                if let Some(basis) = legal_basis {
                    sqlx::query(
                        "INSERT INTO aggregation_exemptions (entry_id, legal_basis, decided_by, created_at) VALUES ($1, $2, $3, $4)",
                    )
                    .bind(entry_id)
                    .bind(basis)
                    .bind(&by.who)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let action = if legal_basis.is_some() { "aggregation.exempt" } else { "aggregation.resume" };
                let event = by.event(action, format!("catalog_entry:{entry_id}")).detail(serde_json::json!({ "legal_basis": legal_basis }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn exemptions(&self) -> $crate::Result<Vec<$crate::Exemption>> {
                Ok(sqlx::query_as("SELECT entry_id, legal_basis, decided_by, created_at FROM aggregation_exemptions ORDER BY entry_id")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn create_purchase(
                &self,
                entry_id: i64,
                org_id: i64,
                supplier: &str,
                purpose: &str,
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::Purchase> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "INSERT INTO data_purchases (entry_id, org_id, supplier, purpose, state, created_by, created_at) \
                     VALUES ($1, $2, $3, $4, 'submitted', $5, $6) RETURNING {}",
                    $crate::aggregation::PURCHASE_COLUMNS
                );
                let p: $crate::Purchase = sqlx::query_as(&sql)
                    .bind(entry_id)
                    .bind(org_id)
                    .bind(supplier)
                    .bind(purpose)
                    .bind(&by.who)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let event = by.event("purchase.submit", format!("data_purchase:{}", p.id)).detail(serde_json::json!({
                    "entry": entry_id, "supplier": supplier,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(p)
            }

            async fn purchases(&self) -> $crate::Result<Vec<$crate::Purchase>> {
                let sql = format!("SELECT {} FROM data_purchases ORDER BY id", $crate::aggregation::PURCHASE_COLUMNS);
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }

            async fn decide_purchase(&self, id: i64, approve: bool, reason: Option<&str>, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let state = if approve { "approved" } else { "rejected" };
                let done = sqlx::query(
                    "UPDATE data_purchases SET state = $2, reason = $3, decided_by = $4, decided_at = $5 \
                     WHERE id = $1 AND state = 'submitted'",
                )
                .bind(id)
                .bind(state)
                .bind(reason)
                .bind(&by.who)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                let event = by.event(if approve { "purchase.approve" } else { "purchase.reject" }, format!("data_purchase:{id}"))
                    .detail(serde_json::json!({ "reason": reason }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(true)
            }
        }
    };
}
pub(crate) use impl_aggregation_store;
