//! Records as stored and returned by the storage interface.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Region {
    pub code: String,
    pub name: String,
    /// `province`, `city`, `county` or `functional_zone`.
    pub level: String,
    pub parent_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Org {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub kind: String,
    pub region_code: String,
    pub parent_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPerson {
    pub org_id: i64,
    pub duty: gongshu_domain::org::Duty,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub user_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Person {
    pub id: i64,
    pub org_id: i64,
    pub duty: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub user_id: Option<i64>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub org_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub org_id: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub user_id: i64,
    pub csrf_token: String,
    pub expires_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    pub user_id: i64,
    pub name: String,
    pub digest: String,
    pub roles: Vec<gongshu_domain::role::Role>,
    pub expires_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Token {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// Comma-separated role names the token carries.
    pub roles: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

impl Token {
    /// The roles the token carries; unknown names (from a newer version) are ignored.
    pub fn role_list(&self) -> Vec<gongshu_domain::role::Role> {
        self.roles.split(',').filter_map(|r| gongshu_domain::role::Role::parse(r).ok()).collect()
    }

    /// Whether the token can be used at `now`.
    pub fn is_live(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|t| t > now)
    }
}

/// Which audit entries to list; every field narrows the result.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    /// Entries whose object starts with this, e.g. `org:`.
    pub object: Option<String>,
    pub outcome: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// Only entries before this sequence number (for paging back in time).
    pub before_seq: Option<i64>,
    pub limit: i64,
}
