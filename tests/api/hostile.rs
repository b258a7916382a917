//! Floods and hostile input on `/alexa`: huge slot values are refused at the edge while other
//! requests keep flowing, a failing Settings API is skipped by its circuit breaker, and
//! connections are timed out, limited and told when they end.

use crate::helpers::{serve, spawn_app, speech, AppOptions, Req, Running};
use onair::config::Settings;
use onair::store::SledStore;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const NOW: &str = "2026-11-21T19:04:05Z";

/// A server with tweaked settings over the fixture schedule; the store's directory lives as
/// long as the returned guard.
pub async fn start_with(
    tweak: impl FnOnce(&mut Settings),
) -> (Running, Arc<SledStore>, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(SledStore::open(dir.path()).expect("store"));
    onair::import::import_file(
        store.as_ref(),
        &crate::helpers::fixtures_dir().join("schedule.json"),
        &onair::import::ImportOptions::default(),
    )
    .expect("fixture schedule");
    let mut settings = Settings {
        verify: false,
        ..Settings::default()
    };
    tweak(&mut settings);
    let state = onair::service::state_custom(
        &settings,
        store.clone(),
        None,
        onair::server::system_clock(),
        crate::helpers::offline_client(),
    )
    .expect("state");
    (serve(state).await, store, dir)
}

