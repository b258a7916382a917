//! Where a request is answered: the skill in this process, over the local data directory, or a
//! running `onair serve` over HTTP.
//!
//! In-process is the default because it needs nothing running and shows handler errors that a
//! server would only log; `--server` exercises the real endpoint (body limits, parsing, JSON
//! encoding) exactly as a device's requests would.

use super::DevtoolsError;
use crate::alexa::{RequestEnvelope, ResponseEnvelope};
use crate::config::Settings;
use crate::skill::Skill;
use crate::store::{ImportSummary, PlayItem, SledStore, Store};
use jiff::Timestamp;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

/// How to run the skill in-process.
#[derive(Debug, Clone)]
pub struct LocalOptions {
    /// The sled data directory (created when missing).
    pub data_dir: PathBuf,
    /// IANA zone used for listeners (the simulated device has no Settings API token).
    pub timezone: String,
    /// Seed the demo schedule and accept its plain-http sample streams.
    pub demo: bool,
    /// "Now" for seeding the demo, so `--at` and the demo agree.
    pub now: Timestamp,
}

/// A skill to talk to.
pub enum Backend {
    /// The skill in this process.
    InProcess {
        /// The skill over the opened store.
        skill: Arc<Skill>,
    },
    /// A running server.
    Server {
        /// The full `/alexa` URL.
        endpoint: String,
        /// Client with bounded timeouts.
        client: reqwest::Client,
    },
}

/// The skill's answer to one request.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The response body as JSON, exactly as the skill produced it.
    pub json: Value,
    /// The same, typed.
    pub response: ResponseEnvelope,
    /// In-process only: a handler failure the skill turned into its spoken apology.
    pub handler_error: Option<String>,
}

impl Backend {
    /// Opens the data directory and builds the skill as `onair serve` would. With `demo`, the
    /// demo schedule is (re)seeded around `now` when the store holds nothing else, so data a
    /// developer imported is never mixed with demo records. Returns what seeding changed.
    pub fn local(options: &LocalOptions) -> Result<(Self, Option<ImportSummary>), DevtoolsError> {
        let settings = Settings {
            data_dir: options.data_dir.clone(),
            default_timezone: options.timezone.clone(),
            demo: options.demo,
            ..Settings::default()
        };
        settings
            .validate()
            .map_err(|e| DevtoolsError::Usage(format!("--tz: {e}")))?;
        let data_err = |detail: String| DevtoolsError::DataDir {
            dir: options.data_dir.clone(),
            detail,
        };
        let store = SledStore::open(&options.data_dir).map_err(|e| {
            data_err(format!(
                "{e} (if `onair serve` is using this directory, add --server http://127.0.0.1:8080)"
            ))
        })?;
        let store: Arc<dyn Store> = Arc::new(store);
        let seeded = if options.demo && holds_only_demo(store.as_ref()).map_err(data_err)? {
            let summary = crate::service::seed_demo_at(&settings, store.as_ref(), options.now)
                .map_err(|e| data_err(format!("seeding the demo: {e}")))?;
            Some(summary)
        } else {
            None
        };
        // In-process requests never cross HTTP, so there is no signature to check.
        let state =
            crate::service::state_with(&settings, store, None, crate::server::system_clock())
                .map_err(|e| DevtoolsError::Usage(e.to_string()))?;
        Ok((Self::InProcess { skill: state.skill }, seeded))
    }

