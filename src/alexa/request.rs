//! Request envelopes as Alexa POSTs them.
//!
//! Unknown fields are ignored (Alexa adds fields over time); a field of the wrong type is an
//! error that names its JSON path, because a silent default would hide a broken client.

use super::time::RequestTime;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Why a body is not a usable request envelope.
#[derive(Debug, thiserror::Error)]
pub enum EnvelopeError {
    /// The body is not JSON at all (or is truncated).
    #[error("body is not valid JSON: {0}")]
    NotJson(String),
    /// The JSON does not have the envelope's shape; `path` names the offending field.
    #[error("{path}: {message}")]
    Shape {
        /// JSON path of the offending field, e.g. `request.intent.slots`.
        path: String,
        /// What was wrong there.
        message: String,
    },
}

impl EnvelopeError {
    /// The JSON path at fault, for error bodies.
    pub fn path(&self) -> Option<&str> {
        match self {
            Self::NotJson(_) => None,
            Self::Shape { path, .. } => Some(path),
        }
    }
}

/// The whole body of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestEnvelope {
    /// Always "1.0" in practice; kept for logging.
    pub version: String,
    /// Present for LaunchRequest, IntentRequest and the like; absent for player events.
    pub session: Option<Session>,
    /// Device, user and player context. Old fixtures omit it, so it defaults to empty.
    pub context: Context,
    /// What happened.
    pub request: Request,
}

#[derive(Deserialize)]
struct RawEnvelope {
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    session: Option<Session>,
    #[serde(default)]
    context: Option<Context>,
    request: Value,
}

impl RequestEnvelope {
    /// Parses a body. A leading UTF-8 byte-order mark is accepted because real SDK fixtures
    /// carry one; the signature, checked earlier over the raw bytes, is unaffected.
    pub fn from_slice(body: &[u8]) -> Result<Self, EnvelopeError> {
        let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
        // The common case, a well-formed envelope, is read straight from the bytes. Anything
        // the direct read refuses goes the way through a JSON value, whose errors name the
        // offending path without byte positions; both ways accept the same envelopes.
        let mut direct = serde_json::Deserializer::from_slice(body);
        if let Ok(raw) = RawEnvelope::deserialize(&mut direct) {
            if direct.end().is_ok() {
                return Self::from_raw(raw);
            }
        }
        let value: Value =
            serde_json::from_slice(body).map_err(|e| EnvelopeError::NotJson(e.to_string()))?;
        Self::from_value(value)
    }

    /// Parses an already decoded JSON value.
    pub fn from_value(value: Value) -> Result<Self, EnvelopeError> {
        if !value.is_object() {
            return Err(EnvelopeError::Shape {
                path: ".".into(),
                message: "expected a JSON object with `version`, `context` and `request`".into(),
            });
        }
        Self::from_raw(from_value_at("", value)?)
    }

    fn from_raw(raw: RawEnvelope) -> Result<Self, EnvelopeError> {
        let request = Request::from_value(raw.request)?;
        let envelope = Self {
            version: raw.version.unwrap_or_else(|| "1.0".into()),
            session: raw.session,
            context: raw.context.unwrap_or_default(),
            request,
        };
        super::bounds::check(&envelope)?;
        Ok(envelope)
    }

    /// The user id, from the context (always sent) or else the session.
    pub fn user_id(&self) -> Option<&str> {
        self.context
            .system
            .as_ref()
            .and_then(|s| s.user.as_ref())
            .and_then(|u| u.user_id.as_deref())
            .or_else(|| {
                self.session
                    .as_ref()
                    .and_then(|s| s.user.as_ref())
                    .and_then(|u| u.user_id.as_deref())
            })
    }

    /// The device id, needed for the Settings API.
    pub fn device_id(&self) -> Option<&str> {
        self.context
            .system
            .as_ref()
            .and_then(|s| s.device.as_ref())
            .and_then(|d| d.device_id.as_deref())
    }

