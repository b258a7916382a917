//! Request envelopes as Alexa would send them for a resolved utterance.
//!
//! The point of `onair say` is that the skill cannot tell its requests from a device's, so
//! everything Alexa fills in is filled in here too: the session with last turn's attributes,
//! `context.System` with application, user, device and its interfaces, `context.AudioPlayer`,
//! and every declared slot, with entity resolutions for custom types. An `apiAccessToken` and
//! permissions are sent only with the local fake Alexa APIs (see [`super::fake_apis`]): without
//! them the skill uses its default zone instead of calling the Settings API, which keeps the
//! loop offline. AudioPlayer and PlaybackController events carry no session, as on a device.

use crate::alexa::AudioPlayerState;
use crate::nlu::{ErStatus, Resolution, ResolvedSlot, LAUNCH_REQUEST};
use jiff::Timestamp;
use rand::Rng;
use serde_json::{json, Map, Value};

/// Who talks to the skill, from where.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    /// `application.applicationId`; also part of every resolution authority.
    pub skill_id: String,
    /// `user.userId`.
    pub user_id: String,
    /// `device.deviceId`.
    pub device_id: String,
    /// `context.System.apiEndpoint`.
    pub api_endpoint: String,
    /// `context.System.apiAccessToken`: only sent when a (fake) API answers at the endpoint.
    pub api_access_token: Option<String>,
    /// `user.permissions.scopes`: scope name and status (`GRANTED`, `DENIED`).
    pub scopes: Vec<(String, String)>,
}

impl Default for Identity {
    fn default() -> Self {
        Self {
            skill_id: super::DEV_SKILL_ID.into(),
            user_id: super::DEV_USER_ID.into(),
            device_id: super::DEV_DEVICE_ID.into(),
            api_endpoint: "https://api.amazonalexa.com".into(),
            api_access_token: None,
            scopes: Vec::new(),
        }
    }
}

/// The `session` object of the next request.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionContext {
    /// `sessionId`.
    pub id: String,
    /// True on the first request of the session.
    pub new: bool,
    /// What the previous response returned as `sessionAttributes`.
    pub attributes: Map<String, Value>,
}

/// Everything besides the utterance that goes into one request.
#[derive(Debug, Clone, Copy)]
pub struct RequestContext<'a> {
    /// Skill, user and device.
    pub identity: &'a Identity,
    /// The session this request belongs to; none for device events.
    pub session: Option<&'a SessionContext>,
    /// What the device's player is doing.
    pub player: &'a AudioPlayerState,
    /// `request.locale`.
    pub locale: &'a str,
    /// `request.timestamp`: "now" for the skill.
    pub timestamp: Timestamp,
    /// `request.requestId`.
    pub request_id: &'a str,
}

/// The envelope for `resolution`: a `LaunchRequest` for a bare "open on air", else an
/// `IntentRequest`.
pub fn build(ctx: &RequestContext<'_>, resolution: &Resolution) -> Value {
    wrap(ctx, request_for(resolution, &ctx.identity.skill_id))
}

/// The `request` object (type and payload) for `resolution`.
pub fn request_for(resolution: &Resolution, skill_id: &str) -> Value {
    if resolution.intent == LAUNCH_REQUEST {
        json!({"type": "LaunchRequest"})
    } else {
        json!({"type": "IntentRequest", "intent": intent(resolution, skill_id)})
    }
}

/// The envelope around a `request` object (its type and payload): ids, timestamp, locale, the
/// session when there is one, and the device context.
pub fn wrap(ctx: &RequestContext<'_>, mut request: Value) -> Value {
    request["requestId"] = json!(ctx.request_id);
    request["timestamp"] = json!(timestamp(ctx.timestamp));
    request["locale"] = json!(ctx.locale);
    let id = ctx.identity;
    let application = json!({"applicationId": id.skill_id});
    let mut user = json!({"userId": id.user_id});
    if !id.scopes.is_empty() {
        let scopes: Map<String, Value> = id
            .scopes
            .iter()
            .map(|(scope, status)| (scope.clone(), json!({"status": status})))
            .collect();
        user["permissions"] = json!({"scopes": scopes});
    }
    let mut system = json!({
        "application": application,
        "user": user,
        "device": {"deviceId": id.device_id, "supportedInterfaces": {"AudioPlayer": {}}},
        "apiEndpoint": id.api_endpoint,
    });
    if let Some(token) = &id.api_access_token {
        system["apiAccessToken"] = json!(token);
    }
    let mut envelope = json!({
        "version": "1.0",
        "context": {"System": system, "AudioPlayer": player(ctx.player)},
        "request": request,
    });
    if let Some(session) = ctx.session {
        envelope["session"] = json!({
            "new": session.new,
            "sessionId": session.id,
            "application": application,
            "attributes": session.attributes,
            "user": user,
        });
    }
    envelope
}

