//! AudioPlayer events: what the device reports about playback. Answers carry no speech (the
//! policy check enforces it); they record state and, where the protocol allows, queue what
//! comes next or recover from a failure.

use super::playable::{self, Playable};
use super::{token, Reply, Skill, SkillError, Turn};
use crate::alexa::{Directive, PlayBehavior, PlaybackEvent, PlaybackEventKind, ResponseBuilder};
use crate::schedule::fold;
use crate::store::{ListenerState, NowPlaying, PlayItem};
use jiff::Timestamp;

/// How close to an event's end the next programme must start to follow it seamlessly.
const CONTINUATION_GAP_S: i64 = 300;

pub(super) fn handle(skill: &Skill, turn: &Turn<'_>, event: &PlaybackEvent) -> Reply {
    let (Some(key), Some(tok)) = (&turn.listener, event.token.as_deref()) else {
        return Ok(ResponseBuilder::new());
    };
    // A token onair did not issue (older version, another skill, forged) is an unknown item:
    // acknowledged, never an error.
    let Some(item) = token::parse(tok) else {
        return Ok(if event.kind == PlaybackEventKind::Failed {
            ResponseBuilder::new().directive(Directive::Stop)
        } else {
            ResponseBuilder::new()
        });
    };
    let offset = event.offset_ms.unwrap_or(0).max(0);
    match event.kind {
        PlaybackEventKind::Started => started(skill, turn, key, tok, &item, offset),
        PlaybackEventKind::Stopped => {
            skill
                .store()
                .update_listener(key, &mut |s| stopped(s, tok, &item, offset, turn.now))?;
            Ok(ResponseBuilder::new())
        }
        PlaybackEventKind::Finished => {
            skill.store().update_listener(key, &mut |s| {
                stopped(s, tok, &item, offset, turn.now);
                if let PlayItem::Episode(id) = &item {
                    s.finished_episodes.insert(id.clone());
                    s.episode_offsets.remove(id);
                }
            })?;
            Ok(ResponseBuilder::new())
        }
        PlaybackEventKind::NearlyFinished => nearly_finished(skill, turn, key, tok, &item),
        PlaybackEventKind::Failed => failed(skill, turn, key, tok, &item),
    }
}

fn started(
    skill: &Skill,
    turn: &Turn<'_>,
    key: &str,
    tok: &str,
    item: &PlayItem,
    offset: i64,
) -> Reply {
    let entry = playable::history_entry(skill, item, turn.now)?;
    skill.store().update_listener(key, &mut |s| {
        // A repeated Started for the same token (some devices resend it) adds no second entry.
        let repeat = s
            .now_playing
            .as_ref()
            .is_some_and(|n| n.token == tok && n.active);
        s.now_playing = Some(NowPlaying {
            token: tok.to_string(),
            item: item.clone(),
            since: turn.now,
            offset_ms: offset,
            active: true,
        });
        if !repeat {
            s.push_history(entry.clone());
        }
        if let Some(st) = &entry.station {
            if !s.station_order.contains(st) {
                s.station_order.push(st.clone());
            }
        }
    })?;
    Ok(ResponseBuilder::new())
}

/// Saves where playback stopped and how long it lasted.
fn stopped(s: &mut ListenerState, tok: &str, item: &PlayItem, offset: i64, now: Timestamp) {
    if let Some(np) = s.now_playing.as_mut().filter(|n| n.token == tok) {
        np.offset_ms = offset;
        np.active = false;
    }
    if let PlayItem::Episode(id) = item {
        s.save_offset(id, offset);
    }
    if let Some(last) = s
        .history
        .iter_mut()
        .rev()
        .find(|h| h.item == *item && h.seconds == 0)
    {
        last.seconds = (now.as_second() - last.at.as_second()).max(0);
    }
}

