//! Dense schedules shaped like the peer harness's generator (`gen_schedule.py`): 200 artists
//! "The <Adj> <Noun>", 10 genres, events of 30-180 minutes (5-minute steps) starting anywhere in
//! 14 days from 2026-11-20, so hundreds of events are live at once at 100k and thousands at 1M.
//! The stations are 20 like the harness's, or thousands for the directory-sized variant.
//! Deterministic: the same size and station count give the same schedule.

use jiff::{Timestamp, ToSpan};
use onair::schedule::{Event, EventKind, EventSpec, Station, StationSpec};

/// The harness's fixed "now".
pub const NOW: &str = "2026-11-21T20:00:00Z";
/// The first minute of the schedule.
const EPOCH: &str = "2026-11-20T00:00:00Z";
/// Minutes the starts are spread over.
const SPAN_MIN: u64 = 14 * 24 * 60;

const ADJECTIVES: [&str; 20] = [
    "Velvet",
    "Electric",
    "Midnight",
    "Golden",
    "Silver",
    "Crimson",
    "Wild",
    "Quiet",
    "Lunar",
    "Neon",
    "Hollow",
    "Paper",
    "Iron",
    "Glass",
    "Northern",
    "Burning",
    "Gentle",
    "Static",
    "Wandering",
    "Blue",
];
const NOUNS: [&str; 10] = [
    "Owls", "Rivers", "Foxes", "Engines", "Lanterns", "Harbors", "Sparrows", "Machines", "Tides",
    "Orchards",
];
const GENRES: [&str; 10] = [
    "rock",
    "jazz",
    "classical",
    "electronic",
    "folk",
    "hip hop",
    "blues",
    "pop",
    "soul",
    "world",
];
const VENUES: [&str; 10] = [
    "the Roundhouse",
    "Red Rocks",
    "the Paradiso",
    "the Fillmore",
    "Studio 4",
    "the Old Mill",
    "Harbor Hall",
    "the Apollo",
    "Union Chapel",
    "the Depot",
];

/// Artist number `i` (0..200).
pub fn artist(i: usize) -> String {
    format!("The {} {}", ADJECTIVES[(i / 10) % 20], NOUNS[i % 10])
}

/// A small deterministic generator (SplitMix64): event `i` draws from its own stream, so any
/// range of events can be generated on its own (by a child process) and still match.
fn draw(i: usize, k: u64) -> u64 {
    let mut z = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(k.wrapping_mul(0xD1B5_4A32_D192_ED03))
        .wrapping_add(42);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The id of station `s` of `stations`.
pub fn station_id(s: usize) -> String {
    format!("station-{:04}", s + 1)
}

/// The stations of a schedule with `count` of them.
pub fn stations(count: usize) -> Vec<Station> {
    (0..count)
        .map(|s| {
            Station::try_from(StationSpec {
                id: station_id(s),
                name: format!("Station {}", s + 1),
                stream_url: Some(format!(
                    "https://streams.example.org/{}/live.m3u8",
                    station_id(s)
                )),
                ..Default::default()
            })
            .expect("station")
        })
        .collect()
}

/// Event `i` of a schedule over `stations` stations.
pub fn event(i: usize, stations: usize) -> Event {
    let epoch: Timestamp = EPOCH.parse().expect("epoch");
    let artist = artist(draw(i, 1) as usize % 200);
    let station = station_id(draw(i, 2) as usize % stations);
    let start_min = (draw(i, 3) % (SPAN_MIN / 5)) * 5;
    let length_min = 30 + (draw(i, 4) % 31) * 5;
    let start = epoch
        .checked_add((start_min as i64).minutes())
        .expect("start");
    let id = format!("evt-{i:07}");
    Event::try_from(EventSpec {
        title: format!("{artist} live at {}", VENUES[draw(i, 5) as usize % 10]),
        kind: EventKind::Concert,
        performers: vec![artist],
        stream_url: Some(format!("https://streams.example.org/{station}/{id}.m3u8")),
        station: Some(station),
        genres: vec![GENRES[draw(i, 6) as usize % 10].into()],
        start,
        end: start
            .checked_add((length_min as i64).minutes())
            .expect("end"),
        description: None,
        image: None,
        language: None,
        id,
    })
    .expect("event")
}
