//! Operations shared by the API, the pages and the CLI: each validates its input with
//! the domain rules, then calls the store (which writes the audit entry).

use gongshu_domain::DomainError;
use gongshu_domain::account::{check_email, check_password, parse_username, secret_digest};
use gongshu_domain::org::{Duty, NewOrg, parent_region_allowed, parse_name};
use gongshu_domain::region::RegionCode;
use gongshu_domain::role::{Role, token_roles};
use gongshu_store::{Actor, NewPerson, NewToken, NewUser, Org, Person, Store, Token, User};

use crate::auth::{hash_password, new_token_secret};
use crate::error::ApiError;

/// Input for a new organization, as typed by a person or read from a file.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    pub name: String,
    /// Unified social credit code (GB 32100); optional for social entities.
    pub credit_code: Option<String>,
    /// `authority`, `service_agency`, `department`, `public_enterprise` or `social_entity`.
    pub kind: String,
    /// GB/T 2260 division code, e.g. `371000`.
    pub region_code: String,
    pub parent_id: Option<i64>,
}

pub async fn create_org(store: &Store, input: &OrgInput, by: &Actor) -> Result<Org, ApiError> {
    let org = NewOrg::parse(&input.name, input.credit_code.as_deref(), &input.kind, &input.region_code)?;
    if let Some(parent_id) = input.parent_id {
        let parent =
            store.org(parent_id).await?.ok_or_else(|| ApiError::not_found("上级机构", "Parent organization"))?;
        parent_region_allowed(&org.region, &RegionCode::parse(&parent.region_code)?)?;
    }
    Ok(store.create_org(&org, input.parent_id, by).await?)
}

/// Input for a person responsible for data work (ORG-2).
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// `chief_data_officer` or `data_specialist`.
    pub duty: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The person's account, if they have one.
    pub username: Option<String>,
}

pub async fn add_person(store: &Store, org_id: i64, input: &PersonInput, by: &Actor) -> Result<Person, ApiError> {
    store.org(org_id).await?.ok_or_else(|| ApiError::not_found("机构", "Organization"))?;
    let duty = Duty::parse(&input.duty)?;
    let name = parse_name("name", &input.name)?;
    let email = non_empty(&input.email);
    if let Some(e) = &email {
        check_email(e)?;
    }
    let user_id = match non_empty(&input.username) {
        Some(u) => Some(store.user_by_name(&u).await?.ok_or_else(|| ApiError::not_found("账号", "Account"))?.id),
        None => None,
    };
    let person = NewPerson { org_id, duty, name, phone: non_empty(&input.phone), email, user_id };
    Ok(store.add_person(&person, by).await?)
}

/// Input for a new account.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub email: Option<String>,
    pub org_id: Option<i64>,
    #[serde(default)]
    pub roles: Vec<String>,
}

pub async fn create_user(store: &Store, input: &UserInput, by: &Actor) -> Result<User, ApiError> {
    let username = parse_username(&input.username)?;
    let display_name = parse_name("display_name", &input.display_name)?;
    check_password(&input.password)?;
    let email = non_empty(&input.email);
    if let Some(e) = &email {
        check_email(e)?;
    }
    if let Some(org_id) = input.org_id {
        store.org(org_id).await?.ok_or_else(|| ApiError::not_found("机构", "Organization"))?;
    }
    let roles = parse_roles(&input.roles)?;
    let hash = hash_password(&input.password)?;
    let user = NewUser { username, display_name, email, org_id: input.org_id };
    Ok(store.create_user(&user, &hash, &roles, by).await?)
}

pub fn parse_roles(names: &[String]) -> Result<Vec<Role>, DomainError> {
    let mut roles = Vec::new();
    for n in names.iter().filter(|n| !n.trim().is_empty()) {
        let role = Role::parse(n)?;
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    Ok(roles)
}

pub async fn set_password(store: &Store, user_id: i64, password: &str, by: &Actor) -> Result<(), ApiError> {
    check_password(password)?;
    let hash = hash_password(password)?;
    Ok(store.set_password(user_id, &hash, by).await?)
}

pub async fn user_by_id(store: &Store, id: i64) -> Result<User, ApiError> {
    store.user(id).await?.ok_or_else(|| ApiError::not_found("账号", "Account"))
}

pub async fn user_by_name(store: &Store, name: &str) -> Result<User, ApiError> {
    store.user_by_name(&name.trim().to_ascii_lowercase()).await?.ok_or_else(|| ApiError::not_found("账号", "Account"))
}

/// A new token and its secret, which is shown once and never stored.
pub struct IssuedToken {
    pub token: Token,
    pub secret: String,
}

/// Issues a token for `user`, carrying at most the roles `user` holds.
pub async fn issue_token(
    store: &Store,
    user: &User,
    name: &str,
    asked_roles: &[String],
    expires_in_days: Option<u32>,
    by: &Actor,
) -> Result<IssuedToken, ApiError> {
    let name = parse_name("name", name)?;
    let held = store.roles(user.id).await?;
    let asked = parse_roles(asked_roles)?;
    let roles = token_roles(&held, &asked);
    if roles.is_empty() && !asked.is_empty() {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "token_roles_not_held",
            "令牌只能携带账号本身拥有的角色",
            "A token can only carry roles its account holds",
        ));
    }
    if expires_in_days == Some(0) || expires_in_days.is_some_and(|d| d > 3650) {
        return Err(ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_expiry",
            "有效天数须在1到3650之间",
            "Days of validity must be between 1 and 3650",
        ));
    }
    let expires_at = expires_in_days.map(|d| gongshu_domain::time::now_micros() + i64::from(d) * 86_400 * 1_000_000);
    let secret = new_token_secret();
    let new = NewToken { user_id: user.id, name, digest: secret_digest(&secret), roles, expires_at };
    let token = store.create_token(&new, by).await?;
    Ok(IssuedToken { token, secret })
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}