fn player(state: &AudioPlayerState) -> Value {
    serde_json::to_value(state).unwrap_or_else(|_| json!({"playerActivity": "IDLE"}))
}

/// `request.intent`: every slot the intent declares, keyed by name as Alexa does.
fn intent(resolution: &Resolution, skill_id: &str) -> Value {
    let slots: Map<String, Value> = resolution
        .slots
        .iter()
        .map(|s| (s.name.clone(), slot(s, skill_id)))
        .collect();
    json!({"name": resolution.intent, "confirmationStatus": "NONE", "slots": slots})
}

/// One slot. Empty slots carry only name and confirmation status; filled ones also `source`,
/// and custom types the resolution block (also repeated under `slotValue`, as Alexa does).
fn slot(slot: &ResolvedSlot, skill_id: &str) -> Value {
    let mut out = json!({"name": slot.name, "confirmationStatus": "NONE"});
    let Some(value) = &slot.value else {
        return out;
    };
    out["value"] = json!(value);
    out["source"] = json!("USER");
    let mut simple = json!({"type": "Simple", "value": value});
    if let Some(entity) = &slot.entity {
        let mut per_authority = json!({
            "authority": authority(skill_id, &entity.slot_type),
            "status": {"code": entity.status.code()},
        });
        if entity.status == ErStatus::SuccessMatch {
            let values: Vec<Value> = entity
                .values
                .iter()
                .map(|v| json!({"value": {"name": v.name, "id": v.id}}))
                .collect();
            per_authority["values"] = json!(values);
        }
        let resolutions = json!({"resolutionsPerAuthority": [per_authority]});
        simple["resolutions"] = resolutions.clone();
        out["resolutions"] = resolutions;
    }
    out["slotValue"] = simple;
    out
}

/// The entity-resolution authority of a custom slot type.
pub fn authority(skill_id: &str, slot_type: &str) -> String {
    format!("amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}")
}

