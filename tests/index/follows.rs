//! The index follows every change: imports, feed refreshes, admin deletes and station edits are
//! in the very next answer.

use crate::helpers::{options, spawn_app, TOKEN};
use crate::schedule::{concert, import, station, ts};
use axum::http::{header, StatusCode};
use onair::config::SourceConfig;
use onair::import::fetch::feed_client;
use onair::import::refresh::{refresh_once, RefreshStatus};
use onair::store::Store;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

const NOW: &str = "2026-11-21T20:00:00Z";

fn performer(name: &str) -> Value {
    json!({"performer": {"name": "performer", "value": name, "confirmationStatus": "NONE"}})
}

fn station_slot(name: &str) -> Value {
    json!({"station": {"name": "station", "value": name, "confirmationStatus": "NONE"}})
}

/// The stream an answer starts playing, if any.
fn played(raw: &Value) -> Option<String> {
    raw["response"]["directives"]
        .as_array()?
        .iter()
        .find(|d| d["type"] == "AudioPlayer.Play")
        .and_then(|d| d["audioItem"]["stream"]["url"].as_str())
        .map(str::to_string)
}

#[tokio::test]
async fn imports_deletes_and_station_edits_show_at_once() {
    let app = spawn_app(|s| s.admin_token = Some(TOKEN.into())).await;
    let start = ts("2026-11-21T19:00:00Z");
    let stations = vec![station("fip", "Fip"), station("nova", "Nova")];
    import(
        app.store.as_ref(),
        "guide",
        stations.clone(),
        [concert(
            "ev-a",
            "Alpha Session",
            "Anna Alpha",
            "fip",
            start,
            120,
        )],
    );
    let reply = app.whats_on(NOW).await;
    assert!(reply.speech.contains("Alpha Session"), "{}", reply.speech);

    // A second import of the source replaces it: the old event goes, the new one answers.
    import(
        app.store.as_ref(),
        "guide",
        stations,
        [concert(
            "ev-b",
            "Beta Session",
            "Bruno Beta",
            "nova",
            start,
            120,
        )],
    );
    let reply = app.whats_on(NOW).await;
    assert!(reply.speech.contains("Beta Session"), "{}", reply.speech);
    assert!(!reply.speech.contains("Alpha Session"), "{}", reply.speech);
    let play = app
        .intent("PlayLiveIntent", performer("bruno beta"), json!({}), NOW)
        .await;
    assert_eq!(
        played(&play.raw).as_deref(),
        Some("https://streams.example.org/nova/ev-b.m3u8"),
        "{}",
        play.raw
    );

    // An admin delete: the event is gone from listings and from play.
    let r = app
        .client
        .delete(app.url("/admin/events/ev-b"))
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("delete");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let reply = app.whats_on(NOW).await;
    assert!(!reply.speech.contains("Beta Session"), "{}", reply.speech);
    let play = app
        .intent("PlayLiveIntent", performer("bruno beta"), json!({}), NOW)
        .await;
    assert_ne!(
        played(&play.raw).as_deref(),
        Some("https://streams.example.org/nova/ev-b.m3u8"),
        "a deleted event still plays: {}",
        play.raw
    );

    // A station edit: the new name is found at once, by play and by what's on.
    let before = app
        .intent(
            "PlayStationIntent",
            station_slot("radio lumiere"),
            json!({}),
            NOW,
        )
        .await;
    assert_eq!(played(&before.raw), None, "{}", before.raw);
    let r = app
        .client
        .put(app.url("/admin/stations/nova"))
        .bearer_auth(TOKEN)
        .json(
            &json!({"name": "Radio Lumière", "stream_url": "https://lumiere.example.org/live.mp3"}),
        )
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), StatusCode::OK);
    let after = app
        .intent(
            "PlayStationIntent",
            station_slot("radio lumiere"),
            json!({}),
            NOW,
        )
        .await;
    assert_eq!(
        played(&after.raw).as_deref(),
        Some("https://lumiere.example.org/live.mp3"),
        "{}",
        after.raw
    );
    import(
        app.store.as_ref(),
        "later",
        vec![],
        [concert(
            "ev-c",
            "Gamma Session",
            "Carla Gamma",
            "nova",
            start,
            120,
        )],
    );
    let listing = app
        .intent(
            "WhatsOnIntent",
            station_slot("radio lumiere"),
            json!({}),
            NOW,
        )
        .await;
    assert!(
        listing.speech.contains("Gamma Session"),
        "{}",
        listing.speech
    );
    assert!(
        listing.speech.contains("Radio Lumière"),
        "{}",
        listing.speech
    );
    app.stop().await;
}

/// A feed server whose body the test changes.
async fn feed_server(body: Arc<Mutex<Vec<u8>>>) -> std::net::SocketAddr {
    let app = axum::Router::new().route(
        "/guide.json",
        axum::routing::get(move || {
            let body = body.lock().expect("lock").clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], body) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    addr
}

fn feed(id: &str, title: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "stations": [{"id": "feedfm", "name": "Feed FM",
                      "stream_url": "https://streams.example.org/feedfm/live.mp3"}],
        "events": [{"id": id, "title": title, "kind": "concert", "performers": ["Fiona Feed"],
                    "station": "feedfm", "genres": ["folk"],
                    "start": "2026-11-21T19:00:00Z", "end": "2026-11-21T21:00:00Z"}]
    }))
    .expect("json")
}

#[tokio::test]
async fn feed_refreshes_show_at_once() {
    let app = spawn_app(|_| {}).await;
    let body = Arc::new(Mutex::new(feed("feed-1", "First Broadcast")));
    let addr = feed_server(body.clone()).await;
    let source = SourceConfig {
        location: format!("http://{addr}/guide.json"),
        format: Some("json".into()),
        station: None,
        refresh: "1h".into(),
    };
    let store: Arc<dyn Store> = app.store.clone();
    let status = RefreshStatus::default();
    let base = options(NOW);
    let http = feed_client();

    refresh_once(&source, &base, store.clone(), &http, &status).await;
    let reply = app.whats_on(NOW).await;
    assert!(reply.speech.contains("First Broadcast"), "{}", reply.speech);

    *body.lock().expect("lock") = feed("feed-2", "Second Broadcast");
    refresh_once(&source, &base, store, &http, &status).await;
    let reply = app.whats_on(NOW).await;
    assert!(
        reply.speech.contains("Second Broadcast"),
        "{}",
        reply.speech
    );
    assert!(
        !reply.speech.contains("First Broadcast"),
        "{}",
        reply.speech
    );
    app.stop().await;
}
