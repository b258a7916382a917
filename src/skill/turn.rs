//! One request as the handlers see it: who, when, where, in which language.

use super::locale::Locale;
use crate::alexa::{Intent, RequestEnvelope};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use serde_json::{Map, Value};

/// Per-request context handed to every handler.
pub struct Turn<'a> {
    /// The request.
    pub env: &'a RequestEnvelope,
    /// The language to answer in.
    pub locale: Locale,
    /// "Now": the request's own timestamp, so a request replays to the same answer.
    pub now: Timestamp,
    /// The listener's zone.
    pub zone: TimeZone,
    /// The zone's IANA name (for reminders).
    pub zone_name: String,
    /// Hashed user id, when the request names a user.
    pub listener: Option<String>,
    /// Session attributes from the previous turn.
    pub attributes: Map<String, Value>,
}

impl Turn<'_> {
    /// Now, in the listener's zone.
    pub fn local_now(&self) -> Zoned {
        self.now.to_zoned(self.zone.clone())
    }

    /// A time in the listener's zone.
    pub fn local(&self, t: Timestamp) -> Zoned {
        t.to_zoned(self.zone.clone())
    }

    /// "tonight at 9 PM", relative to now.
    pub fn when(&self, t: Timestamp) -> String {
        self.locale.when(&self.local(t), &self.local_now())
    }

    /// The intent, for IntentRequests.
    pub fn intent(&self) -> Option<&Intent> {
        match &self.env.request.body {
            crate::alexa::RequestBody::Intent { intent, .. } => Some(intent),
            _ => None,
        }
    }

    /// Whether the device can play audio.
    pub fn can_play(&self) -> bool {
        self.env.supports_audio()
    }
}
