//! An Icecast-style endless MP3 stream for the server's demo mode.
//!
//! Alexa devices (and the player above) treat it like internet radio: the
//! file loops forever, `StreamTitle` metadata is interleaved every `metaint`
//! bytes for clients that ask for it, and with pacing the bytes leave at the
//! file's own bitrate so a client experiences it as live.
//!
//! The body is a plain `Stream` with no spawned task: when the client goes
//! away, the server drops the body and with it the stream's state (including
//! the `title` callback), so nothing keeps running.

use std::convert::Infallible;
use std::time::Duration;

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::frames::mp3_layout;
use super::icy::{metadata_block, wants_metadata};

/// Value of the `icy-name` response header.
pub const STATION_NAME: &str = "onair demo radio";

/// Chunk size when not pacing.
const UNPACED_CHUNK: usize = 16 * 1024;
/// How much audio a paced stream sends up front, like Icecast's
/// burst-on-connect, so the client's buffer fills without waiting.
const BURST_SECONDS: f64 = 1.0;

/// Builds the response for one listener.
///
/// * `request_headers`: the listener's request headers; metadata is
///   interleaved only if they contain `Icy-MetaData: 1` (and `metaint > 0`).
/// * `mp3`: the file to loop. Tags and a Xing/Info frame are dropped so they
///   do not repeat on every loop.
/// * `metaint`: audio bytes between metadata blocks (Icecast uses 16000).
/// * `title`: called at every metadata point; a block is sent when the
///   title differs from the previous one, an empty block otherwise.
/// * `paced`: send at the file's byte rate (from its size and frame-header
///   duration) instead of as fast as the client reads.
///
/// Answers 500 if `mp3` holds no MPEG audio frames.
///
/// Wiring it into a router (paths are the main crate's):
///
/// ```ignore
/// let mp3 = bytes::Bytes::from(std::fs::read("audio/concert.mp3")?);
/// let app = axum::Router::new().route(
///     "/demo/radio",
///     axum::routing::get(move |headers: axum::http::HeaderMap| {
///         let mp3 = mp3.clone();
///         async move {
///             icy_mp3_stream(&headers, mp3, 16_000, || "onair - Live".to_owned(), true)
///         }
///     }),
/// );
/// ```
pub fn icy_mp3_stream(
    request_headers: &HeaderMap,
    mp3: Bytes,
    metaint: usize,
    title: impl Fn() -> String + Send + Sync + 'static,
    paced: bool,
) -> Response {
    let Some(layout) = mp3_layout(&mp3) else {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "demo stream: the configured file contains no MPEG audio frames",
        )
            .into_response();
    };
    let audio = mp3.slice(layout.audio.clone());
    let byte_rate = audio.len() as f64 / layout.seconds.max(f64::EPSILON);
    let metaint = (metaint > 0 && wants_metadata(request_headers)).then_some(metaint);
    let pacer = paced.then(|| Pacer {
        start: tokio::time::Instant::now(),
        byte_rate,
        sent: 0,
        burst: (byte_rate * BURST_SECONDS) as u64,
    });
    let chunk = if paced {
        // About 100 ms of audio per chunk keeps the pacing smooth.
        ((byte_rate / 10.0) as usize).clamp(256, UNPACED_CHUNK)
    } else {
        UNPACED_CHUNK
    };
    let state = StreamState {
        audio,
        pos: 0,
        metaint,
        until_metadata: metaint.unwrap_or(0),
        title,
        last_title: None,
        pacer,
        chunk,
    };
    let body = Body::from_stream(futures::stream::unfold(state, next_chunk));

    let mut response = Response::new(body);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("audio/mpeg"));
    headers.insert("icy-name", HeaderValue::from_static(STATION_NAME));
    headers.insert(
        "icy-br",
        HeaderValue::from((byte_rate * 8.0 / 1000.0).round() as u32),
    );
    headers.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    if let Some(metaint) = metaint {
        headers.insert("icy-metaint", HeaderValue::from(metaint));
    }
    response
}

struct Pacer {
    start: tokio::time::Instant,
    byte_rate: f64,
    sent: u64,
    burst: u64,
}

struct StreamState<F> {
    /// The loop: MPEG audio frames only; never empty.
    audio: Bytes,
    pos: usize,
    metaint: Option<usize>,
    until_metadata: usize,
    title: F,
    last_title: Option<String>,
    pacer: Option<Pacer>,
    chunk: usize,
}

async fn next_chunk<F>(mut s: StreamState<F>) -> Option<(Result<Bytes, Infallible>, StreamState<F>)>
where
    F: Fn() -> String,
{
    if let Some(metaint) = s.metaint {
        if s.until_metadata == 0 {
            s.until_metadata = metaint;
            let title = (s.title)();
            let changed = s.last_title.as_deref() != Some(title.as_str());
            let block = metadata_block(changed.then_some(title.as_str()));
            if changed {
                s.last_title = Some(title);
            }
            return Some((Ok(block), s));
        }
    }
    let mut n = s.chunk.min(s.audio.len() - s.pos);
    if s.metaint.is_some() {
        n = n.min(s.until_metadata);
        s.until_metadata -= n;
    }
    let data = s.audio.slice(s.pos..s.pos + n);
    s.pos = (s.pos + n) % s.audio.len();
    if let Some(p) = &mut s.pacer {
        p.sent += n as u64;
        let due = p.sent.saturating_sub(p.burst) as f64 / p.byte_rate;
        tokio::time::sleep_until(p.start + Duration::from_secs_f64(due)).await;
    }
    Some((Ok(data), s))
}
