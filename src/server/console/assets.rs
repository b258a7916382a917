//! The console's page, login form, stylesheet and script, compiled into the binary.
//!
//! Plain files, no build step: what is in `assets/` is what the browser gets. Every answer
//! carries a content security policy that allows scripts and styles from this server only
//! (no inline script), so the page cannot be made to load code from elsewhere.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

/// The login form; `<!--message-->` is replaced by an error after a failed attempt.
pub(super) const LOGIN_HTML: &str = include_str!("assets/login.html");
const INDEX_HTML: &str = include_str!("assets/index.html");
const CONSOLE_CSS: &str = include_str!("assets/console.css");
const CONSOLE_JS: &str = include_str!("assets/console.js");

/// Streams and card images may live on any host the schedule names; code and styles may not.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' https: data:; media-src 'self' http: https:; connect-src 'self'; \
    frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

fn with_headers(content_type: &'static str, body: &'static str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// `GET /console`: to the page, whose relative links need the trailing slash.
pub(super) async fn redirect() -> Redirect {
    Redirect::permanent("/console/")
}

/// `GET /console/`: the page.
pub(super) async fn index() -> Response {
    with_headers("text/html; charset=utf-8", INDEX_HTML)
}

/// `GET /console/assets/{name}`: the stylesheet or the script.
pub(super) async fn asset(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "console.css" => with_headers("text/css; charset=utf-8", CONSOLE_CSS),
        "console.js" => with_headers("text/javascript; charset=utf-8", CONSOLE_JS),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
