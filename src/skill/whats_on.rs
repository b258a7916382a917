//! WhatsOnIntent: what is on now, tonight, this weekend, in a genre, on a station.

use super::affinity::Profile;
use super::listing;
use super::locale::Locale;
use super::lookup;
use super::phrases::Phrase;
use super::resolve::{self, Resolved};
use super::window::{self, DayPart, Label, Window};
use super::{Reply, Skill, SkillError, Turn};
use crate::alexa::{Card, ResponseBuilder};
use crate::schedule::{Event, Station};
use crate::store::PlayItem;
use std::borrow::Borrow;
use std::collections::HashMap;

/// Items read out; the card shows the rest.
const SPOKEN_ITEMS: usize = 3;
/// Lines on the card.
const CARD_ITEMS: usize = 25;

pub(super) fn handle(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let intent = turn.intent();
    let slot = |name| intent.and_then(|i| i.slot_value(name));
    let now = turn.local_now();
    // A value the window parser cannot read falls back to "the rest of today" rather than an
    // error: the listener still hears what is on.
    let Some(window) = window::from_slots(slot("date"), slot("time"), &now)
        .or_else(|| window::from_slots(None, None, &now))
    else {
        return not_found_offer(skill, turn, slot("date").unwrap_or_default());
    };

    let mut station_filter: Option<Station> = None;
    if let Some(s) = intent.and_then(|i| i.slot("station")) {
        match resolve::station(skill.schedule(), s)? {
            Resolved::One(st) => station_filter = Some(st),
            Resolved::Ambiguous(choices) => return Ok(ask_station(turn, &choices)),
            Resolved::Nothing => {
                let name = s.value.clone().unwrap_or_default();
                return not_found_offer(skill, turn, &name);
            }
        }
    }
    let genre = intent.and_then(|i| i.slot("genre")).map(|s| {
        s.resolved()
            .map(|v| v.name.clone())
            .or_else(|| s.value.clone())
            .unwrap_or_default()
    });

    let store = skill.schedule();
    let snap = store.snapshot();
    let filter = lookup::Filter::new(
        &snap,
        station_filter.as_ref().map(|s| s.id.as_str()),
        genre.as_deref(),
    );
    let state = match &turn.listener {
        Some(key) => skill.store().listener(key)?,
        None => None,
    };
    let profile = state.as_ref().map(|s| Profile::of(s, turn.now));
    let listed = lookup::listing(
        store,
        &snap,
        turn,
        (window.from, window.to),
        filter,
        profile.as_ref(),
        CARD_ITEMS,
    )?;
    let stations = if station_filter.is_some() {
        // Naming the station after every item of its own listing is noise.
        HashMap::new()
    } else {
        station_names(skill, &listed.events)?
    };

    let when = describe(
        turn.locale,
        &window,
        &now,
        genre.as_deref(),
        station_filter.as_ref(),
    );
    let Some(first) = listed.events.first() else {
        let speech = format!(
            "{} {}",
            turn.locale.say(Phrase::NothingOn, &[("when", &when)]),
            turn.locale.text(Phrase::NothingOnOffer)
        );
        return Ok(ResponseBuilder::new()
            .speak(speech.as_str())
            .reprompt(turn.locale.text(Phrase::NothingOnOffer))
            .end_session(false));
    };
    if let Some(listener) = &turn.listener {
        // "Remind me" right after a listing means its first item; written only when it changes.
        let id = first.id.to_string();
        if state.as_ref().and_then(|s| s.last_event.as_deref()) != Some(id.as_str()) {
            skill
                .store()
                .update_listener(listener, &mut |s| s.last_event = Some(id.clone()))?;
        }
    }
    Ok(listing_reply(
        turn,
        &listed.events,
        listed.total,
        &stations,
        &when,
    ))
}

/// Station names by id, for speech and cards.
fn station_names<E: Borrow<Event>>(
    skill: &Skill,
    events: &[E],
) -> Result<HashMap<String, String>, SkillError> {
    let store = skill.schedule();
    let snap = store.snapshot();
    let mut out = HashMap::new();
    for id in events.iter().filter_map(|e| e.borrow().station.as_ref()) {
        if !out.contains_key(id.as_str()) {
            if let Some(s) = store.station_in(&snap, id.as_str())? {
                out.insert(id.to_string(), s.name.clone());
            }
        }
    }
    Ok(out)
}

