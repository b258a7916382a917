//! Stream checks for the station list: is the stream reachable, what does it say it is, and
//! what do its first bytes say (codec, bitrate), from a short probe of a few kilobytes.

use super::{blocking, ConsoleState};
use crate::player::probe;
use crate::server::error::HttpError;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use serde::Serialize;
use std::time::Duration;

/// Bytes read from a stream at most.
const PROBE_BYTES: usize = 16 * 1024;
/// Time a probe takes at most, connection included.
const PROBE_TIME: Duration = Duration::from_secs(5);

/// The outcome of one check.
#[derive(Debug, Serialize, Default)]
struct Check {
    station: String,
    url: Option<String>,
    reachable: bool,
    status: Option<u16>,
    content_type: Option<String>,
    /// `icy-name`, `icy-br` and `icy-genre` headers, when the server sends them.
    icy_name: Option<String>,
    icy_bitrate: Option<String>,
    icy_genre: Option<String>,
    bytes_read: usize,
    format: Option<probe::StreamFormat>,
    error: Option<String>,
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(200).collect())
}

/// `POST /console/api/stations/{id}/check`: probes the station's stream.
pub(super) async fn check(
    State(console): State<ConsoleState>,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    if id.is_empty() || id.len() > 300 {
        return Err(HttpError::Unprocessable(
            "a station id is 1 to 300 characters".into(),
        ));
    }
    let wanted = id.clone();
    let station = blocking(&console.store, move |store| store.station(&wanted))
        .await?
        .ok_or_else(|| HttpError::NotFound(format!("no station {id:?}")))?;
    let mut check = Check {
        station: id,
        ..Check::default()
    };
    let Some(url) = station.stream_url.as_ref().map(|u| u.as_str().to_string()) else {
        check.error = Some("the station has no stream".into());
        return Ok(Json(check).into_response());
    };
    check.url = Some(url.clone());
    match tokio::time::timeout(PROBE_TIME, probe_url(&console.http, &url, &mut check)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => check.error = Some(e),
        // A live stream that sent too little in time: say what arrived.
        Err(_) if check.bytes_read > 0 => {}
        Err(_) => check.error = Some(format!("no data within {} s", PROBE_TIME.as_secs())),
    }
    Ok(Json(check).into_response())
}

async fn probe_url(client: &reqwest::Client, url: &str, check: &mut Check) -> Result<(), String> {
    let response = client
        .get(url)
        .send()
        .await
        .map_err(|e| format!("not reachable: {e}"))?;
    check.reachable = true;
    check.status = Some(response.status().as_u16());
    let headers = response.headers();
    check.content_type = header(headers, "content-type");
    check.icy_name = header(headers, "icy-name");
    check.icy_bitrate = header(headers, "icy-br");
    check.icy_genre = header(headers, "icy-genre");
    if !response.status().is_success() {
        return Err(format!("the server answered {}", response.status()));
    }
    let content_type = check.content_type.clone();
    let mut head = Vec::with_capacity(PROBE_BYTES);
    let mut body = response.bytes_stream();
    while head.len() < PROBE_BYTES {
        match body.next().await {
            Some(Ok(chunk)) => {
                let room = PROBE_BYTES - head.len();
                head.extend_from_slice(&chunk[..chunk.len().min(room)]);
                check.bytes_read = head.len();
                check.format = Some(probe::describe(&head, content_type.as_deref()));
            }
            Some(Err(e)) => return Err(format!("reading the stream: {e}")),
            None => break,
        }
    }
    check.format = Some(probe::describe(&head, content_type.as_deref()));
    Ok(())
}
