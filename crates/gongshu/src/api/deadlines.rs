//! Deadlines (SUP-1), notifications, webhooks and the outbox.

use axum::http::StatusCode;
use chrono::Utc;
use gongshu_rules::deadline::{Standing, standing};
use gongshu_store::{Clock, ClockFilter, Notification, OutboxItem, Webhook};
use serde::{Deserialize, Serialize};

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path, Query};

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockView {
    pub id: i64,
    pub item: String,
    pub duty: String,
    pub rule: String,
    pub source: String,
    pub holder_org_id: Option<i64>,
    pub received_on: String,
    pub working_days: i64,
    pub due_on: String,
    /// RFC 3339, CST: 23:59:59 on the last day.
    pub due_at: String,
    pub provisional: bool,
    pub on_miss: String,
    /// `open`, `answered` or `missed`.
    pub state: String,
    /// For open clocks: `open`, `due_soon` or `overdue`.
    pub standing: Option<String>,
    pub outcome: Option<String>,
    pub late: bool,
}

impl ClockView {
    pub fn new(c: Clock, now_us: i64) -> Self {
        let to_utc = |us: i64| chrono::DateTime::<Utc>::from_timestamp_micros(us).unwrap_or_default();
        let standing = (c.state == "open").then(|| {
            match standing(to_utc(now_us), to_utc(c.due_at), to_utc(c.remind_at)) {
                Standing::Open => "open",
                Standing::DueSoon => "due_soon",
                Standing::Overdue => "overdue",
            }
            .to_string()
        });
        ClockView {
            id: c.id,
            item: c.item,
            duty: c.duty,
            rule: c.rule,
            source: c.source,
            holder_org_id: c.holder_org_id,
            received_on: c.received_on,
            working_days: c.working_days,
            due_on: c.due_on,
            due_at: gongshu_domain::time::rfc3339_cst(c.due_at),
            provisional: c.provisional,
            on_miss: c.on_miss,
            state: c.state,
            standing,
            outcome: c.outcome,
            late: c.late,
        }
    }
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ClockQuery {
    /// `open` (default), `answered`, `missed` or `all`.
    pub state: Option<String>,
    /// Only this organization's (overview only).
    pub org: Option<i64>,
}

fn state_filter(q: &ClockQuery) -> Result<Option<String>, ApiError> {
    match q.state.as_deref().unwrap_or("open") {
        "all" => Ok(None),
        s @ ("open" | "answered" | "missed") => Ok(Some(s.to_string())),
        other => Err(ApiError::bad_request(
            "invalid_state",
            format!("“{other}”不是有效状态"),
            format!("{other:?} is not a state: use open, answered, missed or all"),
        )),
    }
}

pub async fn clocks_of(state: &AppStateExt, org: Option<i64>, q: &ClockQuery) -> Result<Vec<ClockView>, ApiError> {
    let filter = ClockFilter { holder_org_id: org, state: state_filter(q)?, item: None, limit: 1000 };
    let now = gongshu_domain::time::now_micros();
    Ok(state.store().clocks(&filter).await?.into_iter().map(|c| ClockView::new(c, now)).collect())
}

/// My deadlines: what my organization has to answer, due soon and overdue first.
#[utoipa::path(get, path = "/api/v1/deadlines/mine", tag = "deadlines", security(("bearer" = [])), params(ClockQuery),
    responses((status = 200, body = Items<ClockView>)))]
pub async fn mine(
    state: AppStateExt,
    ctx: Ctx,
    Query(q): Query<ClockQuery>,
) -> Result<Json<Items<ClockView>>, ApiError> {
    let Some(org) = ctx.me()?.user.org_id else { return Ok(Json(Items { items: Vec::new() })) };
    Ok(Json(Items { items: clocks_of(&state, Some(org), &q).await? }))
}

/// The authority's overview across organizations.
#[utoipa::path(get, path = "/api/v1/deadlines", tag = "deadlines", security(("bearer" = [])), params(ClockQuery),
    responses((status = 200, body = Items<ClockView>)))]
pub async fn overview(state: AppStateExt, Query(q): Query<ClockQuery>) -> Result<Json<Items<ClockView>>, ApiError> {
    Ok(Json(Items { items: clocks_of(&state, q.org, &q).await? }))
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    pub item: String,
    pub title: String,
    pub title_en: String,
    pub created_at: String,
    pub read: bool,
}

impl NotificationView {
    pub fn new(n: Notification) -> Self {
        NotificationView {
            id: n.id,
            kind: n.kind,
            item: n.item,
            title: n.title_zh,
            title_en: n.title_en,
            created_at: gongshu_domain::time::rfc3339_cst(n.created_at),
            read: n.read_at.is_some(),
        }
    }
}

/// My organization's notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "deadlines", security(("bearer" = [])),
    responses((status = 200, body = Items<NotificationView>)))]
pub async fn notifications(state: AppStateExt, ctx: Ctx) -> Result<Json<Items<NotificationView>>, ApiError> {
    let Some(org) = ctx.me()?.user.org_id else { return Ok(Json(Items { items: Vec::new() })) };
    let items = state.store().notifications(Some(org), 200).await?.into_iter().map(NotificationView::new).collect();
    Ok(Json(Items { items }))
}

/// Marks one of my organization's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "deadlines", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn mark_read(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    let org = ctx.me()?.user.org_id;
    if org.is_none() || !state.store().mark_notification_read(id, org, gongshu_domain::time::now_micros()).await? {
        return Err(ApiError::not_found("通知", "Notification"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Webhook subscriptions.
#[utoipa::path(get, path = "/api/v1/webhooks", tag = "deadlines", security(("bearer" = [])), responses((status = 200, body = Items<Webhook>)))]
pub async fn webhooks(state: AppStateExt) -> Result<Json<Items<Webhook>>, ApiError> {
    Ok(Json(Items { items: state.store().webhooks().await? }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    /// `http://` or `https://` URL that receives a JSON POST per notification.
    pub url: String,
    /// Only this organization's notifications; absent means all.
    pub org_id: Option<i64>,
}

/// Subscribes a URL to notifications; deliveries are retried with back-off.
#[utoipa::path(post, path = "/api/v1/webhooks", tag = "deadlines", security(("bearer" = [])), request_body = WebhookInput,
    responses((status = 201, body = Webhook), (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_webhook(
    state: AppStateExt,
    ctx: Ctx,
    Json(w): Json<WebhookInput>,
) -> Result<(StatusCode, Json<Webhook>), ApiError> {
    let url = w.url.trim();
    let valid = (url.starts_with("http://") || url.starts_with("https://"))
        && url.len() <= 2000
        && !url.contains(char::is_whitespace);
    if !valid {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_url",
            "地址须以 http:// 或 https:// 开头",
            "The URL must start with http:// or https://",
        ));
    }
    if let Some(org) = w.org_id {
        state.store().org(org).await?.ok_or_else(|| ApiError::not_found("机构", "Organization"))?;
    }
    Ok((StatusCode::CREATED, Json(state.store().add_webhook(w.org_id, url, &ctx.actor()).await?)))
}

/// Removes a webhook subscription.
#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "deadlines", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn remove_webhook(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    if !state.store().remove_webhook(id, &ctx.actor()).await? {
        return Err(ApiError::not_found("订阅", "Webhook"));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Recent deliveries and their state.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "deadlines", security(("bearer" = [])), responses((status = 200, body = Items<OutboxItem>)))]
pub async fn outbox(state: AppStateExt) -> Result<Json<Items<OutboxItem>>, ApiError> {
    Ok(Json(Items { items: state.store().outbox(200).await? }))
}
