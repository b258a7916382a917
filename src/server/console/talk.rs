//! The Talk panel's API: an utterance (or an intent and its slots) in, the resolution, the
//! request envelope and the skill's response out.
//!
//! The envelope is the one a device would send ([`crate::devtools::envelope::build`]), run
//! in-process through [`crate::skill::Skill::handle`]: nothing here goes through `/alexa`, so
//! its request verification is never relaxed. The player state in the envelope is what the
//! page's `<audio>` element reports, the device's own view. A conversation keeps its session
//! (id and attributes) between turns until a response ends it; "time" and "zone" choose the
//! request's timestamp and the simulated device's time zone.

use super::{parse_json, zone_param, ConsoleState, CONSOLE_DEVICE_ID, CONSOLE_USER_ID};
use crate::alexa::{AudioPlayerState, RequestEnvelope};
use crate::devtools::envelope::{self, Identity, RequestContext, SessionContext};
use crate::nlu::{Resolution, ResolvedSlot, LAUNCH_REQUEST};
use crate::server::error::HttpError;
use crate::store::DeviceZone;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::Timestamp;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// Conversations kept at most; the least recently used go first.
const MAX_CONVERSATIONS: usize = 200;
/// Longest utterance.
const MAX_UTTERANCE: usize = 500;
/// Longest slot value.
const MAX_SLOT_VALUE: usize = 200;

/// Open sessions by conversation id.
#[derive(Default)]
pub(super) struct Conversations {
    inner: Mutex<HashMap<String, (Timestamp, Option<SessionContext>)>>,
}

impl Conversations {
    fn session(&self, id: &str) -> Option<SessionContext> {
        let map = self.inner.lock().ok()?;
        map.get(id).and_then(|(_, s)| s.clone())
    }

    fn keep(&self, id: &str, session: Option<SessionContext>) {
        let Ok(mut map) = self.inner.lock() else {
            return;
        };
        while map.len() >= MAX_CONVERSATIONS && !map.contains_key(id) {
            let Some(oldest) = map
                .iter()
                .min_by_key(|(_, (t, _))| *t)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            map.remove(&oldest);
        }
        map.insert(id.to_string(), (Timestamp::now(), session));
    }
}

/// The simulated speaker's identity.
pub(super) fn identity() -> Identity {
    Identity {
        user_id: CONSOLE_USER_ID.into(),
        device_id: CONSOLE_DEVICE_ID.into(),
        ..Identity::default()
    }
}

/// `GET /console/api/info`: what the page needs to set itself up.
pub(super) async fn info(State(console): State<ConsoleState>) -> Response {
    let locales = console.models.locales();
    let intents: BTreeMap<String, Value> = locales
        .iter()
        .filter_map(|l| console.models.get(l).ok().map(|nlu| (l.clone(), nlu)))
        .map(|(l, nlu)| {
            let list: Vec<Value> = nlu
                .model()
                .intents()
                .iter()
                .map(|i| {
                    let slots: Vec<&str> = i.slots.iter().map(|s| s.name.as_str()).collect();
                    json!({"name": i.name, "slots": slots})
                })
                .collect();
            (l, json!(list))
        })
        .collect();
    Json(json!({
        "locales": locales,
        "intents": intents,
        "default_zone": console.default_zone,
        "user_key": crate::privacy::user_key(CONSOLE_USER_ID),
        "token_required": console.access.token_required(),
    }))
    .into_response()
}

/// The body of `POST /console/api/talk`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TalkIn {
    /// Conversation id; a new conversation when absent.
    conversation: Option<String>,
    /// What the user says.
    utterance: Option<String>,
    /// Or the intent to send, with `slots`.
    intent: Option<String>,
    #[serde(default)]
    slots: BTreeMap<String, String>,
    locale: String,
    /// "Now" for the request: RFC 3339, or a local date-time in `zone`.
    at: Option<String>,
    /// The device's time zone.
    zone: Option<String>,
    /// What the page's player is doing.
    #[serde(default)]
    player: AudioPlayerState,
}

/// A conversation id: ours are UUID-shaped; anything short and plain is accepted.
pub(super) fn conversation_id(raw: Option<&str>) -> Result<String, HttpError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(envelope::new_id("console")),
        Some(id)
            if id.len() <= 100
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)) =>
        {
            Ok(id.to_string())
        }
        Some(_) => Err(HttpError::Unprocessable(
            "conversation must be up to 100 letters, digits, '-', '.' or '_'".into(),
        )),
    }
}

/// "Now" of a request: the given time in `zone`, or the clock.
pub(super) fn instant(
    raw: Option<&str>,
    zone: &jiff::tz::TimeZone,
) -> Result<Timestamp, HttpError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Timestamp::now()),
        Some(raw) => crate::devtools::conversation::parse_instant(raw, zone).ok_or_else(|| {
            HttpError::Unprocessable(format!(
                "at {raw:?} is not a time; use RFC 3339 (2026-11-21T21:00:00Z) or a local date-time (2026-11-21T21:00)"
            ))
        }),
    }
}

