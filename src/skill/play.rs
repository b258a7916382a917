//! PlayLiveIntent and PlayStationIntent: from a request to an `AudioPlayer.Play`.

use super::phrases::Phrase;
use super::resolve::{self, NamedEvents, Resolved};
use super::{lookup, whats_on};
use super::{token, Reply, Skill, SkillError, Turn};
use crate::alexa::directive::Image;
use crate::alexa::{AudioItem, Directive, PlayBehavior, ResponseBuilder, Stream, StreamMetadata};
use crate::schedule::{fold, Event, EventKind, Station, StreamUrl};
use crate::store::{NameKind, NowPlaying, PlayItem};
use std::borrow::Borrow;

/// How far ahead "not live now, next up" looks.
const LOOKAHEAD_DAYS: i64 = 30;
/// Live events weighed for "play something live" (a page: the best is chosen among them).
const LIVE_CHOICES: usize = 50;
/// Upcoming events weighed when nothing is live.
const UPCOMING_CHOICES: usize = 100;

/// The stream an event plays on: its own, else its station's.
pub fn stream_of(
    skill: &Skill,
    event: &Event,
) -> Result<(Option<StreamUrl>, Option<Station>), SkillError> {
    let station = match &event.station {
        Some(id) => skill.store().station(id.as_str())?,
        None => None,
    };
    let url = event
        .stream_url
        .clone()
        .or_else(|| station.as_ref().and_then(|s| s.stream_url.clone()));
    Ok((url, station))
}

/// The Play directive for an item, with metadata for screens.
pub fn play_directive(
    url: &StreamUrl,
    token: &str,
    behavior: PlayBehavior,
    previous: Option<&str>,
    offset_ms: i64,
    metadata: StreamMetadata,
) -> Directive {
    Directive::Play {
        play_behavior: behavior,
        audio_item: AudioItem {
            stream: Stream {
                url: url.as_str().to_string(),
                token: token.to_string(),
                expected_previous_token: previous.map(str::to_string),
                offset_in_milliseconds: offset_ms,
            },
            metadata: Some(metadata),
        },
    }
}

/// Title, "performers · station" and art for an event.
pub fn event_metadata(event: &Event, station: Option<&Station>) -> StreamMetadata {
    let mut subtitle: Vec<String> = Vec::new();
    if !event.performers.is_empty() {
        subtitle.push(event.performers.join(", "));
    }
    if let Some(s) = station {
        subtitle.push(s.name.clone());
    }
    let art = event
        .image
        .as_ref()
        .or_else(|| station.and_then(|s| s.image.as_ref()))
        .map(|u| Image::from_url(u.as_str(), &event.title));
    StreamMetadata {
        title: Some(event.title.clone()),
        subtitle: (!subtitle.is_empty()).then(|| subtitle.join(" · ")),
        art,
        background_image: None,
    }
}

/// Title and logo for a station.
pub fn station_metadata(station: &Station, now_on: Option<&Event>) -> StreamMetadata {
    StreamMetadata {
        title: Some(station.name.clone()),
        subtitle: now_on.map(|e| e.title.clone()),
        art: station
            .image
            .as_ref()
            .map(|u| Image::from_url(u.as_str(), &station.name)),
        background_image: None,
    }
}

/// Records what was handed to the device.
pub fn remember_play(
    skill: &Skill,
    turn: &Turn<'_>,
    token: &str,
    item: PlayItem,
) -> Result<(), SkillError> {
    let Some(listener) = &turn.listener else {
        return Ok(());
    };
    let now = turn.now;
    let token = token.to_string();
    skill.store().update_listener(listener, &mut |s| {
        s.now_playing = Some(NowPlaying {
            token: token.clone(),
            item: item.clone(),
            since: now,
            offset_ms: 0,
            active: false,
        });
        s.enqueued_after = None;
        s.retried_token = None;
        if let PlayItem::Event(id) = &item {
            s.last_event = Some(id.clone());
        }
    })?;
    Ok(())
}

fn no_audio(turn: &Turn<'_>) -> ResponseBuilder {
    ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::NoAudioDevice))
        .end_session(true)
}

