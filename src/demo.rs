//! The offline demo: a schedule relative to the current time whose streams are this server's own
//! sample audio, so a new user hears sensible answers without any feed or network.

use crate::schedule::{
    DomainError, Episode, EpisodeSpec, Event, EventKind, EventSpec, Station, StationSpec,
};
use crate::store::ImportBatch;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

/// Source name of the demo records; re-seeding replaces exactly these.
pub const SOURCE: &str = "demo";

fn station(
    id: &str,
    name: &str,
    aliases: &[&str],
    stream: Option<String>,
    genres: &[&str],
) -> Result<Station, DomainError> {
    Station::try_from(StationSpec {
        id: id.into(),
        name: name.into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        stream_url: stream,
        genres: genres.iter().map(|s| s.to_string()).collect(),
        image: None,
    })
}

struct Ev<'a> {
    id: &'a str,
    title: &'a str,
    kind: EventKind,
    performers: &'a [&'a str],
    station: &'a str,
    genres: &'a [&'a str],
    start: Timestamp,
    hours: i64,
    stream: Option<String>,
}

fn event(e: Ev<'_>) -> Result<Event, DomainError> {
    Event::try_from(EventSpec {
        id: e.id.into(),
        title: e.title.into(),
        kind: e.kind,
        performers: e.performers.iter().map(|s| s.to_string()).collect(),
        station: Some(e.station.into()),
        genres: e.genres.iter().map(|s| s.to_string()).collect(),
        start: e.start,
        end: e.start.checked_add(e.hours.hours()).unwrap_or(e.start),
        stream_url: e.stream,
        description: None,
        image: None,
        language: None,
    })
}

/// The next local occurrence of `hour`:00 on or after `now` (today or tomorrow).
fn next_local(now: &Zoned, hour: i8) -> Timestamp {
    let today = now.date().at(hour, 0, 0, 0);
    let candidate = today
        .to_zoned(now.time_zone().clone())
        .map(|z| z.timestamp());
    match candidate {
        Ok(t) if t > now.timestamp() => t,
        _ => now
            .date()
            .tomorrow()
            .ok()
            .and_then(|d| d.at(hour, 0, 0, 0).to_zoned(now.time_zone().clone()).ok())
            .map(|z| z.timestamp())
            .unwrap_or_else(|| now.timestamp()),
    }
}

/// The coming Saturday at `hour`:00 local (next week's when today is Saturday evening).
fn saturday(now: &Zoned, hour: i8) -> Timestamp {
    let mut d = now.date();
    for _ in 0..8 {
        if d.weekday() == jiff::civil::Weekday::Saturday {
            if let Ok(z) = d.at(hour, 0, 0, 0).to_zoned(now.time_zone().clone()) {
                if z.timestamp() > now.timestamp() {
                    return z.timestamp();
                }
            }
        }
        d = d.tomorrow().unwrap_or(d);
    }
    now.timestamp()
}

