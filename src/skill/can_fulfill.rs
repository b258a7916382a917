//! CanFulfillIntentRequest: "could On Air answer this?", asked by Alexa before the listener has
//! named the skill. Answered from the schedule and the interaction model only: nothing is
//! written (no listener state, no zone cache) and nothing is said (protocol §1.4).
//!
//! Each slot with a value gets `canUnderstand` (YES: the store or the model knows the value;
//! MAYBE: a value of the right kind that nothing matches; NO: a slot this intent does not have)
//! and `canFulfill` (YES when the answer would do what was asked: play now, list, follow). The
//! intent's answer is NO for intents onair does not handle or when a slot is not understood,
//! YES when every slot can be fulfilled, MAYBE when at least one is known but not fulfillable,
//! and NO when nothing given is known.

use super::intents;
use super::locale::Locale;
use super::lookup;
use super::playable;
use super::resolve::{self, Resolved, MIN_CONFIDENCE};

/// Live events checked for something playable.
const LIVE_PAGE: usize = 50;
use super::window;
use super::{Skill, SkillError, Turn};
use crate::alexa::request::Slot;
use crate::alexa::Intent;
use crate::schedule::fold;
use crate::store::NameKind;
use serde_json::{json, Map, Value};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// One of the three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Yes,
    Maybe,
    No,
}

impl Answer {
    fn as_str(self) -> &'static str {
        match self {
            Self::Yes => "YES",
            Self::Maybe => "MAYBE",
            Self::No => "NO",
        }
    }

    fn from_bool(b: bool) -> Self {
        if b {
            Self::Yes
        } else {
            Self::No
        }
    }
}

/// What the interaction model says: slot types per intent, and every value and synonym per
/// type (folded). Compiled in, so the answer matches the model that is deployed with the code.
#[derive(Default)]
struct Model {
    slot_types: HashMap<(String, String), String>,
    values: HashMap<String, HashSet<String>>,
}

impl Model {
    fn parse(text: &str) -> Self {
        let mut model = Model::default();
        let Ok(root) = serde_json::from_str::<Value>(text) else {
            return model;
        };
        let lm = &root["interactionModel"]["languageModel"];
        for intent in lm["intents"].as_array().into_iter().flatten() {
            let name = intent["name"].as_str().unwrap_or_default();
            for slot in intent["slots"].as_array().into_iter().flatten() {
                if let (Some(s), Some(t)) = (slot["name"].as_str(), slot["type"].as_str()) {
                    model
                        .slot_types
                        .insert((name.to_string(), s.to_string()), t.to_string());
                }
            }
        }
        for ty in lm["types"].as_array().into_iter().flatten() {
            let name = ty["name"].as_str().unwrap_or_default().to_string();
            let set = model.values.entry(name).or_default();
            for v in ty["values"].as_array().into_iter().flatten() {
                let n = &v["name"];
                set.extend(n["value"].as_str().map(fold));
                for syn in n["synonyms"].as_array().into_iter().flatten() {
                    set.extend(syn.as_str().map(fold));
                }
            }
        }
        model
    }

    fn knows(&self, ty: &str, slot: &Slot) -> bool {
        slot.resolved().is_some()
            || slot.value.as_deref().is_some_and(|v| {
                self.values
                    .get(ty)
                    .is_some_and(|set| set.contains(&fold(v)))
            })
    }
}

fn model(locale: Locale) -> &'static Model {
    static MODELS: OnceLock<[Model; 3]> = OnceLock::new();
    let [us, gb, fr] = MODELS.get_or_init(|| {
        [
            Model::parse(include_str!(
                "../../skill-manifest/interactionModels/custom/en-US.json"
            )),
            Model::parse(include_str!(
                "../../skill-manifest/interactionModels/custom/en-GB.json"
            )),
            Model::parse(include_str!(
                "../../skill-manifest/interactionModels/custom/fr-FR.json"
            )),
        ]
    });
    match locale {
        Locale::EnUs => us,
        Locale::EnGb => gb,
        Locale::FrFr => fr,
    }
}

/// The answer for an intent asked about without slot values.
fn without_slots(skill: &Skill, turn: &Turn<'_>, intent: &str) -> Result<Answer, SkillError> {
    Ok(match intent {
        "WhatsOnIntent" | "ListFollowsIntent" | "PlayForMeIntent" | "ForgetHistoryIntent" => {
            Answer::Yes
        }
        "PlayLiveIntent" => {
            let mut any = false;
            let store = skill.schedule();
            let snap = store.snapshot();
            let everything = lookup::Filter::new(&snap, None, None);
            for e in lookup::live(store, &snap, turn.now, everything, LIVE_PAGE)? {
                any |= playable::event(skill, &e)?.is_some();
            }
            if any {
                Answer::Yes
            } else {
                Answer::Maybe
            }
        }
        _ => Answer::Maybe,
    })
}

/// Whether any live event among `events` can be played now.
fn playable_now(
    skill: &Skill,
    turn: &Turn<'_>,
    events: &[crate::schedule::Event],
) -> Result<bool, SkillError> {
    for e in events.iter().filter(|e| e.is_live_at(turn.now)) {
        if playable::event(skill, e)?.is_some() {
            return Ok(true);
        }
    }
    Ok(false)
}

