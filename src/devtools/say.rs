//! `onair say`: an utterance in, the skill's answer out, with the conversation kept.
//!
//! One [`Say`] is one simulated speaker: it understands text with the offline NLU of its
//! locale, turns it into the envelope Alexa would send (see [`super::envelope`]), carries the
//! session and player state between turns (see [`super::conversation`]) and sends it to a
//! [`Backend`]. The CLI uses it for a single utterance and, through [`super::repl`], for an
//! interactive session.

use super::backend::{Answer, Backend, LocalOptions};
use super::conversation::{parse_instant, Clock, Conversation};
use super::envelope::Identity;
use super::{model_path, report, DevtoolsError};
use crate::nlu::{InteractionModel, Nlu, Resolution};
use crate::store::ImportSummary;
use jiff::tz::TimeZone;
use jiff::Zoned;
use serde_json::{json, Value};
use std::collections::HashMap;
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
}

/// One turn: what was understood, sent and answered.
#[derive(Debug, Clone)]
pub struct Turn {
    /// What the NLU made of the utterance.
    pub resolution: Resolution,
    /// The request envelope sent.
    pub request: Value,
    /// The skill's answer.
    pub answer: Answer,
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
}

impl Say {
    /// Checks the options, loads the locale's model and opens the backend.
    pub fn open(options: &SayOptions) -> Result<Self, DevtoolsError> {
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
        let identity = Identity {
            user_id: options
                .user
                .clone()
                .unwrap_or_else(|| super::DEV_USER_ID.into()),
            ..Identity::default()
        };
        let mut say = Self {
            conversation: Conversation::new(identity, &options.locale),
            clock,
            zone,
            manifest_dir: options.manifest_dir.clone(),
            nlus: HashMap::new(),
            backend,
            seeded,
        };
        say.set_locale(&options.locale)?;
        Ok(say)
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

    /// What the NLU makes of `utterance` now, without sending anything.
    pub fn understand(&self, utterance: &str) -> Result<Resolution, DevtoolsError> {
        let nlu = self
            .nlus
            .get(self.locale())
            .ok_or_else(|| DevtoolsError::Usage(format!("no model for {}", self.locale())))?;
        Ok(nlu.resolve(utterance, &self.now_local()))
    }

    /// Understands, sends and absorbs one utterance.
    pub async fn turn(&mut self, utterance: &str) -> Result<Turn, DevtoolsError> {
        let now = self.clock.now();
        let resolution = self.understand(utterance)?;
        let request = self.conversation.request(&resolution, now);
        let body = serde_json::to_vec(&request)
            .map_err(|e| DevtoolsError::Io(std::io::Error::other(e)))?;
        let answer = self.backend.send(&body).await?;
        self.conversation.absorb(&answer.response, now);
        Ok(Turn {
            resolution,
            request,
            answer,
        })
    }

    /// Flushes the local store.
    pub fn finish(&self) -> Result<(), DevtoolsError> {
        self.backend.finish()
    }
}

/// A turn as text: the human summary, or with `json` one pretty JSON document holding the
/// resolution, the request and the response.
pub fn render(turn: &Turn, as_json: bool) -> String {
    if as_json {
        let mut doc = json!({
            "resolution": turn.resolution,
            "request": turn.request,
            "response": turn.answer.json,
        });
        if let Some(error) = &turn.answer.handler_error {
            doc["handlerError"] = json!(error);
        }
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let mut text = report::resolution(&turn.resolution);
    text.push_str(&report::request(&turn.request));
    text.push_str(&report::response(&turn.answer.response));
    if let Some(error) = &turn.answer.handler_error {
        text.push_str(&format!("{:<9} {error}\n", "error"));
    }
    text
}
