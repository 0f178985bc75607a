//! The caller's own API tokens.

use gongshu_domain::role::Role;
use minijinja::context;
use serde::Deserialize;

use super::{Notice, PageResult, render, saved};
use crate::api::tokens::{TokenView, revoke_for};
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Path, Query};
use crate::service;

async fn page(state: &AppStateExt, ctx: &Ctx, secret: Option<String>, saved_notice: bool) -> PageResult {
    let me = ctx.me()?;
    let tokens: Vec<TokenView> = state.store().tokens(Some(me.user.id)).await?.into_iter().map(Into::into).collect();
    let roles: Vec<minijinja::Value> = me
        .roles
        .iter()
        .map(|r: &Role| context! { value => r.as_str(), label => ctx.lang.pick(r.label_zh(), r.label_en()) })
        .collect();
    render(state, ctx, "tokens.html", context! { tokens, roles, secret, saved => saved_notice })
}

pub async fn list(state: AppStateExt, ctx: Ctx, Query(n): Query<Notice>) -> PageResult {
    page(&state, &ctx, None, n.saved.is_some()).await
}

/// Issues a token and shows its secret on this one response.
pub async fn create(state: AppStateExt, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> PageResult {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    ctx.check_csrf(&get("csrf"))?;
    let days = match get("expires_in_days").as_str() {
        "" => None,
        d => Some(d.parse::<u32>().map_err(|_| {
            ApiError::bad_request("invalid_expiry", "有效天数须为正整数", "Days must be a whole number")
        })?),
    };
    let roles: Vec<String> = pairs.iter().filter(|(k, _)| k == "role").map(|(_, v)| v.clone()).collect();
    let me = ctx.me()?;
    let issued = service::issue_token(state.store(), &me.user, &get("name"), &roles, days, &ctx.actor()).await?;
    page(&state, &ctx, Some(issued.secret), false).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

pub async fn revoke(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<CsrfForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    revoke_for(&state, &ctx, id).await?;
    saved("/console/tokens")
}
