//! What was last listed, kept in session attributes so "play the second one" works.

use super::phrases::Phrase;
use super::{play, Reply, Skill, Turn};
use crate::alexa::ResponseBuilder;
use crate::store::PlayItem;
use serde_json::{Map, Value};

/// Items kept from a listing; more are not addressable by voice anyway.
pub const MAX_ITEMS: usize = 10;
const KEY: &str = "listing";

/// Stores `items` in the session attributes.
pub fn remember(items: &[PlayItem]) -> Map<String, Value> {
    let mut attrs = Map::new();
    let list: Vec<Value> = items
        .iter()
        .take(MAX_ITEMS)
        .filter_map(|i| serde_json::to_value(i).ok())
        .collect();
    attrs.insert(KEY.into(), Value::Array(list));
    attrs
}

/// The listing of the previous turn; items that do not parse are dropped.
pub fn recall(attributes: &Map<String, Value>) -> Vec<PlayItem> {
    attributes
        .get(KEY)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(|v| serde_json::from_value(v.clone()).ok())
                .take(MAX_ITEMS)
                .collect()
        })
        .unwrap_or_default()
}

/// PlayItemIntent: plays the n-th item of the last listing.
pub(super) fn play_item(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let items = recall(&turn.attributes);
    let locale = turn.locale;
    if items.is_empty() {
        return Ok(ResponseBuilder::new()
            .speak(locale.text(Phrase::NoListing))
            .reprompt(locale.text(Phrase::NoListing))
            .end_session(false));
    }
    let ordinal = turn
        .intent()
        .and_then(|i| i.slot_value("ordinal"))
        .and_then(|v| v.parse::<usize>().ok());
    let Some(n) = ordinal else {
        return Ok(ResponseBuilder::new()
            .speak(locale.text(Phrase::WhichNumber))
            .reprompt(locale.text(Phrase::WhichNumber))
            .end_session(false)
            .attributes(turn.attributes.clone()));
    };
    match n.checked_sub(1).and_then(|i| items.get(i)) {
        Some(PlayItem::Event(id)) => match skill.store().event(id)? {
            Some(event) => play::event_or_when(skill, turn, &event),
            None => Ok(gone(turn)),
        },
        Some(PlayItem::Station(id)) => match skill.store().station(id)? {
            Some(station) => play::station(skill, turn, &station),
            None => Ok(gone(turn)),
        },
        Some(PlayItem::Episode(id)) => match skill.store().episode(id)? {
            Some(ep) => super::episodes::play_episode(skill, turn, &ep),
            None => Ok(gone(turn)),
        },
        None => {
            let count = items.len().to_string();
            Ok(ResponseBuilder::new()
                .speak(locale.say(Phrase::OutOfRange, &[("count", &count)]))
                .reprompt(locale.text(Phrase::WhichNumber))
                .end_session(false)
                .attributes(turn.attributes.clone()))
        }
    }
}

/// The listed item vanished from the schedule between two turns.
fn gone(turn: &Turn<'_>) -> ResponseBuilder {
    ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::NoListing))
        .reprompt(turn.locale.text(Phrase::NoListing))
        .end_session(false)
}
