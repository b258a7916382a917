//! The simulated speaker's player: what a real Echo does with AudioPlayer directives and which
//! events it sends back.
//!
//! A device answers a Play by starting the stream and sending `PlaybackStarted`; a Stop by
//! stopping and sending `PlaybackStopped` with the position; near the end of finite audio it
//! sends `PlaybackNearlyFinished` (the skill may enqueue what follows), at the end
//! `PlaybackFinished`, and then starts the enqueued item. [`Player`] keeps that state and tells
//! its owner which events are due; building and sending them is [`super::say`]'s job.

use crate::alexa::{AudioPlayerState, ClearBehavior, Directive, PlayBehavior, PlayerActivity};
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};

/// How long before the end of finite audio the device asks for the next item.
pub const NEARLY_FINISHED_BEFORE: SignedDuration = SignedDuration::from_secs(60);

/// An event the device sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceEvent {
    /// `AudioPlayer.PlaybackStarted`.
    Started,
    /// `AudioPlayer.PlaybackNearlyFinished`.
    NearlyFinished,
    /// `AudioPlayer.PlaybackFinished`.
    Finished,
    /// `AudioPlayer.PlaybackStopped`, at the player's offset or the one given.
    Stopped(Option<i64>),
    /// `AudioPlayer.PlaybackFailed` with this error type (e.g. `MEDIA_ERROR_UNKNOWN`).
    Failed(String),
    /// A `PlaybackController.*CommandIssued` button press.
    Button(Button),
}

/// A device button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Button {
    /// Play.
    Play,
    /// Pause.
    Pause,
    /// Next.
    Next,
    /// Previous.
    Previous,
}

impl DeviceEvent {
    /// Parses `started`, `nearly-finished`, `finished`, `stopped [ms]`, `failed [type]`,
    /// `play`/`pause`/`next`/`previous` (buttons).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        let (name, arg) = raw
            .split_once(char::is_whitespace)
            .map(|(n, a)| (n, a.trim()))
            .unwrap_or((raw, ""));
        let name = name.to_ascii_lowercase();
        let no_arg = |e: DeviceEvent| {
            if arg.is_empty() {
                Ok(e)
            } else {
                Err(format!("event `{name}` takes no argument (got {arg:?})"))
            }
        };
        match name.as_str() {
            "started" => no_arg(Self::Started),
            "nearly-finished" | "nearlyfinished" => no_arg(Self::NearlyFinished),
            "finished" => no_arg(Self::Finished),
            "stopped" if arg.is_empty() => Ok(Self::Stopped(None)),
            "stopped" => arg
                .parse::<i64>()
                .ok()
                .filter(|ms| *ms >= 0)
                .map(|ms| Self::Stopped(Some(ms)))
                .ok_or_else(|| format!("`stopped {arg}`: the offset is a number of milliseconds")),
            "failed" if arg.is_empty() => Ok(Self::Failed("MEDIA_ERROR_UNKNOWN".into())),
            "failed" => Ok(Self::Failed(arg.to_string())),
            _ => Button::parse(&name).map(Self::Button).ok_or_else(|| {
                format!(
                    "unknown event {raw:?}: use started, nearly-finished, finished, stopped <ms>, \
                     failed <type>, or a button (play, pause, next, previous)"
                )
            }),
        }
    }

    /// The request `type` Alexa uses.
    pub fn request_type(&self) -> &'static str {
        match self {
            Self::Started => "AudioPlayer.PlaybackStarted",
            Self::NearlyFinished => "AudioPlayer.PlaybackNearlyFinished",
            Self::Finished => "AudioPlayer.PlaybackFinished",
            Self::Stopped(_) => "AudioPlayer.PlaybackStopped",
            Self::Failed(_) => "AudioPlayer.PlaybackFailed",
            Self::Button(Button::Play) => "PlaybackController.PlayCommandIssued",
            Self::Button(Button::Pause) => "PlaybackController.PauseCommandIssued",
            Self::Button(Button::Next) => "PlaybackController.NextCommandIssued",
            Self::Button(Button::Previous) => "PlaybackController.PreviousCommandIssued",
        }
    }

    /// True for events about the current stream, which need a token.
    pub fn needs_player(&self) -> bool {
        !matches!(self, Self::Button(_))
    }
}

impl Button {
    /// `play`, `pause`, `next`, `previous`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "play" => Some(Self::Play),
            "pause" => Some(Self::Pause),
            "next" => Some(Self::Next),
            "previous" | "prev" => Some(Self::Previous),
            _ => None,
        }
    }
}

/// An item waiting to play after the current one.
#[derive(Debug, Clone, PartialEq)]
pub struct Queued {
    /// Its token.
    pub token: String,
    /// Where it starts.
    pub offset_ms: i64,
}

