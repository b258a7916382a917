//! Transport commands, by voice (AMAZON.* intents) or by device buttons (PlaybackController):
//! pause, resume, next, previous, start over, and the unsupported loop/shuffle/repeat.
//!
//! Button presses may carry only AudioPlayer directives, so every answer here comes in two forms:
//! with speech for voice, silent for buttons.

use super::phrases::Phrase;
use super::playable::{self, Playable};
use super::{token, Reply, Skill, SkillError, Turn};
use crate::alexa::{Directive, PlayBehavior, ResponseBuilder};
use crate::schedule::fold;
use crate::store::{ListenerState, PlayItem};

/// Voice or button.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// An AMAZON.* intent: speech allowed, the session ends.
    Voice,
    /// A PlaybackController event: directives only.
    Button,
}

/// The item this device is playing (its own token first, then what the listener last played),
/// with the position the device reports.
fn current(turn: &Turn<'_>, state: &ListenerState) -> Option<(PlayItem, i64)> {
    let player = turn.env.context.audio_player.as_ref();
    if let Some(item) = player
        .and_then(|p| p.token.as_deref())
        .and_then(token::parse)
    {
        let offset = player.and_then(|p| p.offset_in_milliseconds).unwrap_or(0);
        return Some((item, offset));
    }
    state
        .now_playing
        .as_ref()
        .map(|n| (n.item.clone(), n.offset_ms))
}

/// The listener's state, or the empty state for a request without a user.
pub(super) fn listener_state(skill: &Skill, turn: &Turn<'_>) -> Result<ListenerState, SkillError> {
    Ok(match &turn.listener {
        Some(key) => skill.store().listener(key)?.unwrap_or_default(),
        None => ListenerState::default(),
    })
}

/// A spoken answer for voice, an empty one for buttons.
fn say(via: Via, text: String) -> ResponseBuilder {
    match via {
        Via::Voice => ResponseBuilder::new().speak(text).end_session(true),
        Via::Button => ResponseBuilder::new(),
    }
}

/// Hands `p` to the device with REPLACE_ALL and records it.
pub(super) fn start(
    skill: &Skill,
    turn: &Turn<'_>,
    p: &Playable,
    via: Via,
    speech: Option<String>,
) -> Reply {
    if !turn.can_play() {
        return Ok(say(
            via,
            turn.locale.text(Phrase::NoAudioDevice).to_string(),
        ));
    }
    let (directive, tok) = p.directive(PlayBehavior::ReplaceAll, None);
    if let Some(key) = &turn.listener {
        let (item, now, offset) = (p.item.clone(), turn.now, p.offset_ms);
        skill.store().update_listener(key, &mut |s| {
            playable::record_play(s, &tok, &item, now, offset)
        })?;
    }
    let mut reply = ResponseBuilder::new().directive(directive);
    if via == Via::Voice {
        if let Some(text) = speech {
            reply = reply.speak(text);
        }
        reply = reply.end_session(true);
    }
    Ok(reply)
}

/// Pause: stop the stream; the position arrives with PlaybackStopped.
pub(super) fn pause(via: Via) -> Reply {
    let reply = ResponseBuilder::new().directive(Directive::Stop);
    Ok(match via {
        Via::Voice => reply.end_session(true),
        Via::Button => reply,
    })
}

/// Resume: live items rejoin the live edge, episodes continue where they stopped.
pub(super) fn resume(skill: &Skill, turn: &Turn<'_>, via: Via) -> Reply {
    let locale = turn.locale;
    let state = listener_state(skill, turn)?;
    let Some((item, device_offset)) = current(turn, &state) else {
        return Ok(say(via, locale.text(Phrase::NothingToResume).to_string()));
    };
    let store = skill.store();
    match item {
        PlayItem::Event(id) => {
            let Some(event) = store.event(&id)? else {
                return Ok(say(via, locale.text(Phrase::NothingToResume).to_string()));
            };
            if event.is_live_at(turn.now) {
                if let Some(p) = playable::event(skill, &event)? {
                    return start(skill, turn, &p, via, None);
                }
            }
            // Over (or unplayable): the station carries on, as it would have on air.
            let station = match &event.station {
                Some(s) => store.station(s.as_str())?,
                None => None,
            };
            if let Some(st) = station {
                if let Some(p) = playable::station(skill, &st, turn.now)? {
                    let text = locale.say(
                        Phrase::EventEndedStation,
                        &[("title", &event.title), ("station", &st.name)],
                    );
                    return start(skill, turn, &p, via, Some(text));
                }
            }
            Ok(say(
                via,
                locale.say(Phrase::EventEnded, &[("title", &event.title)]),
            ))
        }
        PlayItem::Station(id) => match store.station(&id)? {
            Some(st) => match playable::station(skill, &st, turn.now)? {
                Some(p) => start(skill, turn, &p, via, None),
                None => Ok(say(
                    via,
                    locale.say(Phrase::StationSilent, &[("station", &st.name)]),
                )),
            },
            None => Ok(say(via, locale.text(Phrase::NothingToResume).to_string())),
        },
        PlayItem::Episode(id) => match store.episode(&id)? {
            Some(ep) => {
                // The stored offset comes from PlaybackStopped; the device's own report is a
                // fallback when that event was lost.
                let saved = playable::resume_offset(&state, &id);
                let offset = if saved > 0 {
                    saved
                } else {
                    device_offset.max(0)
                };
                start(skill, turn, &playable::episode(&ep, offset), via, None)
            }
            None => Ok(say(via, locale.text(Phrase::NothingToResume).to_string())),
        },
    }
}

