//! Deadline clocks, notifications, webhooks and the outbox.

macro_rules! impl_deadline_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::DeadlineStore for $store {
            async fn start_clocks(&self, clocks: &[$crate::NewClock], by: &$crate::Actor) -> $crate::Result<Vec<i64>> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let mut ids = Vec::with_capacity(clocks.len());
                for c in clocks {
                    ids.push(Self::insert_clock(&mut tx, c, now).await?);
                }
                let items: Vec<&str> = clocks.iter().take(20).map(|c| c.item.as_str()).collect();
                let event = by
                    .event("clock.start", format!("clocks:{}", clocks.len()))
                    .detail(serde_json::json!({ "count": clocks.len(), "first_items": items }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(ids)
            }

            async fn stop_clocks(&self, item: &str, now: i64, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let late = Self::stop_clocks_in(&mut tx, item, now).await?;
                let event = by.event("clock.stop", item).detail(serde_json::json!({ "late": late }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(late)
            }

            async fn clocks(&self, f: &$crate::ClockFilter) -> $crate::Result<Vec<$crate::Clock>> {
                let sql = format!(
                    "SELECT {} FROM clocks WHERE ($1 IS NULL OR holder_org_id = $1) AND ($2 IS NULL OR state = $2) \
                     AND ($3 IS NULL OR item = $3) ORDER BY due_at, id LIMIT $4",
                    $crate::regulation::CLOCK_COLUMNS
                );
                Ok(sqlx::query_as(&sql)
                    .bind(f.holder_org_id)
                    .bind(&f.state)
                    .bind(&f.item)
                    .bind(f.limit.clamp(1, 5000))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn due_clocks(&self, now: i64, limit: i64) -> $crate::Result<Vec<$crate::Clock>> {
                let sql = format!(
                    "SELECT {} FROM clocks WHERE state = 'open' AND due_at < $1 ORDER BY due_at, id LIMIT $2",
                    $crate::regulation::CLOCK_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(&self.pool).await?)
            }

            async fn reminder_clocks(&self, now: i64, limit: i64) -> $crate::Result<Vec<$crate::Clock>> {
                let sql = format!(
                    "SELECT {} FROM clocks WHERE state = 'open' AND reminded_at IS NULL AND remind_at <= $1 \
                     ORDER BY remind_at, id LIMIT $2",
                    $crate::regulation::CLOCK_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(now).bind(limit).fetch_all(&self.pool).await?)
            }

            async fn fire_clocks(&self, now: i64, batch: &[(i64, $crate::Effect)]) -> $crate::Result<usize> {
                if batch.is_empty() {
                    return Ok(0);
                }
                let mut tx = self.pool.begin().await?;
                let mut head = Self::lock_head(&mut tx).await?;
                let hooks = Self::hooks_in(&mut tx).await?;
                let mut fired = 0;
                for (id, effect) in batch {
                    // The claim: only one process sees a row change from open to missed.
                    let claimed = sqlx::query(
                        "UPDATE clocks SET state = 'missed', outcome = $2, fired_at = $3 \
                         WHERE id = $1 AND state = 'open' AND due_at < $3",
                    )
                    .bind(id)
                    .bind(&effect.outcome)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if claimed.rows_affected() == 0 {
                        continue;
                    }
                    if let Some(request) = effect.grant_share_request {
                        let granted = sqlx::query(
                            "UPDATE share_requests SET state = 'granted', decided_by = 'platform', decided_at = $2, \
                             reason = $3 WHERE id = $1 AND state = 'pending'",
                        )
                        .bind(request)
                        .bind(now)
                        .bind(effect.audit.detail.get("reason").and_then(|r| r.as_str()))
                        .execute(&mut *tx)
                        .await?;
                        if granted.rows_affected() == 0 {
                            // Decided meanwhile: the clock is spent, nothing is granted.
                            sqlx::query("UPDATE clocks SET outcome = 'superseded' WHERE id = $1").bind(id).execute(&mut *tx).await?;
                            continue;
                        }
                    }
                    if let Some(emergency) = effect.end_emergency
                        && Self::end_emergency_in(&mut tx, emergency, now).await?.is_none()
                    {
                        // Ended by hand meanwhile.
                        sqlx::query("UPDATE clocks SET outcome = 'superseded' WHERE id = $1").bind(id).execute(&mut *tx).await?;
                        continue;
                    }
                    Self::notify_with(&mut tx, &hooks, &effect.notifications, now).await?;
                    let entry = Self::write_entry(&mut tx, head, &effect.audit).await?;
                    head = (entry.seq, entry.hash);
                    fired += 1;
                }
                tx.commit().await?;
                Ok(fired)
            }

            async fn remind_clocks(
                &self,
                now: i64,
                batch: &[(i64, Vec<$crate::NewNotification>)],
            ) -> $crate::Result<usize> {
                if batch.is_empty() {
                    return Ok(0);
                }
                let mut tx = self.pool.begin().await?;
                // Write first: a SQLite transaction that reads and then writes can fail
                // to upgrade its lock when another process wrote in between.
                Self::lock_head(&mut tx).await?;
                let hooks = Self::hooks_in(&mut tx).await?;
                let mut sent = 0;
                for (id, notes) in batch {
                    let claimed = sqlx::query(
                        "UPDATE clocks SET reminded_at = $2 WHERE id = $1 AND state = 'open' AND reminded_at IS NULL",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    if claimed.rows_affected() == 0 {
                        continue;
                    }
                    Self::notify_with(&mut tx, &hooks, notes, now).await?;
                    sent += 1;
                }
                tx.commit().await?;
                Ok(sent)
            }

            async fn notifications(&self, org_id: Option<i64>, limit: i64) -> $crate::Result<Vec<$crate::Notification>> {
                Ok(sqlx::query_as(
                    "SELECT id, org_id, kind, item, title_zh, title_en, created_at, read_at FROM notifications \
                     WHERE ($1 IS NULL OR org_id = $1) ORDER BY id DESC LIMIT $2",
                )
                .bind(org_id)
                .bind(limit.clamp(1, 1000))
                .fetch_all(&self.pool)
                .await?)
            }

            async fn mark_notification_read(&self, id: i64, org_id: Option<i64>, now: i64) -> $crate::Result<bool> {
                let done = sqlx::query(
                    "UPDATE notifications SET read_at = $3 WHERE id = $1 AND ($2 IS NULL OR org_id = $2) AND read_at IS NULL",
                )
                .bind(id)
                .bind(org_id)
                .bind(now)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() > 0)
            }

            async fn webhooks(&self) -> $crate::Result<Vec<$crate::Webhook>> {
                Ok(sqlx::query_as("SELECT id, org_id, url, created_at FROM webhooks ORDER BY id").fetch_all(&self.pool).await?)
            }

            async fn add_webhook(&self, org_id: Option<i64>, url: &str, by: &$crate::Actor) -> $crate::Result<$crate::Webhook> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let hook: $crate::Webhook =
                    sqlx::query_as("INSERT INTO webhooks (org_id, url, created_at) VALUES ($1, $2, $3) RETURNING id, org_id, url, created_at")
                        .bind(org_id)
                        .bind(url)
                        .bind(gongshu_domain::time::now_micros())
                        .fetch_one(&mut *tx)
                        .await?;
                let event = by.event("webhook.add", format!("webhook:{}", hook.id)).detail(serde_json::json!({ "org_id": org_id, "url": url }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(hook)
            }

            async fn remove_webhook(&self, id: i64, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let done = sqlx::query("DELETE FROM webhooks WHERE id = $1").bind(id).execute(&mut *tx).await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                Self::write_entry(&mut tx, head, &by.event("webhook.remove", format!("webhook:{id}"))).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn outbox(&self, limit: i64) -> $crate::Result<Vec<$crate::OutboxItem>> {
                let sql = format!("SELECT {} FROM outbox ORDER BY id DESC LIMIT $1", $crate::regulation::OUTBOX_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(limit.clamp(1, 1000)).fetch_all(&self.pool).await?)
            }

            async fn claim_outbox(&self, now: i64, lease_until: i64, limit: i64) -> $crate::Result<Vec<$crate::OutboxItem>> {
                // Leasing moves next_attempt_at forward, so another process skips the row
                // until the lease ends (a crash mid-delivery means a retry, not a loss).
                let sql = format!(
                    "UPDATE outbox SET next_attempt_at = $2 WHERE state = 'pending' AND next_attempt_at <= $1 AND id IN \
                     (SELECT id FROM outbox WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $3) \
                     RETURNING {}",
                    $crate::regulation::OUTBOX_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(now).bind(lease_until).bind(limit).fetch_all(&self.pool).await?)
            }

            async fn outbox_delivered(&self, id: i64, now: i64) -> $crate::Result<()> {
                sqlx::query("UPDATE outbox SET state = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1")
                    .bind(id)
                    .bind(now)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn outbox_failed(&self, id: i64, error: &str, retry_at: Option<i64>) -> $crate::Result<()> {
                sqlx::query(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $2, \
                     state = CASE WHEN $3 IS NULL THEN 'failed' ELSE 'pending' END, \
                     next_attempt_at = COALESCE($3, next_attempt_at) WHERE id = $1",
                )
                .bind(id)
                .bind(error)
                .bind(retry_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_deadline_store;
