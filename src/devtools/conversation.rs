//! What a device remembers between turns: the open session and its player.
//!
//! Alexa keeps the session (id and the attributes the skill returned) until a response ends
//! it, and reports the player's token, offset and activity in every request (the player itself
//! is [`super::device::Player`]). Keeping both here
//! is what makes "what's on tonight" followed by "play the first one" work, and what lets a
//! "stop" after a "play" reach the skill with the player PLAYING, as on a real speaker.

use super::device::{self, Action, DeviceEvent, Player};
use super::envelope::{self, Identity, RequestContext, SessionContext};
use crate::alexa::{AudioPlayerState, Directive, Intent, ResponseEnvelope};
use crate::nlu::{Resolution, LAUNCH_REQUEST};
use jiff::{Timestamp, Zoned};
use serde_json::{json, Value};

/// "Now" for the requests: the real clock, or a fixed instant (`--at`, `:at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The system clock.
    System,
    /// Always this instant, so answers are reproducible.
    Fixed(Timestamp),
}

impl Clock {
    /// The current instant by this clock.
    pub fn now(&self) -> Timestamp {
        match self {
            Self::System => Timestamp::now(),
            Self::Fixed(t) => *t,
        }
    }
}

/// The state carried from one turn to the next.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// Skill, user and device ids.
    pub identity: Identity,
    /// Locale of the next request.
    pub locale: String,
    session: Option<SessionContext>,
    /// The device's player.
    pub player: Player,
    /// The intent a `Dialog.ConfirmIntent` asked the listener to confirm, while its session
    /// is open.
    pending_confirm: Option<Intent>,
}

impl Conversation {
    /// A conversation with no session yet and an idle player.
    pub fn new(identity: Identity, locale: &str) -> Self {
        Self {
            identity,
            locale: locale.to_string(),
            session: None,
            player: Player::default(),
            pending_confirm: None,
        }
    }

    /// The request for `resolution` at `now`. Opens a session when none is open, and always
    /// for a LaunchRequest ("open on air" starts over, as on a device).
    pub fn request(&mut self, resolution: &Resolution, now: Timestamp) -> Value {
        if resolution.intent == LAUNCH_REQUEST {
            self.session = None;
        }
        let request = envelope::request_for(resolution, &self.identity.skill_id);
        self.in_session(request, now)
    }

    /// The request answering the pending `Dialog.ConfirmIntent` with yes or no; `None` when no
    /// confirmation is pending.
    pub fn confirm(&mut self, yes: bool, now: Timestamp) -> Option<Value> {
        let mut intent = self.pending_confirm.take()?;
        intent.confirmation_status = Some(if yes { "CONFIRMED" } else { "DENIED" }.into());
        let intent = serde_json::to_value(&intent).ok()?;
        let request =
            json!({"type": "IntentRequest", "dialogState": "IN_PROGRESS", "intent": intent});
        Some(self.in_session(request, now))
    }

    /// True while a `Dialog.ConfirmIntent` waits for yes or no.
    pub fn confirmation_pending(&self) -> bool {
        self.pending_confirm.is_some()
    }

    /// `request` (type and payload) sent inside the open session, opening one if needed.
    pub fn in_session(&mut self, request: Value, now: Timestamp) -> Value {
        let session = self
            .session
            .get_or_insert_with(|| SessionContext {
                id: envelope::new_id("amzn1.echo-api.session"),
                new: true,
                attributes: serde_json::Map::new(),
            })
            .clone();
        let request_id = envelope::new_id("amzn1.echo-api.request");
        let player = self.player.state(now);
        let ctx = RequestContext {
            identity: &self.identity,
            session: Some(&session),
            player: &player,
            locale: &self.locale,
            timestamp: now,
            request_id: &request_id,
        };
        let envelope = envelope::wrap(&ctx, request);
        if let Some(s) = &mut self.session {
            s.new = false;
        }
        envelope
    }

    /// The device event `event` at `now`, outside any session.
    pub fn event(&self, event: &DeviceEvent, now: Timestamp) -> Value {
        let player = self.player.state(now);
        let request_id = envelope::new_id("amzn1.echo-api.request");
        let ctx = RequestContext {
            identity: &self.identity,
            session: None,
            player: &player,
            locale: &self.locale,
            timestamp: now,
            request_id: &request_id,
        };
        envelope::wrap(&ctx, device::event_request(event, &player))
    }