fn on_station_suffix(turn: &Turn<'_>, station: Option<&Station>) -> String {
    station
        .map(|s| turn.locale.say(Phrase::OnStation, &[("station", &s.name)]))
        .unwrap_or_default()
}

/// " on <station>" for the station an event is on, or nothing when it has none.
pub(super) fn event_station_suffix(
    skill: &Skill,
    turn: &Turn<'_>,
    event: &Event,
) -> Result<String, SkillError> {
    let station = match &event.station {
        Some(id) => skill.store().station(id.as_str())?,
        None => None,
    };
    Ok(on_station_suffix(turn, station.as_ref()))
}

/// Plays a live event, or explains why not (not started, over, no stream).
pub(super) fn event_or_when(skill: &Skill, turn: &Turn<'_>, event: &Event) -> Reply {
    let locale = turn.locale;
    if event.start > turn.now {
        if let Some(listener) = &turn.listener {
            let id = event.id.to_string();
            skill
                .store()
                .update_listener(listener, &mut |s| s.last_event = Some(id.clone()))?;
        }
        let when = turn.when(event.start);
        return Ok(ResponseBuilder::new()
            .speak(
                locale
                    .say(
                        Phrase::NotStartedYet,
                        &[("title", &event.title), ("when", &when)],
                    )
                    .as_str(),
            )
            .end_session(true));
    }
    if event.end <= turn.now {
        let when = turn.when(event.end);
        return Ok(ResponseBuilder::new()
            .speak(
                locale
                    .say(
                        Phrase::AlreadyOver,
                        &[("title", &event.title), ("when", &when)],
                    )
                    .as_str(),
            )
            .end_session(true));
    }
    if !turn.can_play() {
        return Ok(no_audio(turn));
    }
    let (url, station) = stream_of(skill, event)?;
    let Some(url) = url else {
        return Ok(ResponseBuilder::new()
            .speak(
                locale
                    .say(Phrase::NoStream, &[("title", &event.title)])
                    .as_str(),
            )
            .end_session(true));
    };
    let item = PlayItem::Event(event.id.to_string());
    let tok = token::issue(&item);
    remember_play(skill, turn, &tok, item)?;
    let on = on_station_suffix(turn, station.as_ref());
    Ok(ResponseBuilder::new()
        .speak(
            locale
                .say(
                    Phrase::PlayingEvent,
                    &[("title", &event.title), ("station", &on)],
                )
                .as_str(),
        )
        .directive(play_directive(
            &url,
            &tok,
            PlayBehavior::ReplaceAll,
            None,
            0,
            event_metadata(event, station.as_ref()),
        ))
        .end_session(true))
}

/// Plays a station: its 24/7 stream, else the stream of what is on it now.
pub(super) fn station(skill: &Skill, turn: &Turn<'_>, station: &Station) -> Reply {
    let locale = turn.locale;
    let current = skill
        .store()
        .on_station(station.id.as_str(), turn.now, turn.now, 1)?
        .into_iter()
        .next();
    if let Some(url) = &station.stream_url {
        if !turn.can_play() {
            return Ok(no_audio(turn));
        }
        let item = PlayItem::Station(station.id.to_string());
        let tok = token::issue(&item);
        remember_play(skill, turn, &tok, item)?;
        let speech = match &current {
            Some(e) => locale.say(
                Phrase::PlayingStationEvent,
                &[("station", &station.name), ("title", &e.title)],
            ),
            None => locale.say(Phrase::PlayingStation, &[("station", &station.name)]),
        };
        return Ok(ResponseBuilder::new()
            .speak(speech.as_str())
            .directive(play_directive(
                url,
                &tok,
                PlayBehavior::ReplaceAll,
                None,
                0,
                station_metadata(station, current.as_ref()),
            ))
            .end_session(true));
    }
    if let Some(e) = current {
        return event_or_when(skill, turn, &e);
    }
    match skill
        .store()
        .next_on_station(station.id.as_str(), turn.now)?
    {
        Some(next) => {
            let when = turn.when(next.start);
            Ok(ResponseBuilder::new()
                .speak(
                    locale
                        .say(
                            Phrase::StationNothingNow,
                            &[
                                ("station", &station.name),
                                ("title", &next.title),
                                ("when", &when),
                            ],
                        )
                        .as_str(),
                )
                .end_session(true))
        }
        None => Ok(ResponseBuilder::new()
            .speak(
                locale
                    .say(Phrase::StationSilent, &[("station", &station.name)])
                    .as_str(),
            )
            .end_session(true)),
    }
}

