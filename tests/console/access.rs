//! Who gets in: the admin token, the login cookie, loopback without a token; and `/alexa`
//! keeps verifying requests whatever the console does.

use crate::harness::{anonymous, authed, start, Options, TOKEN};
use reqwest::StatusCode;
use serde_json::json;

/// Every console route, with a body for the ones that take one.
fn routes() -> Vec<(reqwest::Method, &'static str, Option<serde_json::Value>)> {
    use reqwest::Method;
    let talk = json!({"utterance": "what's on tonight", "locale": "en-US"});
    let event = json!({"type": "PlaybackStarted", "token": "t", "locale": "en-US"});
    vec![
        (Method::GET, "/console", None),
        (Method::GET, "/console/", None),
        (Method::GET, "/console/assets/talk.js", None),
        (Method::GET, "/console/assets/console.css", None),
        (Method::POST, "/console/logout", None),
        (Method::GET, "/console/api/info", None),
        (Method::POST, "/console/api/talk", Some(talk)),
        (Method::POST, "/console/api/event", Some(event)),
        (Method::GET, "/console/api/schedule", None),
        (Method::GET, "/console/api/events/demo-radiohead-live", None),
        (Method::GET, "/console/api/stations", None),
        (Method::POST, "/console/api/stations/echo-live/check", None),
        (Method::GET, "/console/api/sources", None),
        (Method::POST, "/console/api/import", None),
        (
            Method::GET,
            "/console/api/listeners/00000000000000000000000000000000",
            None,
        ),
        (
            Method::DELETE,
            "/console/api/listeners/00000000000000000000000000000000",
            None,
        ),
    ]
}

#[tokio::test]
async fn every_console_route_answers_401_without_the_token() {
    let server = start(Options::default()).await;
    let anonymous = anonymous();
    let wrong = reqwest::Client::new();
    // Signing in without the token (no form, an empty one, a wrong one) is a 401 too.
    for form in [
        None,
        Some(""),
        Some("token="),
        Some("token=wrong-token-of-some-length"),
    ] {
        let mut request = anonymous.post(format!("{}/console/login", server.base));
        if let Some(body) = form {
            request = request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(body);
        }
        let response = request.send().await.expect("send");
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{form:?}");
        assert!(response.headers().get("set-cookie").is_none());
    }
    for (method, path, body) in routes() {
        let url = format!("{}{path}", server.base);
        let mut request = anonymous.request(method.clone(), &url);
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await.expect("send");
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path}"
        );
        let mut request = wrong
            .request(method.clone(), &url)
            .bearer_auth(format!("{TOKEN}x"));
        if let Some(body) = &body {
            request = request.json(body);
        }
        let response = request.send().await.expect("send");
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {path} wrong token"
        );
    }
    // The page answers its 401 with the login form; the API with the JSON error.
    let page = anonymous
        .get(format!("{}/console/", server.base))
        .send()
        .await
        .expect("send");
    assert_eq!(page.status(), StatusCode::UNAUTHORIZED);
    assert!(page
        .text()
        .await
        .expect("body")
        .contains("action=\"/console/login\""));
    let api = anonymous
        .get(format!("{}/console/api/info", server.base))
        .send()
        .await
        .expect("send");
    let body: serde_json::Value = api.json().await.expect("json");
    assert_eq!(body["error"], "unauthorized");
}

#[tokio::test]
async fn the_token_opens_every_route() {
    let server = start(Options::default()).await;
    let client = authed();
    for (method, path, body) in routes() {
        let url = format!("{}{path}", server.base);
        let mut request = client.request(method.clone(), &url);
        if let Some(body) = &body {
            request = request.json(body);
        }
        let status = request.send().await.expect("send").status();
        assert_ne!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert!(!status.is_server_error(), "{method} {path}: {status}");
    }
}