    /// Takes in the skill's answer to a request of the session: the session ends unless
    /// `shouldEndSession` is explicitly false (absent ends it too, as on a speaker without a
    /// screen); ending a session clears its attributes, never the player. Returns what the
    /// player does next.
    pub fn absorb(&mut self, response: &ResponseEnvelope) -> Vec<Action> {
        self.pending_confirm = None;
        if response.response.should_end_session == Some(false) {
            if let Some(s) = &mut self.session {
                s.attributes = response.session_attributes.clone().unwrap_or_default();
            }
            self.pending_confirm = response.response.directives.iter().find_map(|d| match d {
                Directive::ConfirmIntent { updated_intent } => updated_intent.clone(),
                _ => None,
            });
        } else {
            self.session = None;
        }
        self.absorb_event(response)
    }

    /// Takes in the answer to a device event: only its AudioPlayer directives matter.
    pub fn absorb_event(&mut self, response: &ResponseEnvelope) -> Vec<Action> {
        response
            .response
            .directives
            .iter()
            .flat_map(|d| self.player.apply(d))
            .collect()
    }

    /// `context.AudioPlayer` as a request at `now` reports it.
    pub fn player_state(&self, now: Timestamp) -> AudioPlayerState {
        self.player.state(now)
    }

    /// The open session, if any.
    pub fn session(&self) -> Option<&SessionContext> {
        self.session.as_ref()
    }
}

/// "Today at `hh:mm[:ss]`" in the zone of `now`.
pub fn today_at(now: &Zoned, clock_time: &str) -> Option<Timestamp> {
    let time: jiff::civil::Time = clock_time.trim().parse().ok()?;
    now.date()
        .to_datetime(time)
        .to_zoned(now.time_zone().clone())
        .ok()
        .map(|z| z.timestamp())
}

