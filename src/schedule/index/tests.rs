//! The index against a plain scan of the same events, on generated schedules.

use super::*;
use crate::schedule::{Event, EventKind, EventSpec, Station, StationSpec};

fn at(minutes: i64) -> Timestamp {
    Timestamp::from_second(1_790_000_000 + minutes * 60).expect("time")
}

fn event(i: usize, start: i64, minutes: i64, station: usize, genre: &str, who: &str) -> Event {
    Event::try_from(EventSpec {
        id: format!("e{i:05}"),
        title: format!("{who} live"),
        kind: EventKind::Concert,
        performers: vec![who.to_string()],
        station: Some(format!("s{station}")),
        genres: vec![genre.to_string()],
        start: at(start),
        end: at(start + minutes),
        stream_url: None,
        description: None,
        image: None,
        language: None,
    })
    .expect("event")
}

fn station(i: usize, genre: Option<&str>) -> Station {
    Station::try_from(StationSpec {
        id: format!("s{i}"),
        name: format!("Station {i}"),
        aliases: vec![],
        stream_url: None,
        genres: genre.into_iter().map(str::to_string).collect(),
        image: None,
    })
    .expect("station")
}

/// A dense generated schedule: overlapping events of varied lengths, a few very long.
fn schedule(n: usize) -> (Vec<Station>, Vec<Event>) {
    let stations: Vec<Station> = (0..7)
        .map(|i| station(i, (i == 3).then_some("Jazz")))
        .collect();
    let genres = ["rock", "jazz", "folk"];
    let who = ["Radiohead", "Daft Punk", "Nina Simone", "Björk"];
    let events = (0..n)
        .map(|i| {
            let start = ((i * 7919) % 5000) as i64;
            let minutes = if i % 97 == 0 {
                9_000
            } else {
                30 + ((i * 31) % 180) as i64
            };
            event(i, start, minutes, i % 7, genres[i % 3], who[i % 4])
        })
        .collect();
    (stations, events)
}

fn index_of(stations: &[Station], events: &[Event]) -> ScheduleIndex {
    let mut b = Builder::new();
    for s in stations {
        b.station(s);
    }
    // Any order in: the index sorts.
    for e in events.iter().rev() {
        b.event(e);
    }
    b.finish(1)
}

fn ids(index: &ScheduleIndex, positions: &[u32]) -> Vec<String> {
    positions
        .iter()
        .map(|p| index.id(*p).expect("id").to_string())
        .collect()
}

fn sorted(mut events: Vec<&Event>) -> Vec<String> {
    events.sort_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)));
    events.iter().map(|e| e.id.to_string()).collect()
}

#[test]
fn live_and_overlapping_match_a_scan() {
    let (stations, events) = schedule(3000);
    let index = index_of(&stations, &events);
    assert_eq!(index.len(), 3000);
    for minute in [-10, 0, 17, 1000, 2500, 4999, 6000, 30_000] {
        let t = at(minute);
        let live: Vec<&Event> = events.iter().filter(|e| e.is_live_at(t)).collect();
        assert_eq!(
            ids(&index, &index.live_at(Scope::All, t, usize::MAX)),
            sorted(live.clone())
        );
        assert_eq!(index.live_count(Scope::All, t), live.len());
        let to = at(minute + 90);
        let over: Vec<&Event> = events
            .iter()
            .filter(|e| e.end > t && e.start < to)
            .collect();
        let expected = sorted(over);
        assert_eq!(
            ids(&index, &index.overlapping(Scope::All, t, to, usize::MAX)),
            expected
        );
        assert_eq!(
            ids(&index, &index.overlapping(Scope::All, t, to, 5)),
            expected.iter().take(5).cloned().collect::<Vec<_>>()
        );
    }
}

