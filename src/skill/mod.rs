//! Skill behaviour: dispatch on request type and intent, one module per intent family.
//!
//! Handlers build responses with [`ResponseBuilder`]; [`Skill::handle`] checks every response
//! against the answering rules in one place and turns handler failures into a spoken apology.
//! Nothing here knows about HTTP or sled.

pub mod affinity;
mod builtins;
mod can_fulfill;
mod episodes;
mod events;
mod follows;
mod for_me;
pub mod intents;
mod launch;
mod listing;
pub mod locale;
mod lookup;
mod now_playing;
pub mod phrases;
mod play;
mod playable;
mod remind;
mod resolve;
pub mod token;
mod transport;
mod turn;
mod whats_on;
pub mod window;
pub mod zone;

pub use locale::Locale;
pub use turn::Turn;

use crate::alexa::policy::{self, RequestClass, Violation};
use crate::alexa::reminders::RemindersClient;
use crate::alexa::request::ControllerCommand;
use crate::alexa::{RequestBody, RequestEnvelope, ResponseBuilder, ResponseEnvelope};
use crate::privacy::user_key;
use crate::store::{IndexedStore, Store, StoreError};
use phrases::Phrase;
use std::sync::Arc;
use transport::Via;
use zone::ZoneResolver;

/// Why a handler could not answer normally. The listener hears an apology; the log gets this.
#[derive(Debug, thiserror::Error)]
pub enum SkillError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The default time zone is not a zone.
    #[error("default_timezone: {0}")]
    Zone(#[source] jiff::Error),
    /// A response broke the answering rules (a bug).
    #[error("response refused by policy: {0}")]
    Policy(#[from] Violation),
}

/// Settings the skill needs.
#[derive(Debug, Clone)]
pub struct SkillOptions {
    /// IANA zone used when the device's is unknown.
    pub default_zone: String,
    /// Admit `http://` stream URLs (loopback demo only).
    pub allow_plain_http_streams: bool,
}

impl Default for SkillOptions {
    fn default() -> Self {
        Self {
            default_zone: "UTC".into(),
            allow_plain_http_streams: false,
        }
    }
}

/// The skill: shared by all requests.
pub struct Skill {
    store: Arc<IndexedStore>,
    zones: ZoneResolver,
    reminders: RemindersClient,
    options: SkillOptions,
}

/// The result of handling one request.
#[derive(Debug)]
pub struct Outcome {
    /// What to send (always valid for the request type).
    pub response: ResponseEnvelope,
    /// A failure that was turned into the apology, for the log.
    pub error: Option<SkillError>,
}

type Reply = Result<ResponseBuilder, SkillError>;

impl Skill {
    /// A skill over `store`, which is wrapped in the schedule index unless it already is.
    pub fn new(
        store: Arc<dyn Store>,
        http: reqwest::Client,
        options: SkillOptions,
    ) -> Result<Self, SkillError> {
        Ok(Self {
            zones: ZoneResolver::new(http.clone(), &options.default_zone)
                .map_err(SkillError::Zone)?,
            reminders: RemindersClient::new(http),
            store: IndexedStore::wrap(store)?,
            options,
        })
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The index-backed store, for the questions only the schedule index answers.
    pub fn schedule(&self) -> &IndexedStore {
        &self.store
    }

    /// The index-backed store, shared.
    pub fn shared_store(&self) -> Arc<IndexedStore> {
        self.store.clone()
    }

    /// The Reminders API client.
    fn reminders(&self) -> &RemindersClient {
        &self.reminders
    }

    /// Of `ids`, the events that are over or gone from the schedule: what the bounded
    /// per-listener sets (announced events, reminder tokens) drop first when full.
    fn ended_events<'a>(
        &self,
        ids: impl Iterator<Item = &'a String>,
        now: jiff::Timestamp,
    ) -> Result<Vec<String>, SkillError> {
        let mut ended = Vec::new();
        for id in ids {
            if self.store.event(id)?.is_none_or(|e| e.end <= now) {
                ended.push(id.clone());
            }
        }
        Ok(ended)
    }

    /// Handles a parsed request. Never fails: errors become an apology (or an empty response
    /// where speech is not allowed) and are returned for logging.
    pub async fn handle(&self, env: &RequestEnvelope) -> Outcome {
        let class = RequestClass::of(&env.request.body);
        match self.dispatch(env, class).await {
            Ok(builder) => {
                let response = builder.build();
                match policy::check(class, &response, self.options.allow_plain_http_streams) {
                    Ok(()) => Outcome {
                        response,
                        error: None,
                    },
                    Err(v) => Outcome {
                        response: self.apology(env),
                        error: Some(SkillError::Policy(v)),
                    },
                }
            }
            Err(e) => Outcome {
                response: self.apology(env),
                error: Some(e),
            },
        }
    }

    /// The answer when something went wrong: a short spoken apology in the request's locale where
    /// speech is allowed, an empty response elsewhere.
    pub fn apology(&self, env: &RequestEnvelope) -> ResponseEnvelope {
        match RequestClass::of(&env.request.body) {
            RequestClass::Conversational => {
                let locale = Locale::from_tag(env.locale());
                ResponseBuilder::new()
                    .speak(locale.text(Phrase::Apology))
                    .end_session(true)
                    .build()
            }
            RequestClass::CanFulfill => ResponseBuilder::new()
                .can_fulfill(serde_json::json!({"canFulfill": "NO"}))
                .build(),
            _ => ResponseEnvelope::empty(),
        }
    }

    async fn turn<'a>(&self, env: &'a RequestEnvelope, class: RequestClass) -> Turn<'a> {
        let now = match env.request.timestamp {
            Some(t) => t.0,
            None => {
                tracing::warn!("request timestamp unreadable; using the time of receipt");
                jiff::Timestamp::now()
            }
        };
        // Only conversational answers speak times; player events must answer fast.
        let (zone, zone_name) = if class == RequestClass::Conversational {
            self.zones.resolve(env, self.store.as_ref(), now).await
        } else {
            (
                jiff::tz::TimeZone::get(&self.options.default_zone)
                    .unwrap_or(jiff::tz::TimeZone::UTC),
                self.options.default_zone.clone(),
            )
        };
        Turn {
            env,
            locale: Locale::from_tag(env.locale()),
            now,
            zone,
            zone_name,
            listener: env.user_id().map(user_key),
            attributes: env.attributes(),
        }
    }

    async fn dispatch(&self, env: &RequestEnvelope, class: RequestClass) -> Reply {
        let turn = self.turn(env, class).await;
        match &env.request.body {
            RequestBody::Launch => launch::handle(self, &turn),
            RequestBody::Intent { intent, .. } => self.intent(&turn, &intent.name).await,
            RequestBody::SessionEnded { reason, error } => {
                tracing::info!(
                    reason = reason.as_deref().unwrap_or("none"),
                    error_type = error
                        .as_ref()
                        .and_then(|e| e.kind.as_deref())
                        .unwrap_or("none"),
                    error_message = error
                        .as_ref()
                        .and_then(|e| e.message.as_deref())
                        .unwrap_or(""),
                    "session ended"
                );
                Ok(ResponseBuilder::new())
            }
            RequestBody::ExceptionEncountered {
                error,
                cause_request_id,
            } => {
                tracing::warn!(
                    error_type = error
                        .as_ref()
                        .and_then(|e| e.kind.as_deref())
                        .unwrap_or("none"),
                    error_message = error
                        .as_ref()
                        .and_then(|e| e.message.as_deref())
                        .unwrap_or(""),
                    cause = cause_request_id.as_deref().unwrap_or(""),
                    "Alexa rejected an earlier response"
                );
                Ok(ResponseBuilder::new())
            }
            RequestBody::CanFulfillIntent { intent } => Ok(ResponseBuilder::new()
                .can_fulfill(can_fulfill::handle(self, &turn, intent.as_ref())?)),
            RequestBody::Playback(event) => events::handle(self, &turn, event),
            RequestBody::Controller(command) => match command {
                ControllerCommand::Play => transport::resume(self, &turn, Via::Button),
                ControllerCommand::Pause => transport::pause(Via::Button),
                ControllerCommand::Next => transport::skip(self, &turn, true, Via::Button),
                ControllerCommand::Previous => transport::skip(self, &turn, false, Via::Button),
            },
            RequestBody::SkillEvent => self.skill_event(&turn),
            RequestBody::Other => Ok(ResponseBuilder::new()),
        }
    }

    /// `AlexaSkillEvent.*`: a listener who disables the skill is forgotten entirely (follows,
    /// reminders' tokens, history), whatever `userInformationPersistenceStatus` says: onair has
    /// no reason to keep anything about someone who left.
    fn skill_event(&self, turn: &Turn<'_>) -> Reply {
        if turn.env.request.type_name == "AlexaSkillEvent.SkillDisabled" {
            if let Some(key) = &turn.listener {
                self.store.delete_listener(key)?;
                tracing::info!("skill disabled: listener data deleted");
            }
        }
        Ok(ResponseBuilder::new())
    }

    async fn intent(&self, turn: &Turn<'_>, name: &str) -> Reply {
        match name {
            "AMAZON.HelpIntent" => builtins::help(turn),
            "AMAZON.StopIntent" | "AMAZON.CancelIntent" => builtins::stop(turn),
            "AMAZON.NavigateHomeIntent" => launch::handle(self, turn),
            "AMAZON.PauseIntent" => transport::pause(Via::Voice),
            "AMAZON.ResumeIntent" => transport::resume(self, turn, Via::Voice),
            "AMAZON.NextIntent" => transport::skip(self, turn, true, Via::Voice),
            "AMAZON.PreviousIntent" => transport::skip(self, turn, false, Via::Voice),
            "AMAZON.StartOverIntent" => transport::start_over(self, turn),
            "AMAZON.LoopOnIntent"
            | "AMAZON.LoopOffIntent"
            | "AMAZON.ShuffleOnIntent"
            | "AMAZON.ShuffleOffIntent"
            | "AMAZON.RepeatIntent" => transport::unsupported(turn),
            "PlayEpisodeIntent" => episodes::handle(self, turn),
            "WhatsOnIntent" => whats_on::handle(self, turn),
            "PlayLiveIntent" => play::live(self, turn),
            "PlayStationIntent" => play::station_intent(self, turn),
            "PlayItemIntent" => listing::play_item(self, turn),
            "NowPlayingIntent" => now_playing::handle(self, turn),
            "RemindMeIntent" => remind::handle(self, turn).await,
            "FollowIntent" => follows::follow(self, turn),
            "UnfollowIntent" => follows::unfollow(self, turn),
            "ListFollowsIntent" => follows::list(self, turn),
            "PlayForMeIntent" => for_me::play_for_me(self, turn),
            "ForgetHistoryIntent" => for_me::forget_history(self, turn),
            _ => builtins::fallback(turn),
        }
    }
}