/// Parses an instant: RFC 3339 (`2026-11-21T21:00:00Z`), or a civil date-time taken in `zone`.
pub fn parse_instant(raw: &str, zone: &jiff::tz::TimeZone) -> Option<Timestamp> {
    let raw = raw.trim();
    if let Ok(t) = raw.parse::<Timestamp>() {
        return Some(t);
    }
    let civil: jiff::civil::DateTime = raw.parse().ok()?;
    civil.to_zoned(zone.clone()).ok().map(|z| z.timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alexa::{AudioItem, PlayBehavior, PlayerActivity, ResponseBuilder, Stream};
    use crate::devtools::device::Queued;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn utterance(intent: &str) -> Resolution {
        Resolution {
            intent: intent.into(),
            slots: vec![],
            confidence: 1.0,
        }
    }

    fn play(token: &str) -> Directive {
        Directive::Play {
            play_behavior: PlayBehavior::ReplaceAll,
            audio_item: AudioItem {
                stream: Stream {
                    url: "https://x/live.mp3".into(),
                    token: token.into(),
                    expected_previous_token: None,
                    offset_in_milliseconds: 0,
                },
                metadata: None,
            },
        }
    }

    /// Runs the player's actions the simple way: start items, halt, ignore sends.
    fn follow(c: &mut Conversation, actions: Vec<Action>, now: Timestamp) {
        for action in actions {
            match action {
                Action::Start(item) => c.player.start(item, now, None),
                Action::Halt => c.player.halt(now),
                Action::Send(_) => {}
            }
        }
    }

    #[test]
    fn attributes_carry_over_while_the_session_is_open() {
        let mut c = Conversation::new(Identity::default(), "en-US");
        let t = at("2026-11-21T19:04:05Z");
        let first = c.request(&utterance("WhatsOnIntent"), t);
        assert_eq!(first["session"]["new"], true);
        let attrs = serde_json::from_value(json!({"listing": [{"id": "e", "kind": "event"}]}))
            .expect("map");
        c.absorb(
            &ResponseBuilder::new()
                .end_session(false)
                .attributes(attrs)
                .build(),
        );
        let second = c.request(&utterance("PlayItemIntent"), t);
        assert_eq!(second["session"]["new"], false);
        assert_eq!(
            second["session"]["sessionId"],
            first["session"]["sessionId"]
        );
        assert_eq!(second["session"]["attributes"]["listing"][0]["id"], "e");
    }

    #[test]
    fn ending_the_session_clears_attributes_but_keeps_the_player() {
        let mut c = Conversation::new(Identity::default(), "en-US");
        let t = at("2026-11-21T19:04:05Z");
        let first = c.request(&utterance("PlayLiveIntent"), t);
        let actions = c.absorb(
            &ResponseBuilder::new()
                .directive(play("tok-1"))
                .end_session(true)
                .build(),
        );
        follow(&mut c, actions, t);
        assert!(c.session().is_none());
        let later = at("2026-11-21T19:04:35Z");
        let next = c.request(&utterance("AMAZON.StopIntent"), later);
        assert_eq!(next["session"]["new"], true);
        assert_ne!(next["session"]["sessionId"], first["session"]["sessionId"]);
        assert_eq!(next["session"]["attributes"], json!({}));
        let player = &next["context"]["AudioPlayer"];
        assert_eq!(player["token"], "tok-1");
        assert_eq!(player["playerActivity"], "PLAYING");
        assert_eq!(player["offsetInMilliseconds"], 30_000);
    }

    #[test]
    fn events_carry_no_session_and_report_the_player() {
        let mut c = Conversation::new(Identity::default(), "en-US");
        let t = at("2026-11-21T19:00:00Z");
        c.player.start(
            Queued {
                token: "tok".into(),
                offset_ms: 0,
            },
            t,
            None,
        );
        let event = c.event(&DeviceEvent::Started, at("2026-11-21T19:00:02Z"));
        assert!(event.get("session").is_none());
        assert_eq!(event["request"]["type"], "AudioPlayer.PlaybackStarted");
        assert_eq!(event["request"]["token"], "tok");
        assert_eq!(event["request"]["offsetInMilliseconds"], 2000);
        let envelope = crate::alexa::RequestEnvelope::from_value(event).expect("valid");
        assert_eq!(
            envelope
                .context
                .audio_player
                .and_then(|p| p.player_activity),
            Some(PlayerActivity::Playing)
        );
    }

    #[test]
    fn a_confirmation_answers_the_pending_intent() {
        let mut c = Conversation::new(Identity::default(), "en-US");
        let t = at("2026-11-21T19:04:05Z");
        assert!(c.confirm(true, t).is_none(), "nothing to confirm yet");
        c.request(&utterance("RemindMeIntent"), t);
        c.absorb(
            &ResponseBuilder::new()
                .directive(Directive::ConfirmIntent {
                    updated_intent: Some(Intent::named("RemindMeIntent")),
                })
                .end_session(false)
                .build(),
        );
        assert!(c.confirmation_pending());
        let yes = c.confirm(true, t).expect("pending");
        assert_eq!(yes["request"]["intent"]["name"], "RemindMeIntent");
        assert_eq!(yes["request"]["intent"]["confirmationStatus"], "CONFIRMED");
        assert_eq!(yes["session"]["new"], false);
        assert!(!c.confirmation_pending());
    }

    #[test]
    fn launch_starts_a_new_session() {
        let mut c = Conversation::new(Identity::default(), "en-US");
        let t = at("2026-11-21T19:04:05Z");
        let a = c.request(&utterance("AMAZON.HelpIntent"), t);
        c.absorb(&ResponseBuilder::new().end_session(false).build());
        let b = c.request(&utterance(LAUNCH_REQUEST), t);
        assert_eq!(b["session"]["new"], true);
        assert_ne!(a["session"]["sessionId"], b["session"]["sessionId"]);
    }

    #[test]
    fn clock_times_and_instants() {
        let zone = jiff::tz::TimeZone::get("Europe/Paris").expect("tz");
        let now = at("2026-11-21T19:04:05Z").to_zoned(zone.clone());
        assert_eq!(today_at(&now, "21:00"), Some(at("2026-11-21T20:00:00Z")));
        assert_eq!(today_at(&now, "soon"), None);
        assert_eq!(
            parse_instant("2026-11-21T21:00:00Z", &zone),
            Some(at("2026-11-21T21:00:00Z"))
        );
        assert_eq!(
            parse_instant("2026-11-21T21:00", &zone),
            Some(at("2026-11-21T20:00:00Z"))
        );
        assert_eq!(parse_instant("tomorrow", &zone), None);
    }
}