    /// Whether the device declares the AudioPlayer interface. Old fixtures without a device
    /// block are treated as audio-capable, as Alexa sent no such block before screens existed.
    pub fn supports_audio(&self) -> bool {
        match self.context.system.as_ref().and_then(|s| s.device.as_ref()) {
            Some(device) => device.supported_interfaces.contains_key("AudioPlayer"),
            None => true,
        }
    }

    /// Session attributes from the previous turn, or an empty map.
    pub fn attributes(&self) -> Map<String, Value> {
        self.session
            .as_ref()
            .and_then(|s| s.attributes.clone())
            .unwrap_or_default()
    }

    /// The locale of the request, when given.
    pub fn locale(&self) -> Option<&str> {
        self.request.locale.as_deref()
    }

    /// The Alexa API base URL and the bearer token for this request, when both are present.
    pub fn api_access(&self) -> Option<(&str, &str)> {
        let system = self.context.system.as_ref()?;
        let endpoint = system.api_endpoint.as_deref().filter(|e| !e.is_empty())?;
        let token = system
            .api_access_token
            .as_deref()
            .filter(|t| !t.is_empty())?;
        Some((endpoint, token))
    }

    /// Whether the listener granted `scope`: only an explicit `GRANTED` counts, so an absent
    /// permissions block means "not granted".
    pub fn scope_granted(&self, scope: &str) -> bool {
        self.context
            .system
            .as_ref()
            .and_then(|s| s.user.as_ref())
            .and_then(|u| u.permissions.as_ref())
            .and_then(|p| p.scopes.as_ref())
            .and_then(|scopes| scopes.get(scope))
            .is_some_and(|s| s.status == "GRANTED")
    }
}

/// Deserializes `value`, reporting the JSON path of the first offending field.
fn from_value_at<T: serde::de::DeserializeOwned>(
    prefix: &str,
    value: Value,
) -> Result<T, EnvelopeError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let inner = err.path().to_string();
        let path = match (prefix.is_empty(), inner.as_str()) {
            (true, _) => inner,
            (false, ".") => prefix.to_string(),
            (false, _) => format!("{prefix}.{inner}"),
        };
        EnvelopeError::Shape {
            path,
            message: err.into_inner().to_string(),
        }
    })
}

/// `session`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Session {
    /// True on the first request of a session.
    #[serde(default)]
    pub new: bool,
    /// The session id.
    pub session_id: String,
    /// The skill the session belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
    /// Attributes returned by the previous response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Map<String, Value>>,
    /// The user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
}

/// `application`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    /// `amzn1.ask.skill.<uuid>`; empty in some placeholder fixtures.
    #[serde(default)]
    pub application_id: String,
}

/// `user`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// Stable per (user, skill). Some fixtures send `null`.
    #[serde(default)]
    pub user_id: Option<String>,
    /// Account-linking token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
    /// Granted permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub permissions: Option<Permissions>,
}

/// `user.permissions`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    /// Legacy consent token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_token: Option<String>,
    /// Scope name to grant status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scopes: Option<BTreeMap<String, ScopeStatus>>,
}

/// `{"status": "GRANTED" | "DENIED"}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ScopeStatus {
    /// `GRANTED` or `DENIED`.
    pub status: String,
}

/// `context`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct Context {
    /// `context.System`.
    #[serde(rename = "System", default, skip_serializing_if = "Option::is_none")]
    pub system: Option<System>,
    /// `context.AudioPlayer`.
    #[serde(
        rename = "AudioPlayer",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub audio_player: Option<AudioPlayerState>,
}

/// `context.System`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct System {
    /// The skill.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub application: Option<Application>,
    /// The user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Device>,
    /// Region base URL of the Alexa APIs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_endpoint: Option<String>,
    /// Bearer token for the Alexa APIs, valid for this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_access_token: Option<String>,
}

/// `context.System.device`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Device {
    /// `amzn1.ask.device.<opaque>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Interface name to its (mostly empty) description.
    #[serde(default)]
    pub supported_interfaces: Map<String, Value>,
}

/// `context.AudioPlayer`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AudioPlayerState {
    /// Token of the stream the player last knew about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// Position in that stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_in_milliseconds: Option<i64>,
    /// What the player is doing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub player_activity: Option<PlayerActivity>,
}

