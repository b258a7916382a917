//! `onair say`: an utterance in, the skill's answer out, with the conversation kept.
//!
//! One [`Say`] is one simulated speaker: it understands text with the offline NLU of its
//! locale, turns it into the envelope Alexa would send (see [`super::envelope`]), carries the
//! session and player state between turns (see [`super::conversation`]) and sends it to a
//! [`Backend`]. After each answer the simulated device reacts as an Echo would (see
//! [`super::device`]): it reports playback starting and stopping, and when the clock moves it
//! reports the end of finite audio and starts what the skill enqueued. The CLI uses it for a single utterance and, through [`super::repl`], for an
//! interactive session.

use super::backend::{Answer, Backend, LocalOptions};
use super::conversation::{parse_instant, Clock, Conversation};
use super::device::{Action, DeviceEvent, Player};
use super::envelope::Identity;
use super::fake_apis::{FakeApiOptions, FakeApis};
use super::{model_path, DevtoolsError};
use crate::nlu::{InteractionModel, Nlu, Resolution};
use crate::store::ImportSummary;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, Zoned};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::path::PathBuf;

/// How to set up a simulated speaker.
#[derive(Debug, Clone)]
pub struct SayOptions {
    /// Locale of the requests and of the interaction model used.
    pub locale: String,
    /// Fixed "now" (RFC 3339, or a local date-time in `tz`); the system clock when absent.
    pub at: Option<String>,
    /// Default IANA zone: for the in-process skill, and for reading `at` and `:at`.
    pub tz: String,
    /// `userId` to send; a fixed developer id when absent.
    pub user: Option<String>,
    /// Data directory of the in-process skill.
    pub data_dir: PathBuf,
    /// Base URL of a running server; in-process when absent.
    pub server: Option<String>,
    /// Seed the demo schedule (in-process) when the store holds nothing else.
    pub demo: bool,
    /// The skill package, for the interaction models.
    pub manifest_dir: PathBuf,
    /// Run the Settings and Reminders APIs in-process and point the requests at them.
    pub fake_apis: Option<FakeApiOptions>,
}

/// One request and its answer: a spoken turn, or an event the simulated device sent.
#[derive(Debug, Clone)]
pub struct Turn {
    /// What the NLU made of the utterance; `None` for device events and raw requests.
    pub resolution: Option<Resolution>,
    /// The request envelope sent.
    pub request: Value,
    /// The skill's answer.
    pub answer: Answer,
}

impl Turn {
    /// `request.type` of the request sent.
    pub fn request_type(&self) -> &str {
        self.request["request"]["type"].as_str().unwrap_or("")
    }
}

/// A simulated speaker talking to one skill.
pub struct Say {
    conversation: Conversation,
    clock: Clock,
    zone: TimeZone,
    manifest_dir: PathBuf,
    nlus: HashMap<String, Nlu>,
    backend: Backend,
    seeded: Option<ImportSummary>,
    apis: Option<FakeApis>,
}

/// Most events the device sends in reaction to one answer, so a skill that keeps answering
/// with new directives cannot loop forever.
const MAX_REACTIONS: usize = 32;

impl Say {
    /// Checks the options, loads the locale's model and opens the backend.
    pub async fn open(options: &SayOptions) -> Result<Self, DevtoolsError> {
        let zone = TimeZone::get(&options.tz).map_err(|_| {
            DevtoolsError::Usage(format!(
                "--tz {:?} is not an IANA time zone (e.g. Europe/Paris)",
                options.tz
            ))
        })?;
        let clock = match &options.at {
            Some(raw) => Clock::Fixed(parse_instant(raw, &zone).ok_or_else(|| {
                DevtoolsError::Usage(format!(
                    "--at {raw:?} is not a time; use RFC 3339 like 2026-11-21T21:00:00Z"
                ))
            })?),
            None => Clock::System,
        };
        let (backend, seeded) = match &options.server {
            Some(url) => (Backend::server(url)?, None),
            None => Backend::local(&LocalOptions {
                data_dir: options.data_dir.clone(),
                timezone: options.tz.clone(),
                demo: options.demo,
                now: clock.now(),
            })?,
        };
        let mut identity = Identity {
            user_id: options
                .user
                .clone()
                .unwrap_or_else(|| super::DEV_USER_ID.into()),
            ..Identity::default()
        };
        let apis = match &options.fake_apis {
            Some(fake) => {
                let apis = FakeApis::start(fake.clone()).await?;
                apis.attach(&mut identity);
                Some(apis)
            }
            None => None,
        };
        let mut say = Self::with_backend(backend, identity, clock, zone, &options.manifest_dir);
        say.seeded = seeded;
        say.apis = apis;
        say.set_locale(&options.locale)?;
        Ok(say)
    }