/// What follows `item` when it ends: for a scheduled event, the next programme on its station
/// (if it starts right after) or the station's own stream; for an episode, the next one of the
/// show. Endless live streams have no follower.
fn follower(
    skill: &Skill,
    item: &PlayItem,
    state: &ListenerState,
) -> Result<Option<Playable>, SkillError> {
    let store = skill.store();
    match item {
        PlayItem::Event(id) => {
            let Some(event) = store.event(id)? else {
                return Ok(None);
            };
            let Some(station_id) = &event.station else {
                return Ok(None);
            };
            let from = Timestamp::from_second(event.end.as_second() - CONTINUATION_GAP_S)
                .unwrap_or(event.end);
            if let Some(next) = store.next_on_station(station_id.as_str(), from)? {
                let seamless = next.id != event.id
                    && next.start.as_second() <= event.end.as_second() + CONTINUATION_GAP_S;
                if seamless && next.stream_url.is_some() {
                    return playable::event(skill, &next);
                }
            }
            Ok(store
                .station(station_id.as_str())?
                .filter(|st| st.stream_url.is_some())
                .and_then(|st| {
                    st.stream_url.clone().map(|url| Playable {
                        item: PlayItem::Station(st.id.to_string()),
                        url,
                        metadata: super::play::station_metadata(&st, None),
                        offset_ms: 0,
                    })
                }))
        }
        PlayItem::Station(_) => Ok(None),
        PlayItem::Episode(id) => {
            let Some(ep) = store.episode(id)? else {
                return Ok(None);
            };
            let episodes = store.episodes_of_show(&fold(&ep.show), 500)?;
            let pos = episodes.iter().position(|e| e.id == ep.id);
            Ok(pos
                .and_then(|p| p.checked_sub(1))
                .and_then(|i| episodes.get(i))
                .map(|n| playable::episode(n, playable::resume_offset(state, n.id.as_str()))))
        }
    }
}

fn nearly_finished(skill: &Skill, turn: &Turn<'_>, key: &str, tok: &str, item: &PlayItem) -> Reply {
    let _ = turn;
    let state = skill.store().listener(key)?.unwrap_or_default();
    if state.enqueued_after.as_deref() == Some(tok) {
        return Ok(ResponseBuilder::new());
    }
    let Some(next) = follower(skill, item, &state)? else {
        return Ok(ResponseBuilder::new());
    };
    // Claim the enqueue atomically: of two NearlyFinished for the same token arriving together,
    // exactly one sees itself first.
    let mut first = false;
    skill.store().update_listener(key, &mut |s| {
        first = s.enqueued_after.as_deref() != Some(tok);
        s.enqueued_after = Some(tok.to_string());
    })?;
    if !first {
        return Ok(ResponseBuilder::new());
    }
    let (directive, _) = next.directive(PlayBehavior::Enqueue, Some(tok));
    Ok(ResponseBuilder::new().directive(directive))
}

fn failed(skill: &Skill, turn: &Turn<'_>, key: &str, tok: &str, item: &PlayItem) -> Reply {
    let mut first = false;
    skill.store().update_listener(key, &mut |s| {
        first = s.retried_token.as_deref() != Some(tok);
        s.retried_token = Some(tok.to_string());
    })?;
    let stop = Ok(ResponseBuilder::new().directive(Directive::Stop));
    if !first {
        return stop;
    }
    // The one retry: an event's own stream failed and its station has another one.
    let PlayItem::Event(id) = item else {
        return stop;
    };
    let Some(event) = skill.store().event(id)? else {
        return stop;
    };
    let station = match &event.station {
        Some(s) => skill.store().station(s.as_str())?,
        None => None,
    };
    let fallback = station.and_then(|st| match (&st.stream_url, &event.stream_url) {
        (Some(station_url), Some(own)) if station_url != own => Some(Playable {
            item: PlayItem::Station(st.id.to_string()),
            url: station_url.clone(),
            metadata: super::play::event_metadata(&event, Some(&st)),
            offset_ms: 0,
        }),
        _ => None,
    });
    let Some(p) = fallback else {
        return stop;
    };
    let (directive, new_token) = p.directive(PlayBehavior::ReplaceAll, None);
    let now = turn.now;
    skill.store().update_listener(key, &mut |s| {
        playable::record_play(s, &new_token, &p.item, now, 0)
    })?;
    Ok(ResponseBuilder::new().directive(directive))
}