/// `playerActivity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlayerActivity {
    /// Nothing loaded.
    Idle,
    /// Paused.
    Paused,
    /// Playing.
    Playing,
    /// Waiting for data.
    BufferUnderrun,
    /// Finished.
    Finished,
    /// Stopped.
    Stopped,
    /// A value this version does not know.
    #[serde(other)]
    Unknown,
}

/// `request`, with its common fields and a typed body.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The wire `type`, kept verbatim for logs and for types handled generically.
    pub type_name: String,
    /// `requestId`.
    pub request_id: String,
    /// `timestamp`: "now" for everything the skill computes. `None` when the string could not be
    /// read (some SDK fixtures send placeholders); verification, when on, refuses those first.
    pub timestamp: Option<RequestTime>,
    /// `locale`, absent on some event types.
    pub locale: Option<String>,
    /// The type-specific part.
    pub body: RequestBody,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Common {
    #[serde(rename = "type")]
    type_name: String,
    request_id: String,
    #[serde(deserialize_with = "lenient_time")]
    timestamp: Option<RequestTime>,
    #[serde(default)]
    locale: Option<String>,
}

/// A timestamp string that does not parse is kept as unknown rather than failing the request;
/// a value of the wrong JSON type is still an error.
fn lenient_time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<RequestTime>, D::Error> {
    match Value::deserialize(d)? {
        Value::String(s) => Ok(RequestTime::parse_str(&s).ok()),
        Value::Null => Ok(None),
        n @ Value::Number(_) => serde_json::from_value(n)
            .map(Some)
            .map_err(serde::de::Error::custom),
        _ => Err(serde::de::Error::custom(
            "expected an ISO-8601 timestamp string or epoch milliseconds",
        )),
    }
}

/// What the request is about.
#[derive(Debug, Clone, PartialEq)]
pub enum RequestBody {
    /// `LaunchRequest`.
    Launch,
    /// `IntentRequest`.
    Intent {
        /// The intent.
        intent: Intent,
        /// `dialogState`, when a dialog model is used.
        dialog_state: Option<String>,
    },
    /// `SessionEndedRequest`.
    SessionEnded {
        /// `reason`.
        reason: Option<String>,
        /// `error`, the main diagnostic for INVALID_RESPONSE.
        error: Option<ErrorInfo>,
    },
    /// `CanFulfillIntentRequest`; the intent may be missing in malformed traffic.
    CanFulfillIntent {
        /// The intent being asked about.
        intent: Option<Intent>,
    },
    /// `AudioPlayer.*` events.
    Playback(PlaybackEvent),
    /// `PlaybackController.*Issued`: device buttons.
    Controller(ControllerCommand),
    /// `System.ExceptionEncountered`.
    ExceptionEncountered {
        /// What went wrong with our previous response.
        error: Option<ErrorInfo>,
        /// Which request it answered.
        cause_request_id: Option<String>,
    },
    /// `AlexaSkillEvent.*` lifecycle events.
    SkillEvent,
    /// Anything else (SessionResumedRequest, Connections.Response, APL events, unknown types):
    /// survived with an empty response.
    Other,
}

/// `error` objects of SessionEnded, ExceptionEncountered and PlaybackFailed.
#[derive(Debug, Clone, PartialEq, Default, Deserialize, Serialize)]
pub struct ErrorInfo {
    /// The error type, e.g. `INVALID_RESPONSE`.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// Human-readable message.
    #[serde(default)]
    pub message: Option<String>,
}

/// Which AudioPlayer event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaybackEventKind {
    /// `AudioPlayer.PlaybackStarted`.
    Started,
    /// `AudioPlayer.PlaybackFinished`.
    Finished,
    /// `AudioPlayer.PlaybackStopped`.
    Stopped,
    /// `AudioPlayer.PlaybackNearlyFinished`.
    NearlyFinished,
    /// `AudioPlayer.PlaybackFailed`.
    Failed,
}