/// PlayStationIntent.
pub(super) fn station_intent(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let Some(slot) = turn.intent().and_then(|i| i.slot("station")) else {
        return Ok(ResponseBuilder::new()
            .speak(turn.locale.text(Phrase::WhichStation))
            .reprompt(turn.locale.text(Phrase::WhichStation))
            .end_session(false));
    };
    match resolve::station(skill.schedule(), slot)? {
        Resolved::One(s) => station(skill, turn, &s),
        Resolved::Ambiguous(choices) => Ok(whats_on::ask_station(turn, &choices)),
        Resolved::Nothing => {
            // "play radiohead" lands here: a performer or title said after "play" is still
            // something the listener can hear.
            let named = resolve::events_by_name(
                skill.schedule(),
                slot,
                &[NameKind::Performer, NameKind::Title],
                turn.now,
            )?;
            match named {
                Resolved::One(n) => play_named(skill, turn, n, None),
                _ => whats_on::not_found_offer(
                    skill,
                    turn,
                    slot.value.as_deref().unwrap_or_default(),
                ),
            }
        }
    }
}

/// The best event to play among candidates: live ones with a stream, concerts, then the
/// latest to start.
fn best_live<'a, E: Borrow<Event> + 'a>(
    skill: &Skill,
    events: impl Iterator<Item = &'a E>,
    prefer_concert: bool,
) -> Result<Option<&'a Event>, SkillError> {
    let mut best: Option<(&Event, (bool, bool, jiff::Timestamp))> = None;
    for e in events.map(Borrow::borrow) {
        let playable = stream_of(skill, e)?.0.is_some();
        let rank = (
            playable,
            !prefer_concert || e.kind == EventKind::Concert,
            e.start,
        );
        if best.as_ref().is_none_or(|(_, r)| rank > *r) {
            best = Some((e, rank));
        }
    }
    Ok(best.map(|(e, _)| e))
}

fn genre_filter(
    events: &mut Vec<Event>,
    genre: Option<&str>,
    skill: &Skill,
) -> Result<(), SkillError> {
    let Some(g) = genre.map(fold).filter(|g| !g.is_empty()) else {
        return Ok(());
    };
    let mut keep = Vec::new();
    for e in events.drain(..) {
        let own = e.genres.iter().any(|x| fold(x) == g);
        let via_station = match (&e.station, own) {
            (Some(s), false) => skill
                .store()
                .station(s.as_str())?
                .is_some_and(|st| st.genres.iter().any(|x| fold(x) == g)),
            _ => false,
        };
        if own || via_station {
            keep.push(e);
        }
    }
    *events = keep;
    Ok(())
}

/// Plays what matches best among `events` (live now), or says when the next one starts.
/// `named` is true when the listener named what they want: then its next date is the answer
/// ("it starts tomorrow"), not a suggestion of something else.
fn play_best<E: Borrow<Event>>(
    skill: &Skill,
    turn: &Turn<'_>,
    events: &[E],
    prefer_concert: bool,
    named: bool,
) -> Reply {
    let live = events
        .iter()
        .filter(|e| Borrow::<Event>::borrow(*e).is_live_at(turn.now));
    if let Some(e) = best_live(skill, live, prefer_concert)? {
        return event_or_when(skill, turn, e);
    }
    let locale = turn.locale;
    let next = events
        .iter()
        .map(Borrow::borrow)
        .filter(|e| e.start > turn.now)
        .min_by_key(|e| (prefer_concert && e.kind != EventKind::Concert, e.start));
    if let (Some(next), true) = (next, named) {
        return event_or_when(skill, turn, next);
    }
    if let Some(next) = next {
        if let Some(listener) = &turn.listener {
            let id = next.id.to_string();
            skill
                .store()
                .update_listener(listener, &mut |s| s.last_event = Some(id.clone()))?;
        }
        let when = turn.when(next.start);
        return Ok(ResponseBuilder::new()
            .speak(
                locale
                    .say(
                        Phrase::NothingLiveNext,
                        &[("title", &next.title), ("when", &when)],
                    )
                    .as_str(),
            )
            .end_session(true));
    }
    if let Some(over) = events
        .iter()
        .map(Borrow::borrow)
        .filter(|e| e.end <= turn.now)
        .max_by_key(|e| e.end)
    {
        return event_or_when(skill, turn, over);
    }
    Ok(ResponseBuilder::new()
        .speak(locale.text(Phrase::NothingLiveAtAll))
        .end_session(true))
}