#[test]
fn windows_list_live_then_upcoming_with_true_totals() {
    let (stations, events) = schedule(2000);
    let index = index_of(&stations, &events);
    let jazz = index.genre_number("jazz").expect("jazz");
    let s3 = index.station_number("s3").expect("s3");
    for (now, from, to) in [(1000, 1000, 1400), (1000, 1600, 2000), (4000, 4000, 9000)] {
        let (now, from, to) = (at(now), at(from), at(to));
        let in_window = |e: &&Event| e.start < to && e.end > from;
        let live: Vec<&Event> = events
            .iter()
            .filter(in_window)
            .filter(|e| e.is_live_at(now))
            .collect();
        let upcoming: Vec<&Event> = events
            .iter()
            .filter(in_window)
            .filter(|e| e.start > now && e.start >= from)
            .collect();
        let mut expected = sorted(live.clone());
        expected.extend(sorted(upcoming.clone()));
        let page = index.window(Scope::All, now, from, to, 25, None);
        assert_eq!(page.total, expected.len());
        assert_eq!(
            ids(&index, &page.positions),
            expected[..25.min(expected.len())]
        );

        // A genre (the event's own, or inherited from station s3) and a station within it.
        let jazzy = |e: &Event| {
            e.genres.iter().any(|g| g == "jazz")
                || e.station.as_ref().is_some_and(|s| s.as_str() == "s3")
        };
        let expected_jazz: Vec<String> = expected
            .iter()
            .filter(|id| events.iter().any(|e| e.id.as_str() == *id && jazzy(e)))
            .cloned()
            .collect();
        let page = index.window(Scope::Genre(jazz), now, from, to, 10, None);
        assert_eq!(page.total, expected_jazz.len());
        assert_eq!(
            ids(&index, &page.positions),
            expected_jazz[..10.min(expected_jazz.len())]
        );

        let on_s3 = |p: u32| index.contains(Scope::Station(s3), p);
        let page = index.window(Scope::Genre(jazz), now, from, to, 10, Some(&on_s3));
        let expected_s3: Vec<String> = expected_jazz
            .iter()
            .filter(|id| {
                events.iter().any(|e| {
                    e.id.as_str() == *id && e.station.as_ref().is_some_and(|s| s.as_str() == "s3")
                })
            })
            .cloned()
            .collect();
        assert_eq!(page.total, expected_s3.len());
        assert_eq!(
            ids(&index, &page.positions),
            expected_s3[..10.min(expected_s3.len())]
        );
    }
}

#[test]
fn stations_names_and_next() {
    let (stations, events) = schedule(500);
    let index = index_of(&stations, &events);
    let s2 = index.station_number("s2").expect("s2");
    let t = at(2000);
    let next = index.next_starting(Scope::Station(s2), t).expect("next");
    let expected = events
        .iter()
        .filter(|e| e.station.as_ref().is_some_and(|s| s.as_str() == "s2") && e.start >= t)
        .min_by(|a, b| (a.start, &a.id).cmp(&(b.start, &b.id)))
        .expect("a next event");
    assert_eq!(index.id(next), Some(expected.id.as_str()));
    assert_eq!(index.station_of(next), Some("s2"));

    let kinds = Kinds {
        performer: true,
        title: true,
        station: false,
    };
    let hits = index.names().resolve("bjork", kinds, 0.72, 0.04);
    let entry = index.names().get(hits[0].name).expect("entry");
    assert_eq!(&*entry.folded, "bjork");
    assert_eq!(entry.performer_events.len(), 125);
    let station_hits = index.names().resolve(
        "station 4",
        Kinds {
            station: true,
            ..Kinds::default()
        },
        0.72,
        0.04,
    );
    let e = index
        .names()
        .get(station_hits[0].name)
        .expect("station name");
    assert_eq!(e.stations, vec![index.station_number("s4").expect("s4")]);
}

#[test]
fn an_empty_index_answers_nothing() {
    let index = Builder::new().finish(0);
    assert!(index.is_empty());
    assert!(index.live_at(Scope::All, at(0), 10).is_empty());
    assert_eq!(index.live_count(Scope::All, at(0)), 0);
    assert_eq!(
        index.window(Scope::All, at(0), at(0), at(10), 5, None),
        Page::default()
    );
    assert_eq!(index.next_starting(Scope::All, at(0)), None);
    assert_eq!(index.id(0), None);
}
