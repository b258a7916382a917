//! FollowIntent, UnfollowIntent and ListFollowsIntent: the performers and stations a listener
//! wants to hear about when opening the skill (see [`super::launch`]).
//!
//! Performers are kept as display names under their folded key, so "radiohead" and "Radiohead"
//! are one follow; a performer the schedule does not know yet can still be followed, as said.
//! Stations are kept by id and must exist. The two slots share their sample shapes in the
//! model ("follow {performer}" / "follow {station}"), so a name landing in the wrong slot is
//! tried as the other kind before giving up.

use super::phrases::Phrase;
use super::resolve::{self, Resolved};
use super::{play, transport, Reply, Skill, SkillError, Turn};
use crate::alexa::request::Slot;
use crate::alexa::ResponseBuilder;
use crate::schedule::names::score;
use crate::schedule::{fold, Event, Station};
use crate::store::NameKind;

/// Follows kept per listener (performers and stations together).
pub const MAX_FOLLOWS: usize = 100;
/// Longest performer name kept for a name the schedule does not know.
const MAX_NAME_CHARS: usize = 80;

/// What a spoken name turned out to be.
enum Named {
    /// A performer: display name, and their events when the schedule knows them.
    Performer(String, Vec<Event>),
    /// A station of the schedule.
    Station(Station),
    /// Several candidates: display names.
    Ambiguous(Vec<String>),
    /// A station slot that names nothing known.
    UnknownStation(String),
}

/// The spoken value of a slot, preferring the model's canonical spelling.
fn spoken(slot: &Slot) -> String {
    slot.resolved()
        .map(|v| v.name.clone())
        .or_else(|| slot.value.clone())
        .unwrap_or_default()
}

fn performer(skill: &Skill, turn: &Turn<'_>, slot: &Slot) -> Result<Option<Named>, SkillError> {
    Ok(
        match resolve::events_by_name(skill.schedule(), slot, &[NameKind::Performer], turn.now)? {
            Resolved::One(n) => Some(Named::Performer(n.name, n.events)),
            Resolved::Ambiguous(c) => {
                Some(Named::Ambiguous(c.into_iter().map(|n| n.name).collect()))
            }
            Resolved::Nothing => None,
        },
    )
}

fn station(skill: &Skill, slot: &Slot) -> Result<Option<Named>, SkillError> {
    Ok(match resolve::station(skill.schedule(), slot)? {
        Resolved::One(s) => Some(Named::Station(s)),
        Resolved::Ambiguous(c) => Some(Named::Ambiguous(c.into_iter().map(|s| s.name).collect())),
        Resolved::Nothing => None,
    })
}

/// Reads the performer or station slot; `None` when neither was given.
fn named(skill: &Skill, turn: &Turn<'_>) -> Result<Option<Named>, SkillError> {
    let intent = turn.intent();
    if let Some(slot) = intent.and_then(|i| i.slot("performer")) {
        if let Some(n) = performer(skill, turn, slot)? {
            return Ok(Some(n));
        }
        if let Some(Named::Station(s)) = station(skill, slot)? {
            return Ok(Some(Named::Station(s)));
        }
        // Followed as said, within bounds: a name that folds to nothing (emoji, punctuation)
        // could never match a schedule, and the state must stay small.
        let name: String = spoken(slot).trim().chars().take(MAX_NAME_CHARS).collect();
        return Ok((!fold(&name).is_empty()).then(|| Named::Performer(name, Vec::new())));
    }
    if let Some(slot) = intent.and_then(|i| i.slot("station")) {
        if let Some(n) = station(skill, slot)? {
            return Ok(Some(n));
        }
        if let Some(Named::Performer(name, events)) = performer(skill, turn, slot)? {
            return Ok(Some(Named::Performer(name, events)));
        }
        return Ok(Some(Named::UnknownStation(spoken(slot))));
    }
    Ok(None)
}

fn ask_which(turn: &Turn<'_>, names: &[String]) -> ResponseBuilder {
    let example = names.first().cloned().unwrap_or_default();
    ResponseBuilder::new()
        .speak(turn.locale.say(
            Phrase::FollowWhich,
            &[
                ("choices", &turn.locale.join_or(names)),
                ("example", &example),
            ],
        ))
        .reprompt(
            turn.locale
                .say(Phrase::FollowWhichReprompt, &[("example", &example)]),
        )
        .end_session(false)
}

fn done(text: String) -> Reply {
    Ok(ResponseBuilder::new().speak(text).end_session(true))
}

