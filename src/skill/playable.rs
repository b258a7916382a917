//! What can be handed to the device: a stream URL, its metadata and where to start, for any
//! kind of item. Playback handlers decide *what*; this module knows *how* each kind plays.

use super::play::{event_metadata, play_directive, station_metadata, stream_of};
use super::{token, Skill, SkillError};
use crate::alexa::directive::Image;
use crate::alexa::{Directive, PlayBehavior, StreamMetadata};
use crate::schedule::{fold, Episode, Event, Station, StreamUrl};
use crate::store::{HistoryEntry, ListenerState, NowPlaying, PlayItem};
use jiff::Timestamp;

/// A ready-to-play item.
#[derive(Debug, Clone)]
pub struct Playable {
    /// What it is.
    pub item: PlayItem,
    /// Its stream.
    pub url: StreamUrl,
    /// Screen metadata.
    pub metadata: StreamMetadata,
    /// Where to start (episodes only; live is always 0).
    pub offset_ms: i64,
}

impl Playable {
    /// The Play directive with a fresh token; returns the token too.
    pub fn directive(&self, behavior: PlayBehavior, previous: Option<&str>) -> (Directive, String) {
        let tok = token::issue(&self.item);
        let d = play_directive(
            &self.url,
            &tok,
            behavior,
            previous,
            self.offset_ms,
            self.metadata.clone(),
        );
        (d, tok)
    }
}

/// A live event, if it has a stream (its own or its station's).
pub fn event(skill: &Skill, event: &Event) -> Result<Option<Playable>, SkillError> {
    let (url, station) = stream_of(skill, event)?;
    Ok(url.map(|url| Playable {
        item: PlayItem::Event(event.id.to_string()),
        url,
        metadata: event_metadata(event, station.as_ref()),
        offset_ms: 0,
    }))
}

/// A station: its 24/7 stream, else the stream of what it has live at `now`.
pub fn station(
    skill: &Skill,
    station: &Station,
    now: Timestamp,
) -> Result<Option<Playable>, SkillError> {
    let current = skill
        .store()
        .on_station(station.id.as_str(), now, now, 1)?
        .into_iter()
        .next();
    if let Some(url) = &station.stream_url {
        return Ok(Some(Playable {
            item: PlayItem::Station(station.id.to_string()),
            url: url.clone(),
            metadata: station_metadata(station, current.as_ref()),
            offset_ms: 0,
        }));
    }
    match current {
        Some(e) => event(skill, &e),
        None => Ok(None),
    }
}

/// An episode, from `offset_ms`.
pub fn episode(ep: &Episode, offset_ms: i64) -> Playable {
    Playable {
        item: PlayItem::Episode(ep.id.to_string()),
        url: ep.audio_url.clone(),
        metadata: StreamMetadata {
            title: Some(ep.title.clone()),
            subtitle: Some(ep.show.clone()),
            art: ep
                .image
                .as_ref()
                .map(|u| Image::from_url(u.as_str(), &ep.show)),
            background_image: None,
        },
        offset_ms: offset_ms.max(0),
    }
}

/// Where a listener left an episode: the saved offset unless it was finished.
pub fn resume_offset(state: &ListenerState, episode: &str) -> i64 {
    if state.finished_episodes.contains(episode) {
        return 0;
    }
    state.episode_offsets.get(episode).copied().unwrap_or(0)
}

/// Records a Play handed to a device.
pub fn record_play(
    state: &mut ListenerState,
    token: &str,
    item: &PlayItem,
    now: Timestamp,
    offset_ms: i64,
) {
    state.now_playing = Some(NowPlaying {
        token: token.to_string(),
        item: item.clone(),
        since: now,
        offset_ms,
        active: false,
    });
    state.enqueued_after = None;
    if let PlayItem::Event(id) = item {
        state.last_event = Some(id.clone());
    }
}

/// A history entry for an item, with what affinity needs copied in.
pub fn history_entry(
    skill: &Skill,
    item: &PlayItem,
    at: Timestamp,
) -> Result<HistoryEntry, SkillError> {
    let store = skill.store();
    let (genres, performers, station) = match item {
        PlayItem::Event(id) => match store.event(id)? {
            Some(e) => (e.genres, e.performers, e.station.map(|s| s.to_string())),
            None => (Vec::new(), Vec::new(), None),
        },
        PlayItem::Station(id) => match store.station(id)? {
            Some(s) => (s.genres, Vec::new(), Some(id.clone())),
            None => (Vec::new(), Vec::new(), Some(id.clone())),
        },
        PlayItem::Episode(id) => match store.episode(id)? {
            Some(ep) => (Vec::new(), vec![ep.show], None),
            None => (Vec::new(), Vec::new(), None),
        },
    };
    Ok(HistoryEntry {
        item: item.clone(),
        genres,
        performers,
        station,
        at,
        seconds: 0,
    })
}

/// Stations in the order next/previous walks them: the listener's own order, then every other
/// station by name.
pub fn station_order(skill: &Skill, state: &ListenerState) -> Result<Vec<Station>, SkillError> {
    let mut all = skill.store().stations()?;
    all.sort_by_key(|s| fold(&s.name));
    let mut ordered: Vec<Station> = Vec::new();
    for id in &state.station_order {
        if let Some(pos) = all.iter().position(|s| s.id.as_str() == id) {
            ordered.push(all.remove(pos));
        }
    }
    ordered.extend(all);
    Ok(ordered)
}
