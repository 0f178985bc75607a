//! Signing in and out, and the language switch.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongshu_domain::account::{THROTTLE_WINDOW_SECS, locked_until, secret_digest};
use gongshu_domain::audit::Outcome;
use gongshu_domain::role::{Permission, allows};
use gongshu_domain::time::now_micros;
use minijinja::context;
use serde::Deserialize;

use super::{PageError, PageResult, render};
use crate::app::AppStateExt;
use crate::auth::{self, CSRF_COOKIE, Ctx, LANG_COOKIE, SESSION_COOKIE, Via, random_secret, set_cookie};
use crate::error::{ApiError, Form, Query};
use crate::i18n::{self, Lang};

#[derive(Debug, Default, Deserialize)]
pub struct NextQuery {
    pub next: Option<String>,
}

/// Only same-site paths are followed after login, never another host.
fn safe_next(next: Option<&str>) -> Option<String> {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.contains('\\')).map(str::to_string)
}

/// The login form. An anonymous visitor gets a CSRF cookie the form must echo.
pub async fn login_page(state: AppStateExt, mut ctx: Ctx, Query(q): Query<NextQuery>) -> PageResult {
    let mut fresh = None;
    if ctx.csrf_cookie.is_none() {
        let token = random_secret();
        ctx.csrf_cookie = Some(token.clone());
        fresh = Some(token);
    }
    let mut response =
        render(&state, &ctx, "login.html", context! { next => safe_next(q.next.as_deref()), error => None::<String> })?;
    if let Some(token) = fresh {
        response
            .headers_mut()
            .append(header::SET_COOKIE, set_cookie(CSRF_COOKIE, &token, 86_400, state.settings().cookie_secure));
    }
    Ok(response)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginForm {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub csrf: String,
    pub next: Option<String>,
}

/// Checks the password (argon2id), with throttling after repeated failures; every
/// attempt is a decision and goes into the audit log.
pub async fn login(state: AppStateExt, ctx: Ctx, Form(f): Form<LoginForm>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    let store = state.store();
    let name = f.username.trim().to_ascii_lowercase();
    let now = now_micros();
    let now_secs = now / 1_000_000;
    let failures = store.login_failures_since(&name, (now_secs - THROTTLE_WINDOW_SECS) * 1_000_000).await?;
    let failure_secs: Vec<i64> = failures.iter().map(|t| t / 1_000_000).collect();
    let audit = |outcome: Outcome, why: &str| {
        ctx.actor()
            .event("auth.login", format!("user:{name}"))
            .outcome(outcome)
            .detail(serde_json::json!({ "reason": why }))
    };
    if let Some(until) = locked_until(&failure_secs, now_secs) {
        store.append(&audit(Outcome::Denied, "throttled")).await?;
        let minutes = (until - now_secs + 59) / 60;
        return Err(PageError(ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "login_throttled",
            format!("登录失败次数过多，请 {minutes} 分钟后再试"),
            format!("Too many failed sign-ins; try again in {minutes} minutes"),
        )));
    }
    let user = store.user_by_name(&name).await?.filter(|u| !u.disabled);
    let ok = match &user {
        Some(u) => match store.password_hash(u.id).await? {
            Some(hash) => auth::verify_password(&f.password, &hash),
            None => false,
        },
        None => {
            auth::verify_dummy(&f.password);
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        store.record_login_failure(&name, now).await?;
        store.append(&audit(Outcome::Failure, "wrong username or password")).await?;
        let message = i18n::text(ctx.lang, "login.failed");
        let mut page = render(
            &state,
            &ctx,
            "login.html",
            context! { next => safe_next(f.next.as_deref()), error => message, username => name },
        )?;
        *page.status_mut() = StatusCode::UNAUTHORIZED;
        return Ok(page);
    };
    store.clear_login_failures(&name).await?;
    let raw = random_secret();
    let ttl = state.settings().session_ttl;
    let expires = now + i64::try_from(ttl.as_micros()).unwrap_or(i64::MAX / 2);
    store.create_session(&secret_digest(&raw), user.id, &random_secret(), expires).await?;
    store.append(&audit(Outcome::Success, "password")).await?;
    let roles = store.roles(user.id).await?;
    let home = if allows(&roles, Permission::ConsoleAccess) { "/console" } else { "/" };
    let target = safe_next(f.next.as_deref()).unwrap_or_else(|| home.to_string());
    let mut response = Redirect::to(&target).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, &raw, ttl.as_secs(), state.settings().cookie_secure));
    Ok(response)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

/// Ends the session.
pub async fn logout(state: AppStateExt, ctx: Ctx, Form(f): Form<CsrfOnly>) -> PageResult {
    ctx.check_csrf(&f.csrf)?;
    if let Some(Via::Session { digest, .. }) = ctx.principal.as_ref().map(|p| &p.via) {
        state.store().delete_session(digest).await?;
        let who = format!("user:{}", ctx.principal.as_ref().map(|p| p.user.username.as_str()).unwrap_or(""));
        state.store().append(&ctx.actor().event("auth.logout", who)).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", 0, state.settings().cookie_secure));
    Ok(response)
}

#[derive(Debug, Deserialize)]
pub struct LangQuery {
    pub to: String,
    pub next: Option<String>,
}

/// Switches the interface language and goes back.
pub async fn switch_lang(state: AppStateExt, headers: HeaderMap, Query(q): Query<LangQuery>) -> Response {
    let lang = Lang::parse(&q.to).unwrap_or_default();
    let back = safe_next(q.next.as_deref()).or_else(|| {
        headers
            .get(header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.find("://").and_then(|i| r[i + 3..].find('/').map(|j| r[i + 3 + j..].to_string())))
    });
    let mut response = Redirect::to(&back.unwrap_or_else(|| "/".into())).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(LANG_COOKIE, lang.code(), 365 * 86_400, state.settings().cookie_secure));
    response
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(super::safe_next(Some("/console/users")), Some("/console/users".into()));
        assert_eq!(super::safe_next(Some("//evil.example")), None);
        assert_eq!(super::safe_next(Some("https://evil.example")), None);
        assert_eq!(super::safe_next(Some("/\\evil")), None);
        assert_eq!(super::safe_next(None), None);
    }
}