/// An `AudioPlayer.*` event.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaybackEvent {
    /// Which event.
    pub kind: PlaybackEventKind,
    /// The stream's token.
    pub token: Option<String>,
    /// Position in the stream.
    pub offset_ms: Option<i64>,
    /// PlaybackFailed only.
    pub error: Option<ErrorInfo>,
    /// PlaybackFailed only: what is playing now (may differ from the failed item).
    pub current_state: Option<AudioPlayerState>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawPlayback {
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    offset_in_milliseconds: Option<i64>,
    #[serde(default)]
    error: Option<ErrorInfo>,
    #[serde(default)]
    current_playback_state: Option<AudioPlayerState>,
}

/// A transport button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControllerCommand {
    /// Play.
    Play,
    /// Pause.
    Pause,
    /// Next.
    Next,
    /// Previous.
    Previous,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIntentRequest {
    intent: Intent,
    #[serde(default)]
    dialog_state: Option<String>,
}

#[derive(Deserialize)]
struct RawCanFulfill {
    #[serde(default)]
    intent: Option<Intent>,
}

#[derive(Deserialize)]
struct RawSessionEnded {
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    error: Option<ErrorInfo>,
}

#[derive(Deserialize)]
struct RawException {
    #[serde(default)]
    error: Option<ErrorInfo>,
    #[serde(default)]
    cause: Option<RawCause>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCause {
    #[serde(default)]
    request_id: Option<String>,
}

impl Request {
    /// Parses the `request` object, dispatching on its `type`.
    pub fn from_value(value: Value) -> Result<Self, EnvelopeError> {
        if !value.is_object() {
            return Err(EnvelopeError::Shape {
                path: "request".into(),
                message: "expected an object".into(),
            });
        }
        let common: Common = from_value_at("request", value.clone())?;
        let at = "request";
        let body = match common.type_name.as_str() {
            "LaunchRequest" => RequestBody::Launch,
            "IntentRequest" => {
                let raw: RawIntentRequest = from_value_at(at, value)?;
                RequestBody::Intent {
                    intent: raw.intent,
                    dialog_state: raw.dialog_state,
                }
            }
            "SessionEndedRequest" => {
                let raw: RawSessionEnded = from_value_at(at, value)?;
                RequestBody::SessionEnded {
                    reason: raw.reason,
                    error: raw.error,
                }
            }
            "CanFulfillIntentRequest" => {
                let raw: RawCanFulfill = from_value_at(at, value)?;
                RequestBody::CanFulfillIntent { intent: raw.intent }
            }
            "System.ExceptionEncountered" => {
                let raw: RawException = from_value_at(at, value)?;
                RequestBody::ExceptionEncountered {
                    error: raw.error,
                    cause_request_id: raw.cause.and_then(|c| c.request_id),
                }
            }
            name if name.starts_with("AudioPlayer.") => {
                let kind = match name {
                    "AudioPlayer.PlaybackStarted" => PlaybackEventKind::Started,
                    "AudioPlayer.PlaybackFinished" => PlaybackEventKind::Finished,
                    "AudioPlayer.PlaybackStopped" => PlaybackEventKind::Stopped,
                    "AudioPlayer.PlaybackNearlyFinished" => PlaybackEventKind::NearlyFinished,
                    "AudioPlayer.PlaybackFailed" => PlaybackEventKind::Failed,
                    _ => {
                        return Ok(Self::with_body(common, RequestBody::Other));
                    }
                };
                let raw: RawPlayback = from_value_at(at, value)?;
                RequestBody::Playback(PlaybackEvent {
                    kind,
                    token: raw.token,
                    offset_ms: raw.offset_in_milliseconds,
                    error: raw.error,
                    current_state: raw.current_playback_state,
                })
            }
            "PlaybackController.PlayCommandIssued" => {
                RequestBody::Controller(ControllerCommand::Play)
            }
            "PlaybackController.PauseCommandIssued" => {
                RequestBody::Controller(ControllerCommand::Pause)
            }
            "PlaybackController.NextCommandIssued" => {
                RequestBody::Controller(ControllerCommand::Next)
            }
            "PlaybackController.PreviousCommandIssued" => {
                RequestBody::Controller(ControllerCommand::Previous)
            }
            name if name.starts_with("AlexaSkillEvent.") => RequestBody::SkillEvent,
            _ => RequestBody::Other,
        };
        Ok(Self::with_body(common, body))
    }

