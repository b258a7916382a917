//! Background refresh against a loopback feed server: conditional GET, failures that keep
//! the old data, status records, shutdown; and nested playlists fetched over HTTP.

use crate::helpers::{data, options};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use onair::config::SourceConfig;
use onair::import::fetch::{feed_client, import_location, LocationOutcome, Validators};
use onair::import::refresh::{refresh_once, spawn_refresh, RefreshStatus};
use onair::store::{SledStore, Store};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the feed server answers.
#[derive(Clone)]
struct Feed {
    body: Arc<Mutex<(String, Vec<u8>, StatusCode)>>,
    hits: Arc<Mutex<Vec<StatusCode>>>,
}

impl Feed {
    fn set(&self, etag: &str, body: Vec<u8>, status: StatusCode) {
        *self.body.lock().expect("lock") = (etag.to_string(), body, status);
    }

    fn hits(&self) -> Vec<StatusCode> {
        self.hits.lock().expect("lock").clone()
    }
}

async fn serve_feed(State(feed): State<Feed>, headers: HeaderMap) -> Response {
    let (etag, body, status) = feed.body.lock().expect("lock").clone();
    let answer = if status != StatusCode::OK {
        status.into_response()
    } else if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::ETAG, etag)], body).into_response()
    };
    feed.hits.lock().expect("lock").push(answer.status());
    answer
}