/// The demo schedule for `now` in `zone`, with audio served from `base_url`.
pub fn schedule(
    now: Timestamp,
    zone: &TimeZone,
    base_url: &str,
) -> Result<ImportBatch, DomainError> {
    // Stations and live events stream the looping live stream, whose ICY title follows this
    // schedule (see `server::audio`); episodes are on-demand files.
    let live = |station: &str| Some(format!("{base_url}/audio/live.mp3?station={station}"));
    // Whole hours keep the seeding idempotent within an hour.
    let hour =
        Timestamp::from_second(now.as_second() - now.as_second().rem_euclid(3600)).unwrap_or(now);
    let local = now.to_zoned(zone.clone());
    let stations = vec![
        station(
            "radio-nova",
            "Radio Nova",
            &["nova"],
            live("radio-nova"),
            &["eclectic"],
        )?,
        station(
            "jazz-cellar",
            "Jazz Cellar",
            &["the jazz cellar", "jazz cellar radio"],
            live("jazz-cellar"),
            &["jazz"],
        )?,
        station(
            "lumiere-fm",
            "Lumière FM",
            &["lumiere", "radio lumière"],
            live("lumiere-fm"),
            &["classical"],
        )?,
        station("echo-live", "Echo Live", &["echo"], None, &["rock", "pop"])?,
        station(
            "night-owl",
            "Night Owl Radio",
            &["night owl"],
            None,
            &["electronic"],
        )?,
    ];
    let at = |h: i64| hour.checked_add(h.hours()).unwrap_or(hour);
    let events = vec![
        event(Ev {
            id: "demo-radiohead-live",
            title: "Radiohead live at Glastonbury",
            kind: EventKind::Concert,
            performers: &["Radiohead"],
            station: "echo-live",
            genres: &["rock"],
            start: at(-1),
            hours: 3,
            stream: live("echo-live"),
        })?,
        event(Ev {
            id: "demo-morning-news",
            title: "Morning News",
            kind: EventKind::Broadcast,
            performers: &[],
            station: "radio-nova",
            genres: &["news"],
            start: at(-1),
            hours: 2,
            stream: None,
        })?,
        event(Ev {
            id: "demo-late-night-jazz",
            title: "Late Night Jazz",
            kind: EventKind::Show,
            performers: &["Kamasi Washington"],
            station: "jazz-cellar",
            genres: &["jazz"],
            start: next_local(&local, 21),
            hours: 2,
            stream: None,
        })?,
        event(Ev {
            id: "demo-daft-punk-set",
            title: "Daft Punk tribute night",
            kind: EventKind::Concert,
            performers: &["Daft Punk"],
            station: "night-owl",
            genres: &["electronic"],
            start: next_local(&local, 23),
            hours: 3,
            stream: live("night-owl"),
        })?,
        event(Ev {
            id: "demo-beyonce",
            title: "Beyoncé: Renaissance live",
            kind: EventKind::Concert,
            performers: &["Beyoncé"],
            station: "echo-live",
            genres: &["pop"],
            start: at(26),
            hours: 2,
            stream: live("echo-live"),
        })?,
        event(Ev {
            id: "demo-symphony-night",
            title: "Symphony Night",
            kind: EventKind::Concert,
            performers: &["Orchestre de Paris"],
            station: "lumiere-fm",
            genres: &["classical"],
            start: saturday(&local, 20),
            hours: 2,
            stream: None,
        })?,
    ];
    let episodes = vec![
        Episode::try_from(EpisodeSpec {
            id: "demo-jazz-notes-2".into(),
            show: "Jazz Notes".into(),
            title: "Coltrane at 100".into(),
            published: at(-48),
            duration_s: Some(60),
            audio_url: format!("{base_url}/audio/concert.mp3"),
            image: None,
        })?,
        Episode::try_from(EpisodeSpec {
            id: "demo-jazz-notes-1".into(),
            show: "Jazz Notes".into(),
            title: "The birth of bebop".into(),
            published: at(-24 * 8),
            duration_s: Some(3),
            audio_url: format!("{base_url}/audio/jingle.mp3"),
            image: None,
        })?,
    ];
    Ok(ImportBatch {
        source: SOURCE.into(),
        stations,
        events,
        episodes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_has_a_live_concert_and_is_stable_within_the_hour() {
        let now: Timestamp = "2026-11-21T19:04:05Z".parse().expect("ts");
        let tz = TimeZone::get("Europe/Paris").expect("tz");
        let a = schedule(now, &tz, "http://127.0.0.1:8080").expect("valid");
        let later: Timestamp = "2026-11-21T19:44:00Z".parse().expect("ts");
        let b = schedule(later, &tz, "http://127.0.0.1:8080").expect("valid");
        assert_eq!(a.events, b.events);
        assert!(a
            .events
            .iter()
            .any(|e| e.kind == EventKind::Concert && e.is_live_at(now)));
    }

    #[test]
    fn live_things_stream_the_live_route_of_their_station() {
        let now: Timestamp = "2026-11-21T19:04:05Z".parse().expect("ts");
        let batch = schedule(now, &TimeZone::UTC, "http://127.0.0.1:8080").expect("valid");
        let concert = batch
            .events
            .iter()
            .find(|e| e.kind == EventKind::Concert && e.is_live_at(now))
            .expect("a live concert");
        assert_eq!(
            concert.stream_url.as_ref().map(|u| u.as_str()),
            Some("http://127.0.0.1:8080/audio/live.mp3?station=echo-live")
        );
        for station in batch.stations.iter().filter(|s| s.stream_url.is_some()) {
            let url = station.stream_url.as_ref().map(|u| u.as_str().to_string());
            assert_eq!(
                url,
                Some(format!(
                    "http://127.0.0.1:8080/audio/live.mp3?station={}",
                    station.id.as_str()
                ))
            );
        }
        assert!(batch
            .episodes
            .iter()
            .all(|e| !e.audio_url.as_str().contains("live.mp3")));
    }
}