#[tokio::test]
async fn huge_slot_values_are_refused_quickly_while_launches_flow() {
    let app = Arc::new(spawn_app(AppOptions::default()).await);
    let hostile_values = [
        "beyonce ".repeat(30_000),
        "a".repeat(250_000),
        format!("e{}", "\u{301}".repeat(100_000)),
    ];
    let mut hostile = Vec::new();
    for i in 0..4 {
        let app = app.clone();
        let value = hostile_values[i % hostile_values.len()].clone();
        hostile.push(tokio::spawn(async move {
            let mut worst = Duration::ZERO;
            for _ in 0..4 {
                let body = Req::intent("PlayLiveIntent")
                    .slot("performer", &value)
                    .at(NOW);
                let started = Instant::now();
                let (status, answer) = app.post(&body).await;
                worst = worst.max(started.elapsed());
                assert_eq!(status, 400, "{answer}");
                assert_eq!(answer["error"], "invalid_envelope");
            }
            worst
        }));
    }
    let mut slowest_launch = Duration::ZERO;
    for _ in 0..20 {
        let started = Instant::now();
        let (status, body) = app.post(&Req::launch().at(NOW)).await;
        slowest_launch = slowest_launch.max(started.elapsed());
        assert_eq!(status, 200, "{body}");
        assert!(!speech(&body).contains("went wrong"), "{body}");
    }
    for task in hostile {
        let worst = task.await.expect("hostile client");
        assert!(
            worst < Duration::from_secs(1),
            "a hostile request took {worst:?}"
        );
    }
    assert!(
        slowest_launch < Duration::from_secs(1),
        "a launch took {slowest_launch:?}"
    );
    // Odd but bounded slot values get a real answer, not the apology.
    for value in [
        "a".repeat(400),
        format!("e{}", "\u{301}".repeat(300)),
        "the ".repeat(100),
    ] {
        let (status, body) = app
            .post(
                &Req::intent("PlayLiveIntent")
                    .slot("performer", &value)
                    .at(NOW),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(!speech(&body).contains("went wrong"), "{value:?}: {body}");
    }
    if let Ok(app) = Arc::try_unwrap(app) {
        app.stop().await;
    }
}

/// A Settings API that accepts connections and never answers.
async fn silent_settings_api() -> (String, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let app = axum::Router::new().route(
        "/v2/devices/{device}/settings/System.timeZone",
        axum::routing::get(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async {
                tokio::time::sleep(Duration::from_secs(60)).await;
                "\"Asia/Tokyo\""
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (endpoint, calls)
}

#[tokio::test]
async fn a_settings_api_that_never_answers_is_skipped_after_a_few_calls() {
    let (endpoint, calls) = silent_settings_api().await;
    let app = spawn_app(AppOptions::default()).await;
    let mut slow = 0;
    for i in 0..15 {
        let started = Instant::now();
        let body = Req::intent("PlayLiveIntent")
            .slot("performer", "beyonce")
            .api(&endpoint, Some("token"))
            .device(&format!("device-{i}"))
            .at(NOW);
        let (status, answer) = app.post(&body).await;
        assert_eq!(status, 200, "{answer}");
        assert!(speech(&answer).contains("8 PM"), "default zone: {answer}");
        if started.elapsed() > Duration::from_millis(300) {
            slow += 1;
        }
    }
    let seen = calls.load(Ordering::SeqCst);
    assert!(
        seen <= onair::alexa::breaker::FAILURES_TO_OPEN as usize,
        "the fake API saw {seen} calls"
    );
    assert!(slow <= 3, "{slow} requests waited for the API");
    assert!(onair::alexa::breaker::SETTINGS.is_open(&endpoint));
    let metrics = crate::helpers::metrics(&app.base).await;
    assert!(
        metrics.contains("onair_api_calls_total{api=\"settings\",outcome=\"skipped\"}"),
        "{metrics}"
    );
    app.stop().await;
}

/// Reads until the server closes the connection; the time it took.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match tokio::time::timeout(limit, stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => continue,
            Err(_) => return None,
        }
    }
    None
}

#[tokio::test]
async fn slow_and_idle_connections_are_closed_after_the_header_timeout() {
    let (server, _store, _dir) = start_with(|s| s.header_timeout_ms = 600).await;
    let mut idle = TcpStream::connect(server.addr).await.expect("connect");
    let mut slow = TcpStream::connect(server.addr).await.expect("connect");
    let trickle = tokio::spawn(async move {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\n".iter() {
            if slow.write_all(&[*byte]).await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        slow
    });
    let took = closed_within(&mut idle, Duration::from_secs(5)).await;
    assert!(
        took.is_some_and(|t| t < Duration::from_secs(3)),
        "idle: {took:?}"
    );
    let mut slow = trickle.await.expect("trickle");
    let took = closed_within(&mut slow, Duration::from_secs(5)).await;
    assert!(took.is_some(), "the slowloris connection stayed open");
    // A keep-alive connection idle after its answer goes the same way.
    let mut kept = TcpStream::connect(server.addr).await.expect("connect");
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = [0u8; 1024];
    let n = kept.read(&mut buf).await.expect("answer");
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let took = closed_within(&mut kept, Duration::from_secs(5)).await;
    assert!(took.is_some(), "the idle keep-alive connection stayed open");
    let _ = server.stop.send(());
}

#[tokio::test]
async fn at_the_connection_limit_the_longest_idle_makes_room() {
    let (server, _store, _dir) = start_with(|s| s.max_connections = 8).await;
    let mut idle = Vec::new();
    for _ in 0..8 {
        idle.push(TcpStream::connect(server.addr).await.expect("connect"));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let client = reqwest::Client::new();
    for _ in 0..3 {
        let started = Instant::now();
        let r = client
            .get(format!("{}/healthz", server.base))
            .send()
            .await
            .expect("a normal request gets through");
        assert_eq!(r.status(), 200);
        assert!(started.elapsed() < Duration::from_secs(1));
    }
    let took = closed_within(&mut idle[0], Duration::from_secs(3)).await;
    assert!(took.is_some(), "the oldest idle connection was closed");
    let _ = server.stop.send(());
}

#[tokio::test]
async fn an_oversized_body_is_413_with_connection_close() {
    let app = spawn_app(AppOptions {
        body_limit: 4096,
        ..AppOptions::default()
    })
    .await;
    for size in [6_000, 100_000] {
        let r = app
            .client
            .post(format!("{}/alexa", app.base))
            .header("content-type", "application/json")
            .body(vec![b' '; size])
            .send()
            .await
            .expect("post");
        assert_eq!(r.status(), 413, "{size}");
        assert_eq!(r.headers()["connection"], "close", "{size}");
    }
    app.stop().await;
}

#[tokio::test]
async fn the_request_timeout_ends_a_stuck_request_and_frees_its_worker() {
    let (endpoint, _calls) = silent_settings_api().await;
    let (server, _store, _dir) = start_with(|s| {
        s.request_timeout_ms = 200;
        s.skill_workers = 1;
    })
    .await;
    let client = reqwest::Client::new();
    let post = |body: serde_json::Value| {
        client
            .post(format!("{}/alexa", server.base))
            .json(&body)
            .send()
    };
    // Waits on the silent Settings API, longer than the request may take.
    let started = Instant::now();
    let stuck = post(
        Req::intent("PlayLiveIntent")
            .slot("performer", "beyonce")
            .api(&endpoint, Some("token"))
            .at(NOW),
    )
    .await
    .expect("post");
    assert_eq!(stuck.status(), 503);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    // The one worker is free again: the next request is answered.
    let started = Instant::now();
    let next = post(Req::launch().at(NOW)).await.expect("post");
    assert_eq!(next.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let _ = server.stop.send(());
}
