//! `onair serve --record DIR`: each request that reached the skill (so, with verification on,
//! each verified request) is written with its response as a fixture folder in the format of
//! `tests/fixtures/`: `request.json`, `response.json` and `case.json` (time, zone, and the
//! listener's stored state before the request, so personal answers replay too). A
//! conversation seen on a real device becomes a regression test by copying its folders.
//!
//! User, device and person ids are replaced by stable hashes (the same id always gives the
//! same stand-in, so a conversation stays coherent), and access tokens are blanked: nothing a
//! fixture holds identifies a listener or grants access. Recording is off unless asked for, and
//! stops at a number of cases or of bytes, whichever comes first.

use super::DevtoolsError;
use crate::alexa::{RequestEnvelope, ResponseEnvelope};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

/// Where and how much to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordOptions {
    /// The folder the cases go into (created when missing).
    pub dir: PathBuf,
    /// Most cases written.
    pub max_cases: usize,
    /// Most bytes written, all files together.
    pub max_bytes: u64,
    /// The server's default zone, written as the case's `timezone`.
    pub timezone: String,
}

#[derive(Debug, Default)]
struct Written {
    cases: usize,
    bytes: u64,
    full: bool,
}

/// The recorder of this process.
#[derive(Debug)]
pub struct Recorder {
    options: RecordOptions,
    written: Mutex<Written>,
}

static RECORDER: OnceLock<Recorder> = OnceLock::new();

/// Keys whose values are secrets and never written.
const SECRET_KEYS: [&str; 3] = ["apiAccessToken", "accessToken", "consentToken"];

/// Turns recording on for this process (once; `serve --record` calls it at start).
pub fn install(options: RecordOptions) -> Result<(), DevtoolsError> {
    std::fs::create_dir_all(&options.dir).map_err(|e| DevtoolsError::DataDir {
        dir: options.dir.clone(),
        detail: format!("cannot create the recording folder: {e}"),
    })?;
    RECORDER
        .set(Recorder::new(options))
        .map_err(|_| DevtoolsError::Usage("recording is already on".into()))
}

/// Whether `serve --record` is on in this process.
pub fn enabled() -> bool {
    RECORDER.get().is_some()
}

/// The stored state of the request's listener before the skill answers, when recording is on,
/// so the recorded case replays with the state the answer was given in.
pub fn listener_before(
    store: &dyn crate::store::Store,
    envelope: &RequestEnvelope,
) -> Option<Value> {
    RECORDER.get()?;
    let key = crate::privacy::user_key(envelope.user_id()?);
    let state = store.listener(&key).ok()??;
    serde_json::to_value(state).ok()
}

/// Records one exchange if recording is on; never fails the request (problems are logged).
pub fn capture(
    envelope: &RequestEnvelope,
    body: &[u8],
    response: &ResponseEnvelope,
    listener: Option<Value>,
) {
    let Some(recorder) = RECORDER.get() else {
        return;
    };
    let Some(case) = recorder.prepare(envelope, body, response, listener) else {
        return;
    };
    // Off the request's path: the answer goes out while the files are written.
    drop(tokio::task::spawn_blocking(move || {
        if let Err(e) = case.write() {
            tracing::warn!(error = %e, "could not write a recorded case");
        }
    }));
}

/// A case ready to be written.
#[derive(Debug, Clone)]
pub struct Case {
    /// Its folder.
    pub dir: PathBuf,
    /// `request.json`.
    pub request: Value,
    /// `response.json`.
    pub response: Value,
    /// `case.json`.
    pub case: Value,
}

impl Case {
    /// Writes the three files.
    pub fn write(&self) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        for (name, value) in [
            ("request.json", &self.request),
            ("response.json", &self.response),
            ("case.json", &self.case),
        ] {
            let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)? + "\n";
            std::fs::write(self.dir.join(name), text)?;
        }
        Ok(())
    }
}

impl Recorder {
    /// A recorder with nothing written yet.
    pub fn new(options: RecordOptions) -> Self {
        Self {
            options,
            written: Mutex::new(Written::default()),
        }
    }

