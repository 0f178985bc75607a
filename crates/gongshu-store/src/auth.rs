//! Sessions, API tokens and failed-login records.

pub(crate) const TOKEN_COLUMNS: &str = "id, user_id, name, roles, created_at, expires_at, revoked_at";

/// One row per role of the caller: the credential, its account, and one role (or none).
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct PrincipalRow {
    pub cred_id: i64,
    pub cred_name: String,
    /// The token's roles, or the session's CSRF token.
    pub cred_detail: String,
    pub cred_created_at: i64,
    pub cred_expires_at: Option<i64>,
    pub cred_revoked_at: Option<i64>,
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub org_id: Option<i64>,
    pub disabled: bool,
    pub created_at: i64,
    pub role: Option<String>,
}

pub(crate) const PRINCIPAL_USER: &str =
    "u.id, u.username, u.display_name, u.email, u.org_id, u.disabled, u.created_at, r.role";

/// Folds the rows of a principal query into the account and its roles.
pub(crate) fn fold_principal(
    rows: Vec<PrincipalRow>,
) -> crate::Result<Option<(PrincipalRow, crate::User, Vec<gongshu_domain::role::Role>)>> {
    let mut roles = Vec::new();
    for r in rows.iter().filter_map(|r| r.role.as_deref()) {
        roles.push(
            gongshu_domain::role::Role::parse(r)
                .map_err(|_| crate::StoreError::Corrupt(format!("unknown role {r:?}")))?,
        );
    }
    roles.sort();
    let Some(first) = rows.into_iter().next() else { return Ok(None) };
    let user = crate::User {
        id: first.id,
        username: first.username.clone(),
        display_name: first.display_name.clone(),
        email: first.email.clone(),
        org_id: first.org_id,
        disabled: first.disabled,
        created_at: first.created_at,
    };
    Ok(Some((first, user, roles)))
}

