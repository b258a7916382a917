//! The demo ICY stream, checked byte by byte at the HTTP layer.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use futures::StreamExt;

use super::super::demo_stream::{icy_mp3_stream, STATION_NAME};
use super::support::{assert_streams_released, audio_bytes, Server};

fn icy_request() -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("icy-metadata", HeaderValue::from_static("1"));
    headers
}

/// Collects at least `len` body bytes.
async fn first_bytes(response: Response, len: usize) -> Vec<u8> {
    let mut stream = response.into_body().into_data_stream();
    let mut out = Vec::new();
    while out.len() < len {
        let chunk = stream.next().await.expect("endless stream").expect("chunk");
        out.extend_from_slice(&chunk);
    }
    out
}

fn header<'a>(response: &'a Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn metadata_blocks_sit_exactly_every_metaint_bytes() {
    // concert.mp3 has no tags and no Xing frame: the loop is the whole file.
    let mp3 = audio_bytes("concert.mp3");
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let title = move || format!("Song {}", counter.fetch_add(1, Ordering::SeqCst) / 2 + 1);
    let response = icy_mp3_stream(&icy_request(), mp3.clone(), 1000, title, false);
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(header(&response, "content-type"), Some("audio/mpeg"));
    assert_eq!(header(&response, "icy-metaint"), Some("1000"));
    assert_eq!(header(&response, "icy-name"), Some(STATION_NAME));
    assert_eq!(header(&response, "icy-br"), Some("32"));

    let body = first_bytes(response, 4 * 1000 + 200).await;
    let mut pos = 0;
    let mut audio = Vec::new();
    let mut blocks = Vec::new();
    while pos + 1000 < body.len() {
        audio.extend_from_slice(&body[pos..pos + 1000]);
        let len = usize::from(body[pos + 1000]) * 16;
        let text = String::from_utf8_lossy(&body[pos + 1001..pos + 1001 + len]);
        blocks.push(text.trim_end_matches('\0').to_owned());
        pos += 1001 + len;
    }
    assert_eq!(
        audio[..],
        mp3[..audio.len()],
        "audio between blocks is the file, in order"
    );
    // The title changes every second call: new text, then an empty block.
    assert_eq!(
        blocks[..4],
        ["StreamTitle='Song 1';", "", "StreamTitle='Song 2';", ""]
    );
}

#[tokio::test]
async fn without_icy_request_the_stream_is_plain_looping_audio() {
    let mp3 = audio_bytes("concert.mp3");
    let response = icy_mp3_stream(&HeaderMap::new(), mp3.clone(), 1000, String::new, false);
    assert_eq!(header(&response, "icy-metaint"), None);
    let body = first_bytes(response, mp3.len() + 500).await;
    assert_eq!(body[..mp3.len()], mp3[..]);
    assert_eq!(
        body[mp3.len()..mp3.len() + 500],
        mp3[..500],
        "loops seamlessly"
    );
}

#[tokio::test]
async fn tags_are_not_looped_and_non_mp3_is_refused() {
    let mut tagged = b"ID3\x04\x00\x00\x00\x00\x00\x0aTIT2xxxxxx".to_vec();
    let jingle = audio_bytes("jingle.mp3");
    tagged.extend_from_slice(&jingle);
    tagged.extend_from_slice(b"TAG trailing id3v1 junk");
    let response = icy_mp3_stream(&HeaderMap::new(), tagged.into(), 0, String::new, false);
    let body = first_bytes(response, 2 * jingle.len()).await;
    // jingle.mp3 is whole frames only, so the loop is exactly the file again.
    assert_eq!(body[..jingle.len()], jingle[..]);
    assert_eq!(body[jingle.len()..2 * jingle.len()], jingle[..]);

    let response = icy_mp3_stream(&icy_request(), "not audio".into(), 1000, String::new, true);
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn paced_stream_never_runs_ahead_of_its_bitrate() {
    let mp3 = audio_bytes("concert.mp3"); // ~4000 bytes/s
    let response = icy_mp3_stream(&HeaderMap::new(), mp3, 0, String::new, true);
    let mut stream = response.into_body().into_data_stream();
    let start = Instant::now();
    let mut received = 0usize;
    while start.elapsed() < Duration::from_millis(1500) {
        match tokio::time::timeout(Duration::from_millis(200), stream.next()).await {
            Ok(Some(chunk)) => received += chunk.expect("chunk").len(),
            Ok(None) => panic!("stream ended"),
            Err(_) => {}
        }
    }
    let elapsed = start.elapsed().as_secs_f64();
    // One second of burst, then real time, plus at most one 100 ms chunk.
    let max = 4000.0 * (1.0 + elapsed) + 500.0;
    assert!(
        (received as f64) <= max,
        "{received} bytes in {elapsed:.2} s"
    );
    assert!(
        (received as f64) >= 4000.0 * 1.5,
        "{received} bytes in {elapsed:.2} s"
    );
}

#[test]
fn client_disconnect_drops_the_stream() {
    let alive = Arc::new(());
    let in_stream = alive.clone();
    let mp3 = audio_bytes("concert.mp3");
    let app = Router::new().route(
        "/radio",
        get(move |headers: HeaderMap| {
            let marker = in_stream.clone();
            let mp3 = mp3.clone();
            async move {
                icy_mp3_stream(
                    &headers,
                    mp3,
                    16_000,
                    move || {
                        let _ = &marker;
                        "Live".to_owned()
                    },
                    true,
                )
            }
        }),
    );
    let server = Server::start(app);
    // The router may hold several copies of the handler; count from here.
    let baseline = Arc::strong_count(&alive);
    let rt = tokio::runtime::Runtime::new().expect("client runtime");
    rt.block_on(async {
        let response = reqwest::get(server.url("/radio")).await.expect("connect");
        let mut body = response.bytes_stream();
        let chunk = body.next().await.expect("data").expect("chunk");
        assert!(!chunk.is_empty());
        assert!(
            Arc::strong_count(&alive) > baseline,
            "the live stream holds a copy"
        );
    });
    drop(rt); // closes the client connection
    assert_streams_released(&alive, baseline, "stream state dropped after disconnect");
}
