//! Annual data demand plans (AGG-8).

pub(crate) const PLAN_COLUMNS: &str = "id, org_id, year, items, revision, late, filed_by, filed_at, updated_at";

macro_rules! impl_demand_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::DemandStore for $store {
            async fn save_demand_plan(
                &self,
                org_id: i64,
                year: i64,
                items: &str,
                late: bool,
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::DemandPlan> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                // The first filing decides lateness; later revisions keep it.
                let sql = format!(
                    "INSERT INTO demand_plans (org_id, year, items, revision, late, filed_by, filed_at, updated_at) \
                     VALUES ($1, $2, $3, 1, $4, $5, $6, $6) ON CONFLICT (org_id, year) DO UPDATE \
                     SET items = excluded.items, revision = demand_plans.revision + 1, updated_at = excluded.updated_at \
                     RETURNING {}",
                    $crate::demand::PLAN_COLUMNS
                );
                let plan: $crate::DemandPlan = sqlx::query_as(&sql)
                    .bind(org_id)
                    .bind(year)
                    .bind(items)
                    .bind(late)
                    .bind(&by.who)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let event = by.event("demand_plan.save", format!("demand_plan:{}", plan.id)).detail(serde_json::json!({
                    "year": year, "revision": plan.revision, "late": plan.late,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(plan)
            }

            async fn demand_plans(&self, year: Option<i64>) -> $crate::Result<Vec<$crate::DemandPlan>> {
                let sql = format!(
                    "SELECT {} FROM demand_plans WHERE ($1 IS NULL OR year = $1) ORDER BY year, org_id",
                    $crate::demand::PLAN_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(year).fetch_all(&self.pool).await?)
            }
        }
    };
}
pub(crate) use impl_demand_store;
