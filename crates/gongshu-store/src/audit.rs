//! The audit log: appends inside the caller's transaction, listing, checkpoints, and
//! verification of the whole chain.

use gongshu_domain::audit::{AuditEntry, ChainBreak, ChainVerifier, check_checkpoints};

use crate::{Result, Storage};

/// An audit entry as a database row.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct AuditRow {
    pub seq: i64,
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub purpose: Option<String>,
    pub outcome: String,
    pub request_id: Option<String>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        AuditEntry {
            seq: r.seq,
            at: r.at,
            actor: r.actor,
            action: r.action,
            object: r.object,
            purpose: r.purpose,
            outcome: r.outcome,
            request_id: r.request_id,
            detail: r.detail,
            prev_hash: r.prev_hash,
            hash: r.hash,
        }
    }
}

pub(crate) const AUDIT_COLUMNS: &str =
    "seq, at, actor, action, object, purpose, outcome, request_id, detail, prev_hash, hash";

/// What a successful verification saw.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VerifyReport {
    pub entries: u64,
    pub head_seq: i64,
    pub head_hash: String,
    pub checkpoints: usize,
}

/// Walks the whole chain in order and checks every checkpoint against it (SEC-1).
/// `Ok(Err(break))` means the log was tampered with; `Err` means it could not be read.
pub async fn verify_audit(store: &dyn Storage) -> Result<std::result::Result<VerifyReport, ChainBreak>> {
    let mut verifier = ChainVerifier::default();
    let mut after = 0;
    loop {
        let page = store.audit_after(after, 1000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for entry in &page {
            if let Err(broken) = verifier.push(entry) {
                return Ok(Err(broken));
            }
        }
    }
    let checkpoints = store.checkpoints().await?;
    let (head_seq, head_hash) = verifier.head();
    let mut hashes = Vec::with_capacity(checkpoints.len());
    for cp in &checkpoints {
        let stored = if cp.seq <= head_seq { store.audit_hash_at(cp.seq).await? } else { None };
        hashes.push((cp.seq, stored));
    }
    let lookup = |seq: i64| hashes.iter().find(|(s, _)| *s == seq).and_then(|(_, h)| h.clone());
    if let Err(broken) = check_checkpoints(&checkpoints, lookup) {
        return Ok(Err(broken));
    }
    Ok(Ok(VerifyReport {
        entries: verifier.checked(),
        head_seq,
        head_hash: head_hash.to_string(),
        checkpoints: checkpoints.len(),
    }))
}

/// The audit half of a backend: appending inside a transaction, and [`crate::AuditStore`].
macro_rules! impl_audit_store {
    ($store:ty, $db:ty) => {
        impl $store {
            /// Takes the chain head's lock. Call first in every writing transaction, so
            /// that the transaction holds the write lock from its start and audit order
            /// is commit order, across processes.
            async fn lock_head(tx: &mut sqlx::Transaction<'_, $db>) -> $crate::Result<(i64, String)> {
                // A write that changes nothing still takes the lock (SQLite's write lock,
                // PostgreSQL's row lock); a transaction that then writes no entry leaves
                // the head as it was.
                let head: (i64, String) =
                    sqlx::query_as("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash")
                        .fetch_one(&mut **tx)
                        .await?;
                Ok(head)
            }

            /// Writes the entry that follows `head` and moves the head to it. To write several
            /// entries in one transaction, pass each returned entry's `(seq, hash)` as the next head.
            async fn write_entry(
                tx: &mut sqlx::Transaction<'_, $db>,
                head: (i64, String),
                event: &gongshu_domain::audit::AuditEvent,
            ) -> $crate::Result<gongshu_domain::audit::AuditEntry> {
                let now = gongshu_domain::time::now_micros();
                let e = gongshu_domain::audit::next_entry(head.0, &head.1, now, event);
                sqlx::query(
                    "INSERT INTO audit_log (seq, at, actor, action, object, purpose, outcome, request_id, \
                     detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(e.seq)
                .bind(e.at)
                .bind(&e.actor)
                .bind(&e.action)
                .bind(&e.object)
                .bind(&e.purpose)
                .bind(&e.outcome)
                .bind(&e.request_id)
                .bind(&e.detail)
                .bind(&e.prev_hash)
                .bind(&e.hash)
                .execute(&mut **tx)
                .await?;
                sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                    .bind(e.seq)
                    .bind(&e.hash)
                    .execute(&mut **tx)
                    .await?;
                Ok(e)
            }
        }

        #[async_trait::async_trait]
        impl $crate::AuditStore for $store {
            async fn append(
                &self,
                event: &gongshu_domain::audit::AuditEvent,
            ) -> $crate::Result<gongshu_domain::audit::AuditEntry> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let entry = Self::write_entry(&mut tx, head, event).await?;
                tx.commit().await?;
                Ok(entry)
            }

            async fn audit_entries(
                &self,
                f: &$crate::AuditFilter,
            ) -> $crate::Result<Vec<gongshu_domain::audit::AuditEntry>> {
                let sql = format!(
                    "SELECT {} FROM audit_log WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR action = $2) \
                     AND ($3 IS NULL OR object LIKE $3 ESCAPE '\\') AND ($4 IS NULL OR outcome = $4) \
                     AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6) AND ($7 IS NULL OR seq < $7) \
                     ORDER BY seq DESC LIMIT $8",
                    $crate::audit::AUDIT_COLUMNS
                );
                let object_prefix = f.object.as_ref().map(|o| format!("{}%", o.replace('%', "").replace('_', "\\_")));
                let rows: Vec<$crate::audit::AuditRow> = sqlx::query_as(&sql)
                    .bind(&f.actor)
                    .bind(&f.action)
                    .bind(object_prefix)
                    .bind(&f.outcome)
                    .bind(f.from)
                    .bind(f.to)
                    .bind(f.before_seq)
                    .bind(f.limit.clamp(1, 1000))
                    .fetch_all(&self.pool)
                    .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn audit_after(
                &self,
                after_seq: i64,
                limit: i64,
            ) -> $crate::Result<Vec<gongshu_domain::audit::AuditEntry>> {
                let sql = format!(
                    "SELECT {} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
                    $crate::audit::AUDIT_COLUMNS
                );
                let rows: Vec<$crate::audit::AuditRow> =
                    sqlx::query_as(&sql).bind(after_seq).bind(limit).fetch_all(&self.pool).await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn audit_hash_at(&self, seq: i64) -> $crate::Result<Option<String>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT hash FROM audit_log WHERE seq = $1")
                    .bind(seq)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| r.0))
            }

            async fn seal_checkpoint(&self, now: i64) -> $crate::Result<Option<gongshu_domain::audit::Checkpoint>> {
                let row: Option<(i64, String, i64)> = sqlx::query_as(
                    "INSERT INTO audit_checkpoints (seq, hash, sealed_at) \
                     SELECT seq, hash, $1 FROM audit_head WHERE id = 1 AND seq > 0 \
                     ON CONFLICT (seq) DO NOTHING RETURNING seq, hash, sealed_at",
                )
                .bind(now)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.map(|(seq, hash, sealed_at)| gongshu_domain::audit::Checkpoint { seq, hash, sealed_at }))
            }

            async fn checkpoints(&self) -> $crate::Result<Vec<gongshu_domain::audit::Checkpoint>> {
                let rows: Vec<(i64, String, i64)> =
                    sqlx::query_as("SELECT seq, hash, sealed_at FROM audit_checkpoints ORDER BY seq")
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|(seq, hash, sealed_at)| gongshu_domain::audit::Checkpoint { seq, hash, sealed_at })
                    .collect())
            }
        }
    };
}
pub(crate) use impl_audit_store;
