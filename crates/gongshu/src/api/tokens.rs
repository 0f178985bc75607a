//! API tokens: random, shown once, stored as a digest, scoped, revocable, expiring.

use axum::http::StatusCode;
use gongshu_domain::role::{Permission, allows};
use gongshu_store::Token;
use serde::{Deserialize, Serialize};

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::service;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub roles: Vec<String>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
    pub active: bool,
}

impl From<Token> for TokenView {
    fn from(t: Token) -> Self {
        let active = t.is_live(gongshu_domain::time::now_micros());
        TokenView {
            id: t.id,
            user_id: t.user_id,
            name: t.name.clone(),
            roles: t.role_list().iter().map(|r| r.as_str().to_string()).collect(),
            created_at: gongshu_domain::time::rfc3339_cst(t.created_at),
            expires_at: t.expires_at.map(gongshu_domain::time::rfc3339_cst),
            revoked_at: t.revoked_at.map(gongshu_domain::time::rfc3339_cst),
            active,
        }
    }
}

/// The caller's own tokens.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "accounts", security(("bearer" = [])), responses((status = 200, body = Items<TokenView>)))]
pub async fn list(state: AppStateExt, ctx: Ctx) -> Result<Json<Items<TokenView>>, ApiError> {
    let me = ctx.me()?;
    let items = state.store().tokens(Some(me.user.id)).await?.into_iter().map(Into::into).collect();
    Ok(Json(Items { items }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    pub name: String,
    /// Roles to carry; empty means all the caller's roles. Never more than the caller holds.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Days until the token expires; absent means no expiry.
    pub expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IssuedTokenView {
    /// The secret, shown only in this response.
    pub token: String,
    #[serde(flatten)]
    pub info: TokenView,
}

/// Issues a token for the caller.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "accounts", security(("bearer" = [])), request_body = TokenInput,
    responses((status = 201, body = IssuedTokenView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<TokenInput>,
) -> Result<(StatusCode, Json<IssuedTokenView>), ApiError> {
    let me = ctx.me()?;
    let issued =
        service::issue_token(state.store(), &me.user, &input.name, &input.roles, input.expires_in_days, &ctx.actor())
            .await?;
    Ok((StatusCode::CREATED, Json(IssuedTokenView { token: issued.secret, info: issued.token.into() })))
}

/// Revokes one of the caller's tokens (the admin may revoke anyone's).
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>) -> Result<StatusCode, ApiError> {
    revoke_for(&state, &ctx, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Revokes a token if the caller owns it or administers accounts; someone else's
/// token is reported as not found, so ids cannot be probed.
pub async fn revoke_for(state: &AppStateExt, ctx: &Ctx, id: i64) -> Result<(), ApiError> {
    let me = ctx.me()?;
    let token =
        state.store().token(id).await?.filter(|t| t.user_id == me.user.id || allows(&me.roles, Permission::UserWrite));
    if token.is_none() {
        return Err(ApiError::not_found("令牌", "Token"));
    }
    state.store().revoke_token(id, gongshu_domain::time::now_micros(), &ctx.actor()).await?;
    Ok(())
}