    /// The case for one exchange, counted against the limits; `None` once they are reached.
    pub fn prepare(
        &self,
        envelope: &RequestEnvelope,
        body: &[u8],
        response: &ResponseEnvelope,
        listener: Option<Value>,
    ) -> Option<Case> {
        let mut request: Value = serde_json::from_slice(body).ok()?;
        let mut response = serde_json::to_value(response).ok()?;
        let ids: Vec<(String, String)> = [
            (envelope.user_id(), "amzn1.ask.account.RECORDED"),
            (envelope.device_id(), "amzn1.ask.device.RECORDED"),
            (
                request
                    .pointer("/context/System/person/personId")
                    .and_then(Value::as_str),
                "amzn1.ask.person.RECORDED",
            ),
        ]
        .into_iter()
        .filter_map(|(id, prefix)| {
            id.map(|id| {
                let hash = crate::privacy::user_key(id);
                (id.to_string(), format!("{prefix}{}", &hash[..20]))
            })
        })
        .collect();
        anonymize(&mut request, &ids);
        anonymize(&mut response, &ids);
        let time = envelope
            .request
            .timestamp
            .map(|t| t.0.to_string())
            .unwrap_or_default();
        let mut case = json!({
            "about": format!("Recorded by onair serve --record: {}", kind(envelope)),
            "timezone": self.options.timezone,
            "time": time,
        });
        if let Some(mut state) = listener {
            anonymize(&mut state, &ids);
            case["listener"] = state;
        }
        let size = [&request, &response, &case]
            .iter()
            .map(|v| v.to_string().len() as u64)
            .sum::<u64>();
        let mut written = self
            .written
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if written.cases >= self.options.max_cases
            || written.bytes.saturating_add(size) > self.options.max_bytes
        {
            if !written.full {
                written.full = true;
                tracing::warn!(
                    cases = written.cases,
                    bytes = written.bytes,
                    "recording limit reached; later requests are not recorded"
                );
            }
            return None;
        }
        written.cases += 1;
        written.bytes += size;
        let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S");
        let name = format!("{stamp}-{:04}-{}", written.cases, kind(envelope));
        Some(Case {
            dir: self.options.dir.join(name),
            request,
            response,
            case,
        })
    }
}

/// A folder-name-safe description: the intent, or the request type.
fn kind(envelope: &RequestEnvelope) -> String {
    let raw = envelope
        .request
        .intent_name()
        .unwrap_or(&envelope.request.type_name);
    let mut out: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if out.is_empty() {
        out.push_str("request");
    }
    out
}

/// Replaces every id in `ids` wherever it appears as a string, and blanks secrets.
fn anonymize(value: &mut Value, ids: &[(String, String)]) {
    match value {
        Value::String(s) => {
            if let Some((_, stand_in)) = ids.iter().find(|(id, _)| id == s) {
                *s = stand_in.clone();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| anonymize(v, ids)),
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if SECRET_KEYS.contains(&key.as_str()) && v.is_string() {
                    *v = json!("recorded-token");
                } else {
                    anonymize(v, ids);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alexa::ResponseBuilder;

    fn request() -> Vec<u8> {
        json!({
            "version": "1.0",
            "session": {"new": true, "sessionId": "s", "application": {"applicationId": "a"},
                        "user": {"userId": "amzn1.ask.account.REAL", "accessToken": "secret"}},
            "context": {"System": {"application": {"applicationId": "a"},
                "user": {"userId": "amzn1.ask.account.REAL"},
                "device": {"deviceId": "amzn1.ask.device.REAL", "supportedInterfaces": {}},
                "apiEndpoint": "https://api.amazonalexa.com", "apiAccessToken": "secret-token"}},
            "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-11-21T19:04:05Z",
                        "locale": "en-US"}
        })
        .to_string()
        .into_bytes()
    }

    fn recorder(max_cases: usize, max_bytes: u64) -> Recorder {
        Recorder::new(RecordOptions {
            dir: PathBuf::from("unused"),
            max_cases,
            max_bytes,
            timezone: "Europe/Paris".into(),
        })
    }

    #[test]
    fn ids_are_hashed_and_secrets_blanked() {
        let body = request();
        let envelope = RequestEnvelope::from_slice(&body).expect("envelope");
        let response = ResponseBuilder::new().speak("Hi").build();
        let case = recorder(10, 1 << 20)
            .prepare(&envelope, &body, &response, None)
            .expect("recorded");
        let text = case.request.to_string();
        assert!(!text.contains("REAL"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        let user = case.request["session"]["user"]["userId"]
            .as_str()
            .expect("user");
        assert!(user.starts_with("amzn1.ask.account.RECORDED"));
        assert_eq!(case.request["context"]["System"]["user"]["userId"], user);
        let again = recorder(10, 1 << 20)
            .prepare(&envelope, &body, &response, None)
            .expect("recorded");
        assert_eq!(again.request["session"]["user"]["userId"], user, "stable");
        assert_eq!(case.case["timezone"], "Europe/Paris");
        assert_eq!(case.case["time"], "2026-11-21T19:04:05Z");
        assert!(case.dir.to_string_lossy().ends_with("-0001-launchrequest"));
    }

    #[test]
    fn limits_stop_recording() {
        let body = request();
        let envelope = RequestEnvelope::from_slice(&body).expect("envelope");
        let response = ResponseBuilder::new().build();
        let by_count = recorder(2, 1 << 20);
        assert!(by_count
            .prepare(&envelope, &body, &response, None)
            .is_some());
        assert!(by_count
            .prepare(&envelope, &body, &response, None)
            .is_some());
        assert!(by_count
            .prepare(&envelope, &body, &response, None)
            .is_none());
        let by_size = recorder(100, 100);
        assert!(by_size.prepare(&envelope, &body, &response, None).is_none());
    }
}
