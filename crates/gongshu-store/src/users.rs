//! Accounts and roles.

pub(crate) const USER_COLUMNS: &str = "id, username, display_name, email, org_id, disabled, created_at";

/// Parses stored role names; a name this version does not know is an error, not a
/// silent loss of a grant.
pub(crate) fn parse_roles(rows: Vec<(String,)>) -> crate::Result<Vec<gongshu_domain::role::Role>> {
    rows.into_iter()
        .map(|(r,)| {
            gongshu_domain::role::Role::parse(&r).map_err(|_| crate::StoreError::Corrupt(format!("unknown role {r:?}")))
        })
        .collect()
}

macro_rules! impl_user_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::UserStore for $store {
            async fn create_user(
                &self,
                u: &$crate::NewUser,
                password_hash: &str,
                roles: &[gongshu_domain::role::Role],
                by: &$crate::Actor,
            ) -> $crate::Result<$crate::User> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let now = gongshu_domain::time::now_micros();
                let sql = format!(
                    "INSERT INTO users (username, display_name, email, org_id, password_hash, disabled, created_at) \
                     VALUES ($1, $2, $3, $4, $5, FALSE, $6) RETURNING {}",
                    $crate::users::USER_COLUMNS
                );
                let user: $crate::User = sqlx::query_as(&sql)
                    .bind(&u.username)
                    .bind(&u.display_name)
                    .bind(&u.email)
                    .bind(u.org_id)
                    .bind(password_hash)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                for role in roles {
                    sqlx::query(
                        "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) \
                         ON CONFLICT (user_id, role) DO NOTHING",
                    )
                    .bind(user.id)
                    .bind(role.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let names: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
                let event = by.event("user.create", format!("user:{}", user.username)).detail(serde_json::json!({
                    "user_id": user.id, "display_name": user.display_name, "org_id": user.org_id, "roles": names,
                }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(user)
            }

            async fn user(&self, id: i64) -> $crate::Result<Option<$crate::User>> {
                let sql = format!("SELECT {} FROM users WHERE id = $1", $crate::users::USER_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?)
            }

            async fn user_by_name(&self, username: &str) -> $crate::Result<Option<$crate::User>> {
                let sql = format!("SELECT {} FROM users WHERE username = $1", $crate::users::USER_COLUMNS);
                Ok(sqlx::query_as(&sql).bind(username).fetch_optional(&self.pool).await?)
            }

            async fn password_hash(&self, user_id: i64) -> $crate::Result<Option<String>> {
                let row: Option<(String,)> = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(|r| r.0))
            }

            async fn users(&self) -> $crate::Result<Vec<$crate::User>> {
                let sql = format!("SELECT {} FROM users ORDER BY id", $crate::users::USER_COLUMNS);
                Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
            }

            async fn roles(&self, user_id: i64) -> $crate::Result<Vec<gongshu_domain::role::Role>> {
                let rows: Vec<(String,)> = sqlx::query_as("SELECT role FROM user_roles WHERE user_id = $1 ORDER BY role")
                    .bind(user_id)
                    .fetch_all(&self.pool)
                    .await?;
                $crate::users::parse_roles(rows)
            }

            async fn set_password(&self, user_id: i64, password_hash: &str, by: &$crate::Actor) -> $crate::Result<()> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let updated: Option<(String,)> =
                    sqlx::query_as("UPDATE users SET password_hash = $1 WHERE id = $2 RETURNING username")
                        .bind(password_hash)
                        .bind(user_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some((username,)) = updated else {
                    return Err($crate::StoreError::MissingReference("the account"));
                };
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                Self::write_entry(&mut tx, head, &by.event("user.set_password", format!("user:{username}"))).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn grant_role(
                &self,
                user_id: i64,
                role: gongshu_domain::role::Role,
                by: &$crate::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let user: Option<(String,)> = sqlx::query_as("SELECT username FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((username,)) = user else {
                    return Err($crate::StoreError::MissingReference("the account"));
                };
                let done = sqlx::query(
                    "INSERT INTO user_roles (user_id, role, granted_at) VALUES ($1, $2, $3) \
                     ON CONFLICT (user_id, role) DO NOTHING",
                )
                .bind(user_id)
                .bind(role.as_str())
                .bind(gongshu_domain::time::now_micros())
                .execute(&mut *tx)
                .await?;
                let granted = done.rows_affected() > 0;
                let event = by
                    .event("user.role.grant", format!("user:{username}"))
                    .detail(serde_json::json!({ "role": role.as_str(), "changed": granted }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(granted)
            }

            async fn revoke_role(
                &self,
                user_id: i64,
                role: gongshu_domain::role::Role,
                by: &$crate::Actor,
            ) -> $crate::Result<bool> {
                let mut tx = self.pool.begin().await?;
                let head = Self::lock_head(&mut tx).await?;
                let user: Option<(String,)> = sqlx::query_as("SELECT username FROM users WHERE id = $1")
                    .bind(user_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some((username,)) = user else {
                    return Err($crate::StoreError::MissingReference("the account"));
                };
                let done = sqlx::query("DELETE FROM user_roles WHERE user_id = $1 AND role = $2")
                    .bind(user_id)
                    .bind(role.as_str())
                    .execute(&mut *tx)
                    .await?;
                let revoked = done.rows_affected() > 0;
                let event = by
                    .event("user.role.revoke", format!("user:{username}"))
                    .detail(serde_json::json!({ "role": role.as_str(), "changed": revoked }));
                Self::write_entry(&mut tx, head, &event).await?;
                tx.commit().await?;
                Ok(revoked)
            }
        }
    };
}
pub(crate) use impl_user_store;