/// One spoken item: "Jazz Night, live now on Jazz Cellar" / "Jazz Night tonight at 9 PM".
fn spoken_item(turn: &Turn<'_>, e: &Event, stations: &HashMap<String, String>) -> String {
    let on = e
        .station
        .as_ref()
        .and_then(|s| stations.get(s.as_str()))
        .map(|name| turn.locale.say(Phrase::OnStation, &[("station", name)]))
        .unwrap_or_default();
    if e.is_live_at(turn.now) {
        turn.locale
            .say(Phrase::ItemLive, &[("title", &e.title), ("station", &on)])
    } else {
        turn.locale.say(
            Phrase::ItemUpcoming,
            &[
                ("title", &e.title),
                ("when", &turn.when(e.start)),
                ("station", &on),
            ],
        )
    }
}

/// The spoken listing, the card and the session listing: `events` is the first page of a
/// listing of `total` events.
pub(super) fn listing_reply<E: Borrow<Event>>(
    turn: &Turn<'_>,
    events: &[E],
    total: usize,
    stations: &HashMap<String, String>,
    when: &str,
) -> ResponseBuilder {
    let locale = turn.locale;
    let mut items: Vec<String> = events
        .iter()
        .take(SPOKEN_ITEMS)
        .map(|e| spoken_item(turn, e.borrow(), stations))
        .collect();
    let total = total.max(events.len());
    if total > SPOKEN_ITEMS {
        let more = (total - SPOKEN_ITEMS).to_string();
        items.push(locale.say(Phrase::AndMore, &[("count", &more)]));
    }
    let speech = format!(
        "{} {}",
        locale.say(
            Phrase::ListingIntro,
            &[("when", when), ("items", &locale.join(&items))]
        ),
        locale.text(Phrase::WhichOneQuestion)
    );
    let card_lines: Vec<String> = events
        .iter()
        .take(CARD_ITEMS)
        .map(Borrow::borrow)
        .enumerate()
        .map(|(i, e): (usize, &Event)| {
            let station = e
                .station
                .as_ref()
                .and_then(|s| stations.get(s.as_str()))
                .map(|n| format!(" ({n})"))
                .unwrap_or_default();
            let time = if e.is_live_at(turn.now) {
                turn.locale.live_badge().to_string()
            } else {
                turn.locale.card_time(&turn.local(e.start))
            };
            format!("{}. {time} {}{station}", i + 1, e.title)
        })
        .collect();
    let items: Vec<PlayItem> = events
        .iter()
        .take(listing::MAX_ITEMS)
        .map(|e| PlayItem::Event(e.borrow().id.to_string()))
        .collect();
    ResponseBuilder::new()
        .speak(speech.as_str())
        .reprompt(locale.text(Phrase::WhichOneQuestion))
        .card(Card::Simple {
            title: format!("On Air: {when}"),
            content: card_lines.join("\n"),
        })
        .end_session(false)
        .attributes(listing::remember(&items))
}

fn describe(
    locale: Locale,
    w: &Window,
    now: &jiff::Zoned,
    genre: Option<&str>,
    station: Option<&Station>,
) -> String {
    let tz = now.time_zone().clone();
    let day_of = |d: jiff::civil::Date| {
        let z = d.to_zoned(tz.clone()).unwrap_or_else(|_| now.clone());
        locale.day(&z, now)
    };
    let base = match &w.label {
        Label::Now => locale.text(Phrase::WhenNow).to_string(),
        Label::Today { tonight: true } => locale.text(Phrase::WhenTonight).to_string(),
        Label::Today { tonight: false } => locale.text(Phrase::WhenToday).to_string(),
        Label::Default => {
            if now.hour() >= 17 {
                locale.text(Phrase::WhenTonight).to_string()
            } else {
                locale.text(Phrase::WhenToday).to_string()
            }
        }
        Label::Tomorrow => locale.text(Phrase::WhenTomorrow).to_string(),
        Label::Day(d) => locale.say(Phrase::WhenDay, &[("day", &day_of(*d))]),
        Label::DayAt(d, t) => {
            let at = jiff::civil::DateTime::from_parts(*d, *t)
                .to_zoned(tz.clone())
                .map(|z| locale.at_clock(&z))
                .unwrap_or_default();
            locale.say(Phrase::WhenDayAt, &[("day", &day_of(*d)), ("at", &at)])
        }
        Label::DayPart(d, p) if *d == now.date() => match p {
            DayPart::Morning => locale.text(Phrase::WhenThisMorning).to_string(),
            DayPart::Afternoon => locale.text(Phrase::WhenThisAfternoon).to_string(),
            DayPart::Evening | DayPart::Night => locale.text(Phrase::WhenTonight).to_string(),
        },
        Label::DayPart(d, p) => {
            let part = match p {
                DayPart::Morning => Phrase::PartMorning,
                DayPart::Afternoon => Phrase::PartAfternoon,
                DayPart::Evening => Phrase::PartEvening,
                DayPart::Night => Phrase::PartNight,
            };
            locale.say(part, &[("day", &day_of(*d))])
        }
        Label::Weekend => locale.text(Phrase::WhenWeekend).to_string(),
        Label::Week => locale.text(Phrase::WhenWeek).to_string(),
        Label::Longer => locale.text(Phrase::WhenMonth).to_string(),
    };
    let with_station = match station {
        Some(s) => locale.say(
            Phrase::OnStationWhen,
            &[("when", &base), ("station", &s.name)],
        ),
        None => base,
    };
    match genre.filter(|g| !g.is_empty()) {
        Some(g) => locale.say(Phrase::ForGenre, &[("when", &with_station), ("genre", g)]),
        None => with_station,
    }
}

