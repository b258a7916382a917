//! LaunchRequest: news about what the listener follows, then the welcome.
//!
//! Followed performers and stations with something live now or starting within
//! [`ANNOUNCE_HOURS`] are announced first, each event once per listener: the ids go into
//! `ListenerState.announced`, so opening the skill again does not repeat them. The announced
//! events become the session listing, so "remind me when it starts" or "play the first one"
//! can follow.

use super::phrases::Phrase;
use super::{listing, lookup};
use super::{Reply, Skill, SkillError, Turn};
use crate::alexa::ResponseBuilder;
use crate::schedule::{fold, Event};
use crate::store::{ListenerState, PlayItem};

/// How far ahead a launch looks for followed events.
pub const ANNOUNCE_HOURS: i64 = 24;
/// Events announced in one launch; the rest wait for the next one.
const MAX_PER_LAUNCH: usize = 3;
/// Announced ids kept per listener; ended events are dropped first past this.
const KEPT: usize = 100;

/// Welcomes the listener, naming two things to say, and waits for an answer.
pub(super) fn handle(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let welcome = turn.locale.text(Phrase::Welcome);
    let (news, events) = announcements(skill, turn)?;
    let mut reply = ResponseBuilder::new()
        .reprompt(turn.locale.text(Phrase::WelcomeReprompt))
        .end_session(false);
    if news.is_empty() {
        return Ok(reply.speak(welcome));
    }
    let items: Vec<PlayItem> = events
        .iter()
        .map(|e| PlayItem::Event(e.id.to_string()))
        .collect();
    reply = reply
        .speak(format!("{} {welcome}", news.join(" ")))
        .attributes(listing::remember(&items));
    Ok(reply)
}

/// The followed performer of an event (display name), if any.
fn followed_performer<'a>(state: &'a ListenerState, e: &Event) -> Option<&'a String> {
    e.performers
        .iter()
        .find_map(|p| state.followed_performers.get(&fold(p)))
}

/// Sentences about followed events not yet announced, and those events; marks them announced.
fn announcements(skill: &Skill, turn: &Turn<'_>) -> Result<(Vec<String>, Vec<Event>), SkillError> {
    let Some(key) = &turn.listener else {
        return Ok((Vec::new(), Vec::new()));
    };
    let Some(state) = skill.store().listener(key)? else {
        return Ok((Vec::new(), Vec::new()));
    };
    if state.followed_performers.is_empty() && state.followed_stations.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let horizon = jiff::Timestamp::from_second(turn.now.as_second() + ANNOUNCE_HOURS * 3600)
        .unwrap_or(turn.now);
    // Each followed name's and station's own list, a page each: enough to fill a launch after
    // skipping what was already announced.
    let page = MAX_PER_LAUNCH + state.announced.len();
    let mut events: Vec<Event> = lookup::followed(
        skill.schedule(),
        state.followed_performers.keys().map(String::as_str),
        state.followed_stations.iter().map(String::as_str),
        turn.now,
        horizon,
        page,
    )?
    .into_iter()
    .map(std::sync::Arc::unwrap_or_clone)
    .filter(|e| e.end > turn.now && !state.announced.contains(e.id.as_str()))
    .filter(|e| {
        followed_performer(&state, e).is_some()
            || e.station
                .as_ref()
                .is_some_and(|s| state.followed_stations.contains(s.as_str()))
    })
    .collect();
    events.sort_by_key(|e| (e.start, e.id.clone()));
    events.truncate(MAX_PER_LAUNCH);
    if events.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let mut news = Vec::new();
    for e in &events {
        news.push(sentence(skill, turn, &state, e)?);
    }
    let stale = if state.announced.len() + MAX_PER_LAUNCH > KEPT {
        skill.ended_events(state.announced.iter(), turn.now)?
    } else {
        Vec::new()
    };
    let ids: Vec<String> = events.iter().map(|e| e.id.to_string()).collect();
    // Past the cap, ended events are forgotten first, then the longest-announced: forgetting
    // one risks a repeat, never an unbounded state.
    skill.store().update_listener(key, &mut |s| {
        s.remember_announced(&ids, &stale, KEPT);
    })?;
    Ok((news, events))
}

fn sentence(
    skill: &Skill,
    turn: &Turn<'_>,
    state: &ListenerState,
    e: &Event,
) -> Result<String, SkillError> {
    let locale = turn.locale;
    let station = match &e.station {
        Some(id) => skill.store().station(id.as_str())?.map(|s| s.name),
        None => None,
    };
    let live = e.is_live_at(turn.now);
    let when = turn.when(e.start);
    Ok(match (followed_performer(state, e), station) {
        (Some(name), station) => {
            let on = station
                .map(|s| locale.say(Phrase::OnStation, &[("station", &s)]))
                .unwrap_or_default();
            if live {
                locale.say(
                    Phrase::AnnouncePerformerLive,
                    &[("name", name), ("station", &on)],
                )
            } else {
                locale.say(
                    Phrase::AnnouncePerformer,
                    &[("name", name), ("when", &when), ("station", &on)],
                )
            }
        }
        (None, station) => {
            let id = e.station.as_ref().map(|s| s.to_string());
            let station = station.or(id).unwrap_or_default();
            let args = [
                ("station", station.as_str()),
                ("title", e.title.as_str()),
                ("when", when.as_str()),
            ];
            if live {
                locale.say(Phrase::AnnounceStationLive, &args)
            } else {
                locale.say(Phrase::AnnounceStation, &args)
            }
        }
    })
}