fn play_named(skill: &Skill, turn: &Turn<'_>, named: NamedEvents, genre: Option<&str>) -> Reply {
    let mut events = named.events;
    genre_filter(&mut events, genre, skill)?;
    play_best(skill, turn, &events, false, true)
}

/// PlayLiveIntent.
pub(super) fn live(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let intent = turn.intent();
    let slot = |n| intent.and_then(|i| i.slot(n));
    let genre = slot("genre").map(|s| {
        s.resolved()
            .map(|v| v.name.clone())
            .or_else(|| s.value.clone())
            .unwrap_or_default()
    });
    let horizon = jiff::Timestamp::from_second(turn.now.as_second() + LOOKAHEAD_DAYS * 86_400)
        .unwrap_or(turn.now);

    for (name, kinds) in [
        ("performer", &[NameKind::Performer, NameKind::Title][..]),
        ("event", &[NameKind::Title, NameKind::Performer][..]),
    ] {
        if let Some(s) = slot(name) {
            return match resolve::events_by_name(skill.schedule(), s, kinds, turn.now)? {
                Resolved::One(named) => play_named(skill, turn, named, genre.as_deref()),
                Resolved::Ambiguous(choices) => {
                    // A performer and the title of their own show are one choice, not two.
                    let mut names = Vec::new();
                    let mut picked: Vec<&Event> = Vec::new();
                    for c in &choices {
                        if let Some(e) = pick_for_choice(&c.events, turn.now) {
                            if !picked.iter().any(|p| p.id == e.id) {
                                names.push(c.name.clone());
                                picked.push(e);
                            }
                        }
                    }
                    if let [only] = picked.as_slice() {
                        return event_or_when(skill, turn, only);
                    }
                    let items: Vec<PlayItem> = picked
                        .iter()
                        .map(|e| PlayItem::Event(e.id.to_string()))
                        .collect();
                    Ok(whats_on::ask(turn, &names, &items))
                }
                Resolved::Nothing => {
                    whats_on::not_found_offer(skill, turn, s.value.as_deref().unwrap_or_default())
                }
            };
        }
    }
    let store = skill.schedule();
    let snap = store.snapshot();
    let (station, until) = match slot("station") {
        Some(s) => match resolve::station(store, s)? {
            Resolved::One(st) => (Some(st), horizon),
            Resolved::Ambiguous(choices) => return Ok(whats_on::ask_station(turn, &choices)),
            Resolved::Nothing => {
                return whats_on::not_found_offer(
                    skill,
                    turn,
                    s.value.as_deref().unwrap_or_default(),
                )
            }
        },
        None => (
            None,
            jiff::Timestamp::from_second(turn.now.as_second() + 86_400).unwrap_or(turn.now),
        ),
    };
    let filter = lookup::Filter::new(
        &snap,
        station.as_ref().map(|s| s.id.as_str()),
        genre.as_deref(),
    );
    let mut events = lookup::live(store, &snap, turn.now, filter, LIVE_CHOICES)?;
    events.extend(lookup::upcoming(
        store,
        &snap,
        turn.now,
        until,
        filter,
        UPCOMING_CHOICES,
    )?);
    let prefer_concert = genre.is_none() && station.is_none();
    play_best(skill, turn, &events, prefer_concert, false)
}

/// The event that stands for a name in a "did you mean" list: live now, else the next one.
pub(super) fn pick_for_choice(events: &[Event], now: jiff::Timestamp) -> Option<&Event> {
    events
        .iter()
        .find(|e| e.is_live_at(now))
        .or_else(|| {
            events
                .iter()
                .filter(|e| e.start > now)
                .min_by_key(|e| e.start)
        })
        .or_else(|| events.iter().max_by_key(|e| e.end))
}