async fn feed_server(feed: Feed) -> std::net::SocketAddr {
    let app = axum::Router::new()
        .route("/guide.xml", axum::routing::get(serve_feed))
        .with_state(feed);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

#[tokio::test]
async fn refresh_is_conditional_and_keeps_the_old_data_on_failure() {
    let guide = std::fs::read(data("guide.xml")).expect("read");
    let feed = Feed {
        body: Arc::new(Mutex::new(("\"v1\"".into(), guide.clone(), StatusCode::OK))),
        hits: Arc::default(),
    };
    let addr = feed_server(feed.clone()).await;
    let location = format!("http://{addr}/guide.xml");
    let source = SourceConfig {
        location: location.clone(),
        format: None,
        station: None,
        refresh: "1h".into(),
    };
    let store = Arc::new(SledStore::temporary().expect("store"));
    let dyn_store: Arc<dyn Store> = store.clone();
    let status = RefreshStatus::default();
    let base = options("2026-10-24T18:30:00Z");
    let http = feed_client();
    let run = || refresh_once(&source, &base, dyn_store.clone(), &http, &status);

    run().await;
    let s = status.get(&location).expect("status");
    assert_eq!(s.last_success.as_ref().map(|x| x.summary.added), Some(10));
    assert_eq!(s.source.as_deref(), Some(location.as_str()));
    let events = store.event_count().expect("count");

    // Unchanged: the server answers 304 to the ETag and nothing is imported.
    run().await;
    assert_eq!(feed.hits(), vec![StatusCode::OK, StatusCode::NOT_MODIFIED]);
    assert!(status
        .get(&location)
        .expect("status")
        .last_not_modified
        .is_some());

    // Failing, then malformed: the failure is recorded, the data stays.
    feed.set("\"v2\"", Vec::new(), StatusCode::INTERNAL_SERVER_ERROR);
    run().await;
    let s = status.get(&location).expect("status");
    assert!(
        s.last_failure
            .as_ref()
            .expect("failure")
            .error
            .contains("500"),
        "{s:?}"
    );
    feed.set("\"v3\"", guide[..guide.len() / 2].to_vec(), StatusCode::OK);
    run().await;
    let s = status.get(&location).expect("status");
    assert!(
        s.last_failure
            .as_ref()
            .expect("failure")
            .error
            .contains("line"),
        "{s:?}"
    );
    assert_eq!(store.event_count().expect("count"), events);
    assert!(store
        .event("nova.fr-20261024T180000Z")
        .expect("read")
        .is_some());

    // Changed: the vanished programme goes.
    let text = String::from_utf8(guide).expect("utf-8");
    let start = text
        .find("<programme start=\"2026102421\"")
        .expect("jazz night");
    let end = start + text[start..].find("</programme>").expect("end") + "</programme>".len();
    feed.set(
        "\"v4\"",
        format!("{}{}", &text[..start], &text[end..]).into_bytes(),
        StatusCode::OK,
    );
    run().await;
    let s = status.get(&location).expect("status");
    assert_eq!(s.last_success.as_ref().map(|x| x.summary.removed), Some(1));
    assert_eq!(store.event_count().expect("count"), events - 1);
}

#[tokio::test]
async fn refresh_tasks_run_per_source_and_stop_on_shutdown() {
    let dir = tempfile::tempdir().expect("tmp");
    let local = dir.path().join("guide.xml");
    std::fs::copy(data("guide.xml"), &local).expect("copy");
    let feed = Feed {
        body: Arc::new(Mutex::new((
            "\"p1\"".into(),
            std::fs::read(data("podcast.xml")).expect("read"),
            StatusCode::OK,
        ))),
        hits: Arc::default(),
    };
    let addr = feed_server(feed.clone()).await;
    let sources = vec![
        SourceConfig {
            location: local.display().to_string(),
            format: Some("xmltv".into()),
            station: None,
            refresh: "1s".into(),
        },
        SourceConfig {
            location: format!("http://{addr}/guide.xml"),
            format: Some("rss".into()),
            station: None,
            refresh: "1s".into(),
        },
    ];
    let store = Arc::new(SledStore::temporary().expect("store"));
    let status = RefreshStatus::default();
    let stop = tokio_util::sync::CancellationToken::new();
    let task = spawn_refresh(
        sources,
        options("2026-10-24T18:30:00Z"),
        store.clone(),
        feed_client(),
        status.clone(),
        stop.clone(),
    );
    // Two rounds each: the file is not re-read, the URL answers 304.
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let s = status.snapshot();
            if s.len() == 2 && s.iter().all(|x| x.last_not_modified.is_some()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("both sources refreshed twice");
    assert_eq!(store.event_count().expect("count"), 7);
    assert_eq!(
        store
            .episodes_of_show("Jazz Notes", 10)
            .expect("episodes")
            .len(),
        3
    );
    stop.cancel();
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("stopped")
        .expect("join");
    let hits = feed.hits().len();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(feed.hits().len(), hits, "no request after shutdown");
}

#[tokio::test]
async fn nested_playlists_are_fetched_over_http() {
    let app = axum::Router::new()
        .route(
            "/lists/chain.pls",
            axum::routing::get(|| async {
                "[playlist]\nFile1=nova.m3u\nTitle1=Radio Nova\nFile2=/lists/loop.pls\nFile3=/lists/hls.m3u8\nTitle3=HLS Radio\n"
            }),
        )
        .route(
            "/lists/nova.m3u",
            axum::routing::get(|| async { "#EXTM3U\nhttps://stream.nova.example/live.mp3\n" }),
        )
        .route(
            "/lists/loop.pls",
            axum::routing::get(|| async { "[playlist]\nFile1=/lists/loop.pls\n" }),
        )
        .route(
            "/lists/hls.m3u8",
            axum::routing::get(|| async {
                "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nsegment1.ts\n"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });

    let store: Arc<dyn Store> = Arc::new(SledStore::temporary().expect("store"));
    let outcome = import_location(
        store.clone(),
        &format!("http://{addr}/lists/chain.pls"),
        onair::import::ImportOptions {
            follow_playlists: true,
            ..options("2026-10-24T18:30:00Z")
        },
        &feed_client(),
        &Validators::default(),
        None,
    )
    .await
    .expect("import");
    let LocationOutcome::Imported { report, .. } = outcome else {
        panic!("expected an import");
    };
    assert_eq!(report.summary.added, 2, "{report:?}");
    let nova = store.station("radio-nova").expect("read").expect("nova");
    assert_eq!(
        nova.stream_url.as_ref().map(|u| u.as_str()),
        Some("https://stream.nova.example/live.mp3")
    );
    let hls = store.station("hls-radio").expect("read").expect("hls");
    assert_eq!(
        hls.stream_url.as_ref().map(|u| u.as_str().to_string()),
        Some(format!("http://{addr}/lists/hls.m3u8"))
    );
    assert!(
        report
            .rejected
            .iter()
            .any(|r| r.reason.contains("nested more than 3")),
        "{:?}",
        report.rejected
    );
}
