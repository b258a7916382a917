//! What a device remembers between turns: the open session and its player.
//!
//! Alexa keeps the session (id and the attributes the skill returned) until a response ends
//! it, and reports the player's token, offset and activity in every request. Keeping both here
//! is what makes "what's on tonight" followed by "play the first one" work, and what lets a
//! "stop" after a "play" reach the skill with the player PLAYING, as on a real speaker.

use super::envelope::{self, Identity, RequestContext, SessionContext};
use crate::alexa::{
    AudioPlayerState, ClearBehavior, Directive, PlayBehavior, PlayerActivity, ResponseEnvelope,
};
use crate::nlu::{Resolution, LAUNCH_REQUEST};
use jiff::{Timestamp, Zoned};
use serde_json::Value;

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

/// The device's player as the next request reports it.
#[derive(Debug, Clone, PartialEq)]
struct Player {
    token: Option<String>,
    /// Offset when `since` was recorded.
    offset_ms: i64,
    activity: PlayerActivity,
    /// When playback (re)started, to advance the offset while PLAYING.
    since: Timestamp,
}

/// The state carried from one turn to the next.
#[derive(Debug, Clone)]
pub struct Conversation {
    /// Skill, user and device ids.
    pub identity: Identity,
    /// Locale of the next request.
    pub locale: String,
    session: Option<SessionContext>,
    player: Player,
}

impl Conversation {
    /// A conversation with no session yet and an idle player.
    pub fn new(identity: Identity, locale: &str) -> Self {
        Self {
            identity,
            locale: locale.to_string(),
            session: None,
            player: Player {
                token: None,
                offset_ms: 0,
                activity: PlayerActivity::Idle,
                since: Timestamp::UNIX_EPOCH,
            },
        }
    }

    /// The request for `resolution` at `now`. Opens a session when none is open, and always
    /// for a LaunchRequest ("open on air" starts over, as on a device).
    pub fn request(&mut self, resolution: &Resolution, now: Timestamp) -> Value {
        if resolution.intent == LAUNCH_REQUEST {
            self.session = None;
        }
        let session = self
            .session
            .get_or_insert_with(|| SessionContext {
                id: envelope::new_id("amzn1.echo-api.session"),
                new: true,
                attributes: serde_json::Map::new(),
            })
            .clone();
        let player = self.player_state(now);
        let request_id = envelope::new_id("amzn1.echo-api.request");
        let ctx = RequestContext {
            identity: &self.identity,
            session: &session,
            player: &player,
            locale: &self.locale,
            timestamp: now,
            request_id: &request_id,
        };
        let request = envelope::build(&ctx, resolution);
        if let Some(s) = &mut self.session {
            s.new = false;
        }
        request
    }

    /// Takes in the skill's answer: the player follows its AudioPlayer directives and the
    /// session ends unless `shouldEndSession` is explicitly false (absent ends it too, as on a
    /// speaker without a screen). Ending a session clears its attributes, never the player.
    pub fn absorb(&mut self, response: &ResponseEnvelope, now: Timestamp) {
        for directive in &response.response.directives {
            self.apply(directive, now);
        }
        if response.response.should_end_session == Some(false) {
            if let Some(s) = &mut self.session {
                s.attributes = response.session_attributes.clone().unwrap_or_default();
            }
        } else {
            self.session = None;
        }
    }

    fn apply(&mut self, directive: &Directive, now: Timestamp) {
        match directive {
            Directive::Play {
                play_behavior,
                audio_item,
            } => {
                // An enqueued item only plays at once when nothing else does.
                let starts = *play_behavior == PlayBehavior::ReplaceAll
                    || self.player.activity != PlayerActivity::Playing;
                if starts {
                    self.player = Player {
                        token: Some(audio_item.stream.token.clone()),
                        offset_ms: audio_item.stream.offset_in_milliseconds,
                        activity: PlayerActivity::Playing,
                        since: now,
                    };
                }
            }
            Directive::Stop
            | Directive::ClearQueue {
                clear_behavior: ClearBehavior::ClearAll,
            } => self.stop(now),
            _ => {}
        }
    }

    fn stop(&mut self, now: Timestamp) {
        if self.player.activity == PlayerActivity::Playing {
            self.player.offset_ms = self.offset_at(now);
            self.player.activity = PlayerActivity::Stopped;
            self.player.since = now;
        }
    }

    fn offset_at(&self, now: Timestamp) -> i64 {
        if self.player.activity != PlayerActivity::Playing {
            return self.player.offset_ms;
        }
        let elapsed = now.as_millisecond() - self.player.since.as_millisecond();
        self.player.offset_ms + elapsed.max(0)
    }

    /// `context.AudioPlayer` as a request at `now` reports it.
    pub fn player_state(&self, now: Timestamp) -> AudioPlayerState {
        AudioPlayerState {
            token: self.player.token.clone(),
            offset_in_milliseconds: self.player.token.as_ref().map(|_| self.offset_at(now)),
            player_activity: Some(self.player.activity),
        }
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
    use crate::alexa::{AudioItem, ResponseBuilder, Stream};
    use serde_json::json;

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
            t,
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
        c.absorb(
            &ResponseBuilder::new()
                .directive(play("tok-1"))
                .end_session(true)
                .build(),
            t,
        );
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
    fn stop_freezes_the_offset() {
        let mut c = Conversation::new(Identity::default(), "en-US");
        c.absorb(
            &ResponseBuilder::new().directive(play("tok")).build(),
            at("2026-11-21T19:00:00Z"),
        );
        c.absorb(
            &ResponseBuilder::new().directive(Directive::Stop).build(),
            at("2026-11-21T19:00:10Z"),
        );
        let p = c.player_state(at("2026-11-21T20:00:00Z"));
        assert_eq!(p.player_activity, Some(PlayerActivity::Stopped));
        assert_eq!(p.offset_in_milliseconds, Some(10_000));
        assert_eq!(p.token.as_deref(), Some("tok"));
    }

    #[test]
    fn idle_player_has_no_token_or_offset() {
        let c = Conversation::new(Identity::default(), "fr-FR");
        let p = c.player_state(Timestamp::now());
        assert_eq!(
            serde_json::to_value(p).expect("ser"),
            json!({"playerActivity": "IDLE"})
        );
    }

    #[test]
    fn launch_starts_a_new_session() {
        let mut c = Conversation::new(Identity::default(), "en-US");
        let t = at("2026-11-21T19:04:05Z");
        let a = c.request(&utterance("AMAZON.HelpIntent"), t);
        c.absorb(&ResponseBuilder::new().end_session(false).build(), t);
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