macro_rules! impl_auth_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::AuthStore for $store {
            async fn create_session(&self, digest: &str, user_id: i64, csrf: &str, expires_at: i64) -> $crate::Result<()> {
                let now = gongshu_domain::time::now_micros();
                // Expired sessions are swept whenever a new one starts.
                sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&self.pool).await?;
                sqlx::query(
                    "INSERT INTO sessions (digest, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(digest)
                .bind(user_id)
                .bind(csrf)
                .bind(now)
                .bind(expires_at)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn session(&self, digest: &str, now: i64) -> $crate::Result<Option<$crate::Session>> {
                Ok(sqlx::query_as(
                    "SELECT user_id, csrf_token, expires_at FROM sessions WHERE digest = $1 AND expires_at > $2",
                )
                .bind(digest)
                .bind(now)
                .fetch_optional(&self.pool)
                .await?)
            }

            async fn delete_session(&self, digest: &str) -> $crate::Result<()> {
                sqlx::query("DELETE FROM sessions WHERE digest = $1").bind(digest).execute(&self.pool).await?;
                Ok(())
            }

            async fn session_principal(
                &self,
                digest: &str,
                now: i64,
            ) -> $crate::Result<Option<($crate::Session, $crate::User, Vec<gongshu_domain::role::Role>)>> {
                let sql = format!(
                    "SELECT CAST(0 AS BIGINT) AS cred_id, CAST('' AS TEXT) AS cred_name, s.csrf_token AS cred_detail, s.created_at AS cred_created_at, \
                     s.expires_at AS cred_expires_at, CAST(NULL AS BIGINT) AS cred_revoked_at, {} \
                     FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN user_roles r ON r.user_id = u.id \
                     WHERE s.digest = $1 AND s.expires_at > $2",
                    $crate::auth::PRINCIPAL_USER
                );
                let rows: Vec<$crate::auth::PrincipalRow> =
                    sqlx::query_as(&sql).bind(digest).bind(now).fetch_all(&self.pool).await?;
                Ok($crate::auth::fold_principal(rows)?.map(|(row, user, roles)| {
                    let session = $crate::Session {
                        user_id: user.id,
                        csrf_token: row.cred_detail,
                        expires_at: row.cred_expires_at.unwrap_or_default(),
                    };
                    (session, user, roles)
                }))
            }

            async fn token_principal(
                &self,
                digest: &str,
            ) -> $crate::Result<Option<($crate::Token, $crate::User, Vec<gongshu_domain::role::Role>)>> {
                let sql = format!(
                    "SELECT t.id AS cred_id, t.name AS cred_name, t.roles AS cred_detail, t.created_at AS cred_created_at, \
                     t.expires_at AS cred_expires_at, t.revoked_at AS cred_revoked_at, {} \
                     FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT JOIN user_roles r ON r.user_id = u.id \
                     WHERE t.digest = $1",
                    $crate::auth::PRINCIPAL_USER
                );
                let rows: Vec<$crate::auth::PrincipalRow> = sqlx::query_as(&sql).bind(digest).fetch_all(&self.pool).await?;
                Ok($crate::auth::fold_principal(rows)?.map(|(row, user, roles)| {
                    let token = $crate::Token {
                        id: row.cred_id,
                        user_id: user.id,
                        name: row.cred_name,
                        roles: row.cred_detail,
                        created_at: row.cred_created_at,
                        expires_at: row.cred_expires_at,
                        revoked_at: row.cred_revoked_at,
                    };
                    (token, user, roles)
                }))
            }

            async fn create_token(&self, t: &$crate::NewToken, by: &$crate::Actor) -> $crate::Result<$crate::Token> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let roles: Vec<&str> = t.roles.iter().map(|r| r.as_str()).collect();
                let sql = format!(
                    "INSERT INTO api_tokens (user_id, name, digest, roles, created_at, expires_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING {}",
                    $crate::auth::TOKEN_COLUMNS
                );
                let token: $crate::Token = sqlx::query_as(&sql)
                    .bind(t.user_id)
                    .bind(&t.name)
                    .bind(&t.digest)
                    .bind(roles.join(","))
                    .bind(gongshu_domain::time::now_micros())
                    .bind(t.expires_at)
                    .fetch_one(&mut *tx)
                    .await?;
                let event = by.event("token.create", format!("token:{}", token.id)).detail(serde_json::json!({
                    "user_id": t.user_id, "name": t.name, "roles": roles, "expires_at": t.expires_at,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(token)
            }

            async fn token_by_digest(&self, digest: &str) -> $crate::Result<Option<$crate::Token>> {
                let sql = format!("SELECT {} FROM api_tokens WHERE digest = $1", $crate::auth::TOKEN_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(digest).fetch_optional(&self.pool).await?)
            }

            async fn tokens(&self, user_id: Option<i64>) -> $crate::Result<Vec<$crate::Token>> {
                let sql = format!(
                    "SELECT {} FROM api_tokens WHERE ($1 IS NULL OR user_id = $1) ORDER BY id",
                    $crate::auth::TOKEN_COLUMNS
                );
                Ok(sqlx::query_as(&sql).bind(user_id).fetch_all(&self.pool).await?)
            }

            async fn token(&self, id: i64) -> $crate::Result<Option<$crate::Token>> {
                let sql = format!("SELECT {} FROM api_tokens WHERE id = $1", $crate::auth::TOKEN_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn revoke_token(&self, id: i64, now: i64, by: &$crate::Actor) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let done = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                Self::write_entry(&mut tx, head, &by.event("token.revoke", format!("token:{id}"))).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn record_login_failure(&self, username: &str, at: i64) -> $crate::Result<()> {
                sqlx::query("INSERT INTO login_failures (username, at) VALUES ($1, $2)")
                    .bind(username)
                    .bind(at)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn login_failures_since(&self, username: &str, since: i64) -> $crate::Result<Vec<i64>> {
                let rows: Vec<(i64,)> =
                    sqlx::query_as("SELECT at FROM login_failures WHERE username = $1 AND at >= $2 ORDER BY at")
                        .bind(username)
                        .bind(since)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(|r| r.0).collect())
            }

            async fn clear_login_failures(&self, username: &str) -> $crate::Result<()> {
                sqlx::query("DELETE FROM login_failures WHERE username = $1").bind(username).execute(&self.pool).await?;
                Ok(())
            }
        }
    };
}
pub(crate) use impl_auth_store;