    /// A speaker over an opened backend; the locale must still be set with
    /// [`Say::set_locale`].
    pub fn with_backend(
        backend: Backend,
        identity: Identity,
        clock: Clock,
        zone: TimeZone,
        manifest_dir: &std::path::Path,
    ) -> Self {
        Self {
            conversation: Conversation::new(identity, ""),
            clock,
            zone,
            manifest_dir: manifest_dir.to_path_buf(),
            nlus: HashMap::new(),
            backend,
            seeded: None,
            apis: None,
        }
    }

    /// Uses these fake APIs (already attached to the identity) for the rest of the session.
    pub fn keep_apis(&mut self, apis: FakeApis) {
        self.apis = Some(apis);
    }

    /// The fake Alexa APIs this speaker's requests point at, if any.
    pub fn apis(&self) -> Option<&FakeApis> {
        self.apis.as_ref()
    }

    /// Switches the locale of the next requests, loading its model on first use.
    pub fn set_locale(&mut self, locale: &str) -> Result<(), DevtoolsError> {
        if !self.nlus.contains_key(locale) {
            let path = model_path(&self.manifest_dir, locale);
            let load = || -> Result<Nlu, crate::nlu::NluError> {
                Nlu::new(InteractionModel::load(&path)?, locale)
            };
            let nlu = load().map_err(|cause| DevtoolsError::Model {
                locale: locale.to_string(),
                cause,
            })?;
            self.nlus.insert(locale.to_string(), nlu);
        }
        self.conversation.locale = locale.to_string();
        Ok(())
    }

    /// The locale of the next request.
    pub fn locale(&self) -> &str {
        &self.conversation.locale
    }

    /// Fixes or frees "now".
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// "Now" in the default zone.
    pub fn now_local(&self) -> Zoned {
        self.clock.now().to_zoned(self.zone.clone())
    }

    /// The default zone.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// What `--demo` seeded when the speaker was opened.
    pub fn seeded(&self) -> Option<&ImportSummary> {
        self.seeded.as_ref()
    }

    /// Where requests go.
    pub fn backend(&self) -> &Backend {
        &self.backend
    }

    /// The simulated device's player.
    pub fn player(&self) -> &Player {
        &self.conversation.player
    }

    /// `context.AudioPlayer` as the next request would report it.
    pub fn player_state(&self) -> crate::alexa::AudioPlayerState {
        self.conversation.player_state(self.clock.now())
    }

    /// What the NLU makes of `utterance` now, without sending anything.
    pub fn understand(&self, utterance: &str) -> Result<Resolution, DevtoolsError> {
        let nlu = self
            .nlus
            .get(self.locale())
            .ok_or_else(|| DevtoolsError::Usage(format!("no model for {}", self.locale())))?;
        Ok(nlu.resolve(utterance, &self.now_local()))
    }

    /// Understands and sends one utterance, then lets the device react (a Play starts and
    /// reports PlaybackStarted, a Stop reports PlaybackStopped). While a `Dialog.ConfirmIntent`
    /// is pending, a spoken yes or no ("oui", "non") answers it. The first turn is the
    /// utterance's.
    pub async fn turn(&mut self, utterance: &str) -> Result<Vec<Turn>, DevtoolsError> {
        let resolution = self.understand(utterance)?;
        if self.conversation.confirmation_pending() {
            if let Some(yes) = yes_or_no(utterance, &resolution.intent) {
                return self.confirm(yes).await;
            }
        }
        self.intent(resolution).await
    }

    /// Sends an already resolved intent (or a LaunchRequest), then lets the device react.
    pub async fn intent(&mut self, resolution: Resolution) -> Result<Vec<Turn>, DevtoolsError> {
        let request = self.conversation.request(&resolution, self.clock.now());
        self.session_turn(Some(resolution), request).await
    }

    /// Answers the pending `Dialog.ConfirmIntent`.
    pub async fn confirm(&mut self, yes: bool) -> Result<Vec<Turn>, DevtoolsError> {
        let request = self
            .conversation
            .confirm(yes, self.clock.now())
            .ok_or_else(|| {
                DevtoolsError::Usage(
                    "nothing to confirm: no Dialog.ConfirmIntent is pending".into(),
                )
            })?;
        self.session_turn(None, request).await
    }

    /// Sends a request envelope as given (a raw request file) and follows its answer.
    pub async fn raw(&mut self, request: Value) -> Result<Vec<Turn>, DevtoolsError> {
        let answer = self.send(&request).await?;
        let in_session = request.get("session").is_some();
        let actions = if in_session {
            self.conversation.absorb(&answer.response)
        } else {
            self.conversation.absorb_event(&answer.response)
        };
        let mut turns = vec![Turn {
            resolution: None,
            request,
            answer,
        }];
        self.follow(actions, &mut turns).await?;
        Ok(turns)
    }

    async fn session_turn(
        &mut self,
        resolution: Option<Resolution>,
        request: Value,
    ) -> Result<Vec<Turn>, DevtoolsError> {
        let answer = self.send(&request).await?;
        let actions = self.conversation.absorb(&answer.response);
        let mut turns = vec![Turn {
            resolution,
            request,
            answer,
        }];
        self.follow(actions, &mut turns).await?;
        Ok(turns)
    }