/// The device's player.
#[derive(Debug, Clone, PartialEq)]
pub struct Player {
    /// The current (or last) item's token.
    pub token: Option<String>,
    /// Offset when `since` was recorded.
    offset_ms: i64,
    /// What the player does.
    pub activity: PlayerActivity,
    /// When playback (re)started, to advance the offset while PLAYING.
    since: Timestamp,
    /// When the current finite item ends; `None` for live streams and unknown lengths.
    pub ends_at: Option<Timestamp>,
    nearly_sent: bool,
    /// The enqueued next item.
    pub queued: Option<Queued>,
}

impl Default for Player {
    fn default() -> Self {
        Self {
            token: None,
            offset_ms: 0,
            activity: PlayerActivity::Idle,
            since: Timestamp::UNIX_EPOCH,
            ends_at: None,
            nearly_sent: false,
            queued: None,
        }
    }
}

/// One step of the device's reaction to a response, run in order by its owner.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Stop the current item, keeping its position.
    Halt,
    /// Switch to this item and play it.
    Start(Queued),
    /// Send this event with the player's state at that moment.
    Send(DeviceEvent),
}

impl Player {
    /// Follows one directive; returns what the device does next, in order.
    pub fn apply(&mut self, directive: &Directive) -> Vec<Action> {
        let playing = self.activity == PlayerActivity::Playing;
        let stop = || vec![Action::Halt, Action::Send(DeviceEvent::Stopped(None))];
        match directive {
            Directive::Play {
                play_behavior,
                audio_item,
            } => {
                let item = Queued {
                    token: audio_item.stream.token.clone(),
                    offset_ms: audio_item.stream.offset_in_milliseconds,
                };
                match play_behavior {
                    PlayBehavior::Enqueue | PlayBehavior::ReplaceEnqueued if playing => {
                        self.queued = Some(item);
                        Vec::new()
                    }
                    _ => {
                        self.queued = None;
                        let mut actions = if playing { stop() } else { Vec::new() };
                        actions.push(Action::Start(item));
                        actions.push(Action::Send(DeviceEvent::Started));
                        actions
                    }
                }
            }
            Directive::Stop if playing => stop(),
            Directive::ClearQueue { clear_behavior } => {
                self.queued = None;
                if *clear_behavior == ClearBehavior::ClearAll && playing {
                    stop()
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        }
    }

    /// Stops at `now`, keeping the position.
    pub fn halt(&mut self, now: Timestamp) {
        if self.activity == PlayerActivity::Playing {
            self.offset_ms = self.offset_at(now);
            self.activity = PlayerActivity::Stopped;
            self.since = now;
        }
    }

    /// Stops at `now` at the position the device reports (`stopped <ms>` by hand).
    pub fn halt_at(&mut self, now: Timestamp, offset_ms: i64) {
        self.halt(now);
        self.offset_ms = offset_ms;
    }

    /// Plays `item` from `now`; `ends_at` is when it ends, if it is finite.
    pub fn start(&mut self, item: Queued, now: Timestamp, ends_at: Option<Timestamp>) {
        self.token = Some(item.token);
        self.offset_ms = item.offset_ms;
        self.activity = PlayerActivity::Playing;
        self.since = now;
        self.ends_at = ends_at;
        self.nearly_sent = false;
    }

    /// The item reached its end at `at`.
    pub fn finish(&mut self, at: Timestamp) {
        self.offset_ms = self.offset_at(at);
        self.activity = PlayerActivity::Finished;
        self.since = at;
        self.ends_at = None;
    }

    /// Where the stream is at `now`.
    pub fn offset_at(&self, now: Timestamp) -> i64 {
        if self.activity != PlayerActivity::Playing {
            return self.offset_ms;
        }
        let elapsed = now.as_millisecond() - self.since.as_millisecond();
        self.offset_ms + elapsed.max(0)
    }

    /// The next event due by `until` on its own (the end of finite audio approaching or
    /// reached), with when it is due.
    pub fn next_due(&self, until: Timestamp) -> Option<(Timestamp, DeviceEvent)> {
        let end = self
            .ends_at
            .filter(|_| self.activity == PlayerActivity::Playing)?;
        let nearly = end
            .checked_sub(NEARLY_FINISHED_BEFORE)
            .unwrap_or(end)
            .max(self.since);
        if !self.nearly_sent && nearly <= until {
            return Some((nearly, DeviceEvent::NearlyFinished));
        }
        (end <= until).then_some((end, DeviceEvent::Finished))
    }

    /// Notes that PlaybackNearlyFinished went out for the current item.
    pub fn mark_nearly_finished(&mut self) {
        self.nearly_sent = true;
    }

    /// `context.AudioPlayer` as a request at `now` reports it.
    pub fn state(&self, now: Timestamp) -> AudioPlayerState {
        AudioPlayerState {
            token: self.token.clone(),
            offset_in_milliseconds: self.token.as_ref().map(|_| self.offset_at(now)),
            player_activity: Some(self.activity),
        }
    }
}

/// The `request` object of `event` as the device sends it with `state`.
pub fn event_request(event: &DeviceEvent, state: &AudioPlayerState) -> Value {
    let mut request = json!({"type": event.request_type()});
    if event.needs_player() {
        let offset = match event {
            DeviceEvent::Stopped(Some(ms)) => *ms,
            _ => state.offset_in_milliseconds.unwrap_or(0),
        };
        request["token"] = json!(state.token);
        request["offsetInMilliseconds"] = json!(offset);
    }
    if let DeviceEvent::Failed(kind) = event {
        request["error"] = json!({"type": kind, "message": "simulated failure"});
        request["currentPlaybackState"] = serde_json::to_value(state).unwrap_or(Value::Null);
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alexa::{AudioItem, Stream};

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    fn play(token: &str, behavior: PlayBehavior, offset: i64) -> Directive {
        Directive::Play {
            play_behavior: behavior,
            audio_item: AudioItem {
                stream: Stream {
                    url: "https://x/a.mp3".into(),
                    token: token.into(),
                    expected_previous_token: None,
                    offset_in_milliseconds: offset,
                },
                metadata: None,
            },
        }
    }

    #[test]
    fn parses_events_and_buttons() {
        assert_eq!(DeviceEvent::parse("started"), Ok(DeviceEvent::Started));
        assert_eq!(
            DeviceEvent::parse("stopped 754000"),
            Ok(DeviceEvent::Stopped(Some(754_000)))
        );
        assert_eq!(
            DeviceEvent::parse("failed MEDIA_ERROR_SERVICE_UNAVAILABLE"),
            Ok(DeviceEvent::Failed(
                "MEDIA_ERROR_SERVICE_UNAVAILABLE".into()
            ))
        );
        assert_eq!(
            DeviceEvent::parse("Pause"),
            Ok(DeviceEvent::Button(Button::Pause))
        );
        assert!(DeviceEvent::parse("stopped soon").is_err());
        assert!(DeviceEvent::parse("started now").is_err());
        assert!(DeviceEvent::parse("dance")
            .expect_err("unknown")
            .contains("nearly-finished"));
    }

    #[test]
    fn play_starts_and_enqueue_waits() {
        let mut p = Player::default();
        let actions = p.apply(&play("a", PlayBehavior::ReplaceAll, 0));
        assert_eq!(actions.len(), 2);
        let Action::Start(item) = actions[0].clone() else {
            panic!("no start");
        };
        let t = at("2026-11-21T19:00:00Z");
        p.start(item, t, Some(at("2026-11-21T19:30:00Z")));
        assert!(p.apply(&play("b", PlayBehavior::Enqueue, 0)).is_empty());
        assert_eq!(p.queued.as_ref().map(|q| q.token.as_str()), Some("b"));
        let late = at("2026-11-21T20:00:00Z");
        assert_eq!(
            p.next_due(late),
            Some((at("2026-11-21T19:29:00Z"), DeviceEvent::NearlyFinished))
        );
        p.mark_nearly_finished();
        assert_eq!(
            p.next_due(late),
            Some((at("2026-11-21T19:30:00Z"), DeviceEvent::Finished))
        );
        assert_eq!(p.next_due(at("2026-11-21T19:10:00Z")), None);
    }

    #[test]
    fn stop_freezes_the_offset_and_reports_it() {
        let mut p = Player::default();
        p.start(
            Queued {
                token: "tok".into(),
                offset_ms: 1000,
            },
            at("2026-11-21T19:00:00Z"),
            None,
        );
        assert_eq!(
            p.apply(&Directive::Stop),
            vec![Action::Halt, Action::Send(DeviceEvent::Stopped(None))]
        );
        p.halt(at("2026-11-21T19:00:10Z"));
        let state = p.state(at("2026-11-21T20:00:00Z"));
        assert_eq!(state.offset_in_milliseconds, Some(11_000));
        assert_eq!(state.player_activity, Some(PlayerActivity::Stopped));
        let request = event_request(&DeviceEvent::Stopped(None), &state);
        assert_eq!(request["type"], "AudioPlayer.PlaybackStopped");
        assert_eq!(request["offsetInMilliseconds"], 11_000);
        assert_eq!(request["token"], "tok");
        assert!(p.apply(&Directive::Stop).is_empty(), "already stopped");
    }
}