/// FollowIntent.
pub(super) fn follow(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let locale = turn.locale;
    let Some(named) = named(skill, turn)? else {
        return Ok(ResponseBuilder::new()
            .speak(locale.text(Phrase::FollowWho))
            .reprompt(locale.text(Phrase::FollowWho))
            .end_session(false));
    };
    let (performer, station) = match named {
        Named::Ambiguous(names) => return Ok(ask_which(turn, &names)),
        Named::UnknownStation(name) => {
            return done(locale.say(Phrase::NotFound, &[("name", &name)]))
        }
        Named::Performer(name, events) => (Some((name, events)), None),
        Named::Station(s) => (None, Some(s)),
    };
    let Some(key) = &turn.listener else {
        // No user id: nothing can be remembered; say so as if nothing was followed.
        return done(locale.text(Phrase::FollowsNone).to_string());
    };
    let state = skill.store().listener(key)?.unwrap_or_default();
    let count = state.followed_performers.len() + state.followed_stations.len();
    if let Some((name, events)) = performer {
        let folded = fold(&name);
        if state.followed_performers.contains_key(&folded) {
            return done(locale.say(Phrase::AlreadyFollowing, &[("name", &name)]));
        }
        if count >= MAX_FOLLOWS {
            return done(locale.say(Phrase::FollowLimit, &[("count", &count.to_string())]));
        }
        skill.store().update_listener(key, &mut |s| {
            s.followed_performers.insert(folded.clone(), name.clone());
        })?;
        if events.is_empty() {
            return done(locale.say(Phrase::FollowedUnknown, &[("name", &name)]));
        }
        let mut text = locale.say(Phrase::FollowedPerformer, &[("name", &name)]);
        let next = events
            .iter()
            .filter(|e| e.end > turn.now)
            .min_by_key(|e| e.start);
        if let Some(e) = next {
            text.push(' ');
            text.push_str(&next_sentence(skill, turn, &name, e)?);
        }
        return done(text);
    }
    let Some(st) = station else {
        return done(locale.text(Phrase::FollowWho).to_string());
    };
    let id = st.id.to_string();
    if state.followed_stations.contains(&id) {
        return done(locale.say(Phrase::AlreadyFollowing, &[("name", &st.name)]));
    }
    if count >= MAX_FOLLOWS {
        return done(locale.say(Phrase::FollowLimit, &[("count", &count.to_string())]));
    }
    skill.store().update_listener(key, &mut |s| {
        s.followed_stations.insert(id.clone());
    })?;
    done(locale.say(Phrase::FollowedStation, &[("station", &st.name)]))
}

/// "Next up: …", or "… is live right now on …" when it is on already.
fn next_sentence(
    skill: &Skill,
    turn: &Turn<'_>,
    name: &str,
    e: &Event,
) -> Result<String, SkillError> {
    let locale = turn.locale;
    if !e.is_live_at(turn.now) {
        let when = turn.when(e.start);
        return Ok(locale.say(Phrase::FollowNext, &[("title", &e.title), ("when", &when)]));
    }
    let on = play::event_station_suffix(skill, turn, e)?;
    Ok(locale.say(
        Phrase::AnnouncePerformerLive,
        &[("name", name), ("station", &on)],
    ))
}

/// The followed performer a spoken name means: exact folded match, else the closest one that
/// is close enough.
fn followed_key(
    followed: &std::collections::BTreeMap<String, String>,
    names: &[String],
) -> Option<String> {
    for n in names {
        let k = fold(n);
        if followed.contains_key(&k) {
            return Some(k);
        }
    }
    names
        .iter()
        .flat_map(|n| {
            let q = fold(n);
            followed.keys().map(move |k| (k.clone(), score(&q, k)))
        })
        .filter(|(_, c)| *c >= resolve::SURE)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

/// UnfollowIntent.
pub(super) fn unfollow(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let locale = turn.locale;
    let intent = turn.intent();
    let slots: Vec<&Slot> = ["performer", "station"]
        .iter()
        .filter_map(|n| intent.and_then(|i| i.slot(n)))
        .collect();
    if slots.is_empty() {
        return Ok(ResponseBuilder::new()
            .speak(locale.text(Phrase::UnfollowWho))
            .reprompt(locale.text(Phrase::UnfollowWho))
            .end_session(false));
    }
    // What to call the name back: the schedule's spelling when it knows the performer.
    let mut said = spoken(slots[0]);
    let mut names: Vec<String> = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        names.extend(slot.resolved().map(|v| v.name.clone()));
        names.extend(slot.value.clone());
        if let Some(Named::Performer(n, _)) = performer(skill, turn, slot)? {
            if i == 0 {
                said = n.clone();
            }
            names.push(n);
        }
    }
    let Some(key) = &turn.listener else {
        return done(locale.say(Phrase::NotFollowing, &[("name", &said)]));
    };
    let state = skill.store().listener(key)?.unwrap_or_default();
    if let Some(k) = followed_key(&state.followed_performers, &names) {
        let display = state.followed_performers.get(&k).cloned().unwrap_or(said);
        skill.store().update_listener(key, &mut |s| {
            s.followed_performers.remove(&k);
        })?;
        return done(locale.say(Phrase::Unfollowed, &[("name", &display)]));
    }
    for slot in &slots {
        if let Some(Named::Station(st)) = station(skill, slot)? {
            let id = st.id.to_string();
            if state.followed_stations.contains(&id) {
                skill.store().update_listener(key, &mut |s| {
                    s.followed_stations.remove(&id);
                })?;
                return done(locale.say(Phrase::Unfollowed, &[("name", &st.name)]));
            }
            return done(locale.say(Phrase::NotFollowing, &[("name", &st.name)]));
        }
    }
    done(locale.say(Phrase::NotFollowing, &[("name", &said)]))
}

/// ListFollowsIntent: performers in their own spelling, then stations by name.
pub(super) fn list(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let locale = turn.locale;
    let state = transport::listener_state(skill, turn)?;
    let mut items: Vec<String> = state.followed_performers.values().cloned().collect();
    for id in &state.followed_stations {
        // A station removed from the schedule since is still followed; say its id rather than
        // hide it, so the listener can unfollow it.
        let name = skill
            .store()
            .station(id)?
            .map(|s| s.name)
            .unwrap_or_else(|| id.clone());
        items.push(name);
    }
    if items.is_empty() {
        return done(locale.text(Phrase::FollowsNone).to_string());
    }
    done(locale.say(Phrase::FollowsList, &[("items", &locale.join(&items))]))
}
