//! What a step expects, and the comparison with what happened: each difference is a
//! [`Mismatch`] naming the field, what was expected and what came.

use super::directive::{DirectiveMatch, RawDirective};
use super::text::TextMatch;
use crate::alexa::AudioPlayerState;
use crate::devtools::report;
use crate::devtools::say::Turn;
use serde::Deserialize;
use serde_json::{Map, Value};

/// One difference between the expectation and the answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// e.g. `speech`, `directives[0].offset_ms`.
    pub field: String,
    /// What the script expected.
    pub expected: String,
    /// What the skill (or the device) did.
    pub actual: String,
}

impl Mismatch {
    /// A difference in `field`.
    pub fn new(field: String, expected: &str, actual: &str) -> Self {
        Self {
            field,
            expected: expected.to_string(),
            actual: actual.to_string(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCard {
    #[serde(rename = "type")]
    kind: Option<String>,
    title: Option<Value>,
    text: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPlayer {
    activity: Option<String>,
    offset_ms: Option<i64>,
    token: Option<Value>,
    queued: Option<bool>,
}

/// The `expect` block as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawExpect {
    speech: Option<Value>,
    reprompt: Option<Value>,
    card: Option<RawCard>,
    directives: Option<Vec<RawDirective>>,
    session_ended: Option<bool>,
    session_attributes: Option<Map<String, Value>>,
    events: Option<Vec<String>>,
    player: Option<RawPlayer>,
    reminders: Option<usize>,
    handler_error: Option<bool>,
}

/// What must hold after a step.
#[derive(Debug, Clone, Default)]
pub struct Expect {
    speech: Option<TextMatch>,
    reprompt: Option<TextMatch>,
    card_type: Option<String>,
    card_title: Option<TextMatch>,
    card_text: Option<TextMatch>,
    directives: Option<Vec<DirectiveMatch>>,
    session_ended: Option<bool>,
    session_attributes: Option<Map<String, Value>>,
    events: Option<Vec<String>>,
    player_activity: Option<String>,
    player_offset_ms: Option<i64>,
    player_token: Option<TextMatch>,
    player_queued: Option<bool>,
    reminders: Option<usize>,
    handler_error: bool,
}

/// What a step produced, for checking.
pub struct Observed<'a> {
    /// Every request the step sent, in order, with its answer.
    pub turns: &'a [Turn],
    /// True for a `wait` step, whose turns are all device events.
    pub wait: bool,
    /// The locale of the run.
    pub locale: &'a str,
    /// The device's player after the step.
    pub player: AudioPlayerState,
    /// The token of the enqueued item, if any.
    pub queued: Option<String>,
    /// Reminders the fake API holds, when it runs.
    pub reminders: Option<usize>,
}

impl Expect {
    pub(super) fn parse(
        raw: &RawExpect,
        locales: &[String],
        spoken: bool,
        has_apis: bool,
    ) -> Result<Self, String> {
        let text = |field: &str, v: &Option<Value>| {
            v.as_ref()
                .map(|v| TextMatch::parse(field, v, locales))
                .transpose()
        };
        let about_speech = raw.speech.is_some()
            || raw.reprompt.is_some()
            || raw.card.is_some()
            || raw.session_ended.is_some()
            || raw.session_attributes.is_some();
        if !spoken && about_speech {
            return Err(
                "a wait step has no spoken answer: expect directives, events or player".into(),
            );
        }
        if raw.reminders.is_some() && !has_apis {
            return Err("`reminders` needs the fake APIs: add `apis:` to the script".into());
        }
        let directives = raw
            .directives
            .as_ref()
            .map(|list| {
                list.iter()
                    .enumerate()
                    .map(|(i, d)| DirectiveMatch::parse(d, i, locales))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let player = raw.player.as_ref();
        Ok(Self {
            speech: text("speech", &raw.speech)?,
            reprompt: text("reprompt", &raw.reprompt)?,
            card_type: raw.card.as_ref().and_then(|c| c.kind.clone()),
            card_title: text(
                "card.title",
                &raw.card.as_ref().and_then(|c| c.title.clone()),
            )?,
            card_text: text("card.text", &raw.card.as_ref().and_then(|c| c.text.clone()))?,
            directives,
            session_ended: raw.session_ended,
            session_attributes: raw
                .session_attributes
                .clone()
                .map(|m| m.into_iter().map(|(k, v)| (k, coerce(v))).collect()),
            events: raw.events.clone(),
            player_activity: player
                .and_then(|p| p.activity.as_deref())
                .map(|a| a.trim().to_ascii_uppercase()),
            player_offset_ms: player.and_then(|p| p.offset_ms),
            player_token: player
                .and_then(|p| p.token.as_ref())
                .map(|t| TextMatch::parse("player.token", t, locales))
                .transpose()?,
            player_queued: player.and_then(|p| p.queued),
            reminders: raw.reminders,
            handler_error: raw.handler_error.unwrap_or(false),
        })
    }

    /// Every difference between this expectation and `seen`.
    pub fn check(&self, seen: &Observed<'_>) -> Vec<Mismatch> {
        let mut out = Vec::new();
        let locale = seen.locale;
        let errors: Vec<&str> = seen
            .turns
            .iter()
            .filter_map(|t| t.answer.handler_error.as_deref())
            .collect();
        if errors.is_empty() == self.handler_error {
            let actual = errors.first().map_or("none".to_string(), |e| e.to_string());
            let expected = if self.handler_error {
                "a handler error"
            } else {
                "none"
            };
            out.push(Mismatch::new("handler_error".into(), expected, &actual));
        }
        if let Some(first) = seen.turns.first().filter(|_| !seen.wait) {
            self.check_answer(first, locale, &mut out);
        }
        if let Some(expected) = &self.directives {
            let answered: &[Turn] = if seen.wait {
                seen.turns
            } else {
                seen.turns.get(..1).unwrap_or_default()
            };
            let actual: Vec<(Value, Option<&str>)> = answered
                .iter()
                .flat_map(|t| {
                    let current = t.request["context"]["AudioPlayer"]["token"].as_str();
                    let list = t.answer.json["response"]["directives"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    list.into_iter().map(move |d| (d, current))
                })
                .collect();
            if actual.len() != expected.len() {
                let kinds: Vec<&str> = actual
                    .iter()
                    .filter_map(|(d, _)| d["type"].as_str())
                    .collect();
                let wanted: Vec<&str> = expected.iter().map(|d| d.kind.as_str()).collect();
                out.push(Mismatch::new(
                    "directives".into(),
                    &format!("{wanted:?}"),
                    &format!("{kinds:?}"),
                ));
            } else {
                for (i, (m, (d, current))) in expected.iter().zip(&actual).enumerate() {
                    m.check(d, i, *current, locale, &mut out);
                }
            }
        }
        if let Some(expected) = &self.events {
            let actual: Vec<&str> = seen.turns.iter().map(Turn::request_type).collect();
            let wanted: Vec<&str> = expected.iter().map(String::as_str).collect();
            if actual != wanted {
                out.push(Mismatch::new(
                    "events".into(),
                    &format!("{wanted:?}"),
                    &format!("{actual:?}"),
                ));
            }
        }
        self.check_player(seen, &mut out);
        if let (Some(expected), Some(actual)) = (self.reminders, seen.reminders) {
            if expected != actual {
                out.push(Mismatch::new(
                    "reminders".into(),
                    &expected.to_string(),
                    &actual.to_string(),
                ));
            }
        }
        out
    }

    fn check_answer(&self, turn: &Turn, locale: &str, out: &mut Vec<Mismatch>) {
        let body = &turn.answer.response.response;
        let speech = body
            .output_speech
            .as_ref()
            .map(|s| report::spoken(&s.content));
        check_opt(&self.speech, speech.as_deref(), "speech", locale, out);
        let reprompt = body
            .reprompt
            .as_ref()
            .map(|r| report::spoken(&r.output_speech.content));
        check_opt(&self.reprompt, reprompt.as_deref(), "reprompt", locale, out);
        let card = &turn.answer.json["response"]["card"];
        let card_text = card["content"].as_str().or(card["text"].as_str());
        if let Some(expected) = &self.card_type {
            let actual = card["type"].as_str().unwrap_or("(no card)");
            if actual != expected {
                out.push(Mismatch::new("card.type".into(), expected, actual));
            }
        }
        check_opt(
            &self.card_title,
            card["title"].as_str(),
            "card.title",
            locale,
            out,
        );
        check_opt(&self.card_text, card_text, "card.text", locale, out);
        if let Some(expected) = self.session_ended {
            let ended = body.should_end_session != Some(false);
            if ended != expected {
                out.push(Mismatch::new(
                    "session_ended".into(),
                    &expected.to_string(),
                    &ended.to_string(),
                ));
            }
        }
        if let Some(expected) = &self.session_attributes {
            let actual = turn.answer.json["sessionAttributes"].clone();
            for (key, want) in expected {
                let got = &actual[key];
                if !same_value(want, got) {
                    out.push(Mismatch::new(
                        format!("session_attributes.{key}"),
                        &want.to_string(),
                        &if got.is_null() {
                            "(absent)".into()
                        } else {
                            got.to_string()
                        },
                    ));
                }
            }
        }
    }

    fn check_player(&self, seen: &Observed<'_>, out: &mut Vec<Mismatch>) {
        let p = &seen.player;
        if let Some(expected) = &self.player_activity {
            let actual = p
                .player_activity
                .and_then(|a| serde_json::to_value(a).ok())
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            if &actual != expected {
                out.push(Mismatch::new("player.activity".into(), expected, &actual));
            }
        }
        if let Some(expected) = self.player_offset_ms {
            let actual = p.offset_in_milliseconds;
            if actual != Some(expected) {
                let shown = actual.map_or("(no item)".into(), |a| a.to_string());
                out.push(Mismatch::new(
                    "player.offset_ms".into(),
                    &expected.to_string(),
                    &shown,
                ));
            }
        }
        check_opt(
            &self.player_token,
            p.token.as_deref(),
            "player.token",
            seen.locale,
            out,
        );
        if let Some(expected) = self.player_queued {
            if seen.queued.is_some() != expected {
                let actual = seen.queued.clone().unwrap_or_else(|| "nothing".into());
                out.push(Mismatch::new(
                    "player.queued".into(),
                    if expected {
                        "an enqueued item"
                    } else {
                        "nothing"
                    },
                    &actual,
                ));
            }
        }
    }
}

fn check_opt(
    m: &Option<TextMatch>,
    actual: Option<&str>,
    field: &str,
    locale: &str,
    out: &mut Vec<Mismatch>,
) {
    let Some(m) = m else { return };
    match actual {
        Some(a) if m.matches(a, locale) => {}
        a => out.push(Mismatch::new(
            field.into(),
            &m.describe(locale),
            &a.map_or("(absent)".into(), |a| format!("{a:?}")),
        )),
    }
}

/// Equal as JSON, or the same scalar written as text (YAML scalars arrive as text).
fn same_value(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len()
                && e.iter()
                    .all(|(k, v)| a.get(k).is_some_and(|av| same_value(v, av)))
        }
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(ev, av)| same_value(ev, av))
        }
        (Value::String(e), Value::String(a)) => e == a,
        (Value::String(e), a @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => {
            coerce(Value::String(e.clone())) == *a
        }
        (e, a) => e == a,
    }
}

/// Reads YAML scalars (which arrive as text) as the JSON values they spell: booleans, null
/// and numbers; everything else stays text.
pub fn coerce(value: Value) -> Value {
    match value {
        Value::String(s) => match s.as_str() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" | "~" => Value::Null,
            _ => {
                if let Ok(n) = s.parse::<i64>() {
                    Value::from(n)
                } else if let Some(n) = s.parse::<f64>().ok().and_then(serde_json::Number::from_f64)
                {
                    Value::Number(n)
                } else {
                    Value::String(s)
                }
            }
        },
        Value::Array(items) => Value::Array(items.into_iter().map(coerce).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, coerce(v))).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests;