    fn with_body(common: Common, body: RequestBody) -> Self {
        Self {
            type_name: common.type_name,
            request_id: common.request_id,
            timestamp: common.timestamp,
            locale: common.locale,
            body,
        }
    }

    /// The intent name, for IntentRequest and CanFulfillIntentRequest.
    pub fn intent_name(&self) -> Option<&str> {
        match &self.body {
            RequestBody::Intent { intent, .. } => Some(&intent.name),
            RequestBody::CanFulfillIntent { intent } => intent.as_ref().map(|i| i.name.as_str()),
            _ => None,
        }
    }
}

/// `request.intent`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Intent {
    /// e.g. `PlayLiveIntent`, `AMAZON.PauseIntent`.
    pub name: String,
    /// `NONE`, `CONFIRMED` or `DENIED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<String>,
    /// Slots keyed by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub slots: BTreeMap<String, Slot>,
}

impl Intent {
    /// An intent with no slots.
    pub fn named(name: &str) -> Self {
        Self {
            name: name.into(),
            confirmation_status: Some("NONE".into()),
            slots: BTreeMap::new(),
        }
    }

    /// The raw spoken value of a slot, trimmed, if the user gave one.
    pub fn slot_value(&self, name: &str) -> Option<&str> {
        self.slots
            .get(name)
            .and_then(|s| s.value.as_deref())
            .map(str::trim)
            .filter(|v| !v.is_empty() && *v != "?")
    }

    /// The slot, if the user gave a value.
    pub fn slot(&self, name: &str) -> Option<&Slot> {
        self.slots.get(name).filter(|s| s.value.is_some())
    }

    /// Whether the listener confirmed (`CONFIRMED`) or denied (`DENIED`) the intent.
    pub fn confirmation(&self) -> Option<&str> {
        self.confirmation_status.as_deref()
    }
}

/// One slot.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    /// The slot name.
    pub name: String,
    /// What the user said, absent when nothing was said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `NONE`, `CONFIRMED` or `DENIED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmation_status: Option<String>,
    /// Entity resolution results.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolutions: Option<Resolutions>,
    /// Newer multi-value representation; kept verbatim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slot_value: Option<Value>,
}

impl Slot {
    /// The first canonical value id that entity resolution matched, if any.
    pub fn resolved_id(&self) -> Option<&str> {
        self.resolved().map(|v| v.id.as_str())
    }

    /// The first matched canonical value.
    pub fn resolved(&self) -> Option<&ResolvedValue> {
        self.resolutions.as_ref().and_then(|r| {
            r.resolutions_per_authority
                .iter()
                .filter(|a| a.status.code == "ER_SUCCESS_MATCH")
                .flat_map(|a| a.values.iter())
                .map(|v| &v.value)
                .next()
        })
    }
}

/// `resolutions`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Resolutions {
    /// One entry per authority.
    #[serde(default)]
    pub resolutions_per_authority: Vec<Authority>,
}

/// One resolution authority's answer.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct Authority {
    /// e.g. `amzn1.er-authority.echo-sdk.<skill>.STATION_NAME`.
    pub authority: String,
    /// Match status.
    pub status: ResolutionStatus,
    /// Candidates, present on a match.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<ValueWrapper>,
}

/// `status`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ResolutionStatus {
    /// `ER_SUCCESS_MATCH`, `ER_SUCCESS_NO_MATCH`, ...
    pub code: String,
}

/// `{"value": {...}}`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ValueWrapper {
    /// The canonical value.
    pub value: ResolvedValue,
}