/// Next or previous: the neighbouring station in the listener's order, or the neighbouring
/// episode of the same show.
pub(super) fn skip(skill: &Skill, turn: &Turn<'_>, forward: bool, via: Via) -> Reply {
    let locale = turn.locale;
    let state = listener_state(skill, turn)?;
    let Some((item, _)) = current(turn, &state) else {
        return Ok(say(via, locale.text(Phrase::NothingToSkip).to_string()));
    };
    let store = skill.store();
    let station_id = match &item {
        PlayItem::Episode(id) => return skip_episode(skill, turn, &state, id, forward, via),
        PlayItem::Station(id) => Some(id.clone()),
        PlayItem::Event(id) => store
            .event(id)?
            .and_then(|e| e.station.map(|s| s.to_string())),
    };
    let Some(station_id) = station_id else {
        return Ok(say(via, locale.text(Phrase::SkipNotPossible).to_string()));
    };
    let order = playable::station_order(skill, &state)?;
    let Some(pos) = order.iter().position(|s| s.id.as_str() == station_id) else {
        return Ok(say(via, locale.text(Phrase::SkipNotPossible).to_string()));
    };
    let candidates: Box<dyn Iterator<Item = _>> = if forward {
        Box::new(order.iter().skip(pos + 1))
    } else {
        Box::new(order.iter().take(pos).rev())
    };
    for st in candidates {
        if let Some(p) = playable::station(skill, st, turn.now)? {
            let text = locale.say(Phrase::PlayingStation, &[("station", &st.name)]);
            return start(skill, turn, &p, via, Some(text));
        }
    }
    let end = if forward {
        Phrase::NoNextStation
    } else {
        Phrase::NoPreviousStation
    };
    Ok(say(via, locale.text(end).to_string()))
}

fn skip_episode(
    skill: &Skill,
    turn: &Turn<'_>,
    state: &ListenerState,
    id: &str,
    forward: bool,
    via: Via,
) -> Reply {
    let locale = turn.locale;
    let Some(ep) = skill.store().episode(id)? else {
        return Ok(say(via, locale.text(Phrase::NothingToSkip).to_string()));
    };
    // Newest first: "next" is the newer episode.
    let episodes = skill.store().episodes_of_show(&fold(&ep.show), 500)?;
    let pos = episodes.iter().position(|e| e.id == ep.id);
    let neighbour = match (pos, forward) {
        (Some(p), true) => p.checked_sub(1).and_then(|i| episodes.get(i)),
        (Some(p), false) => episodes.get(p + 1),
        (None, _) => None,
    };
    match neighbour {
        Some(n) => {
            let p = playable::episode(n, playable::resume_offset(state, n.id.as_str()));
            let text = locale.say(
                Phrase::PlayingEpisode,
                &[("title", &n.title), ("show", &n.show)],
            );
            start(skill, turn, &p, via, Some(text))
        }
        None => {
            let end = if forward {
                Phrase::NoNextEpisode
            } else {
                Phrase::NoPreviousEpisode
            };
            Ok(say(via, locale.say(end, &[("show", &ep.show)])))
        }
    }
}

/// Start over: an episode from zero; live audio rejoins the live edge.
pub(super) fn start_over(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let locale = turn.locale;
    let state = listener_state(skill, turn)?;
    let Some((item, _)) = current(turn, &state) else {
        return Ok(say(
            Via::Voice,
            locale.text(Phrase::NothingToStartOver).to_string(),
        ));
    };
    match &item {
        PlayItem::Episode(id) => match skill.store().episode(id)? {
            Some(ep) => {
                let text = locale.say(Phrase::StartingOver, &[("title", &ep.title)]);
                start(
                    skill,
                    turn,
                    &playable::episode(&ep, 0),
                    Via::Voice,
                    Some(text),
                )
            }
            None => Ok(say(
                Via::Voice,
                locale.text(Phrase::NothingToStartOver).to_string(),
            )),
        },
        PlayItem::Event(_) | PlayItem::Station(_) => {
            let live = match &item {
                PlayItem::Event(id) => match skill.store().event(id)? {
                    Some(e) if e.is_live_at(turn.now) => playable::event(skill, &e)?,
                    _ => None,
                },
                PlayItem::Station(id) => match skill.store().station(id)? {
                    Some(st) => playable::station(skill, &st, turn.now)?,
                    None => None,
                },
                PlayItem::Episode(_) => None,
            };
            match live {
                Some(p) => start(
                    skill,
                    turn,
                    &p,
                    Via::Voice,
                    Some(locale.text(Phrase::StartOverLive).to_string()),
                ),
                None => resume(skill, turn, Via::Voice),
            }
        }
    }
}

/// Loop, shuffle and repeat: not meaningful for live audio; said briefly, playback untouched.
pub(super) fn unsupported(turn: &Turn<'_>) -> Reply {
    Ok(say(
        Via::Voice,
        turn.locale.text(Phrase::NotSupportedLive).to_string(),
    ))
}
