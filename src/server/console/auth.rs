//! Who may use the console.
//!
//! With an admin token configured, a request is let in when it carries either
//! `Authorization: Bearer <token>` (scripts, tests) or the session cookie the login form sets.
//! The cookie, not `sessionStorage`, because the page and its assets are protected too and a
//! page load cannot carry a bearer header; the cookie is `HttpOnly` (no script, injected or
//! not, can read it), `SameSite=Strict` and scoped to `/console`, and holds a random session
//! id, never the token. Changing requests authenticated by the cookie must also carry the
//! `X-Onair-Console` header, which a cross-site form cannot send. Refusals are 401: JSON for
//! the API, the login form for the page.
//!
//! Without a token the console is only built on a loopback address (see
//! [`super::ConsoleState::from_settings`]) and every request is let in.

use super::ConsoleState;
use crate::server::error::HttpError;
use axum::extract::rejection::FormRejection;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use rand::Rng;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// Name of the session cookie.
const COOKIE: &str = "onair_console";
/// How long a login lasts.
const SESSION_TTL: Duration = Duration::from_secs(12 * 3600);
/// Sessions kept at most; the oldest go first.
const MAX_SESSIONS: usize = 256;
/// The header changing requests authenticated by cookie must carry.
pub(super) const CSRF_HEADER: &str = "x-onair-console";

/// The token's digest and the open login sessions.
pub(super) struct Access {
    token_digest: Option<[u8; 32]>,
    secure_cookie: bool,
    /// Digest of a session id → when it expires.
    sessions: Mutex<HashMap<[u8; 32], Instant>>,
}

fn digest(raw: &str) -> [u8; 32] {
    Sha256::digest(raw.as_bytes()).into()
}

impl Access {
    /// Access for `token` (`None`: open, loopback only); `secure` marks the cookie HTTPS-only.
    pub(super) fn new(token: Option<&str>, secure: bool) -> Self {
        Self {
            token_digest: token.map(digest),
            secure_cookie: secure,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// Whether a token is needed at all.
    pub(super) fn token_required(&self) -> bool {
        self.token_digest.is_some()
    }

    fn accepts_token(&self, presented: &str) -> bool {
        match &self.token_digest {
            Some(expected) => digest(presented).ct_eq(expected).into(),
            None => true,
        }
    }

    fn open_session(&self) -> Option<String> {
        let bytes: [u8; 32] = rand::rng().random();
        let id = hex::encode(bytes);
        let now = Instant::now();
        let mut sessions = self.sessions.lock().ok()?;
        sessions.retain(|_, expires| *expires > now);
        while sessions.len() >= MAX_SESSIONS {
            let oldest = sessions.iter().min_by_key(|(_, e)| **e).map(|(k, _)| *k)?;
            sessions.remove(&oldest);
        }
        sessions.insert(digest(&id), now + SESSION_TTL);
        Some(id)
    }

    fn accepts_session(&self, id: &str) -> bool {
        let Ok(sessions) = self.sessions.lock() else {
            return false;
        };
        sessions
            .get(&digest(id))
            .is_some_and(|expires| *expires > Instant::now())
    }

    fn close_session(&self, id: &str) {
        if let Ok(mut sessions) = self.sessions.lock() {
            sessions.remove(&digest(id));
        }
    }

    fn cookie(&self, value: &str, max_age: u64) -> Option<HeaderValue> {
        let secure = if self.secure_cookie { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{COOKIE}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        ))
        .ok()
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
}

fn session_cookie(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
}

/// How a request proved who it is.
#[derive(Debug, PartialEq, Eq)]
enum Proof {
    /// No token is configured (loopback only).
    Open,
    /// The bearer token.
    Token,
    /// The login cookie.
    Cookie,
}

fn proof(access: &Access, headers: &HeaderMap) -> Option<Proof> {
    if !access.token_required() {
        return Some(Proof::Open);
    }
    if bearer(headers).is_some_and(|t| access.accepts_token(t)) {
        return Some(Proof::Token);
    }
    if session_cookie(headers).is_some_and(|id| access.accepts_session(id)) {
        return Some(Proof::Cookie);
    }
    None
}

/// Lets a request through, or answers 401 (the login form for pages, JSON for the API).
pub(super) async fn require(
    State(console): State<ConsoleState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    match proof(&console.access, request.headers()) {
        Some(Proof::Cookie)
            if request.method() != Method::GET
                && request.method() != Method::HEAD
                && !request.headers().contains_key(CSRF_HEADER) =>
        {
            tracing::info!(path = %path, "console request refused: cookie without the console header");
            HttpError::Unauthorized.into_response()
        }
        Some(_) => next.run(request).await,
        None => {
            tracing::info!(path = %path, "console request refused: missing or wrong token");
            if path.starts_with("/console/api/") || path.starts_with("/console/assets/") {
                HttpError::Unauthorized.into_response()
            } else {
                login_page(StatusCode::UNAUTHORIZED, None)
            }
        }
    }
}

/// The login form, with a message after a failed attempt.
fn login_page(status: StatusCode, message: Option<&str>) -> Response {
    let message = message
        .map(|m| format!(r#"<p class="error" role="alert">{m}</p>"#))
        .unwrap_or_default();
    let page = super::assets::LOGIN_HTML.replace("<!--message-->", &message);
    let mut response = (status, Html(page)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    response
}

/// The login form's fields.
#[derive(Deserialize)]
pub(super) struct Login {
    token: String,
}

/// `POST /console/login`: a right token opens a session (cookie) and goes to the console.
pub(super) async fn login(
    State(console): State<ConsoleState>,
    form: Result<Form<Login>, FormRejection>,
) -> Response {
    let access = &console.access;
    if !access.token_required() {
        return redirect_home(None);
    }
    // No form, or one without the token, is a sign-in without the token: 401 like the rest.
    let Ok(Form(form)) = form else {
        return login_page(StatusCode::UNAUTHORIZED, Some("Enter the admin token."));
    };
    if form.token.len() > 1024 || !access.accepts_token(form.token.trim()) {
        tracing::info!("console login refused: wrong token");
        return login_page(
            StatusCode::UNAUTHORIZED,
            Some("That token is not the admin token."),
        );
    }
    let Some(id) = access.open_session() else {
        return HttpError::Internal.into_response();
    };
    tracing::info!("console login");
    redirect_home(access.cookie(&id, SESSION_TTL.as_secs()))
}

/// `POST /console/logout`: ends the session of the cookie.
pub(super) async fn logout(State(console): State<ConsoleState>, headers: HeaderMap) -> Response {
    if let Some(id) = session_cookie(&headers) {
        console.access.close_session(id);
    }
    redirect_home(console.access.cookie("", 0))
}

fn redirect_home(cookie: Option<HeaderValue>) -> Response {
    let mut response = (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static("/console/"))],
    )
        .into_response();
    if let Some(cookie) = cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, HeaderValue::from_str(value).expect("header"));
        }
        h
    }

