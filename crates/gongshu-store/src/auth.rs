//! Sessions, API tokens and failed-login records.

pub(crate) const TOKEN_COLUMNS: &str = "id, user_id, name, roles, created_at, expires_at, revoked_at";

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