    async fn send(&self, request: &Value) -> Result<Answer, DevtoolsError> {
        let body =
            serde_json::to_vec(request).map_err(|e| DevtoolsError::Io(std::io::Error::other(e)))?;
        self.backend.send(&body).await
    }

    /// Sends a device event (or button press) by hand, as the device would at this moment.
    pub async fn event(&mut self, event: DeviceEvent) -> Result<Vec<Turn>, DevtoolsError> {
        if event.needs_player() && self.conversation.player.token.is_none() {
            return Err(DevtoolsError::Usage(format!(
                "cannot send {}: the device's player holds nothing; play something first",
                event.request_type()
            )));
        }
        let now = self.clock.now();
        let mut turns = Vec::new();
        match &event {
            DeviceEvent::Finished => {
                self.finish_item(now, &mut turns).await?;
                return Ok(turns);
            }
            DeviceEvent::NearlyFinished => self.conversation.player.mark_nearly_finished(),
            DeviceEvent::Stopped(Some(ms)) => self.conversation.player.halt_at(now, *ms),
            DeviceEvent::Stopped(None) => self.conversation.player.halt(now),
            _ => {}
        }
        self.follow(vec![Action::Send(event)], &mut turns).await?;
        Ok(turns)
    }

    /// Moves the clock forward by `by`; the device sends what falls due meanwhile
    /// (PlaybackNearlyFinished, PlaybackFinished, the enqueued item's PlaybackStarted).
    pub async fn wait(&mut self, by: std::time::Duration) -> Result<Vec<Turn>, DevtoolsError> {
        let by = SignedDuration::try_from(by)
            .map_err(|_| DevtoolsError::Usage("that wait is too long".into()))?;
        let target = self
            .clock
            .now()
            .checked_add(by)
            .map_err(|_| DevtoolsError::Usage("that wait goes past the year 9999".into()))?;
        let mut turns = Vec::new();
        while let Some((at, due)) = self.conversation.player.next_due(target) {
            if turns.len() > MAX_REACTIONS {
                break;
            }
            self.clock = Clock::Fixed(at);
            if due == DeviceEvent::Finished {
                self.finish_item(at, &mut turns).await?;
            } else {
                self.conversation.player.mark_nearly_finished();
                self.follow(vec![Action::Send(due)], &mut turns).await?;
            }
        }
        self.clock = Clock::Fixed(target);
        Ok(turns)
    }

    /// The current item ends at `at`: PlaybackFinished, then the enqueued item, if any.
    async fn finish_item(
        &mut self,
        at: Timestamp,
        turns: &mut Vec<Turn>,
    ) -> Result<(), DevtoolsError> {
        self.conversation.player.finish(at);
        let mut actions = vec![Action::Send(DeviceEvent::Finished)];
        if let Some(next) = self.conversation.player.queued.take() {
            actions.push(Action::Start(next));
            actions.push(Action::Send(DeviceEvent::Started));
        }
        self.follow(actions, turns).await
    }

    /// Runs the device's actions in order, sending events and following their answers.
    async fn follow(
        &mut self,
        actions: Vec<Action>,
        turns: &mut Vec<Turn>,
    ) -> Result<(), DevtoolsError> {
        let mut todo: VecDeque<Action> = actions.into();
        let mut sent = 0;
        while let Some(action) = todo.pop_front() {
            let now = self.clock.now();
            match action {
                Action::Halt => self.conversation.player.halt(now),
                Action::Start(item) => {
                    let ends = self.backend.item_end(&item.token, now, item.offset_ms);
                    self.conversation.player.start(item, now, ends);
                }
                Action::Send(event) => {
                    sent += 1;
                    if sent > MAX_REACTIONS {
                        return Err(DevtoolsError::Usage(format!(
                            "the device sent {MAX_REACTIONS} events in reaction to one answer; \
                             the skill's directives loop"
                        )));
                    }
                    let request = self.conversation.event(&event, now);
                    let answer = self.send(&request).await?;
                    todo.extend(self.conversation.absorb_event(&answer.response));
                    turns.push(Turn {
                        resolution: None,
                        request,
                        answer,
                    });
                }
            }
        }
        Ok(())
    }

    /// Flushes the local store.
    pub fn finish(&self) -> Result<(), DevtoolsError> {
        self.backend.finish()
    }
}

/// Whether an answer to "shall I…?" is a yes or a no: the built-in Yes/No intents, or the bare
/// words in English and French.
fn yes_or_no(utterance: &str, intent: &str) -> Option<bool> {
    match intent {
        "AMAZON.YesIntent" => return Some(true),
        "AMAZON.NoIntent" => return Some(false),
        _ => {}
    }
    let word = utterance.trim().trim_end_matches(['.', '!']).to_lowercase();
    match word.as_str() {
        "yes" | "yeah" | "yep" | "sure" | "ok" | "okay" | "oui" | "ouais" | "d'accord" => {
            Some(true)
        }
        "no" | "nope" | "non" => Some(false),
        _ => None,
    }
}
