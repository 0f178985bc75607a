//! The OpenDemandStore's SQL, written once and expanded for each backend.

macro_rules! impl_open_demand_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Tells the requester (a person, who may belong to no organization).
            async fn notify_user_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                user_id: i64,
                n: &$crate::NewNotification,
                now: i64,
            ) -> $crate::Result<()> {
                sqlx::query(
                    "INSERT INTO notifications (org_id, user_id, kind, item, title_zh, title_en, created_at) \
                     VALUES (NULL, $1, $2, $3, $4, $5, $6)",
                )
                .bind(user_id)
                .bind(&n.kind)
                .bind(&n.item)
                .bind(&n.title_zh)
                .bind(&n.title_en)
                .bind(now)
                .execute(&mut **tx)
                .await?;
                Ok(())
            }

            async fn insert_suspension_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                entry_id: i64,
                reason: &str,
                objection_id: Option<i64>,
                by: i64,
                at: i64,
            ) -> $crate::Result<$crate::Suspension> {
                let taken: Option<(i64,)> = sqlx::query_as("SELECT entry_id FROM open_suspensions WHERE entry_id = $1")
                    .bind(entry_id)
                    .fetch_optional(&mut **tx)
                    .await?;
                if taken.is_some() {
                    return Err($crate::StoreError::Conflict("a suspension of this entry"));
                }
                let sql = format!(
                    "INSERT INTO open_suspensions (entry_id, reason, objection_id, suspended_by, suspended_at) \
                     VALUES ($1, $2, $3, $4, $5) RETURNING {}",
                    $crate::open_demands::SUSPENSION_COLUMNS
                );
                Ok(sqlx::query_as(&sql)
                    .bind(entry_id)
                    .bind(reason)
                    .bind(objection_id)
                    .bind(by)
                    .bind(at)
                    .fetch_one(&mut **tx)
                    .await?)
            }
        }

        #[async_trait::async_trait]
        impl $crate::OpenDemandStore for $store {
            async fn create_open_demand(
                &self,
                d: &$crate::NewOpenDemand,
                clock: &$crate::NewClock,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::OpenDemand> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "INSERT INTO open_demands (kind, entry_id, provider_org_id, requester_user_id, infringement_kind, \
                     title, body, state, created_at, due_on, due_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'submitted', $8, $9, $10) RETURNING {}",
                    $crate::open_demands::DEMAND_COLUMNS
                );
                let row: $crate::OpenDemand = sqlx::query_as(&sql)
                    .bind(&d.kind)
                    .bind(d.entry_id)
                    .bind(d.provider_org_id)
                    .bind(d.requester_user_id)
                    .bind(&d.infringement_kind)
                    .bind(&d.title)
                    .bind(&d.body)
                    .bind(now)
                    .bind(&clock.due_on)
                    .bind(clock.due_at)
                    .fetch_one(&mut *tx)
                    .await?;
                let item = format!("open_demand:{}", row.id);
                Self::insert_clock(&mut tx, &$crate::NewClock { item: item.clone(), ..clock.clone() }, now).await?;
                let notes: Vec<$crate::NewNotification> =
                    notes.iter().cloned().map(|n| $crate::NewNotification { item: item.clone(), ..n }).collect();
                Self::notify_in(&mut tx, &notes, now).await?;
                let event = by.event("open_demand.submit", item).detail(serde_json::json!({
                    "kind": d.kind, "entry": d.entry_id, "holder_org": d.provider_org_id,
                    "infringement_kind": d.infringement_kind, "due_on": clock.due_on,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(row)
            }

            async fn open_demands(&self, f: &$crate::OpenDemandFilter) -> $crate::Result<Vec<$crate::OpenDemand>> {
                let sql = format!(
                    "SELECT {} FROM open_demands WHERE ($1 IS NULL OR requester_user_id = $1) \
                     AND ($2 IS NULL OR provider_org_id = $2) AND ($3 IS NULL OR state = $3) ORDER BY id DESC LIMIT $4",
                    $crate::open_demands::DEMAND_COLUMNS
                );
                Ok(sqlx::query_as(&sql)
                    .bind(f.requester_user_id)
                    .bind(f.provider_org_id)
                    .bind(&f.state)
                    .bind(f.limit.clamp(1, 100_000))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn open_demand(&self, id: i64) -> $crate::Result<Option<$crate::OpenDemand>> {
                let sql = format!("SELECT {} FROM open_demands WHERE id = $1", $crate::open_demands::DEMAND_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn mark_open_demand_read(&self, id: i64, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let done = sqlx::query("UPDATE open_demands SET state = 'read', read_at = $2 WHERE id = $1 AND state = 'submitted'")
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                Self::write_entry(&mut tx, head, &by.event("open_demand.read", format!("open_demand:{id}"))).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn answer_open_demand(
                &self,
                id: i64,
                from: &str,
                answer: &str,
                user_id: i64,
                note: &$crate::NewNotification,
                by: &$crate::Actor,
            ) -> $crate::Result<Option<$crate::OpenDemand>> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "UPDATE open_demands SET state = 'answered', answer = $3, answered_at = $4, answered_by_user = $5, \
                     late = (due_at < $4), read_at = COALESCE(read_at, $4) WHERE id = $1 AND state = $2 RETURNING {}",
                    $crate::open_demands::DEMAND_COLUMNS
                );
                let row: Option<$crate::OpenDemand> = sqlx::query_as(&sql)
                    .bind(id)
                    .bind(from)
                    .bind(answer)
                    .bind(now)
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let item = format!("open_demand:{id}");
                Self::stop_clocks_in(&mut tx, &item, now).await?;
                let note = $crate::NewNotification { item: item.clone(), ..note.clone() };
                Self::notify_user_in(&mut tx, row.requester_user_id, &note, now).await?;
                let event = by.event("open_demand.answer", item).detail(serde_json::json!({
                    "holder_org": row.provider_org_id, "user_id": user_id, "late": row.late, "entry": row.entry_id,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(Some(row))
            }

            async fn suspend_for_objection(
                &self,
                id: i64,
                from: &str,
                reason: &str,
                user_id: i64,
                note: &$crate::NewNotification,
                by: &$crate::Actor,
            ) -> $crate::Result<Option<$crate::Suspension>> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let moved: Option<(i64, Option<i64>)> = sqlx::query_as(
                    "UPDATE open_demands SET state = 'suspended', suspended_at = $3, read_at = COALESCE(read_at, $3) \
                     WHERE id = $1 AND state = $2 AND kind = 'infringement' RETURNING requester_user_id, entry_id",
                )
                .bind(id)
                .bind(from)
                .bind(now)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((requester, Some(entry_id))) = moved else { return Ok(None) };
                let s = Self::insert_suspension_in(&mut tx, entry_id, reason, Some(id), user_id, now).await?;
                let item = format!("open_demand:{id}");
                let note = $crate::NewNotification { item: item.clone(), ..note.clone() };
                Self::notify_user_in(&mut tx, requester, &note, now).await?;
                let event = by.event("open.suspend", format!("catalog_entry:{entry_id}")).detail(serde_json::json!({
                    "objection": id, "reason": reason, "user_id": user_id,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(Some(s))
            }

            #[allow(clippy::too_many_arguments)]
            async fn decide_objection(
                &self,
                id: i64,
                outcome: &str,
                to: &str,
                outcome_note: &str,
                after: &$crate::AfterOutcome,
                user_id: i64,
                note: &$crate::NewNotification,
                by: &$crate::Actor,
            ) -> $crate::Result<Option<$crate::OpenDemand>> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "UPDATE open_demands SET state = $2, outcome = $3, outcome_note = $4, answered_at = $5, \
                     answered_by_user = $6, late = (due_at < $5) WHERE id = $1 AND state = 'suspended' RETURNING {}",
                    $crate::open_demands::DEMAND_COLUMNS
                );
                let row: Option<$crate::OpenDemand> = sqlx::query_as(&sql)
                    .bind(id)
                    .bind(to)
                    .bind(outcome)
                    .bind(outcome_note)
                    .bind(now)
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let entry_id = row.entry_id.unwrap_or_default();
                match after {
                    $crate::AfterOutcome::Lift => {
                        sqlx::query("DELETE FROM open_suspensions WHERE entry_id = $1 AND objection_id = $2")
                            .bind(entry_id)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    $crate::AfterOutcome::KeepSuspended(reason) => {
                        sqlx::query(
                            "INSERT INTO open_suspensions (entry_id, reason, objection_id, suspended_by, suspended_at) \
                             VALUES ($1, $2, $3, $4, $5) \
                             ON CONFLICT (entry_id) DO UPDATE SET reason = $2, objection_id = $3",
                        )
                        .bind(entry_id)
                        .bind(reason)
                        .bind(id)
                        .bind(user_id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                let item = format!("open_demand:{id}");
                Self::stop_clocks_in(&mut tx, &item, now).await?;
                let note = $crate::NewNotification { item: item.clone(), ..note.clone() };
                Self::notify_user_in(&mut tx, row.requester_user_id, &note, now).await?;
                let event = by.event("open_demand.outcome", item).detail(serde_json::json!({
                    "outcome": outcome, "entry": entry_id, "note": outcome_note, "user_id": user_id,
                    "holder_org": row.provider_org_id, "late": row.late,
                    "suspended": matches!(after, $crate::AfterOutcome::KeepSuspended(_)),
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(Some(row))
            }

            async fn user_notifications(&self, user_id: i64, limit: i64) -> $crate::Result<Vec<$crate::Notification>> {
                Ok(sqlx::query_as(
                    "SELECT id, org_id, kind, item, title_zh, title_en, created_at, read_at FROM notifications \
                     WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
                )
                .bind(user_id)
                .bind(limit.clamp(1, 1000))
                .fetch_all(&self.pool)
                .await?)
            }

            async fn suspend_opening(
                &self,
                entry_id: i64,
                reason: &str,
                objection_id: Option<i64>,
                by: i64,
                at: i64,
            ) -> $crate::Result<$crate::Suspension> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let s = Self::insert_suspension_in(&mut tx, entry_id, reason, objection_id, by, at).await?;
                let name: Option<(String,)> =
                    sqlx::query_as("SELECT username FROM users WHERE id = $1").bind(by).fetch_optional(&mut *tx).await?;
                let who = name.map(|(n,)| format!("user:{n}")).unwrap_or_else(|| format!("user_id:{by}"));
                let event = gongshu_domain::audit::AuditEvent::new(who, "open.suspend", format!("catalog_entry:{entry_id}"))
                    .detail(serde_json::json!({ "objection": objection_id, "reason": reason, "user_id": by }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(s)
            }

            async fn restore_opening(&self, entry_id: i64) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let gone = sqlx::query("DELETE FROM open_suspensions WHERE entry_id = $1")
                    .bind(entry_id)
                    .execute(&mut *tx)
                    .await?;
                if gone.rows_affected() == 0 {
                    return Ok(false);
                }
                let event =
                    gongshu_domain::audit::AuditEvent::new("platform", "open.restore", format!("catalog_entry:{entry_id}"));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn suspensions(&self) -> $crate::Result<Vec<$crate::Suspension>> {
                let sql = format!(
                    "SELECT {} FROM open_suspensions ORDER BY entry_id",
                    $crate::open_demands::SUSPENSION_COLUMNS
                );
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }
        }
    };
}
pub(crate) use impl_open_demand_store;
