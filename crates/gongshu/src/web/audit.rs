//! The audit log for auditors: filter, page back, and the chain's state (SEC-1).

use gongshu_store::verify_audit;
use minijinja::context;

use super::{PageResult, render};
use crate::api::audit::{AuditQuery, AuditView};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::Query;

pub async fn list(state: AppStateExt, ctx: Ctx, Query(q): Query<AuditQuery>) -> PageResult {
    let filter = q.to_filter()?;
    let entries: Vec<AuditView> = state.store().audit_entries(&filter).await?.into_iter().map(Into::into).collect();
    let older = if entries.len() as i64 == filter.limit { entries.last().map(|e| e.seq) } else { None };
    let chain = match verify_audit(state.store().as_ref()).await? {
        Ok(r) => context! { intact => true, entries => r.entries, checkpoints => r.checkpoints },
        Err(b) => context! { intact => false, problem => b.to_string(), seq => b.seq() },
    };
    let query = context! { actor => q.actor, action => q.action, object => q.object, outcome => q.outcome, from => q.from, to => q.to };
    render(&state, &ctx, "audit.html", context! { entries, older, chain, q => query })
}