/// "Did you mean the first, Radio Nova, or the second, Nova Jazz?" with the choices listed.
pub(super) fn ask_station(turn: &Turn<'_>, choices: &[Station]) -> ResponseBuilder {
    let names: Vec<String> = choices.iter().map(|s| s.name.clone()).collect();
    let items: Vec<PlayItem> = choices
        .iter()
        .map(|s| PlayItem::Station(s.id.to_string()))
        .collect();
    ask(turn, &names, &items)
}

/// Asks which of up to three choices was meant, keeping them as the listing.
pub(super) fn ask(turn: &Turn<'_>, names: &[String], items: &[PlayItem]) -> ResponseBuilder {
    ask_with(
        turn,
        names,
        items,
        Phrase::DidYouMean,
        Phrase::DidYouMeanReprompt,
    )
}

/// Asks which choice was meant with `question` (which has a `{choices}` placeholder) and
/// `reprompt`, keeping the choices as the listing so an ordinal can answer.
pub(super) fn ask_with(
    turn: &Turn<'_>,
    names: &[String],
    items: &[PlayItem],
    question: Phrase,
    reprompt: Phrase,
) -> ResponseBuilder {
    let locale = turn.locale;
    let spoken: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            locale.say(
                Phrase::ChoiceItem,
                &[("ordinal", &locale.ordinal(i + 1)), ("name", n)],
            )
        })
        .collect();
    ResponseBuilder::new()
        .speak(
            locale
                .say(question, &[("choices", &locale.join_or(&spoken))])
                .as_str(),
        )
        .reprompt(locale.text(reprompt))
        .end_session(false)
        .attributes(listing::remember(items))
}

/// Nothing matched the name: say so and offer what is on now instead.
pub(super) fn not_found_offer(skill: &Skill, turn: &Turn<'_>, name: &str) -> Reply {
    let now = turn.local_now();
    let store = skill.schedule();
    let snap = store.snapshot();
    let events = match window::from_slots(None, None, &now) {
        Some(w) => {
            let filter = lookup::Filter::new(&snap, None, None);
            lookup::listing(
                store,
                &snap,
                turn,
                (w.from, w.to),
                filter,
                None,
                listing::MAX_ITEMS,
            )?
            .events
        }
        None => Vec::new(),
    };
    let locale = turn.locale;
    if events.is_empty() {
        let speech = format!(
            "{} {}",
            locale.say(Phrase::NotFound, &[("name", name)]),
            locale.text(Phrase::NothingOnOffer)
        );
        return Ok(ResponseBuilder::new()
            .speak(speech.as_str())
            .reprompt(locale.text(Phrase::NothingOnOffer))
            .end_session(false));
    }
    let stations = station_names(skill, &events)?;
    let items: Vec<String> = events
        .iter()
        .take(SPOKEN_ITEMS)
        .map(|e| spoken_item(turn, e, &stations))
        .collect();
    let speech = format!(
        "{} {}",
        locale.say(
            Phrase::NotFoundOffer,
            &[("name", name), ("items", &locale.join(&items))]
        ),
        locale.text(Phrase::WhichOneQuestion)
    );
    let listed: Vec<PlayItem> = events
        .iter()
        .map(|e| PlayItem::Event(e.id.to_string()))
        .collect();
    Ok(ResponseBuilder::new()
        .speak(speech.as_str())
        .reprompt(locale.text(Phrase::WhichOneQuestion))
        .end_session(false)
        .attributes(listing::remember(&listed)))
}
