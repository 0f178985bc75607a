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

            /// Restores the attributes an active emergency saved; returns its entry.
            async fn end_emergency_in(tx: &mut sqlx::Transaction<'_, $db>, id: i64, now: i64) -> $crate::Result<Option<i64>> {
                let ended: Option<(i64, String, String)> = sqlx::query_as(
                    "UPDATE catalog_emergencies SET state = 'ended', ended_at = $2 WHERE id = $1 AND state = 'active' \
                     RETURNING entry_id, saved_share, saved_open",
                )
                .bind(id)
                .bind(now)
                .fetch_optional(&mut **tx)
                .await?;
                let Some((entry_id, share, open)) = ended else { return Ok(None) };
                sqlx::query("UPDATE catalog_entries SET share_type = $2, open_type = $3, updated_at = $4 WHERE id = $1")
                    .bind(entry_id)
                    .bind(share)
                    .bind(open)
                    .bind(now)
                    .execute(&mut **tx)
                    .await?;
                Ok(Some(entry_id))
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