fn slot_answer(
    skill: &Skill,
    turn: &Turn<'_>,
    intent: &str,
    slot: &Slot,
    ty: &str,
    model: &Model,
) -> Result<(Answer, Answer), SkillError> {
    let plays = matches!(intent, "PlayLiveIntent" | "PlayStationIntent");
    let follows = matches!(intent, "FollowIntent" | "UnfollowIntent");
    let value = slot.value.as_deref().unwrap_or_default();
    let unknown = |fulfil: bool| {
        let understand = if model.knows(ty, slot) {
            Answer::Yes
        } else {
            Answer::Maybe
        };
        (understand, Answer::from_bool(fulfil))
    };
    Ok(match ty {
        "STATION_NAME" => match resolve::station(skill.schedule(), slot)? {
            Resolved::One(st) => {
                let ok = !plays || playable::station(skill, &st, turn.now)?.is_some();
                (Answer::Yes, Answer::from_bool(ok))
            }
            Resolved::Ambiguous(_) => (Answer::Maybe, Answer::Yes),
            Resolved::Nothing => unknown(false),
        },
        "PERFORMER_NAME" | "EVENT_NAME" => {
            let kinds = [NameKind::Performer, NameKind::Title];
            match resolve::events_by_name(skill.schedule(), slot, &kinds, turn.now)? {
                Resolved::One(named) => {
                    let ok = if plays {
                        playable_now(skill, turn, &named.events)?
                    } else if intent == "RemindMeIntent" {
                        named.events.iter().any(|e| e.start > turn.now)
                    } else {
                        true
                    };
                    (Answer::Yes, Answer::from_bool(ok))
                }
                Resolved::Ambiguous(_) => (Answer::Maybe, Answer::Yes),
                // A performer the schedule does not know can still be followed.
                Resolved::Nothing => unknown(follows),
            }
        }
        "GENRE" => {
            if !model.knows(ty, slot) {
                (Answer::Maybe, Answer::No)
            } else if plays {
                let g = slot.resolved().map_or(value, |v| v.name.as_str());
                let store = skill.schedule();
                let snap = store.snapshot();
                let in_genre = lookup::Filter::new(&snap, None, Some(g));
                let live: Vec<crate::schedule::Event> =
                    lookup::live(store, &snap, turn.now, in_genre, LIVE_PAGE)?
                        .into_iter()
                        .map(std::sync::Arc::unwrap_or_clone)
                        .collect();
                (
                    Answer::Yes,
                    Answer::from_bool(playable_now(skill, turn, &live)?),
                )
            } else {
                (Answer::Yes, Answer::Yes)
            }
        }
        "SHOW_NAME" => {
            let hits = skill
                .store()
                .find_names(value, &[NameKind::Show], MIN_CONFIDENCE, 1)?;
            if hits.is_empty() {
                unknown(false)
            } else {
                (Answer::Yes, Answer::Yes)
            }
        }
        "AMAZON.DATE" | "AMAZON.TIME" => {
            let now = turn.local_now();
            let w = if ty == "AMAZON.DATE" {
                window::from_slots(Some(value), None, &now)
            } else {
                window::from_slots(None, Some(value), &now)
            };
            match w {
                Some(_) => (Answer::Yes, Answer::Yes),
                None => (Answer::Maybe, Answer::No),
            }
        }
        // A position in a listing this request has not heard.
        "AMAZON.ORDINAL" => match value.parse::<usize>() {
            Ok(_) => (Answer::Yes, Answer::No),
            Err(_) => (Answer::Maybe, Answer::No),
        },
        _ => (Answer::Maybe, Answer::No),
    })
}

fn answer(can: Answer, slots: Map<String, Value>) -> Value {
    let mut out = json!({"canFulfill": can.as_str()});
    if !slots.is_empty() {
        out["slots"] = Value::Object(slots);
    }
    out
}

/// The `canFulfillIntent` object for `intent` (absent in malformed traffic).
pub(super) fn handle(
    skill: &Skill,
    turn: &Turn<'_>,
    intent: Option<&Intent>,
) -> Result<Value, SkillError> {
    let Some(intent) = intent else {
        return Ok(answer(Answer::No, Map::new()));
    };
    let model = model(turn.locale);
    let ours = intents::CUSTOM.contains(&intent.name.as_str());
    let mut slots = Map::new();
    let mut results = Vec::new();
    for (name, slot) in intent
        .slots
        .iter()
        .filter(|(_, s)| s.value.as_deref().is_some_and(|v| !v.trim().is_empty()))
    {
        let ty = model
            .slot_types
            .get(&(intent.name.clone(), name.clone()))
            .filter(|_| ours);
        let (understand, fulfil) = match ty {
            Some(ty) => slot_answer(skill, turn, &intent.name, slot, ty, model)?,
            None => (Answer::No, Answer::No),
        };
        slots.insert(
            name.clone(),
            json!({"canUnderstand": understand.as_str(), "canFulfill": fulfil.as_str()}),
        );
        results.push((understand, fulfil));
    }
    // "play the second one" needs a listing from the conversation, which a request from
    // outside the skill has not had.
    let needs_listing = intent.name == "PlayItemIntent";
    let can = if !ours || needs_listing || results.iter().any(|(u, _)| *u == Answer::No) {
        Answer::No
    } else if results.is_empty() {
        without_slots(skill, turn, &intent.name)?
    } else if results.iter().all(|r| *r == (Answer::Yes, Answer::Yes)) {
        Answer::Yes
    } else if results
        .iter()
        .any(|(u, f)| *u == Answer::Yes || *f == Answer::Yes)
    {
        Answer::Maybe
    } else {
        Answer::No
    };
    Ok(answer(can, slots))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_parses_with_slot_types_and_values() {
        for locale in Locale::ALL {
            let m = model(locale);
            assert_eq!(
                m.slot_types
                    .get(&("PlayLiveIntent".to_string(), "performer".to_string()))
                    .map(String::as_str),
                Some("PERFORMER_NAME"),
                "{locale:?}"
            );
            assert!(m.values["GENRE"].contains("jazz"), "{locale:?}");
            assert!(m.values["PERFORMER_NAME"].contains(&fold("Nina Simone")));
        }
    }
}