    /// A running server at `url` (its base, or the full `/alexa` URL).
    pub fn server(url: &str) -> Result<Self, DevtoolsError> {
        let parsed = url::Url::parse(url.trim())
            .map_err(|e| DevtoolsError::Usage(format!("--server {url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(DevtoolsError::Usage(format!(
                "--server {url:?}: use an http:// or https:// URL"
            )));
        }
        let base = parsed.as_str().trim_end_matches('/');
        let endpoint = if base.ends_with("/alexa") {
            base.to_string()
        } else {
            format!("{base}/alexa")
        };
        Ok(Self::Server {
            endpoint,
            client: crate::service::http_client(),
        })
    }

    /// True for a remote server.
    pub fn is_server(&self) -> bool {
        matches!(self, Self::Server { .. })
    }

    /// Sends one request body and returns the answer.
    pub async fn send(&self, body: &[u8]) -> Result<Answer, DevtoolsError> {
        match self {
            Self::InProcess { skill } => {
                let envelope =
                    RequestEnvelope::from_slice(body).map_err(DevtoolsError::NotAnEnvelope)?;
                let outcome = skill.handle(&envelope).await;
                let json = serde_json::to_value(&outcome.response)
                    .map_err(|e| DevtoolsError::Io(std::io::Error::other(e)))?;
                Ok(Answer {
                    json,
                    response: outcome.response,
                    handler_error: outcome.error.map(|e| e.to_string()),
                })
            }
            Self::Server { endpoint, client } => post(client, endpoint, body).await,
        }
    }

    /// When the item `token` names, started at `now` from `offset_ms`, reaches its end: an
    /// event at its scheduled end, an episode after its duration. `None` for station streams,
    /// unknown items and servers (whose store this process cannot see): they play on until
    /// stopped.
    pub fn item_end(&self, token: &str, now: Timestamp, offset_ms: i64) -> Option<Timestamp> {
        let Self::InProcess { skill } = self else {
            return None;
        };
        match crate::skill::token::parse(token)? {
            PlayItem::Event(id) => {
                let end = skill.store().event(&id).ok()??.end;
                Some(end.max(now))
            }
            PlayItem::Episode(id) => {
                let seconds = skill.store().episode(&id).ok()??.duration_s?;
                let total_ms = i64::try_from(seconds).ok()?.checked_mul(1000)?;
                let left = (total_ms - offset_ms.max(0)).max(0);
                now.checked_add(jiff::SignedDuration::from_millis(left))
                    .ok()
            }
            PlayItem::Station(_) => None,
        }
    }

    /// A skill in this process over `store`, as `onair serve` would build it with `timezone`
    /// as the default zone (for conversation tests, which prepare their own store).
    pub fn over_store(store: Arc<dyn Store>, timezone: &str) -> Result<Self, DevtoolsError> {
        let settings = Settings {
            default_timezone: timezone.to_string(),
            ..Settings::default()
        };
        settings
            .validate()
            .map_err(|e| DevtoolsError::Usage(format!("timezone: {e}")))?;
        let state =
            crate::service::state_with(&settings, store, None, crate::server::system_clock())
                .map_err(|e| DevtoolsError::Usage(e.to_string()))?;
        Ok(Self::InProcess { skill: state.skill })
    }

    /// Flushes the local store, so a later `serve` sees what these turns wrote.
    pub fn finish(&self) -> Result<(), DevtoolsError> {
        match self {
            Self::InProcess { skill } => skill.store().flush().map_err(|e| {
                DevtoolsError::Io(std::io::Error::other(format!("flushing the store: {e}")))
            }),
            Self::Server { .. } => Ok(()),
        }
    }
}

/// True when every station and event in the store came from the demo (or there are none).
fn holds_only_demo(store: &dyn Store) -> Result<bool, String> {
    let err = |e: crate::store::StoreError| e.to_string();
    let stations = store.stations().map_err(err)?.len();
    let events = store.event_count().map_err(err)?;
    let (demo_stations, demo_events, _) = store.source_counts(crate::demo::SOURCE).map_err(err)?;
    Ok(stations == demo_stations && events == demo_events)
}

async fn post(
    client: &reqwest::Client,
    endpoint: &str,
    body: &[u8],
) -> Result<Answer, DevtoolsError> {
    let fail = |detail: String| DevtoolsError::Server {
        url: endpoint.to_string(),
        detail,
    };
    let response = client
        .post(endpoint)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_vec())
        .send()
        .await
        .map_err(|e| fail(format!("request failed: {e}")))?;
    let status = response.status();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| fail(format!("reading the answer: {e}")))?;
    if !status.is_success() {
        let text: String = String::from_utf8_lossy(&bytes).chars().take(500).collect();
        return Err(fail(format!("answered HTTP {status}: {text}")));
    }
    let json: Value =
        serde_json::from_slice(&bytes).map_err(|e| fail(format!("the answer is not JSON: {e}")))?;
    let response: ResponseEnvelope = serde_json::from_value(json.clone())
        .map_err(|e| fail(format!("the answer is not a response envelope: {e}")))?;
    Ok(Answer {
        json,
        response,
        handler_error: None,
    })
}