#[tokio::test]
async fn the_login_form_sets_a_session_cookie_that_scripts_cannot_read() {
    let server = start(Options::default()).await;
    let client = anonymous();
    let refused = client
        .post(format!("{}/console/login", server.base))
        .form(&[("token", "not-the-token-at-all")])
        .send()
        .await
        .expect("send");
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.headers().get("set-cookie").is_none());
    let ok = client
        .post(format!("{}/console/login", server.base))
        .form(&[("token", TOKEN)])
        .send()
        .await
        .expect("send");
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let cookie = ok
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("a cookie")
        .to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(
        !cookie.contains(TOKEN),
        "the cookie holds a session id, not the token"
    );
    let pair = cookie.split(';').next().expect("name=value").to_string();
    let page = client
        .get(format!("{}/console/", server.base))
        .header("cookie", &pair)
        .send()
        .await
        .expect("send");
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    // A changing request on the cookie alone (what a cross-site form could send) is refused.
    let talk = json!({"utterance": "what's on tonight", "locale": "en-US"});
    let forged = client
        .post(format!("{}/console/api/talk", server.base))
        .header("cookie", &pair)
        .json(&talk)
        .send()
        .await
        .expect("send");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    let ours = client
        .post(format!("{}/console/api/talk", server.base))
        .header("cookie", &pair)
        .header("x-onair-console", "1")
        .json(&talk)
        .send()
        .await
        .expect("send");
    assert_eq!(ours.status(), StatusCode::OK);
    // Signing out ends the session.
    let out = client
        .post(format!("{}/console/logout", server.base))
        .header("cookie", &pair)
        .header("x-onair-console", "1")
        .send()
        .await
        .expect("send");
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let after = client
        .get(format!("{}/console/api/info", server.base))
        .header("cookie", &pair)
        .send()
        .await
        .expect("send");
    assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn without_a_token_the_console_is_open_on_loopback_only() {
    let server = start(Options {
        token: None,
        ..Options::default()
    })
    .await;
    let info = anonymous()
        .get(format!("{}/console/api/info", server.base))
        .send()
        .await
        .expect("send");
    assert_eq!(info.status(), StatusCode::OK);
    let body: serde_json::Value = info.json().await.expect("json");
    assert_eq!(body["token_required"], false);

    // The same settings on a public address build no console at all.
    let mut public = server.settings.clone();
    public.addr = "0.0.0.0:8080".parse().expect("addr");
    let store: std::sync::Arc<dyn onair::store::Store> = server.store.clone();
    let state = onair::service::state_custom(
        &public,
        store.clone(),
        None,
        onair::server::system_clock(),
        crate::harness::offline_client(),
    )
    .expect("state");
    assert!(state.console.is_none());
    public.admin_token = Some(TOKEN.into());
    let state = onair::service::state_custom(
        &public,
        store,
        None,
        onair::server::system_clock(),
        crate::harness::offline_client(),
    )
    .expect("state");
    assert!(
        state.console.is_some(),
        "with a token it is served anywhere"
    );
}

#[tokio::test]
async fn talking_in_the_console_leaves_alexa_verification_on() {
    let server = start(Options {
        verify: true,
        ..Options::default()
    })
    .await;
    let turn = authed()
        .post(format!("{}/console/api/talk", server.base))
        .json(&json!({"utterance": "what's on tonight", "locale": "en-US"}))
        .send()
        .await
        .expect("send");
    assert_eq!(turn.status(), StatusCode::OK);
    let turn: serde_json::Value = turn.json().await.expect("json");
    assert_eq!(
        turn["request"]["request"]["intent"]["name"],
        "WhatsOnIntent"
    );
    // The very request the console ran, posted unsigned to /alexa, is refused.
    for client in [authed(), anonymous()] {
        let posted = client
            .post(format!("{}/alexa", server.base))
            .json(&turn["request"])
            .send()
            .await
            .expect("send");
        assert_eq!(posted.status(), StatusCode::BAD_REQUEST);
        let body: serde_json::Value = posted.json().await.expect("json");
        assert_eq!(body["error"], "verification_failed");
    }
}
