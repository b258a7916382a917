//! The listener's time zone from the Settings API: fetched once per device, cached, bounded in
//! time, and never a reason to fail.

use crate::helpers::{spawn_app, speech, AppOptions, Req};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Clone)]
struct Fake {
    calls: Arc<AtomicUsize>,
    answer: fn() -> Response,
    delay: Duration,
}

async fn zone(State(fake): State<Fake>) -> Response {
    fake.calls.fetch_add(1, Ordering::SeqCst);
    tokio::time::sleep(fake.delay).await;
    (fake.answer)()
}

async fn fake_settings(answer: fn() -> Response, delay: Duration) -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new()
        .route("/v2/devices/{device}/settings/System.timeZone", get(zone))
        .with_state(Fake {
            calls: calls.clone(),
            answer,
            delay,
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (endpoint, calls)
}

fn tokyo() -> Response {
    ([("content-type", "application/json")], "\"Asia/Tokyo\"").into_response()
}

/// Beyoncé starts at 2026-11-22T20:00:00Z: 5 AM on the 23rd in Tokyo, 8 PM in UTC.
fn beyonce() -> Req {
    Req::intent("PlayLiveIntent").slot("performer", "beyonce")
}

const NOW: &str = "2026-11-21T19:04:05Z";

#[tokio::test]
async fn the_device_zone_is_fetched_once_and_cached_per_device() {
    let (endpoint, calls) = fake_settings(tokyo, Duration::ZERO).await;
    let app = spawn_app(AppOptions::default()).await;
    let (_, first) = app
        .post(&beyonce().api(&endpoint, Some("token-1")).at(NOW))
        .await;
    assert!(speech(&first).contains("tomorrow at 5 AM"), "{first}");
    let (_, again) = app
        .post(&beyonce().api(&endpoint, Some("token-2")).at(NOW))
        .await;
    assert!(speech(&again).contains("tomorrow at 5 AM"), "{again}");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "the second request uses the cache"
    );
    let (_, other) = app
        .post(
            &beyonce()
                .api(&endpoint, Some("token-3"))
                .device("another-device")
                .at(NOW),
        )
        .await;
    assert!(speech(&other).contains("5 AM"), "{other}");
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "each device has its own zone"
    );
    app.stop().await;
}

#[tokio::test]
async fn a_slow_settings_api_falls_back_within_a_second() {
    let (endpoint, _) = fake_settings(tokyo, Duration::from_secs(3)).await;
    let app = spawn_app(AppOptions::default()).await;
    let started = Instant::now();
    let (status, body) = app.post(&beyonce().api(&endpoint, Some("t")).at(NOW)).await;
    let took = started.elapsed();
    assert_eq!(status, 200);
    assert!(took < Duration::from_millis(1_800), "took {took:?}");
    assert!(
        speech(&body).contains("tomorrow at 8 PM"),
        "the default zone (UTC): {body}"
    );
    app.stop().await;
}

#[tokio::test]
async fn no_value_or_garbage_means_the_default_zone() {
    fn no_content() -> Response {
        StatusCode::NO_CONTENT.into_response()
    }
    fn garbage() -> Response {
        (
            [("content-type", "application/json")],
            "\"Mars/Olympus_Mons\"",
        )
            .into_response()
    }
    fn not_json() -> Response {
        "<html>oops</html>".into_response()
    }
    fn unauthorized() -> Response {
        StatusCode::UNAUTHORIZED.into_response()
    }
    for answer in [
        no_content as fn() -> Response,
        garbage,
        not_json,
        unauthorized,
    ] {
        let (endpoint, calls) = fake_settings(answer, Duration::ZERO).await;
        let app = spawn_app(AppOptions {
            timezone: "America/New_York".into(),
            ..AppOptions::default()
        })
        .await;
        let (status, body) = app.post(&beyonce().api(&endpoint, Some("t")).at(NOW)).await;
        assert_eq!(status, 200);
        assert!(
            speech(&body).contains("tomorrow at 3 PM"),
            "New York default: {body}"
        );
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        app.stop().await;
    }
}

#[tokio::test]
async fn without_an_access_token_nothing_is_called() {
    let (endpoint, calls) = fake_settings(tokyo, Duration::ZERO).await;
    let app = spawn_app(AppOptions::default()).await;
    let mut env = beyonce().at(NOW);
    env["context"]["System"]["apiEndpoint"] = serde_json::json!(endpoint);
    let (_, body) = app.post(&env).await;
    assert!(speech(&body).contains("8 PM"), "{body}");
    assert_eq!(calls.load(Ordering::SeqCst), 0);
    app.stop().await;
}
