//! Alexa's own size limits on what it sends, checked once when an envelope is parsed.
//!
//! A real request never comes near these: Alexa caps slot values, utterances and session
//! attributes far below the body limit. A request past them is forged or broken, and refusing it
//! at the edge (400 with the JSON path) means no matching, look-up or store write ever sees an
//! input larger than these few hundred characters.

use super::request::{EnvelopeError, Intent, RequestBody, RequestEnvelope};

/// Longest slot value, in characters. Alexa's custom slot values stop at 140 characters and a
/// spoken phrase at about 200; twice that leaves room for `AMAZON.SearchQuery`.
pub const MAX_SLOT_VALUE_CHARS: usize = 400;
/// Most slots in one intent: the interaction model allows far fewer.
pub const MAX_SLOTS: usize = 64;
/// Most resolution authorities and values per slot.
pub const MAX_RESOLUTIONS: usize = 16;
/// Longest intent, slot, authority or resolved name, id or status code.
pub const MAX_NAME_CHARS: usize = 400;
/// Largest session attributes, serialised: they come back from this server's own responses,
/// which Alexa caps at 24 KB in all.
pub const MAX_ATTRIBUTES_BYTES: usize = 24 * 1024;
/// Longest id (request, session, user, device, token) or short field Alexa sends.
pub const MAX_ID_CHARS: usize = 2048;

/// Checks every bounded field of `env`.
pub fn check(env: &RequestEnvelope) -> Result<(), EnvelopeError> {
    if let Some(session) = &env.session {
        if let Some(attributes) = &session.attributes {
            let size = serde_json::to_vec(attributes).map_or(usize::MAX, |v| v.len());
            if size > MAX_ATTRIBUTES_BYTES {
                return too_long("session.attributes", MAX_ATTRIBUTES_BYTES, "bytes");
            }
        }
        chars("session.sessionId", &session.session_id, MAX_ID_CHARS)?;
    }
    chars("request.requestId", &env.request.request_id, MAX_ID_CHARS)?;
    if let Some(user) = env.user_id() {
        chars("context.System.user.userId", user, MAX_ID_CHARS)?;
    }
    if let Some(device) = env.device_id() {
        chars("context.System.device.deviceId", device, MAX_ID_CHARS)?;
    }
    match &env.request.body {
        RequestBody::Intent { intent, .. } => check_intent(intent),
        RequestBody::CanFulfillIntent {
            intent: Some(intent),
        } => check_intent(intent),
        RequestBody::Playback(event) => match &event.token {
            Some(token) => chars("request.token", token, MAX_ID_CHARS),
            None => Ok(()),
        },
        _ => Ok(()),
    }
}

fn check_intent(intent: &Intent) -> Result<(), EnvelopeError> {
    chars("request.intent.name", &intent.name, MAX_NAME_CHARS)?;
    if intent.slots.len() > MAX_SLOTS {
        return too_long("request.intent.slots", MAX_SLOTS, "slots");
    }
    for (key, slot) in &intent.slots {
        chars("request.intent.slots", key, MAX_NAME_CHARS)?;
        let at = |field: &str| format!("request.intent.slots.{}.{field}", shorten(key));
        chars(&at("name"), &slot.name, MAX_NAME_CHARS)?;
        if let Some(value) = &slot.value {
            chars(&at("value"), value, MAX_SLOT_VALUE_CHARS)?;
        }
        if let Some(raw) = &slot.slot_value {
            let size = serde_json::to_vec(raw).map_or(usize::MAX, |v| v.len());
            if size > MAX_ATTRIBUTES_BYTES {
                return too_long(&at("slotValue"), MAX_ATTRIBUTES_BYTES, "bytes");
            }
        }
        let Some(resolutions) = &slot.resolutions else {
            continue;
        };
        let authorities = &resolutions.resolutions_per_authority;
        if authorities.len() > MAX_RESOLUTIONS {
            return too_long(&at("resolutions"), MAX_RESOLUTIONS, "authorities");
        }
        for authority in authorities {
            chars(
                &at("resolutions.authority"),
                &authority.authority,
                MAX_NAME_CHARS,
            )?;
            chars(
                &at("resolutions.status"),
                &authority.status.code,
                MAX_NAME_CHARS,
            )?;
            if authority.values.len() > MAX_RESOLUTIONS {
                return too_long(&at("resolutions.values"), MAX_RESOLUTIONS, "values");
            }
            for v in &authority.values {
                chars(
                    &at("resolutions.values.name"),
                    &v.value.name,
                    MAX_NAME_CHARS,
                )?;
                chars(&at("resolutions.values.id"), &v.value.id, MAX_NAME_CHARS)?;
            }
        }
    }
    Ok(())
}

/// A slot key cut for an error message.
fn shorten(key: &str) -> String {
    key.chars().take(40).collect()
}

fn chars(path: &str, value: &str, max: usize) -> Result<(), EnvelopeError> {
    // Bytes bound characters from above: the count is only needed near the limit.
    if value.len() > max && value.chars().count() > max {
        return too_long(path, max, "characters");
    }
    Ok(())
}

fn too_long(path: &str, max: usize, unit: &str) -> Result<(), EnvelopeError> {
    Err(EnvelopeError::Shape {
        path: path.to_string(),
        message: format!("longer than Alexa sends (at most {max} {unit})"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn intent_with(value: &str) -> serde_json::Value {
        json!({
            "version": "1.0",
            "context": {"System": {"application": {"applicationId": "a"}, "user": {"userId": "u"}}},
            "request": {"type": "IntentRequest", "requestId": "r", "timestamp": "2026-11-21T19:04:05Z",
                        "locale": "en-US",
                        "intent": {"name": "PlayPerformer", "slots": {"performer": {"name": "performer", "value": value}}}}
        })
    }

    #[test]
    fn ordinary_slots_pass() {
        let env = RequestEnvelope::from_value(intent_with("radiohead")).expect("parses");
        assert!(check(&env).is_ok());
        let edge = "é".repeat(MAX_SLOT_VALUE_CHARS);
        assert!(RequestEnvelope::from_value(intent_with(&edge)).is_ok());
    }

    #[test]
    fn long_slot_values_are_refused_with_their_path() {
        let long = "radiohead ".repeat(26_000);
        let err = RequestEnvelope::from_value(intent_with(&long)).expect_err("refused");
        assert_eq!(err.path(), Some("request.intent.slots.performer.value"));
        let accents = format!("e{}", "\u{301}".repeat(MAX_SLOT_VALUE_CHARS));
        assert!(RequestEnvelope::from_value(intent_with(&accents)).is_err());
    }

    #[test]
    fn large_session_attributes_are_refused() {
        let mut v = intent_with("x");
        v["session"] = json!({"sessionId": "s", "attributes": {"blob": "x".repeat(30_000)}});
        let err = RequestEnvelope::from_value(v).expect_err("refused");
        assert_eq!(err.path(), Some("session.attributes"));
    }
}