/// Tells the store the simulated device's zone, as the Settings API would have.
pub(super) async fn set_device_zone(
    console: &ConsoleState,
    zone: String,
    now: Timestamp,
) -> Result<(), HttpError> {
    let key = crate::privacy::device_key(CONSOLE_DEVICE_ID);
    super::blocking(&console.store, move |store| {
        store.set_device_zone(
            &key,
            &DeviceZone {
                zone,
                fetched_at: now,
            },
        )
    })
    .await
}

fn resolution_of(
    input: &TalkIn,
    nlu: &crate::nlu::Nlu,
    now: &jiff::Zoned,
) -> Result<Resolution, HttpError> {
    if let Some(utterance) = input
        .utterance
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        if utterance.chars().count() > MAX_UTTERANCE {
            return Err(HttpError::Unprocessable(format!(
                "utterance is longer than {MAX_UTTERANCE} characters"
            )));
        }
        return Ok(nlu.resolve(utterance, now));
    }
    let Some(name) = input
        .intent
        .as_deref()
        .map(str::trim)
        .filter(|i| !i.is_empty())
    else {
        return Err(HttpError::Unprocessable(
            "say something: give an utterance, or an intent and its slots".into(),
        ));
    };
    if name == LAUNCH_REQUEST {
        return Ok(Resolution {
            intent: LAUNCH_REQUEST.into(),
            slots: vec![],
            confidence: 1.0,
        });
    }
    let def = nlu.model().intent(name).ok_or_else(|| {
        HttpError::Unprocessable(format!(
            "the model of {} has no intent {name:?}",
            input.locale
        ))
    })?;
    for (slot, value) in &input.slots {
        if !def.slots.iter().any(|s| &s.name == slot) {
            return Err(HttpError::Unprocessable(format!(
                "{name} has no slot {slot:?}"
            )));
        }
        if value.chars().count() > MAX_SLOT_VALUE {
            return Err(HttpError::Unprocessable(format!(
                "slot {slot:?} is longer than {MAX_SLOT_VALUE} characters"
            )));
        }
    }
    let slots = def
        .slots
        .iter()
        .map(|s| ResolvedSlot {
            name: s.name.clone(),
            value: input
                .slots
                .get(&s.name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty()),
            entity: None,
        })
        .collect();
    Ok(Resolution {
        intent: def.name.clone(),
        slots,
        confidence: 1.0,
    })
}

/// `POST /console/api/talk`: one turn of a conversation.
pub(super) async fn talk(
    State(console): State<ConsoleState>,
    body: Bytes,
) -> Result<Response, HttpError> {
    let input: TalkIn = parse_json(&body)?;
    let conversation = conversation_id(input.conversation.as_deref())?;
    let (tz, zone_name) = zone_param(input.zone.as_deref(), &console.default_zone)?;
    let now = instant(input.at.as_deref(), &tz)?;
    let nlu = console.models.get(input.locale.trim())?;
    let resolution = resolution_of(&input, &nlu, &now.to_zoned(tz.clone()))?;
    let session = match console.conversations.session(&conversation) {
        Some(open) if resolution.intent != LAUNCH_REQUEST => open,
        _ => SessionContext {
            id: envelope::new_id("amzn1.echo-api.session"),
            new: true,
            attributes: serde_json::Map::new(),
        },
    };
    let identity = identity();
    let request_id = envelope::new_id("amzn1.echo-api.request");
    let ctx = RequestContext {
        identity: &identity,
        session: Some(&session),
        player: &input.player,
        locale: input.locale.trim(),
        timestamp: now,
        request_id: &request_id,
    };
    let request = envelope::build(&ctx, &resolution);
    let parsed = RequestEnvelope::from_value(request.clone()).map_err(|e| {
        tracing::error!(error = %e, "console built an envelope the parser refuses");
        HttpError::Internal
    })?;
    set_device_zone(&console, zone_name.clone(), now).await?;
    let outcome = console.skill.handle(&parsed).await;
    let response = &outcome.response;
    let open = response.response.should_end_session == Some(false);
    let next = open.then(|| SessionContext {
        id: session.id.clone(),
        new: false,
        attributes: response.session_attributes.clone().unwrap_or_default(),
    });
    console.conversations.keep(&conversation, next);
    if let Some(error) = &outcome.error {
        tracing::error!(error = %error, "console turn: handler failed; answered with an apology");
    }
    Ok(Json(json!({
        "conversation": conversation,
        "session": {"id": session.id, "open": open},
        "zone": zone_name,
        "resolution": resolution,
        "request": request,
        "response": response,
        "handler_error": outcome.error.as_ref().map(|e| e.to_string()),
    }))
    .into_response())
}
