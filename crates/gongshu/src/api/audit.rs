//! The audit log for auditors (SEC-1): browse, filter, verify.

use chrono::NaiveDate;
use gongshu_domain::audit::AuditEntry;
use gongshu_store::{AuditFilter, verify_audit};
use serde::{Deserialize, Serialize};

use super::Items;
use crate::app::AppStateExt;
use crate::error::{ApiError, Json, Query};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub seq: i64,
    /// RFC 3339, China Standard Time.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub purpose: Option<String>,
    pub outcome: String,
    pub request_id: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub hash: String,
}

impl From<AuditEntry> for AuditView {
    fn from(e: AuditEntry) -> Self {
        AuditView {
            seq: e.seq,
            at: gongshu_domain::time::rfc3339_cst(e.at),
            actor: e.actor,
            action: e.action,
            object: e.object,
            purpose: e.purpose,
            outcome: e.outcome,
            request_id: e.request_id,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::String(e.detail)),
            hash: e.hash,
        }
    }
}

/// Filters for the audit log; dates are China Standard Time calendar days.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Object prefix, e.g. `org:` or `user:admin`.
    pub object: Option<String>,
    pub outcome: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD`.
    pub to: Option<String>,
    /// Entries before this sequence number.
    pub before: Option<i64>,
    /// At most this many (1–500, default 100).
    pub limit: Option<i64>,
}

impl AuditQuery {
    pub fn to_filter(&self) -> Result<AuditFilter, ApiError> {
        let blank = |v: &Option<String>| v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let day = |v: &Option<String>, field: &str, next: bool| -> Result<Option<i64>, ApiError> {
            let Some(text) = blank(v) else { return Ok(None) };
            let d = NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_err(|_| {
                ApiError::bad_request(
                    "invalid_date",
                    format!("{field} 须为 YYYY-MM-DD 格式的日期"),
                    format!("{field} must be a date as YYYY-MM-DD"),
                )
            })?;
            let d = if next { d.succ_opt().unwrap_or(d) } else { d };
            let start = d.and_hms_opt(0, 0, 0).and_then(|t| t.and_local_timezone(gongshu_domain::time::cst()).single());
            Ok(start.map(|t| t.timestamp_micros()))
        };
        Ok(AuditFilter {
            actor: blank(&self.actor),
            action: blank(&self.action),
            object: blank(&self.object),
            outcome: blank(&self.outcome),
            from: day(&self.from, "from", false)?,
            to: day(&self.to, "to", true)?,
            before_seq: self.before,
            limit: self.limit.unwrap_or(100).clamp(1, 500),
        })
    }
}

/// Audit entries, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, body = Items<AuditView>), (status = 400, body = crate::error::ErrorBody)))]
pub async fn list(state: AppStateExt, Query(q): Query<AuditQuery>) -> Result<Json<Items<AuditView>>, ApiError> {
    let items = state.store().audit_entries(&q.to_filter()?).await?.into_iter().map(Into::into).collect();
    Ok(Json(Items { items }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VerifyView {
    pub intact: bool,
    pub entries: u64,
    pub checkpoints: usize,
    pub head_seq: i64,
    /// The first bad entry, when the chain is broken.
    pub first_bad_seq: Option<i64>,
    pub problem: Option<String>,
}

/// Verifies the whole hash chain and every checkpoint.
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit", security(("bearer" = [])), responses((status = 200, body = VerifyView)))]
pub async fn verify(state: AppStateExt) -> Result<Json<VerifyView>, ApiError> {
    Ok(Json(match verify_audit(state.store().as_ref()).await? {
        Ok(r) => VerifyView {
            intact: true,
            entries: r.entries,
            checkpoints: r.checkpoints,
            head_seq: r.head_seq,
            first_bad_seq: None,
            problem: None,
        },
        Err(b) => VerifyView {
            intact: false,
            entries: 0,
            checkpoints: 0,
            head_seq: 0,
            first_bad_seq: Some(b.seq()),
            problem: Some(b.to_string()),
        },
    }))
}
