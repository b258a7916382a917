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
/// The stylesheet and the scripts, by the name the page links them with. The scripts are one
/// per panel and share their helpers through `common.js`, loaded first.
const ASSETS: &[(&str, &str, &str)] = &[
    ("console.css", CSS, include_str!("assets/console.css")),
    ("common.js", JS, include_str!("assets/common.js")),
    ("talk.js", JS, include_str!("assets/talk.js")),
    ("player.js", JS, include_str!("assets/player.js")),
    ("schedule.js", JS, include_str!("assets/schedule.js")),
    ("sources.js", JS, include_str!("assets/sources.js")),
    ("listener.js", JS, include_str!("assets/listener.js")),
    ("start.js", JS, include_str!("assets/start.js")),
];
const CSS: &str = "text/css; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";

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

/// `GET /console/assets/{name}`: the stylesheet or a script.
pub(super) async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, content_type, body)) => with_headers(content_type, body),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_links_exactly_the_assets_there_are() {
        for (name, _, body) in ASSETS {
            assert!(!body.is_empty(), "{name}");
            let link = format!("/console/assets/{name}");
            assert!(
                INDEX_HTML.contains(&link),
                "index.html does not load {name}"
            );
        }
        let linked = INDEX_HTML.matches("/console/assets/").count();
        assert_eq!(
            linked,
            ASSETS.len(),
            "index.html links an asset that is not served"
        );
        assert!(!INDEX_HTML.contains("http://") && !INDEX_HTML.contains("https://"));
    }
}
