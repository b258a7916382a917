//! Offline natural-language understanding: typed or transcribed utterance → intent + slots.
//!
//! Alexa normally does this for us, but the developer tools (`onair say`) and the tests have
//! to understand typed text that never went through Alexa, and it must behave the same way.
//! So this module reads the *same* ASK interaction model that is uploaded to Amazon and
//! produces what Alexa would put in an `IntentRequest`: an intent name, every
//! declared slot (empty ones included), slot values in Alexa's formats (`AMAZON.DATE`,
//! `AMAZON.TIME`, …) and entity-resolution blocks for custom slot types.
//!
//! Pipeline (one file per concern):
//! - [`model`]: parse and validate the interaction-model JSON;
//! - `normalize` / `invocation`: tokens for matching (lower case, no accents, no filler words,
//!   no "ask on air to …" prefix) while remembering where each token came from;
//! - `matcher`: samples compiled to token patterns, exact and near (edit-distance) matching;
//! - `engine`: scoring, choice of the best intent, fallback below [`CONFIDENCE_THRESHOLD`];
//! - `resolve`: entity resolution of custom slot values;
//! - `slot_types`, `date` (+ `date_words`), `time`, `number`: the built-in slot types;
//! - `builtin_intents`: usual phrasings of `AMAZON.*` intents when the model lists none.
//!
//! Everything is self-contained (only `super::` paths) so the directory can be copied
//! verbatim into another crate.

mod builtin_intents;
mod date;
mod date_words;
mod engine;
mod error;
mod invocation;
mod matcher;
pub mod model;
mod normalize;
mod number;
mod resolve;
mod slot_types;
mod time;

#[cfg(test)]
mod tests;

pub use engine::Nlu;
pub use error::NluError;
pub use model::InteractionModel;

use serde::Serialize;

/// Intent name returned when nothing matches well enough (what Alexa sends in that case).
pub const FALLBACK_INTENT: &str = "AMAZON.FallbackIntent";

/// Pseudo-intent returned for a bare "open on air" / "lance on air": the caller must build a
/// `LaunchRequest`, which Alexa sends instead of an `IntentRequest` in that situation.
pub const LAUNCH_REQUEST: &str = "LaunchRequest";

/// Below this confidence the best candidate is replaced by [`FALLBACK_INTENT`].
///
/// 0.5 is where, on the test tables, wrong guesses start to outnumber right ones: an exact
/// sample with one unknown custom value scores ≈0.5–0.8 (less the more words it swallows),
/// a misspelt word or a missing one ≈0.6–0.85, and gibberish that only fits a bare
/// `{slot}` sample 0.4. The formula is documented in `engine.rs`.
pub const CONFIDENCE_THRESHOLD: f32 = 0.5;

/// Result of understanding one utterance, shaped like the `intent` object of an Alexa
/// `IntentRequest` so callers can feed it to the same handlers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolution {
    /// Intent name (`PlayStationIntent`, `AMAZON.PauseIntent`, [`FALLBACK_INTENT`],
    /// or [`LAUNCH_REQUEST`]).
    pub intent: String,
    /// Every slot the intent declares, in model order; `value` is `None` when not spoken.
    pub slots: Vec<ResolvedSlot>,
    /// 0 ..= 1; 1 means an exact sample match whose slot values all resolved.
    pub confidence: f32,
}

impl Resolution {
    /// The slot called `name`, if the intent declares it.
    pub fn slot(&self, name: &str) -> Option<&ResolvedSlot> {
        self.slots.iter().find(|s| s.name == name)
    }

    /// The spoken/parsed value of slot `name`, if it was filled.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.slot(name).and_then(|s| s.value.as_deref())
    }
}

/// One slot of the resolved intent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedSlot {
    /// Slot name as declared in the model.
    pub name: String,
    /// Custom types: the user's words as typed (surrounding punctuation removed).
    /// Built-in types: the Alexa-formatted value (`2026-11-21`, `21:00`, `3`, …).
    pub value: Option<String>,
    /// Present for custom slot types when a value was spoken; never for `AMAZON.*` types.
    pub entity: Option<EntityResolution>,
}

/// Entity resolution of a custom slot value (Alexa's `resolutionsPerAuthority[0]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityResolution {
    /// Custom slot type name, e.g. `STATION_NAME`.
    pub slot_type: String,
    /// Whether the spoken value matched a value or synonym of the type.
    pub status: ErStatus,
    /// Matching canonical values; several when ambiguous, none on `SuccessNoMatch`.
    pub values: Vec<EntityValue>,
}

/// Entity-resolution status, as Alexa reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ErStatus {
    /// `ER_SUCCESS_MATCH`: at least one canonical value matched.
    #[serde(rename = "ER_SUCCESS_MATCH")]
    SuccessMatch,
    /// `ER_SUCCESS_NO_MATCH`: nothing in the slot type matched.
    #[serde(rename = "ER_SUCCESS_NO_MATCH")]
    SuccessNoMatch,
}

impl ErStatus {
    /// The status code string Alexa puts in `status.code`.
    pub fn code(self) -> &'static str {
        match self {
            ErStatus::SuccessMatch => "ER_SUCCESS_MATCH",
            ErStatus::SuccessNoMatch => "ER_SUCCESS_NO_MATCH",
        }
    }
}

/// A canonical slot value (`values[].value` in Alexa's resolution).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityValue {
    /// The value's `id` from the model (its name when the model gives no id).
    pub id: String,
    /// The value's canonical `name.value`.
    pub name: String,
}

/// Language of a locale: decides built-in phrasings, filler words and slot-type grammars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    Fr,
}

impl Lang {
    /// `en-US`, `en_GB`, `fr`, `FR-ca` … → language; anything else is unsupported.
    pub(crate) fn from_locale(locale: &str) -> Result<Self, NluError> {
        let lang = locale
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match lang.as_str() {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            _ => Err(NluError::UnsupportedLocale(locale.to_string())),
        }
    }
}
