//! The catalog: entries, their versions, submission and review (CAT-1, CAT-2).

pub(crate) const ENTRY_COLUMNS: &str = "id, code, provider_org_id, state, latest_version, published_version, name, \
     category, share_type, open_type, level, update_cycle, created_at, updated_at";
pub(crate) const VERSION_COLUMNS: &str = "entry_id, version, state, content, created_by, created_at, submitted_at, \
     decided_by, decided_at, reason, kind, step, basis_changed_on, late_filing";

macro_rules! impl_catalog_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Inserts a new entry with version 1 (a draft, or published at once for an
            /// imported, approved catalog) inside `tx`, with its audit entry after `head`.
            async fn new_entry_in(
                tx: &mut sqlx::Transaction<'_, $db>,
                head: (i64, String),
                rec: &$crate::EntryRecord,
                reevaluation: Option<&$crate::NewClock>,
                published: bool,
                by: &$crate::Actor,
                now: i64,
            ) -> $crate::Result<($crate::Entry, (i64, String))> {
                let (state, published_version) = if published { ("published", Some(1i64)) } else { ("draft", None) };
                let sql = format!(
                    "INSERT INTO catalog_entries (code, provider_org_id, state, latest_version, published_version, name, \
                     category, share_type, open_type, level, update_cycle, created_at, updated_at) \
                     VALUES ($1, $2, $3, 1, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING {}",
                    $crate::catalog::ENTRY_COLUMNS
                );
                let entry: $crate::Entry = sqlx::query_as(&sql)
                    .bind(&rec.code)
                    .bind(rec.provider_org_id)
                    .bind(state)
                    .bind(published_version)
                    .bind(&rec.name)
                    .bind(&rec.category)
                    .bind(&rec.share_type)
                    .bind(&rec.open_type)
                    .bind(rec.level)
                    .bind(&rec.update_cycle)
                    .bind(now)
                    .fetch_one(&mut **tx)
                    .await?;
                let decided = published.then(|| (by.who.clone(), now, "imported as published"));
                sqlx::query(
                    "INSERT INTO catalog_versions (entry_id, version, state, content, created_by, created_at, decided_by, \
                     decided_at, reason) VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(entry.id)
                .bind(state)
                .bind(&rec.content)
                .bind(&by.who)
                .bind(now)
                .bind(decided.as_ref().map(|d| d.0.clone()))
                .bind(decided.as_ref().map(|d| d.1))
                .bind(decided.as_ref().map(|d| d.2))
                .execute(&mut **tx)
                .await?;
                if let (true, Some(clock)) = (published, reevaluation) {
                    let item = format!("catalog_reeval:{}", entry.id);
                    Self::insert_clock(tx, &$crate::NewClock { item, ..clock.clone() }, now).await?;
                }
                let event = if published {
                    by.event("catalog.import", format!("catalog_entry:{}", entry.id))
                        .detail(serde_json::json!({ "code": rec.code, "published": true }))
                } else {
                    by.event("catalog.draft", format!("catalog_entry:{}", entry.id))
                        .detail(serde_json::json!({ "code": rec.code, "version": 1, "name": rec.name }))
                };
                let e = Self::write_entry(tx, head, &event).await?;
                Ok((entry, (e.seq, e.hash)))
            }
        }

        #[async_trait::async_trait]
        impl $crate::CatalogStore for $store {
            async fn create_entry(&self, rec: &$crate::EntryRecord, by: &$crate::Actor) -> $crate::Result<$crate::Entry> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let (entry, _) = Self::new_entry_in(&mut tx, head, rec, None, false, by, now).await?;
                tx.commit().await?;
                Ok(entry)
            }

            async fn import_entries(
                &self,
                items: &[$crate::ImportItem],
                published: bool,
                by: &$crate::Actor,
            ) -> $crate::Result<usize> {
                let mut tx = self.pool.begin().await?;
                let mut head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                for item in items {
                    let (_, next) =
                        Self::new_entry_in(&mut tx, head, &item.record, item.reevaluation.as_ref(), published, by, now)
                            .await?;
                    head = next;
                }
                tx.commit().await?;
                Ok(items.len())
            }

            async fn existing_codes(&self, codes: &[String]) -> $crate::Result<Vec<String>> {
                let mut found = Vec::new();
                for chunk in codes.chunks(500) {
                    let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                    let sql = format!("SELECT code FROM catalog_entries WHERE code IN ({})", marks.join(", "));
                    let mut q = sqlx::query_as::<_, (String,)>(&sql);
                    for c in chunk {
                        q = q.bind(c);
                    }
                    found.extend(q.fetch_all(&self.pool).await?.into_iter().map(|(c,)| c));
                }
                Ok(found)
            }

            async fn save_draft(&self, id: i64, rec: &$crate::EntryRecord, by: &$crate::Actor) -> $crate::Result<i64> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!("SELECT {} FROM catalog_entries WHERE id = $1", $crate::catalog::ENTRY_COLUMNS);
                let Some(entry) = sqlx::query_as::<_, $crate::Entry>(&sql).bind(id).fetch_optional(&mut *tx).await? else {
                    return Err($crate::StoreError::MissingReference("the catalog entry"));
                };
                let (latest_state,): (String,) =
                    sqlx::query_as("SELECT state FROM catalog_versions WHERE entry_id = $1 AND version = $2")
                        .bind(id)
                        .bind(entry.latest_version)
                        .fetch_one(&mut *tx)
                        .await?;
                let version = match latest_state.as_str() {
                    "draft" => {
                        sqlx::query("UPDATE catalog_versions SET content = $3 WHERE entry_id = $1 AND version = $2")
                            .bind(id)
                            .bind(entry.latest_version)
                            .bind(&rec.content)
                            .execute(&mut *tx)
                            .await?;
                        entry.latest_version
                    }
                    "submitted" => return Err($crate::StoreError::Conflict("a version under review")),
                    _ if entry.state == "retired" => return Err($crate::StoreError::Conflict("a retired entry")),
                    _ => {
                        let next = entry.latest_version + 1;
                        sqlx::query(
                            "INSERT INTO catalog_versions (entry_id, version, state, content, created_by, created_at) \
                             VALUES ($1, $2, 'draft', $3, $4, $5)",
                        )
                        .bind(id)
                        .bind(next)
                        .bind(&rec.content)
                        .bind(&by.who)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                        next
                    }
                };
                // Lists show the version in force: the draft's fields until one is published.
                if entry.published_version.is_none() {
                    sqlx::query(
                        "UPDATE catalog_entries SET latest_version = $2, state = 'draft', name = $3, category = $4, \
                         share_type = $5, open_type = $6, level = $7, update_cycle = $8, updated_at = $9 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(version)
                    .bind(&rec.name)
                    .bind(&rec.category)
                    .bind(&rec.share_type)
                    .bind(&rec.open_type)
                    .bind(rec.level)
                    .bind(&rec.update_cycle)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    sqlx::query("UPDATE catalog_entries SET latest_version = $2, updated_at = $3 WHERE id = $1")
                        .bind(id)
                        .bind(version)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                }
                let event = by
                    .event("catalog.draft", format!("catalog_entry:{id}"))
                    .detail(serde_json::json!({ "code": entry.code, "version": version }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(version)
            }

            async fn submit_entry(
                &self,
                id: i64,
                version: i64,
                meta: &$crate::Submission,
                clock: &$crate::NewClock,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                if meta.kind == "retire" {
                    // A retirement request is a new version carrying the content in force.
                    sqlx::query(
                        "INSERT INTO catalog_versions (entry_id, version, state, content, created_by, created_at) \
                         SELECT entry_id, $2, 'draft', content, $3, $4 FROM catalog_versions \
                         WHERE entry_id = $1 AND state = 'published'",
                    )
                    .bind(id)
                    .bind(version)
                    .bind(&by.who)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("UPDATE catalog_entries SET latest_version = $2 WHERE id = $1").bind(id).bind(version).execute(&mut *tx).await?;
                }
                let done = sqlx::query(
                    "UPDATE catalog_versions SET state = 'submitted', submitted_at = $3, kind = $4, step = 0, \
                     basis_changed_on = $5, late_filing = $6 WHERE entry_id = $1 AND version = $2 AND state = 'draft'",
                )
                .bind(id)
                .bind(version)
                .bind(now)
                .bind(&meta.kind)
                .bind(&meta.basis_changed_on)
                .bind(meta.late_filing)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::Conflict("a submission of this version"));
                }
                sqlx::query(
                    "UPDATE catalog_entries SET state = CASE WHEN published_version IS NULL THEN 'submitted' ELSE state END, \
                     updated_at = $2 WHERE id = $1",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Self::insert_clock(&mut tx, clock, now).await?;
                Self::notify_in(&mut tx, notes, now).await?;
                let event = by.event("catalog.submit", format!("catalog_entry:{id}")).detail(serde_json::json!({
                    "version": version, "kind": meta.kind, "due_on": clock.due_on, "rule": clock.rule,
                    "basis_changed_on": meta.basis_changed_on, "late_filing": meta.late_filing,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn decide_entry(
                &self,
                id: i64,
                version: i64,
                decision: &$crate::EntryDecision,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let item = format!("catalog_entry:{id}:v{version}");
                if let (true, Some(next)) = (decision.approve, decision.next_step.as_ref()) {
                    // Approved at this step; the next reviewer's clock starts.
                    let moved = sqlx::query(
                        "UPDATE catalog_versions SET step = step + 1 WHERE entry_id = $1 AND version = $2 \
                         AND state = 'submitted' AND step = $3",
                    )
                    .bind(id)
                    .bind(version)
                    .bind(decision.step)
                    .execute(&mut *tx)
                    .await?;
                    if moved.rows_affected() == 0 {
                        return Err($crate::StoreError::Conflict("a decision on this step"));
                    }
                    let late = Self::stop_clocks_in(&mut tx, &item, now).await?;
                    Self::insert_clock(&mut tx, next, now).await?;
                    Self::notify_in(&mut tx, notes, now).await?;
                    let event = by.event("catalog.approve_step", format!("catalog_entry:{id}")).detail(serde_json::json!({
                        "version": version, "step": decision.step, "next_due_on": next.due_on, "late": late,
                    }));
                    Self::write_entry(&mut tx, head, &event).await?;
                    tx.commit().await?;
                    return Ok(late);
                }
                let (kind,): (String,) = sqlx::query_as("SELECT kind FROM catalog_versions WHERE entry_id = $1 AND version = $2")
                    .bind(id)
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or($crate::StoreError::MissingReference("the version"))?;
                let retiring = kind == "retire" && decision.approve;
                let new_state = match (decision.approve, retiring) {
                    (true, true) => "retired",
                    (true, false) => "published",
                    _ => "rejected",
                };
                let done = sqlx::query(
                    "UPDATE catalog_versions SET state = $3, decided_by = $4, decided_at = $5, reason = $6 \
                     WHERE entry_id = $1 AND version = $2 AND state = 'submitted' AND step = $7",
                )
                .bind(id)
                .bind(version)
                .bind(new_state)
                .bind(&by.who)
                .bind(now)
                .bind(&decision.reason)
                .bind(decision.step)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::Conflict("a decision on this version"));
                }
                if retiring {
                    // Retired: history stays, the entry leaves the catalog in force.
                    sqlx::query("UPDATE catalog_entries SET state = 'retired', updated_at = $2 WHERE id = $1")
                        .bind(id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                } else if decision.approve {
                    let Some(rec) = decision.record.as_ref() else {
                        return Err($crate::StoreError::Corrupt("a published version needs its listing fields".into()));
                    };
                    sqlx::query(
                        "UPDATE catalog_versions SET state = 'superseded' \
                         WHERE entry_id = $1 AND state = 'published' AND version <> $2",
                    )
                    .bind(id)
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query(
                        "UPDATE catalog_entries SET state = 'published', published_version = $2, name = $3, category = $4, \
                         share_type = $5, open_type = $6, level = $7, update_cycle = $8, updated_at = $9 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(version)
                    .bind(&rec.name)
                    .bind(&rec.category)
                    .bind(&rec.share_type)
                    .bind(&rec.open_type)
                    .bind(rec.level)
                    .bind(&rec.update_cycle)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                } else {
                    sqlx::query(
                        "UPDATE catalog_entries SET state = CASE WHEN published_version IS NULL THEN 'rejected' ELSE state END, \
                         updated_at = $2 WHERE id = $1",
                    )
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let late = Self::stop_clocks_in(&mut tx, &item, now).await?;
                // A new version in force replaces any pending re-evaluation (CAT-6).
                if new_state != "rejected" {
                    Self::stop_clocks_in(&mut tx, &format!("catalog_reeval:{id}"), now).await?;
                }
                if let (true, Some(clock)) = (new_state == "published", decision.reevaluation.as_ref()) {
                    Self::insert_clock(&mut tx, &$crate::NewClock { item: format!("catalog_reeval:{id}"), ..clock.clone() }, now).await?;
                }
                Self::notify_in(&mut tx, notes, now).await?;
                let action = match new_state {
                    "retired" => "catalog.retire",
                    "published" => "catalog.publish",
                    _ => "catalog.reject",
                };
                let event = by.event(action, format!("catalog_entry:{id}"))
                    .detail(serde_json::json!({ "version": version, "reason": decision.reason, "late": late }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(late)
            }

            async fn start_emergency(
                &self,
                entry_id: i64,
                share_type: &str,
                open_type: &str,
                reason: &str,
                clock: &$crate::NewClock,
                notes: &[$crate::NewNotification],
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::Emergency> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let active: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM catalog_emergencies WHERE entry_id = $1 AND state = 'active'")
                        .bind(entry_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if active.is_some() {
                    return Err($crate::StoreError::Conflict("an active emergency adjustment"));
                }
                let saved: Option<(String, String)> =
                    sqlx::query_as("SELECT share_type, open_type FROM catalog_entries WHERE id = $1")
                        .bind(entry_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some((saved_share, saved_open)) = saved else {
                    return Err($crate::StoreError::MissingReference("the catalog entry"));
                };
                let e: $crate::Emergency = sqlx::query_as(
                    "INSERT INTO catalog_emergencies (entry_id, share_type, open_type, saved_share, saved_open, reason, ends_at, \
                     state, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9) \
                     RETURNING id, entry_id, share_type, open_type, saved_share, saved_open, reason, ends_at, state, \
                     created_by, created_at, ended_at",
                )
                .bind(entry_id)
                .bind(share_type)
                .bind(open_type)
                .bind(&saved_share)
                .bind(&saved_open)
                .bind(reason)
                .bind(clock.due_at)
                .bind(&by.who)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("UPDATE catalog_entries SET share_type = $2, open_type = $3, updated_at = $4 WHERE id = $1")
                    .bind(entry_id)
                    .bind(share_type)
                    .bind(open_type)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let item = format!("catalog_emergency:{}", e.id);
                Self::insert_clock(&mut tx, &$crate::NewClock { item: item.clone(), ..clock.clone() }, now).await?;
                let notes: Vec<$crate::NewNotification> =
                    notes.iter().cloned().map(|n| $crate::NewNotification { item: item.clone(), ..n }).collect();
                Self::notify_in(&mut tx, &notes, now).await?;
                let event = by.event("catalog.emergency_start", format!("catalog_entry:{entry_id}")).detail(serde_json::json!({
                    "emergency": e.id, "share_type": share_type, "open_type": open_type, "reason": reason,
                    "ends_at": clock.due_at, "saved": [saved_share, saved_open],
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(e)
            }

            async fn end_emergency(&self, id: i64, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let Some(entry_id) = Self::end_emergency_in(&mut tx, id, now).await? else {
                    return Ok(false);
                };
                Self::stop_clocks_in(&mut tx, &format!("catalog_emergency:{id}"), now).await?;
                let event = by.event("catalog.emergency_end", format!("catalog_entry:{entry_id}")).detail(serde_json::json!({ "emergency": id }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn emergencies(&self, entry_id: i64) -> $crate::Result<Vec<$crate::Emergency>> {
                Ok(sqlx::query_as(
                    "SELECT id, entry_id, share_type, open_type, saved_share, saved_open, reason, ends_at, state, created_by, \
                     created_at, ended_at FROM catalog_emergencies WHERE entry_id = $1 ORDER BY id",
                )
                .bind(entry_id)
                .fetch_all(&self.pool)
                .await?)
            }

            async fn answer_reevaluation(
                &self,
                entry_id: i64,
                keep: bool,
                reason: &str,
                next: Option<&$crate::NewClock>,
                by: &$crate::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let item = format!("catalog_reeval:{entry_id}");
                let open: Option<(i64,)> = sqlx::query_as("SELECT id FROM clocks WHERE item = $1 AND state = 'open'")
                    .bind(&item)
                    .fetch_optional(&mut *tx)
                    .await?;
                if open.is_none() {
                    return Err($crate::StoreError::Conflict("an answer to this re-evaluation"));
                }
                let late = Self::stop_clocks_in(&mut tx, &item, now).await?;
                if let Some(c) = next {
                    Self::insert_clock(&mut tx, &$crate::NewClock { item: item.clone(), ..c.clone() }, now).await?;
                }
                let event = by.event("catalog.reevaluate", format!("catalog_entry:{entry_id}")).detail(serde_json::json!({
                    "decision": if keep { "keep" } else { "unconditional" }, "reason": reason, "late": late,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(late)
            }

            async fn catalog_stamp(&self) -> $crate::Result<(i64, i64)> {
                Ok(sqlx::query_as("SELECT COALESCE(MAX(updated_at), 0), COUNT(*) FROM catalog_entries")
                    .fetch_one(&self.pool)
                    .await?)
            }

            async fn entries_changed_since(&self, since: i64) -> $crate::Result<Vec<$crate::EntryWithContent>> {
                let cols: String = $crate::catalog::ENTRY_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
                let sql = format!(
                    "SELECT {cols}, v.content FROM catalog_entries e JOIN catalog_versions v ON v.entry_id = e.id \
                     AND v.version = COALESCE(e.published_version, e.latest_version) WHERE e.updated_at >= $1 ORDER BY e.id"
                );
                Ok(sqlx::query_as(&sql).bind(since).fetch_all(&self.pool).await?)
            }

            async fn cache_version(&self, name: &str) -> $crate::Result<i64> {
                let row: Option<(i64,)> = sqlx::query_as("SELECT version FROM cache_versions WHERE name = $1")
                    .bind(name)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| r.0).unwrap_or(0))
            }

            async fn bump_cache_version(&self, name: &str, by: &$crate::Actor) -> $crate::Result<i64> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let (v,): (i64,) = sqlx::query_as(
                    "INSERT INTO cache_versions (name, version) VALUES ($1, 1) \
                     ON CONFLICT (name) DO UPDATE SET version = cache_versions.version + 1 RETURNING version",
                )
                .bind(name)
                .fetch_one(&mut *tx)
                .await?;
                Self::write_entry(&mut tx, head, &by.event("cache.refresh", name).detail(serde_json::json!({ "version": v }))).await?;
                tx.commit().await?;
                Ok(v)
            }

            async fn entries(&self, f: &$crate::EntryFilter) -> $crate::Result<Vec<$crate::Entry>> {
                let sql = format!(
                    "SELECT {} FROM catalog_entries WHERE ($1 IS NULL OR provider_org_id = $1) AND ($2 IS NULL OR state = $2) \
                     ORDER BY code LIMIT $3 OFFSET $4",
                    $crate::catalog::ENTRY_COLUMNS
                );
                Ok(sqlx::query_as(&sql)
                    .bind(f.provider_org_id)
                    .bind(&f.state)
                    .bind(f.limit.clamp(1, 10_000))
                    .bind(f.offset.max(0))
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn entry(&self, id: i64) -> $crate::Result<Option<$crate::Entry>> {
                let sql = format!("SELECT {} FROM catalog_entries WHERE id = $1", $crate::catalog::ENTRY_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn entry_by_code(&self, code: &str) -> $crate::Result<Option<$crate::Entry>> {
                let sql = format!("SELECT {} FROM catalog_entries WHERE code = $1", $crate::catalog::ENTRY_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(code).fetch_optional(&self.pool).await?)
            }

            async fn entry_versions(&self, id: i64) -> $crate::Result<Vec<$crate::EntryVersion>> {
                let sql = format!(
                    "SELECT {} FROM catalog_versions WHERE entry_id = $1 ORDER BY version",
                    $crate::catalog::VERSION_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(id).fetch_all(&self.pool).await?)
            }
        }
    };
}
pub(crate) use impl_catalog_store;
