//! Accounts and their roles (ORG-3).

use axum::http::StatusCode;
use gongshu_domain::role::Role;
use gongshu_store::User;
use serde::{Deserialize, Serialize};

use super::Items;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Json, Path};
use crate::service::{self, UserInput};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub org_id: Option<i64>,
    pub disabled: bool,
    pub roles: Vec<String>,
    pub created_at: String,
}

impl UserView {
    pub fn new(u: User, roles: &[Role]) -> Self {
        UserView {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            email: u.email,
            org_id: u.org_id,
            disabled: u.disabled,
            roles: roles.iter().map(|r| r.as_str().to_string()).collect(),
            created_at: gongshu_domain::time::rfc3339_cst(u.created_at),
        }
    }
}

async fn view(state: &AppStateExt, u: User) -> Result<UserView, ApiError> {
    let roles = state.store().roles(u.id).await?;
    Ok(UserView::new(u, &roles))
}

/// The caller's own account and the roles in effect for this request.
#[utoipa::path(get, path = "/api/v1/me", tag = "accounts", security(("bearer" = [])), responses((status = 200, body = UserView)))]
pub async fn me(ctx: Ctx) -> Result<Json<UserView>, ApiError> {
    let me = ctx.me()?;
    Ok(Json(UserView::new(me.user.clone(), &me.roles)))
}

/// All accounts.
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", security(("bearer" = [])), responses((status = 200, body = Items<UserView>)))]
pub async fn list(state: AppStateExt) -> Result<Json<Items<UserView>>, ApiError> {
    let mut items = Vec::new();
    for u in state.store().users().await? {
        items.push(view(&state, u).await?);
    }
    Ok(Json(Items { items }))
}

/// Creates an account with an initial password (argon2id) and roles.
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", security(("bearer" = [])), request_body = UserInput,
    responses((status = 201, body = UserView), (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create(
    state: AppStateExt,
    ctx: Ctx,
    Json(input): Json<UserInput>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    let user = service::create_user(state.store(), &input, &ctx.actor()).await?;
    Ok((StatusCode::CREATED, Json(view(&state, user).await?)))
}

/// One account.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = UserView), (status = 404, body = crate::error::ErrorBody)))]
pub async fn show(state: AppStateExt, Path(id): Path<i64>) -> Result<Json<UserView>, ApiError> {
    let user = service::user_by_id(state.store(), id).await?;
    Ok(Json(view(&state, user).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordInput {
    pub password: String,
}

/// Sets a new password; the account's sessions end.
#[utoipa::path(put, path = "/api/v1/users/{id}/password", tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = PasswordInput, responses((status = 204), (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_password(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<PasswordInput>,
) -> Result<StatusCode, ApiError> {
    service::user_by_id(state.store(), id).await?;
    service::set_password(state.store(), id, &input.password, &ctx.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleInput {
    pub role: String,
}

/// Grants a role.
#[utoipa::path(post, path = "/api/v1/users/{id}/roles", tag = "accounts", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = RoleInput, responses((status = 200, body = UserView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn grant(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Json(input): Json<RoleInput>,
) -> Result<Json<UserView>, ApiError> {
    let role = Role::parse(&input.role)?;
    let user = service::user_by_id(state.store(), id).await?;
    state.store().grant_role(id, role, &ctx.actor()).await?;
    Ok(Json(view(&state, user).await?))
}

/// Revokes a role.
#[utoipa::path(delete, path = "/api/v1/users/{id}/roles/{role}", tag = "accounts", security(("bearer" = [])),
    params(("id" = i64, Path), ("role" = String, Path)), responses((status = 200, body = UserView), (status = 422, body = crate::error::ErrorBody)))]
pub async fn revoke(
    state: AppStateExt,
    ctx: Ctx,
    Path((id, role)): Path<(i64, String)>,
) -> Result<Json<UserView>, ApiError> {
    let role = Role::parse(&role)?;
    let user = service::user_by_id(state.store(), id).await?;
    state.store().revoke_role(id, role, &ctx.actor()).await?;
    Ok(Json(view(&state, user).await?))
}
