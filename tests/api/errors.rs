//! Bad input: every malformed body gets a clear 4xx, never a crash.

use crate::helpers::{spawn_app, AppOptions, Req};
use serde_json::json;

#[tokio::test]
async fn not_json_is_400_with_detail() {
    let app = spawn_app(AppOptions::default()).await;
    let (status, body) = app
        .post_raw(b"hello there".to_vec(), "application/json")
        .await;
    assert_eq!(status, 400);
    let v: serde_json::Value = serde_json::from_str(&body).expect("json error body");
    assert_eq!(v["error"], "invalid_json");
    assert!(v["detail"].as_str().is_some_and(|d| !d.is_empty()));
    app.stop().await;
}

#[tokio::test]
async fn truncated_body_is_400() {
    let app = spawn_app(AppOptions::default()).await;
    let full = serde_json::to_vec(&Req::launch().at("2026-11-21T19:04:05Z")).expect("ser");
    let (status, body) = app
        .post_raw(full[..full.len() / 2].to_vec(), "application/json")
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("invalid_json"));
    app.stop().await;
}

#[tokio::test]
async fn wrong_type_names_the_field() {
    let app = spawn_app(AppOptions::default()).await;
    let mut env = Req::intent("WhatsOnIntent").at("2026-11-21T19:04:05Z");
    env["request"]["intent"]["slots"] = json!(["not", "a", "map"]);
    let (status, body) = app.post(&env).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"], "invalid_envelope");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.starts_with("request.intent.slots")),
        "{body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn missing_request_and_bad_timestamp_are_named() {
    let app = spawn_app(AppOptions::default()).await;
    let (status, body) = app.post(&json!({"version": "1.0"})).await;
    assert_eq!(status, 400);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("request")),
        "{body}"
    );
    let mut env = Req::launch().at("2026-11-21T19:04:05Z");
    env["request"]["timestamp"] = json!(true);
    let (status, body) = app.post(&env).await;
    assert_eq!(status, 400);
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("request.timestamp")),
        "{body}"
    );
    let (status, _) = app.post(&json!([1, 2, 3])).await;
    assert_eq!(status, 400);
    app.stop().await;
}

#[tokio::test]
async fn oversized_body_is_413() {
    let app = spawn_app(AppOptions::default()).await;
    let mut env = Req::launch().at("2026-11-21T19:04:05Z");
    env["padding"] = json!("x".repeat(300 * 1024));
    let (status, body) = app.post(&env).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"], "body_too_large");
    // Far beyond the limit too (the transport-level cap).
    let (status, _) = app
        .post_raw(vec![b' '; 2 * 1024 * 1024], "application/json")
        .await;
    assert_eq!(status, 413);
    app.stop().await;
}

#[tokio::test]
async fn unicode_heavy_body_is_answered() {
    let app = spawn_app(AppOptions::default()).await;
    let env = Req::intent("PlayLiveIntent")
        .slot("performer", "🎸🔥 Бьёнсе ﷽ e\u{301}\u{202e}evil\u{0}")
        .locale("fr-FR")
        .at("2026-11-21T19:04:05Z");
    let (status, body) = app.post(&env).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["response"]["outputSpeech"].is_object());
    app.stop().await;
}

#[tokio::test]
async fn unknown_request_type_and_unknown_intent_survive() {
    let app = spawn_app(AppOptions::default()).await;
    let mut env = Req::launch().at("2026-11-21T19:04:05Z");
    env["request"]["type"] = json!("Alexa.Presentation.APL.UserEvent");
    let (status, body) = app.post(&env).await;
    assert_eq!(
        (status, body),
        (200, json!({"version": "1.0", "response": {}}))
    );
    let env = Req::intent("SomebodyElse.WeirdIntent").at("2026-11-21T19:04:05Z");
    let (status, body) = app.post(&env).await;
    assert_eq!(status, 200);
    assert_eq!(body["response"]["shouldEndSession"], false);
    app.stop().await;
}
