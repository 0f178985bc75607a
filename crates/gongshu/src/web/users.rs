//! Account administration pages (ORG-3).

use gongshu_domain::role::{Permission, Role, allows};
use minijinja::context;
use serde::Deserialize;

use super::{Notice, PageResult, not_found, render, saved};
use crate::api::orgs::OrgView;
use crate::api::users::UserView;
use crate::app::AppStateExt;
use crate::auth::Ctx;
use crate::error::{ApiError, Form, Path, Query};
use crate::service::{self, UserInput};

fn all_roles(lang: crate::i18n::Lang) -> Vec<minijinja::Value> {
    Role::ALL.iter().map(|r| context! { value => r.as_str(), label => lang.pick(r.label_zh(), r.label_en()) }).collect()
}

pub async fn list(state: AppStateExt, ctx: Ctx, Query(n): Query<Notice>) -> PageResult {
    let mut users = Vec::new();
    for u in state.store().users().await? {
        let roles = state.store().roles(u.id).await?;
        users.push(UserView::new(u, &roles));
    }
    let orgs: Vec<OrgView> = state.store().orgs().await?.iter().map(|o| OrgView::new(o, ctx.lang)).collect();
    let can_write = allows(ctx.roles(), Permission::UserWrite);
    render(
        &state,
        &ctx,
        "users.html",
        context! { users, orgs, roles => all_roles(ctx.lang), can_write, saved => n.saved.is_some() },
    )
}

/// The create-account form. Roles arrive as repeated `role` fields, which a plain
/// struct cannot take, so the body is read as pairs.
pub async fn create(state: AppStateExt, ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> PageResult {
    let get = |k: &str| pairs.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()).unwrap_or_default();
    ctx.check_csrf(&get("csrf"))?;
    let known = ["csrf", "username", "display_name", "password", "email", "org_id", "role"];
    if let Some((k, _)) = pairs.iter().find(|(k, _)| !known.contains(&k.as_str())) {
        return Err(
            ApiError::bad_request("unknown_field", format!("未知字段“{k}”"), format!("Unknown field {k:?}")).into()
        );
    }
    let org_id = match get("org_id").trim() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .map_err(|_| ApiError::bad_request("invalid_org", "所属机构无效", "Invalid organization"))?,
        ),
    };
    let input = UserInput {
        username: get("username"),
        display_name: get("display_name"),
        password: get("password"),
        email: Some(get("email")),
        org_id,
        roles: pairs.iter().filter(|(k, _)| k == "role").map(|(_, v)| v.clone()).collect(),
    };
    let user = service::create_user(state.store(), &input, &ctx.actor()).await?;
    saved(&format!("/console/users/{}", user.id))
}

pub async fn show(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Query(n): Query<Notice>) -> PageResult {
    let user = state.store().user(id).await?.ok_or_else(not_found)?;
    let held = state.store().roles(id).await?;
    let org = match user.org_id {
        Some(o) => state.store().org(o).await?.map(|o| o.name),
        None => None,
    };
    let roles: Vec<minijinja::Value> = Role::ALL
        .iter()
        .map(|r| context! { value => r.as_str(), label => ctx.lang.pick(r.label_zh(), r.label_en()), held => held.contains(r) })
        .collect();
    let can_grant = allows(ctx.roles(), Permission::RoleGrant);
    let can_write = allows(ctx.roles(), Permission::UserWrite);
    render(
        &state,
        &ctx,
        "user.html",
        context! {
            account => UserView::new(user, &held), org, roles, can_grant, can_write, saved => n.saved.is_some(),
        },
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleForm {
    #[serde(default)]
    pub csrf: String,
    pub role: String,
    /// `grant` or `revoke`.
    pub op: String,
}

pub async fn change_role(state: AppStateExt, ctx: Ctx, Path(id): Path<i64>, Form(f): Form<RoleForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let role = Role::parse(&f.role)?;
    service::user_by_id(state.store(), id).await?;
    match f.op.as_str() {
        "grant" => state.store().grant_role(id, role, &ctx.actor()).await?,
        "revoke" => state.store().revoke_role(id, role, &ctx.actor()).await?,
        _ => {
            return Err(
                ApiError::bad_request("invalid_op", "操作须为 grant 或 revoke", "op must be grant or revoke").into()
            );
        }
    };
    saved(&format!("/console/users/{id}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PasswordForm {
    #[serde(default)]
    pub csrf: String,
    pub password: String,
}

pub async fn set_password(
    state: AppStateExt,
    ctx: Ctx,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    service::user_by_id(state.store(), id).await?;
    service::set_password(state.store(), id, &f.password, &ctx.actor()).await?;
    saved(&format!("/console/users/{id}"))
}
