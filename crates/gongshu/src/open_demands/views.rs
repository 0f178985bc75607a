//! How an item is shown: the holder by its organization's name, never the person who
//! answered; who sent it only to the holder's staff and the authority side.

use std::collections::HashMap;

use gongshu_domain::open_demand::{DemandKind, DemandState, InfringementKind, Outcome};
use gongshu_domain::role::{Permission, allows};
use gongshu_domain::time::rfc3339_cst;
use gongshu_store::OpenDemand;
use serde::Serialize;

use super::is_holder;
use crate::app::AppState;
use crate::auth::Ctx;
use crate::error::ApiError;

/// A demand, objection or suggestion as its requester and its holder see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DemandView {
    pub id: i64,
    /// `demand`, `objection`, `infringement` or `suggestion`.
    pub kind: String,
    pub kind_label: String,
    pub kind_label_en: String,
    pub entry_id: Option<i64>,
    pub entry_code: Option<String>,
    pub entry_name: Option<String>,
    /// The organization that answers.
    pub org_id: i64,
    pub org_name: String,
    /// `trade_secret`, `privacy` or `other`.
    pub infringement_kind: Option<String>,
    pub infringement_label: Option<String>,
    pub infringement_label_en: Option<String>,
    pub title: String,
    pub body: String,
    /// `submitted` (未读), `read` (已读), `answered` (已答复), `suspended`, `withdrawn`,
    /// `restored` or `reopened`.
    pub state: String,
    pub state_label: String,
    pub state_label_en: String,
    /// Whether the holder has still to act.
    pub open: bool,
    pub created_at: String,
    /// The last day of the `opening.demand_answer` clock.
    pub due_on: String,
    pub due_at: String,
    pub read_at: Option<String>,
    pub answered_at: Option<String>,
    pub answer: Option<String>,
    pub late: bool,
    pub suspended_at: Option<String>,
    /// `withdraw`, `restore` or `reopen`.
    pub outcome: Option<String>,
    pub outcome_label: Option<String>,
    pub outcome_label_en: Option<String>,
    pub outcome_note: Option<String>,
    /// The requester's name, for the holder's staff and the authority side only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requester: Option<String>,
    /// What the caller may do now: `answer`, `suspend`, `outcome`.
    pub actions: Vec<String>,
}

/// Views of several items, looking each entry and requester up once.
pub async fn views(app: &AppState, ctx: &Ctx, items: Vec<OpenDemand>) -> Result<Vec<DemandView>, ApiError> {
    let store = app.store();
    let orgs: HashMap<i64, String> = store.orgs().await?.iter().map(|o| (o.id, o.name.clone())).collect();
    let mut entries: HashMap<i64, Option<(String, String)>> = HashMap::new();
    let mut people: HashMap<i64, Option<String>> = HashMap::new();
    let overview = allows(ctx.roles(), Permission::DeadlineOverview);
    let mut out = Vec::with_capacity(items.len());
    for d in items {
        let entry = match d.entry_id {
            Some(id) => match entries.get(&id) {
                Some(e) => e.clone(),
                None => {
                    let e = store.entry(id).await?.map(|e| (e.code, e.name));
                    entries.insert(id, e.clone());
                    e
                }
            },
            None => None,
        };
        let requester = if is_holder(ctx, &d) || overview {
            match people.get(&d.requester_user_id) {
                Some(p) => p.clone(),
                None => {
                    let p = store.user(d.requester_user_id).await?.map(|u| u.display_name);
                    people.insert(d.requester_user_id, p.clone());
                    p
                }
            }
        } else {
            None
        };
        let org_name = orgs.get(&d.provider_org_id).cloned().unwrap_or_default();
        out.push(build(ctx, d, entry, org_name, requester));
    }
    Ok(out)
}

pub async fn view(app: &AppState, ctx: &Ctx, d: OpenDemand) -> Result<DemandView, ApiError> {
    let mut v = views(app, ctx, vec![d]).await?;
    v.pop().ok_or_else(ApiError::internal)
}

fn build(
    ctx: &Ctx,
    d: OpenDemand,
    entry: Option<(String, String)>,
    org_name: String,
    requester: Option<String>,
) -> DemandView {
    let kind = DemandKind::from_code(&d.kind);
    let state = DemandState::from_code(&d.state);
    let infringement = d.infringement_kind.as_deref().and_then(InfringementKind::from_code);
    let outcome = d.outcome.as_deref().and_then(Outcome::from_code);
    let mut actions = Vec::new();
    if is_holder(ctx, &d)
        && let (Some(k), Some(s)) = (kind, state)
    {
        use gongshu_domain::open_demand::{Action, next};
        for (name, action) in
            [("answer", Action::Answer), ("suspend", Action::Suspend), ("outcome", Action::Decide(Outcome::Restore))]
        {
            if next(k, s, action).is_ok() {
                actions.push(name.to_string());
            }
        }
    }
    let (entry_code, entry_name) = entry.map_or((None, None), |(c, n)| (Some(c), Some(n)));
    DemandView {
        id: d.id,
        kind_label: kind.map_or(d.kind.as_str(), |k| k.label_zh()).to_string(),
        kind_label_en: kind.map_or(d.kind.as_str(), |k| k.label_en()).to_string(),
        kind: d.kind,
        entry_id: d.entry_id,
        entry_code,
        entry_name,
        org_id: d.provider_org_id,
        org_name,
        infringement_label: infringement.map(|k| k.label_zh().to_string()),
        infringement_label_en: infringement.map(|k| k.label_en().to_string()),
        infringement_kind: d.infringement_kind,
        title: d.title,
        body: d.body,
        state_label: state.map_or(d.state.as_str(), |s| s.label_zh()).to_string(),
        state_label_en: state.map_or(d.state.as_str(), |s| s.label_en()).to_string(),
        open: state.is_some_and(DemandState::is_open),
        state: d.state,
        created_at: rfc3339_cst(d.created_at),
        due_on: d.due_on,
        due_at: rfc3339_cst(d.due_at),
        read_at: d.read_at.map(rfc3339_cst),
        answered_at: d.answered_at.map(rfc3339_cst),
        answer: d.answer,
        late: d.late,
        suspended_at: d.suspended_at.map(rfc3339_cst),
        outcome_label: outcome.map(|o| o.label_zh().to_string()),
        outcome_label_en: outcome.map(|o| o.label_en().to_string()),
        outcome: d.outcome,
        outcome_note: d.outcome_note,
        requester,
        actions,
    }
}