    #[test]
    fn tokens_and_sessions_are_checked() {
        let access = Access::new(Some("a-long-admin-token-1234"), false);
        assert_eq!(proof(&access, &headers(&[])), None);
        let good = headers(&[("authorization", "Bearer a-long-admin-token-1234")]);
        assert_eq!(proof(&access, &good), Some(Proof::Token));
        let bad = headers(&[("authorization", "Bearer a-long-admin-token-123")]);
        assert_eq!(proof(&access, &bad), None);
        let id = access.open_session().expect("session");
        let cookie = format!("other=1; {COOKIE}={id}");
        assert_eq!(
            proof(&access, &headers(&[("cookie", &cookie)])),
            Some(Proof::Cookie)
        );
        let forged = format!("{COOKIE}={}", "0".repeat(64));
        assert_eq!(proof(&access, &headers(&[("cookie", &forged)])), None);
        access.close_session(&id);
        assert_eq!(proof(&access, &headers(&[("cookie", &cookie)])), None);
    }

    #[test]
    fn without_a_token_everything_is_open() {
        let access = Access::new(None, false);
        assert_eq!(proof(&access, &headers(&[])), Some(Proof::Open));
    }

    #[test]
    fn the_cookie_is_http_only_and_scoped() {
        let access = Access::new(Some("a-long-admin-token-1234"), true);
        let cookie = access.cookie("abc", 60).expect("cookie");
        let text = cookie.to_str().expect("ascii");
        for part in ["HttpOnly", "SameSite=Strict", "Path=/console", "Secure"] {
            assert!(text.contains(part), "{text} lacks {part}");
        }
    }

    #[test]
    fn sessions_are_capped() {
        let access = Access::new(Some("a-long-admin-token-1234"), false);
        for _ in 0..MAX_SESSIONS + 10 {
            access.open_session().expect("session");
        }
        assert!(access.sessions.lock().expect("lock").len() <= MAX_SESSIONS);
    }
}
