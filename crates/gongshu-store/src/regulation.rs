//! The regulation engine's storage: calendar imports, clocks, notifications, the
//! outbox, and share requests (the first workflow on clocks).

pub(crate) const CLOCK_COLUMNS: &str = "id, item, duty, rule, source, holder_org_id, received_on, working_days, \
     due_on, due_at, remind_at, provisional, on_miss, state, outcome, reminded_at, fired_at, answered_at, late, created_at";
pub(crate) const SHARE_COLUMNS: &str = "id, requester_org_id, provider_org_id, resource, purpose, legal_basis, items, \
     state, step, decided_by, reason, created_by, created_at, decided_at";
pub(crate) const OUTBOX_COLUMNS: &str =
    "id, channel, target, payload, state, attempts, next_attempt_at, last_error, created_at, sent_at";

macro_rules! impl_regulation_helpers {
    ($store:ty, $db:ty) => {
        impl $store {
            async fn hooks_in(tx: &mut sqlx::Transaction<'_, $db>) -> $crate::Result<Vec<$crate::Webhook>> {
                Ok(sqlx::query_as("SELECT id, org_id, url, created_at FROM webhooks").fetch_all(&mut **tx).await?)
            }

            /// Writes notifications and queues one webhook delivery per matching subscription.
            async fn notify_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                notes: &[$crate::NewNotification],
                now: i64,
            ) -> $crate::Result<()> {
                if notes.is_empty() {
                    return Ok(());
                }
                let hooks = Self::hooks_in(tx).await?;
                Self::notify_with(tx, &hooks, notes, now).await
            }

            async fn notify_with(
                tx: &mut sqlx::Transaction<'_, $db>,
                hooks: &[$crate::Webhook],
                notes: &[$crate::NewNotification],
                now: i64,
            ) -> $crate::Result<()> {
                for n in notes {
                    sqlx::query(
                        "INSERT INTO notifications (org_id, kind, item, title_zh, title_en, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(n.org_id)
                    .bind(&n.kind)
                    .bind(&n.item)
                    .bind(&n.title_zh)
                    .bind(&n.title_en)
                    .bind(now)
                    .execute(&mut **tx)
                    .await?;
                    for h in hooks.iter().filter(|h| h.org_id.is_none() || h.org_id == n.org_id) {
                        let payload = serde_json::json!({
                            "kind": n.kind, "item": n.item, "org_id": n.org_id,
                            "title_zh": n.title_zh, "title_en": n.title_en, "at": now,
                        });
                        sqlx::query(
                            "INSERT INTO outbox (channel, target, payload, state, attempts, next_attempt_at, created_at) \
                             VALUES ('webhook', $1, $2, 'pending', 0, $3, $3)",
                        )
                        .bind(&h.url)
                        .bind(payload.to_string())
                        .bind(now)
                        .execute(&mut **tx)
                        .await?;
                    }
                }
                Ok(())
            }

            async fn insert_clock(tx: &mut sqlx::Transaction<'_, $db>, c: &$crate::NewClock, now: i64) -> $crate::Result<i64> {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO clocks (item, duty, rule, source, holder_org_id, received_on, working_days, due_on, \
                     due_at, remind_at, provisional, on_miss, state, late, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', FALSE, $13) RETURNING id",
                )
                .bind(&c.item)
                .bind(&c.duty)
                .bind(&c.rule)
                .bind(&c.source)
                .bind(c.holder_org_id)
                .bind(&c.received_on)
                .bind(c.working_days)
                .bind(&c.due_on)
                .bind(c.due_at)
                .bind(c.remind_at)
                .bind(c.provisional)
                .bind(&c.on_miss)
                .bind(now)
                .fetch_one(&mut **tx)
                .await?;
                Ok(id)
            }

            /// Stops the open clocks of an item; returns whether any was answered late.
            async fn stop_clocks_in(tx: &mut sqlx::Transaction<'_, $db>, item: &str, now: i64) -> $crate::Result<bool> {
                let rows: Vec<(bool,)> = sqlx::query_as(
                    "UPDATE clocks SET state = 'answered', answered_at = $2, late = (due_at < $2) \
                     WHERE item = $1 AND state = 'open' RETURNING late",
                )
                .bind(item)
                .bind(now)
                .fetch_all(&mut **tx)
                .await?;
                Ok(rows.iter().any(|r| r.0))
            }
        }
    };
}
pub(crate) use impl_regulation_helpers;

macro_rules! impl_calendar_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::CalendarStore for $store {
            async fn calendar_version(&self) -> $crate::Result<i64> {
                let (v,): (i64,) = sqlx::query_as("SELECT version FROM cache_versions WHERE name = 'calendar'")
                    .fetch_one(&self.pool)
                    .await?;
                Ok(v)
            }

            async fn calendar_years(&self) -> $crate::Result<Vec<$crate::CalendarYear>> {
                Ok(sqlx::query_as("SELECT year, csv, imported_at, imported_by FROM calendar_years ORDER BY year")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn save_calendar_year(&self, year: i64, csv: &str, replace: bool, by: &$crate::Actor) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let exists: Option<(i64,)> = sqlx::query_as("SELECT year FROM calendar_years WHERE year = $1")
                    .bind(year)
                    .fetch_optional(&mut *tx)
                    .await?;
                if exists.is_some() && !replace {
                    return Err($crate::StoreError::Conflict("this calendar year"));
                }
                let now = gongshu_domain::time::now_micros();
                sqlx::query(
                    "INSERT INTO calendar_years (year, csv, imported_at, imported_by) VALUES ($1, $2, $3, $4) \
                     ON CONFLICT (year) DO UPDATE SET csv = excluded.csv, imported_at = excluded.imported_at, \
                     imported_by = excluded.imported_by",
                )
                .bind(year)
                .bind(csv)
                .bind(now)
                .bind(&by.who)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE cache_versions SET version = version + 1 WHERE name = 'calendar'").execute(&mut *tx).await?;
                let event = by
                    .event("calendar.import", format!("calendar:{year}"))
                    .detail(serde_json::json!({ "year": year, "replaced": exists.is_some(), "lines": csv.lines().count() }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn calendar_overrides(&self) -> $crate::Result<Vec<$crate::CalendarOverride>> {
                Ok(sqlx::query_as(
                    "SELECT region_code, day, kind, note, created_at FROM calendar_overrides ORDER BY region_code, day",
                )
                .fetch_all(&self.pool)
                .await?)
            }

            async fn save_calendar_override(&self, o: &$crate::CalendarOverride, by: &$crate::Actor) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                sqlx::query(
                    "INSERT INTO calendar_overrides (region_code, day, kind, note, created_at) VALUES ($1, $2, $3, $4, $5) \
                     ON CONFLICT (region_code, day) DO UPDATE SET kind = excluded.kind, note = excluded.note",
                )
                .bind(&o.region_code)
                .bind(&o.day)
                .bind(&o.kind)
                .bind(&o.note)
                .bind(o.created_at)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE cache_versions SET version = version + 1 WHERE name = 'calendar'").execute(&mut *tx).await?;
                let event = by
                    .event("calendar.override", format!("region:{}", o.region_code))
                    .detail(serde_json::json!({ "day": o.day, "kind": o.kind, "note": o.note }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_calendar_store;

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
