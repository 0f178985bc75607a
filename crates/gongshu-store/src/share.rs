//! Conditional share requests: the first workflow on clocks.

macro_rules! impl_share_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::ShareStore for $store {
            async fn create_share_request(
                &self,
                r: &$crate::NewShareRequest,
                first: &$crate::NewClock,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::ShareRequest> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "INSERT INTO share_requests (requester_org_id, provider_org_id, resource, purpose, legal_basis, items, \
                     state, step, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $8) RETURNING {}",
                    $crate::regulation::SHARE_COLUMNS
                );
                let created: $crate::ShareRequest = sqlx::query_as(&sql)
                    .bind(r.requester_org_id)
                    .bind(r.provider_org_id)
                    .bind(&r.resource)
                    .bind(&r.purpose)
                    .bind(&r.legal_basis)
                    .bind(&r.items)
                    .bind(&by.who)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let item = format!("share_request:{}", created.id);
                let clock = $crate::NewClock { item: item.clone(), ..first.clone() };
                Self::insert_clock(&mut tx, &clock, now).await?;
                let notes: Vec<$crate::NewNotification> =
                    notes.iter().cloned().map(|n| $crate::NewNotification { item: item.clone(), ..n }).collect();
                Self::notify_in(&mut tx, &notes, now).await?;
                let event = by.event("share_request.create", item).detail(serde_json::json!({
                    "requester_org_id": r.requester_org_id, "provider_org_id": r.provider_org_id,
                    "resource": r.resource, "purpose": r.purpose, "items": r.items, "due_on": first.due_on,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(created)
            }

            async fn share_requests(&self, org_id: Option<i64>) -> $crate::Result<Vec<$crate::ShareRequest>> {
                let sql = format!(
                    "SELECT {} FROM share_requests WHERE ($1 IS NULL OR requester_org_id = $1 OR provider_org_id = $1) \
                     ORDER BY id DESC",
                    $crate::regulation::SHARE_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(org_id).fetch_all(&self.pool).await?)
            }

            async fn share_request(&self, id: i64) -> $crate::Result<Option<$crate::ShareRequest>> {
                let sql = format!("SELECT {} FROM share_requests WHERE id = $1", $crate::regulation::SHARE_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn answer_share_request(
                &self,
                id: i64,
                answer: &$crate::ShareAnswer,
                next: Option<&$crate::NewClock>,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let next_step = if next.is_some() { answer.step + 1 } else { answer.step };
                let done = sqlx::query(
                    "UPDATE share_requests SET state = $3, step = $4, \
                     decided_by = CASE WHEN $3 = 'pending' THEN decided_by ELSE $5 END, \
                     decided_at = CASE WHEN $3 = 'pending' THEN decided_at ELSE $6 END, \
                     reason = COALESCE($7, reason) WHERE id = $1 AND step = $2 AND state = 'pending'",
                )
                .bind(id)
                .bind(answer.step)
                .bind(&answer.new_state)
                .bind(next_step)
                .bind(&answer.decided_by)
                .bind(now)
                .bind(&answer.reason)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::Conflict("a decision on this step"));
                }
                let item = format!("share_request:{id}");
                let late = Self::stop_clocks_in(&mut tx, &item, now).await?;
                if let Some(c) = next {
                    Self::insert_clock(&mut tx, &$crate::NewClock { item: item.clone(), ..c.clone() }, now).await?;
                }
                Self::notify_in(&mut tx, notes, now).await?;
                let event = by.event("share_request.answer", item).detail(serde_json::json!({
                    "step": answer.step, "state": answer.new_state, "reason": answer.reason, "late": late,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(late)
            }
        }
    };
}
pub(crate) use impl_share_store;