/// A canonical slot value.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct ResolvedValue {
    /// Canonical name.
    pub name: String,
    /// Id from the interaction model.
    #[serde(default)]
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn launch() -> Value {
        json!({
            "version": "1.0",
            "session": {"new": true, "sessionId": "s", "application": {"applicationId": "a"},
                        "user": {"userId": "u"}},
            "context": {"System": {"application": {"applicationId": "a"}, "user": {"userId": "u"},
                        "device": {"deviceId": "d", "supportedInterfaces": {"AudioPlayer": {}}}}},
            "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-11-21T19:04:05Z",
                        "locale": "en-US", "someFutureField": [1, 2]}
        })
    }

    #[test]
    fn parses_launch_and_tolerates_unknown_fields() {
        let env = RequestEnvelope::from_value(launch()).expect("parse");
        assert_eq!(env.request.body, RequestBody::Launch);
        assert_eq!(env.user_id(), Some("u"));
        assert_eq!(env.device_id(), Some("d"));
        assert!(env.supports_audio());
    }

    #[test]
    fn wrong_type_names_the_path() {
        let mut v = launch();
        v["context"]["System"]["device"]["supportedInterfaces"] = json!("AudioPlayer");
        let err = RequestEnvelope::from_value(v).expect_err("must fail");
        assert_eq!(
            err.path(),
            Some("context.System.device.supportedInterfaces")
        );
    }

    #[test]
    fn wrong_type_inside_request_names_the_path() {
        let mut v = launch();
        v["request"] = json!({"type": "IntentRequest", "requestId": "r",
            "timestamp": "2026-11-21T19:04:05Z", "intent": {"name": "X", "slots": []}});
        let err = RequestEnvelope::from_value(v).expect_err("must fail");
        assert_eq!(err.path(), Some("request.intent.slots"), "{err}");
    }

    #[test]
    fn missing_request_is_named() {
        let err = RequestEnvelope::from_slice(b"{\"version\":\"1.0\"}").expect_err("fail");
        assert!(err.to_string().contains("request"), "{err}");
    }

    #[test]
    fn bom_is_accepted() {
        let mut body = b"\xEF\xBB\xBF".to_vec();
        body.extend(serde_json::to_vec(&launch()).expect("ser"));
        assert!(RequestEnvelope::from_slice(&body).is_ok());
    }

    #[test]
    fn unknown_type_is_other() {
        let mut v = launch();
        v["request"]["type"] = json!("Alexa.Presentation.APL.UserEvent");
        let env = RequestEnvelope::from_value(v).expect("parse");
        assert_eq!(env.request.body, RequestBody::Other);
    }

    #[test]
    fn device_without_audio_player() {
        let mut v = launch();
        v["context"]["System"]["device"]["supportedInterfaces"] = json!({"Display": {}});
        assert!(!RequestEnvelope::from_value(v)
            .expect("parse")
            .supports_audio());
    }

    #[test]
    fn permission_and_api_access_are_read_strictly() {
        let scope = "alexa::alerts:reminders:skill:readwrite";
        let mut v = launch();
        let env = RequestEnvelope::from_value(v.clone()).expect("parse");
        assert!(
            !env.scope_granted(scope),
            "no permissions block: not granted"
        );
        assert_eq!(env.api_access(), None);
        v["context"]["System"]["apiEndpoint"] = json!("https://api.amazonalexa.com");
        v["context"]["System"]["apiAccessToken"] = json!("t");
        v["context"]["System"]["user"]["permissions"] =
            json!({"scopes": {scope: {"status": "DENIED"}}});
        let env = RequestEnvelope::from_value(v.clone()).expect("parse");
        assert!(!env.scope_granted(scope));
        assert_eq!(env.api_access(), Some(("https://api.amazonalexa.com", "t")));
        v["context"]["System"]["user"]["permissions"]["scopes"][scope]["status"] = json!("GRANTED");
        assert!(RequestEnvelope::from_value(v)
            .expect("parse")
            .scope_granted(scope));
    }

    #[test]
    fn slot_resolution_is_read() {
        let slot: Slot = serde_json::from_value(json!({
            "name": "station", "value": "nova",
            "resolutions": {"resolutionsPerAuthority": [
                {"authority": "x", "status": {"code": "ER_SUCCESS_NO_MATCH"}},
                {"authority": "y", "status": {"code": "ER_SUCCESS_MATCH"},
                 "values": [{"value": {"name": "Radio Nova", "id": "radio-nova"}}]}]}
        }))
        .expect("parse");
        assert_eq!(slot.resolved_id(), Some("radio-nova"));
    }
}
