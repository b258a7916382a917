//! Device events from the page's `<audio>` element: as it starts, pauses, nears its end and
//! ends, the page reports `AudioPlayer.PlaybackStarted`, `PlaybackStopped`,
//! `PlaybackNearlyFinished` and `PlaybackFinished` here, and the skill answers them in-process
//! exactly as it answers a real speaker's (saving positions, history, enqueuing what follows).

use super::talk::{identity, instant, set_device_zone};
use super::{parse_json, zone_param, ConsoleState};
use crate::alexa::{AudioPlayerState, PlayerActivity, RequestEnvelope};
use crate::devtools::envelope;
use crate::server::error::HttpError;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};

/// Longest token accepted (the skill's own are far shorter).
const MAX_TOKEN: usize = 1024;

/// The event kinds a page's player produces.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
enum Kind {
    #[serde(rename = "PlaybackStarted")]
    Started,
    #[serde(rename = "PlaybackStopped")]
    Stopped,
    #[serde(rename = "PlaybackNearlyFinished")]
    NearlyFinished,
    #[serde(rename = "PlaybackFinished")]
    Finished,
}

impl Kind {
    fn request_type(self) -> &'static str {
        match self {
            Self::Started => "AudioPlayer.PlaybackStarted",
            Self::Stopped => "AudioPlayer.PlaybackStopped",
            Self::NearlyFinished => "AudioPlayer.PlaybackNearlyFinished",
            Self::Finished => "AudioPlayer.PlaybackFinished",
        }
    }

    /// What the player reports in `context.AudioPlayer` along with the event.
    fn activity(self) -> PlayerActivity {
        match self {
            Self::Started | Self::NearlyFinished => PlayerActivity::Playing,
            Self::Stopped => PlayerActivity::Stopped,
            Self::Finished => PlayerActivity::Finished,
        }
    }
}

/// The body of `POST /console/api/event`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn {
    #[serde(rename = "type")]
    kind: Kind,
    token: String,
    #[serde(default)]
    offset_ms: i64,
    locale: String,
    at: Option<String>,
    zone: Option<String>,
}

/// The envelope a speaker sends for `kind`: no session, the player in the context.
fn build(event: &EventIn, timestamp: jiff::Timestamp) -> Value {
    let id = identity();
    let application = json!({"applicationId": id.skill_id});
    let player = AudioPlayerState {
        token: Some(event.token.clone()),
        offset_in_milliseconds: Some(event.offset_ms),
        player_activity: Some(event.kind.activity()),
    };
    json!({
        "version": "1.0",
        "context": {
            "System": {
                "application": application,
                "user": {"userId": id.user_id},
                "device": {"deviceId": id.device_id, "supportedInterfaces": {"AudioPlayer": {}}},
                "apiEndpoint": id.api_endpoint,
            },
            "AudioPlayer": player,
        },
        "request": {
            "type": event.kind.request_type(),
            "requestId": envelope::new_id("amzn1.echo-api.request"),
            "timestamp": envelope::timestamp(timestamp),
            "locale": event.locale.trim(),
            "token": event.token,
            "offsetInMilliseconds": event.offset_ms,
        },
    })
}

/// `POST /console/api/event`: one device event, answered by the skill.
pub(super) async fn event(
    State(console): State<ConsoleState>,
    body: Bytes,
) -> Result<Response, HttpError> {
    let input: EventIn = parse_json(&body)?;
    if input.token.trim().is_empty() || input.token.len() > MAX_TOKEN {
        return Err(HttpError::Unprocessable(format!(
            "token must be 1 to {MAX_TOKEN} bytes"
        )));
    }
    if input.offset_ms < 0 {
        return Err(HttpError::Unprocessable(
            "offset_ms must not be negative".into(),
        ));
    }
    console.models.get(input.locale.trim())?;
    let (tz, zone_name) = zone_param(input.zone.as_deref(), &console.default_zone)?;
    let now = instant(input.at.as_deref(), &tz)?;
    let request = build(&input, now);
    let parsed = RequestEnvelope::from_value(request.clone()).map_err(|e| {
        tracing::error!(error = %e, "console built an event envelope the parser refuses");
        HttpError::Internal
    })?;
    set_device_zone(&console, zone_name, now).await?;
    let outcome = console.skill.handle(&parsed).await;
    if let Some(error) = &outcome.error {
        tracing::error!(error = %error, "console event: handler failed");
    }
    Ok(Json(json!({
        "type": input.kind.request_type(),
        "request": request,
        "response": outcome.response,
        "handler_error": outcome.error.as_ref().map(|e| e.to_string()),
    }))
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_parse_as_audio_player_requests() {
        for kind in [
            Kind::Started,
            Kind::Stopped,
            Kind::NearlyFinished,
            Kind::Finished,
        ] {
            let event = EventIn {
                kind,
                token: "tok".into(),
                offset_ms: 1500,
                locale: "en-US".into(),
                at: None,
                zone: None,
            };
            let v = build(&event, "2026-11-21T19:04:05Z".parse().expect("ts"));
            let env = RequestEnvelope::from_value(v).expect("a valid envelope");
            assert_eq!(env.request.type_name, kind.request_type());
            let player = env.context.audio_player.expect("player");
            assert_eq!(player.player_activity, Some(kind.activity()));
            assert_eq!(player.offset_in_milliseconds, Some(1500));
        }
    }
}
