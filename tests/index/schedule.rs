//! Generated schedules for the index tests, built as records and staged through a streaming
//! import, and helpers to read listings back from answers.

use jiff::{Timestamp, ToSpan};
use onair::schedule::{Event, EventKind, EventSpec, Station, StationSpec};
use onair::store::{ImportSummary, Store};

/// A timestamp from RFC 3339.
pub fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

/// A station with its own stream.
pub fn station(id: &str, name: &str) -> Station {
    Station::try_from(StationSpec {
        id: id.into(),
        name: name.into(),
        stream_url: Some(format!("https://streams.example.org/{id}/live.mp3")),
        ..Default::default()
    })
    .expect("station")
}

/// A concert of `performer` on `station` from `start` for `minutes`.
pub fn concert(
    id: &str,
    title: &str,
    performer: &str,
    station: &str,
    start: Timestamp,
    minutes: i64,
) -> Event {
    Event::try_from(EventSpec {
        id: id.into(),
        title: title.into(),
        kind: EventKind::Concert,
        performers: vec![performer.into()],
        station: Some(station.into()),
        genres: vec!["jazz".into()],
        start,
        end: start.checked_add(minutes.minutes()).expect("end"),
        stream_url: Some(format!("https://streams.example.org/{station}/{id}.m3u8")),
        description: None,
        image: None,
        language: None,
    })
    .expect("event")
}

/// Replaces everything `source` provided with `stations` and `events`, streamed.
pub fn import(
    store: &dyn Store,
    source: &str,
    stations: Vec<Station>,
    events: impl IntoIterator<Item = Event>,
) -> ImportSummary {
    let mut session = store.begin_import(source, false).expect("begin import");
    for s in stations {
        session.station(s).expect("stage station");
    }
    for e in events {
        session.event(e).expect("stage event");
    }
    session.commit().expect("commit")
}

/// The "N more" count at the end of a spoken listing, if any.
pub fn more_count(speech: &str) -> Option<usize> {
    let at = speech.find(" more")?;
    let digits: String = speech[..at]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// How many times `needle` occurs in `haystack`.
pub fn occurrences(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}
