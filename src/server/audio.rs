//! The demo's sample audio, served so the whole loop works offline: the sample files, and a
//! looping live stream whose ICY title follows the demo schedule.

use super::AppState;
use crate::player::demo_stream::{icy_mp3_stream, STATION_NAME};
use crate::schedule::EventKind;
use crate::store::Store;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use serde::Deserialize;

/// The file the live stream loops.
pub const LIVE_SOURCE: &str = "concert.mp3";

/// Audio bytes between ICY metadata blocks. Icecast's usual 16000 would delay the first title
/// by four seconds of this 32 kbit/s sample; 8192 shows it after about two.
const METAINT: usize = 8192;

fn content_type(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "mp3" => "audio/mpeg",
        "ogg" => "audio/ogg",
        "flac" => "audio/flac",
        "wav" => "audio/wav",
        "aac" => "audio/aac",
        "m4a" => "audio/mp4",
        _ => return None,
    })
}

/// `GET /audio/{file}`: a file of the audio directory. Names are checked so nothing outside the
/// directory can be read.
pub(super) async fn file(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    let safe = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        && !name.starts_with('.');
    let (Some(dir), true, Some(ct)) = (&state.audio_dir, safe, content_type(&name)) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match tokio::fs::read(dir.join(&name)).await {
        Ok(bytes) => ([(header::CONTENT_TYPE, ct)], Body::from(bytes)).into_response(),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Query of the live stream.
#[derive(Debug, Deserialize)]
pub(super) struct LiveQuery {
    /// The station the stream stands for; its schedule gives the title.
    station: Option<String>,
}

/// `GET /audio/live.mp3[?station=<id>]`: the concert sample looped forever at its own bitrate,
/// Icecast-style, so players (and a real device) treat it as live radio. The ICY title is read
/// from the store at each metadata point: the event live on the station now, else the station's
/// name (without a station: any concert live now, else the demo's station name).
pub(super) async fn live(
    State(state): State<AppState>,
    Query(query): Query<LiveQuery>,
    headers: HeaderMap,
) -> Response {
    let Some(dir) = &state.audio_dir else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let station = query.station.filter(|s| !s.is_empty() && s.len() <= 200);
    let Ok(mp3) = tokio::fs::read(dir.join(LIVE_SOURCE)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let skill = state.skill.clone();
    let title = move || live_title(skill.store(), station.as_deref(), Timestamp::now());
    icy_mp3_stream(&headers, mp3.into(), METAINT, title, true)
}

/// The ICY title of the live stream at `now`. Store failures fall back to a name rather than
/// breaking the stream: a listener should keep hearing audio.
pub fn live_title(store: &dyn Store, station: Option<&str>, now: Timestamp) -> String {
    let live = store.live_at(now).unwrap_or_default();
    match station {
        Some(id) => live
            .iter()
            .find(|e| e.station.as_ref().is_some_and(|s| s.as_str() == id))
            .map(|e| e.title.clone())
            .or_else(|| store.station(id).ok().flatten().map(|s| s.name))
            .unwrap_or_else(|| STATION_NAME.to_string()),
        None => live
            .iter()
            .find(|e| e.kind == EventKind::Concert)
            .map(|e| e.title.clone())
            .unwrap_or_else(|| STATION_NAME.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SledStore;

    fn demo_store(now: Timestamp) -> (tempfile::TempDir, SledStore) {
        let dir = tempfile::tempdir().expect("tmp");
        let store = SledStore::open(dir.path()).expect("store");
        let batch = crate::demo::schedule(now, &jiff::tz::TimeZone::UTC, "http://127.0.0.1:8080")
            .expect("demo");
        store.import(batch, false).expect("import");
        (dir, store)
    }

    #[test]
    fn title_follows_the_schedule() {
        let now: Timestamp = "2026-11-21T19:04:05Z".parse().expect("ts");
        let (_dir, store) = demo_store(now);
        assert_eq!(
            live_title(&store, Some("echo-live"), now),
            "Radiohead live at Glastonbury"
        );
        assert_eq!(live_title(&store, Some("jazz-cellar"), now), "Jazz Cellar");
        assert_eq!(
            live_title(&store, None, now),
            "Radiohead live at Glastonbury"
        );
        assert_eq!(live_title(&store, Some("nowhere"), now), STATION_NAME);
        let much_later: Timestamp = "2027-06-01T00:00:00Z".parse().expect("ts");
        assert_eq!(live_title(&store, None, much_later), STATION_NAME);
    }

    /// The router of `serve --demo` over a demo store seeded for now.
    fn demo_app() -> (tempfile::TempDir, axum::Router) {
        let (dir, store) = demo_store(Timestamp::now());
        let settings = crate::config::Settings {
            demo: true,
            verify: false,
            ..crate::config::Settings::default()
        };
        let state = crate::service::state(&settings, std::sync::Arc::new(store)).expect("state");
        (dir, super::super::app(state))
    }

    async fn get(app: &axum::Router, uri: &str, icy: bool) -> Response {
        use tower::ServiceExt;
        let mut request = axum::http::Request::get(uri);
        if icy {
            request = request.header("icy-metadata", "1");
        }
        let request = request.body(Body::empty()).expect("request");
        app.clone().oneshot(request).await.expect("infallible")
    }

    #[tokio::test]
    async fn files_are_served_and_nothing_outside_the_directory() {
        let (_dir, app) = demo_app();
        let ok = get(&app, "/audio/jingle.mp3", false).await;
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()[header::CONTENT_TYPE], "audio/mpeg");
        for uri in [
            "/audio/..%2FCargo.toml",
            "/audio/%2E%2E%2FCargo.toml",
            "/audio/.hidden.mp3",
            "/audio/LICENSE",
            "/audio/missing.mp3",
        ] {
            assert_eq!(
                get(&app, uri, false).await.status(),
                StatusCode::NOT_FOUND,
                "{uri}"
            );
        }
    }

    #[tokio::test]
    async fn the_live_stream_carries_the_schedule_as_icy_title() {
        use futures::StreamExt;
        let (_dir, app) = demo_app();
        let response = get(&app, "/audio/live.mp3?station=echo-live", true).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["icy-metaint"], "8192");
        let mut body = response.into_body().into_data_stream();
        let mut bytes = Vec::new();
        // The first metadata block follows the first METAINT audio bytes.
        while bytes.len() < METAINT + 1 + 16 * 4 {
            let chunk = body.next().await.expect("endless").expect("chunk");
            bytes.extend_from_slice(&chunk);
        }
        let len = usize::from(bytes[METAINT]) * 16;
        let block = String::from_utf8_lossy(&bytes[METAINT + 1..METAINT + 1 + len]);
        assert!(
            block.starts_with("StreamTitle='Radiohead live at Glastonbury';"),
            "{block}"
        );
    }

    #[test]
    fn only_audio_names_are_served() {
        assert_eq!(content_type("a.mp3"), Some("audio/mpeg"));
        assert_eq!(content_type("notes.txt"), None);
        assert_eq!(content_type("noext"), None);
    }
}