/// `request.timestamp` in Alexa's form: UTC, whole seconds.
pub fn timestamp(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A fresh id in Alexa's shape, e.g. `amzn1.echo-api.request.<uuid>`.
pub fn new_id(prefix: &str) -> String {
    let mut bytes: [u8; 16] = rand::rng().random();
    // A version-4, RFC 4122 variant UUID, like the ones Alexa uses.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{prefix}.{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alexa::{PlayerActivity, RequestBody, RequestEnvelope};
    use crate::nlu::{EntityResolution, EntityValue};

    fn ctx_parts() -> (Identity, SessionContext, AudioPlayerState) {
        (
            Identity::default(),
            SessionContext {
                id: "amzn1.echo-api.session.s".into(),
                new: false,
                attributes: serde_json::from_value(json!({"listing": [1]})).expect("map"),
            },
            AudioPlayerState {
                token: Some("t1".into()),
                offset_in_milliseconds: Some(1500),
                player_activity: Some(PlayerActivity::Playing),
            },
        )
    }

    fn resolution() -> Resolution {
        Resolution {
            intent: "WhatsOnIntent".into(),
            slots: vec![
                ResolvedSlot {
                    name: "date".into(),
                    value: Some("2026-11-21".into()),
                    entity: None,
                },
                ResolvedSlot {
                    name: "time".into(),
                    value: None,
                    entity: None,
                },
                ResolvedSlot {
                    name: "station".into(),
                    value: Some("nova".into()),
                    entity: Some(EntityResolution {
                        slot_type: "STATION_NAME".into(),
                        status: ErStatus::SuccessMatch,
                        values: vec![EntityValue {
                            id: "radio-nova".into(),
                            name: "Radio Nova".into(),
                        }],
                    }),
                },
                ResolvedSlot {
                    name: "genre".into(),
                    value: Some("polka".into()),
                    entity: Some(EntityResolution {
                        slot_type: "GENRE".into(),
                        status: ErStatus::SuccessNoMatch,
                        values: vec![],
                    }),
                },
            ],
            confidence: 1.0,
        }
    }

    fn build_with(resolution: &Resolution) -> Value {
        let (identity, session, player) = ctx_parts();
        let ctx = RequestContext {
            identity: &identity,
            session: Some(&session),
            player: &player,
            locale: "en-US",
            timestamp: "2026-11-21T19:04:05.750Z".parse().expect("ts"),
            request_id: "amzn1.echo-api.request.r",
        };
        build(&ctx, resolution)
    }

    #[test]
    fn intent_envelope_parses_and_carries_context() {
        let v = build_with(&resolution());
        let env = RequestEnvelope::from_value(v.clone()).expect("a valid envelope");
        assert_eq!(env.user_id(), Some(DEV_USER));
        assert_eq!(env.device_id(), Some(super::super::DEV_DEVICE_ID));
        assert!(env.supports_audio());
        assert_eq!(env.attributes()["listing"], json!([1]));
        let player = env.context.audio_player.expect("player");
        assert_eq!(player.token.as_deref(), Some("t1"));
        assert_eq!(player.player_activity, Some(PlayerActivity::Playing));
        assert_eq!(v["request"]["timestamp"], "2026-11-21T19:04:05Z");
        assert_eq!(v["session"]["new"], false);
        let RequestBody::Intent { intent, .. } = env.request.body else {
            panic!("not an intent request");
        };
        assert_eq!(intent.name, "WhatsOnIntent");
        assert_eq!(intent.slots.len(), 4, "empty slots are sent too");
        assert_eq!(intent.slot_value("date"), Some("2026-11-21"));
        assert_eq!(intent.slot_value("time"), None);
        assert_eq!(intent.slots["station"].resolved_id(), Some("radio-nova"));
        assert_eq!(intent.slots["genre"].resolved_id(), None);
    }

    const DEV_USER: &str = super::super::DEV_USER_ID;

    #[test]
    fn resolutions_look_like_alexa() {
        let v = build_with(&resolution());
        let station = &v["request"]["intent"]["slots"]["station"];
        assert_eq!(
            station["resolutions"]["resolutionsPerAuthority"][0],
            json!({
                "authority": format!("amzn1.er-authority.echo-sdk.{}.STATION_NAME", super::super::DEV_SKILL_ID),
                "status": {"code": "ER_SUCCESS_MATCH"},
                "values": [{"value": {"name": "Radio Nova", "id": "radio-nova"}}]
            })
        );
        assert_eq!(station["slotValue"]["type"], "Simple");
        let genre = &v["request"]["intent"]["slots"]["genre"]["resolutions"];
        assert_eq!(
            genre["resolutionsPerAuthority"][0]["status"]["code"],
            "ER_SUCCESS_NO_MATCH"
        );
        assert!(genre["resolutionsPerAuthority"][0].get("values").is_none());
        let time = &v["request"]["intent"]["slots"]["time"];
        assert_eq!(time, &json!({"name": "time", "confirmationStatus": "NONE"}));
        let date = &v["request"]["intent"]["slots"]["date"];
        assert!(
            date.get("resolutions").is_none(),
            "built-in types have none"
        );
    }

    #[test]
    fn bare_launch_is_a_launch_request() {
        let launch = Resolution {
            intent: LAUNCH_REQUEST.into(),
            slots: vec![],
            confidence: 1.0,
        };
        let v = build_with(&launch);
        assert_eq!(v["request"]["type"], "LaunchRequest");
        assert!(v["request"].get("intent").is_none());
        let env = RequestEnvelope::from_value(v).expect("valid");
        assert_eq!(env.request.body, RequestBody::Launch);
    }

    #[test]
    fn ids_are_uuid_shaped_and_fresh() {
        let a = new_id("amzn1.echo-api.request");
        let b = new_id("amzn1.echo-api.request");
        assert_ne!(a, b);
        let uuid = a.trim_start_matches("amzn1.echo-api.request.");
        let groups: Vec<usize> = uuid.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&uuid[14..15], "4");
    }
}
