//! Who is calling: web sessions (cookie), API tokens (bearer), passwords, CSRF.
//!
//! Sessions and tokens are stored only as SHA-256 digests (SEC-7); the raw values live
//! in the caller's cookie or script. Everything is in the database, so any replica can
//! check any session or token.

use std::sync::OnceLock;

use argon2::Argon2;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use gongshu_domain::account::{TOKEN_PREFIX, secret_digest};
use gongshu_domain::role::Role;
use gongshu_domain::time::now_micros;
use gongshu_store::{Actor, User};
use rand::RngCore;

use crate::app::AppState;
use crate::error::ApiError;
use crate::i18n::Lang;

pub const SESSION_COOKIE: &str = "gongshu_session";
pub const CSRF_COOKIE: &str = "gongshu_csrf";
pub const LANG_COOKIE: &str = "lang";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// A signed-in caller.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub roles: Vec<Role>,
    pub via: Via,
}

#[derive(Debug, Clone)]
pub enum Via {
    Session { digest: String, csrf: String },
    Token { id: i64 },
}

impl Principal {
    /// The audit log's name for this caller.
    pub fn who(&self) -> String {
        match &self.via {
            Via::Session { .. } => format!("user:{}", self.user.username),
            Via::Token { id } => format!("user:{} (token:{id})", self.user.username),
        }
    }
}

/// The caller, as found by [`authenticate`]; `None` is the anonymous visitor.
#[derive(Debug, Clone)]
pub struct Caller(pub Option<Principal>);

/// What every handler knows about its request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub principal: Option<Principal>,
    pub request_id: Option<String>,
    pub lang: Lang,
    /// The anonymous visitor's CSRF cookie, for the login form.
    pub csrf_cookie: Option<String>,
}

impl Ctx {
    pub fn actor(&self) -> Actor {
        let who = self.principal.as_ref().map(Principal::who).unwrap_or_else(|| "anonymous".to_string());
        Actor::new(who, self.request_id.clone())
    }

    /// The signed-in caller; routes that need one are guarded before they run, so this
    /// only fails if a route was registered as public by mistake.
    pub fn me(&self) -> Result<&Principal, ApiError> {
        self.principal.as_ref().ok_or_else(ApiError::unauthenticated)
    }

    pub fn roles(&self) -> &[Role] {
        self.principal.as_ref().map(|p| p.roles.as_slice()).unwrap_or(&[])
    }

    /// The CSRF token forms on this page must carry.
    pub fn csrf_token(&self) -> Option<&str> {
        match self.principal.as_ref().map(|p| &p.via) {
            Some(Via::Session { csrf, .. }) => Some(csrf),
            _ => self.csrf_cookie.as_deref(),
        }
    }

    /// Checks a submitted form's CSRF token.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), ApiError> {
        match self.csrf_token() {
            Some(expected) if constant_time_eq(expected.as_bytes(), submitted.as_bytes()) => Ok(()),
            _ => Err(ApiError::csrf()),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let principal = parts.extensions.get::<Caller>().and_then(|c| c.0.clone());
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
        let lang = cookie(&parts.headers, LANG_COOKIE).and_then(Lang::parse).unwrap_or_default();
        let csrf_cookie = cookie(&parts.headers, CSRF_COOKIE).map(str::to_string);
        Ok(Ctx { principal, request_id, lang, csrf_cookie })
    }
}

/// Middleware on every request: finds the caller from a bearer token or session cookie.
/// A bad or expired token is refused at once; a stale session cookie just means anonymous.
pub async fn authenticate(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    match identify(&app, req.headers()).await {
        Ok(principal) => {
            req.extensions_mut().insert(Caller(principal));
            next.run(req).await
        }
        Err(e) => e.into_response(),
    }
}

async fn identify(app: &AppState, headers: &HeaderMap) -> Result<Option<Principal>, ApiError> {
    let now = now_micros();
    if let Some(auth) = headers.get(header::AUTHORIZATION) {
        let token = auth.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let Some(token) = token.filter(|t| t.starts_with(TOKEN_PREFIX)) else {
            return Err(invalid_token());
        };
        let found = app.store().token_principal(&secret_digest(token)).await?;
        let Some((t, user, held)) = found.filter(|(t, u, _)| t.is_live(now) && !u.disabled) else {
            return Err(invalid_token());
        };
        // A token never carries more than its owner holds now.
        let roles = t.role_list().into_iter().filter(|r| held.contains(r)).collect();
        return Ok(Some(Principal { user, roles, via: Via::Token { id: t.id } }));
    }
    let Some(raw) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    let digest = secret_digest(raw);
    let Some((session, user, roles)) =
        app.store().session_principal(&digest, now).await?.filter(|(_, u, _)| !u.disabled)
    else {
        return Ok(None);
    };
    Ok(Some(Principal { user, roles, via: Via::Session { digest, csrf: session.csrf_token } }))
}

fn invalid_token() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::UNAUTHORIZED,
        "invalid_token",
        "API 令牌无效、已过期或已撤销",
        "The API token is invalid, expired or revoked",
    )
}

/// The value of cookie `name` in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, and Secure when configured.
pub fn set_cookie(name: &str, value: &str, max_age_secs: u64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}");
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// A fresh random secret: 32 bytes from the OS generator, base64url.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new API token's raw text, e.g. `gst_…`.
pub fn new_token_secret() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

/// Hashes a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| {
        tracing::error!(error = %e, "password hashing failed");
        ApiError::internal()
    })
}

/// Checks a password against a stored hash; an unreadable hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Spends the same time as a real check, for unknown usernames.
pub fn verify_dummy(password: &str) {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let hash = DUMMY.get_or_init(|| hash_password("dummy password for timing").unwrap_or_default());
    let _ = verify_password(password, hash);
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong horse battery", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; gongshu_session=abc; lang=en"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "lang"), Some("en"));
        assert_eq!(cookie(&h, "b"), None);
    }

    #[test]
    fn tokens_are_long_random_and_prefixed() {
        let a = new_token_secret();
        assert!(a.starts_with("gst_") && a.len() == 4 + 43);
        assert_ne!(a, new_token_secret());
        assert!(
            constant_time_eq(b"abc", b"abc") && !constant_time_eq(b"abc", b"abd") && !constant_time_eq(b"a", b"ab")
        );
    }

    #[test]
    fn session_cookies_are_http_only_and_same_site() {
        let v = set_cookie(SESSION_COOKIE, "x", 60, true);
        assert_eq!(v.to_str().unwrap(), "gongshu_session=x; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
    }
}
