//! Each format imported from `tests/data/`, then asked "what's on" through the endpoint.

use crate::helpers::{data, options, spawn_app};
use onair::import::{import_bytes, parse, Context, ImportOptions, Origin};
use onair::schedule::EventKind;
use onair::store::Store;
use std::io::Write;

/// Saturday 24 October 2026, 20:30 in Paris (still summer time).
const EVENING: &str = "2026-10-24T18:30:00Z";

fn parse_file(name: &str, options: &ImportOptions) -> onair::import::Parsed {
    let origin = Origin::File(data(name));
    let ctx = Context::new(options, &origin, None).expect("context");
    let file = std::fs::File::open(data(name)).expect("open");
    parse(Box::new(file), &ctx).expect("parse").1
}

#[tokio::test]
async fn xmltv_guide_and_playlist_answer_whats_on() {
    let app = spawn_app(|_| {}).await;
    let guide = app.import("guide.xml", &options(EVENING));
    assert_eq!(guide.summary.added, 3 + 7, "3 channels, 7 of 10 programmes");
    let reasons: Vec<String> = guide
        .rejected
        .iter()
        .map(|r| format!("{}: {}", r.location, r.reason))
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:#?}");
    assert!(reasons.iter().any(
        |r| r.starts_with("programme #9 (line ") && r.contains("start: \"yesterday evening\"")
    ));
    assert!(reasons
        .iter()
        .any(|r| r.starts_with("programme #10") && r.contains("ends")));
    assert!(reasons.iter().any(|r| r.starts_with("programme #7 (line ")
        && r.contains("no later programme on channel \"jazz.fr\"")));
    let playlist = app.import("stations.m3u", &options(EVENING));
    assert_eq!(playlist.rejected.len(), 1, "the ftp:// entry");
    assert!(
        playlist.rejected[0].location == "line 9",
        "{:?}",
        playlist.rejected
    );

    // A programme without stop ends where the next one on its channel starts.
    let night_shift = app
        .store
        .event("nova.fr-20261024T200000Z")
        .expect("read")
        .expect("stored");
    assert_eq!(night_shift.end.to_string(), "2026-10-24T23:00:00Z");
    let concert = app
        .store
        .event("nova.fr-20261024T180000Z")
        .expect("read")
        .expect("stored");
    assert_eq!(concert.title, "Radiohead Live in Paris");
    assert_eq!(concert.kind, EventKind::Concert);
    assert_eq!(concert.performers, vec!["Jean Dupont", "Radiohead"]);
    assert_eq!(concert.genres, vec!["concert", "rock"]);
    assert_eq!(
        concert.description.as_deref(),
        Some("Tonight's concert, live.")
    );
    assert_eq!(concert.language.as_deref(), Some("en"));
    let late_jazz = app
        .store
        .event("jazz.fr-20261024T190000Z")
        .expect("read")
        .expect("stored");
    assert_eq!(
        late_jazz.kind,
        EventKind::Concert,
        "\"Music live\" category"
    );

    let reply = app.whats_on(EVENING).await;
    let speech = &reply.speech;
    assert!(
        speech.contains("Radiohead Live in Paris, live now"),
        "{speech}"
    );
    assert!(
        speech.contains("The Quiet Hour, live now on Silent Radio"),
        "{speech}"
    );
    assert!(
        speech.contains("Late Jazz tonight at 9 PM on Jazz Cellar"),
        "{speech}"
    );
    assert!(speech.contains("and 4 more"), "{speech}");
    // Local times on both sides of the change from summer time (card lines are local).
    let card = &reply.card;
    for line in [
        "Sat 22:00 Night Shift",
        "Sat 23:00 Jazz Night (Jazz Cellar)",
        "Sun 01:00 Bridge Over DST",
        "Sun 02:00 After the Change",
    ] {
        assert!(card.contains(line), "{line:?} not in {card}");
    }

    // The concert has no stream of its own: it plays its station's, from the playlist.
    let play = app.play_item(1, &reply, EVENING).await;
    let directive = &play.raw["response"]["directives"][0];
    assert_eq!(directive["type"], "AudioPlayer.Play");
    assert_eq!(
        directive["audioItem"]["stream"]["url"],
        "https://stream.nova.example/live.mp3"
    );
    // The Quiet Hour's station has no stream anywhere: listed, but it says so.
    let quiet = app.play_item(2, &reply, EVENING).await;
    assert!(
        quiet
            .speech
            .contains("The Quiet Hour is in the schedule, but I don't have a stream for it"),
        "{}",
        quiet.speech
    );
    assert!(quiet.raw["response"]["directives"].is_null());
    app.stop().await;
}

#[test]
fn xmltv_prefers_the_configured_language() {
    let fr = ImportOptions {
        lang: "fr".into(),
        ..options(EVENING)
    };
    let parsed = parse_file("guide.xml", &fr);
    let concert = parsed
        .batch
        .events
        .iter()
        .find(|e| e.id.as_str() == "nova.fr-20261024T180000Z")
        .expect("concert");
    assert_eq!(concert.title, "Radiohead en concert à Paris");
    assert_eq!(concert.genres, vec!["concert"]);
    assert_eq!(concert.language.as_deref(), Some("fr"));
    let nova = parsed
        .batch
        .stations
        .iter()
        .find(|s| s.id.as_str() == "nova.fr")
        .expect("nova");
    assert_eq!(nova.name, "Radio Nova");
    assert_eq!(nova.aliases, vec!["Nova"]);
    assert_eq!(
        nova.image.as_ref().map(|u| u.as_str()),
        Some("https://img.nova.example/logo.png")
    );
}

#[test]
fn gzipped_guide_is_detected_and_read() {
    let plain = std::fs::read(data("guide.xml")).expect("read");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&plain).expect("gzip");
    let bytes = gz.finish().expect("gzip");
    assert_eq!(
        onair::import::Format::detect(&bytes),
        Some(onair::import::Format::Xmltv)
    );
    let store = onair::store::SledStore::temporary().expect("store");
    let report = import_bytes(&store, "gz", &bytes, &options(EVENING)).expect("import");
    assert_eq!((report.summary.added, report.rejected.len()), (10, 3));
    assert!(store
        .event("nova.fr-20261024T180000Z")
        .expect("read")
        .is_some());
}

#[test]
fn latin1_files_keep_their_accents() {
    let playlist = parse_file("latin1.m3u", &options(EVENING));
    let names: Vec<(&str, &str)> = playlist
        .batch
        .stations
        .iter()
        .map(|s| (s.id.as_str(), s.name.as_str()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("radio-energie", "Radio Énergie"),
            ("cherie-melodie", "Chérie Mélodie")
        ]
    );
    assert_eq!(playlist.batch.stations[0].genres, vec!["variété"]);
    let guide = parse_file("guide-latin1.xml", &options(EVENING));
    assert_eq!(guide.batch.stations[0].name, "Radio Énergie");
    assert_eq!(
        guide.batch.events[0].title,
        "Émission spéciale : l'été à Noël"
    );
}

#[tokio::test]
async fn icalendar_feed_expands_and_answers_whats_on() {
    let app = spawn_app(|_| {}).await;
    let opts = ImportOptions {
        station: Some("concerts".into()),
        ..options("2026-10-24T12:00:00Z")
    };
    let report = app.import("events.ics", &opts);
    let rejected: Vec<String> = report
        .rejected
        .iter()
        .map(|r| format!("{}: {}", r.location, r.reason))
        .collect();
    assert_eq!(rejected.len(), 2, "{rejected:#?}");
    assert!(rejected
        .iter()
        .any(|r| r.contains("broken-time") && r.contains("DTSTART")));
    assert!(rejected
        .iter()
        .any(|r| r.contains("Lost City") || r.contains("Atlantis/Capital")));
    let store = &app.store;
    let get = |id: &str| store.event(id).expect("read");

    // Custom TZID defined by a VTIMEZONE with DST rules; escaped text; URL as stream.
    let villette = get("villette-2026@concerts.example").expect("villette");
    assert_eq!(villette.start.to_string(), "2026-10-24T19:00:00Z");
    assert_eq!(villette.end.to_string(), "2026-10-24T21:00:00Z");
    assert_eq!(villette.title, "Jazz à la Villette, en direct");
    assert_eq!(
        villette.description.as_deref(),
        Some("Trompette; cordes\nEt invités.")
    );
    assert_eq!(
        villette.performers,
        vec!["Ibrahim Maalouf", "The Villette Strings"]
    );
    assert_eq!(villette.kind, EventKind::Concert);
    assert_eq!(
        villette.stream_url.as_ref().map(|u| u.as_str()),
        Some("https://live.concerts.example/villette.m3u8")
    );
    assert_eq!(
        villette.station.as_ref().map(|s| s.as_str()),
        Some("concerts")
    );
    // IANA TZID without a VTIMEZONE, and DURATION.
    let brooklyn = get("brooklyn-2026@concerts.example").expect("brooklyn");
    assert_eq!(brooklyn.start.to_string(), "2026-10-24T19:00:00Z");
    assert_eq!(brooklyn.end.to_string(), "2026-10-24T20:30:00Z");
    assert_eq!(brooklyn.performers, vec!["Brooklyn Brass"]);
    // All-day: local midnight to midnight, 25 hours on the day summer time ends.
    let festival = get("festival-day@concerts.example").expect("festival");
    assert_eq!(festival.start.to_string(), "2026-10-24T22:00:00Z");
    assert_eq!(festival.end.to_string(), "2026-10-25T23:00:00Z");
    // Floating time: the default zone.
    let floating = get("floating-beats@concerts.example").expect("floating");
    assert_eq!(floating.start.to_string(), "2026-10-24T20:00:00Z");
    assert!(get("cancelled-gig@concerts.example").is_none());

    // RRULE with COUNT, EXDATE, RDATE, one instance moved and one cancelled; 18:00 local
    // on both sides of the DST change.
    let session = |utc: &str| get(&format!("saturday-session@concerts.example-{utc}"));
    assert!(session("20261017T160000Z").is_none(), "over before now");
    assert!(session("20261024T160000Z").is_some());
    assert!(session("20261028T170000Z").is_some(), "RDATE");
    assert!(session("20261031T170000Z").is_none(), "EXDATE");
    let moved = session("20261107T170000Z").expect("override");
    assert_eq!(moved.title, "Saturday Session (late edition)");
    assert_eq!(moved.start.to_string(), "2026-11-07T19:00:00Z");
    assert!(session("20261114T170000Z").is_none(), "cancelled instance");
    assert!(session("20261121T170000Z").is_some());
    assert!(session("20261128T170000Z").is_none(), "COUNT=6");
    // An endless daily rule is expanded over the horizon only (30 days).
    let mornings = store
        .overlapping(
            "2026-10-24T00:00:00Z".parse().expect("ts"),
            "2027-01-01T00:00:00Z".parse().expect("ts"),
            1000,
        )
        .expect("list")
        .into_iter()
        .filter(|e| e.title == "Morning Show")
        .count();
    assert_eq!(mornings, 30);

    let reply = app.whats_on(EVENING).await;
    let speech = &reply.speech;
    assert!(
        speech.contains("Live from Brooklyn tonight at 9 PM"),
        "{speech}"
    );
    assert!(
        speech.contains("Jazz à la Villette, en direct tonight at 9 PM"),
        "{speech}"
    );
    assert!(
        speech.contains("Floating Beats tonight at 10 PM"),
        "{speech}"
    );
    assert!(
        reply.card.contains("Sun 00:00 Festival Day"),
        "{}",
        reply.card
    );
    app.stop().await;
}

#[test]
fn podcast_feed_becomes_episodes() {
    let store = onair::store::SledStore::temporary().expect("store");
    let report = onair::import::import_file(&store, &data("podcast.xml"), &options(EVENING))
        .expect("import");
    assert_eq!(report.summary.added, 3);
    assert_eq!(report.rejected.len(), 1);
    assert!(report.rejected[0].location.starts_with("item #4 (line "));
    assert!(report.rejected[0].reason.contains("enclosure"));
    let episodes = store.episodes_of_show("Jazz Notes", 10).expect("episodes");
    let got: Vec<(&str, Option<u64>)> = episodes
        .iter()
        .map(|e| (e.id.as_str(), e.duration_s))
        .collect();
    assert_eq!(
        got,
        vec![
            ("jazz-notes-jn-0042", Some(3723)),
            (
                "jazz-notes-https://pod.jazznotes.example/ep41.mp3",
                Some(3120)
            ),
            (
                "jazz-notes-https://pod.jazznotes.example/episodes/40",
                Some(3120)
            ),
        ]
    );
    assert_eq!(episodes[0].published.to_string(), "2026-11-01T08:00:00Z");
    assert_eq!(episodes[1].title, "Blue Notes & Bebop");
    assert_eq!(
        episodes[1].image.as_ref().map(|u| u.as_str()),
        Some("https://pod.jazznotes.example/ep41.jpg")
    );
    assert_eq!(
        episodes[0].image.as_ref().map(|u| u.as_str()),
        Some("https://pod.jazznotes.example/cover.jpg")
    );
}

#[test]
fn pls_follows_a_local_m3u() {
    let parsed = parse_file("chain.pls", &options(EVENING));
    assert!(parsed.rejected.is_empty(), "{:?}", parsed.rejected);
    let got: Vec<(&str, &str, Option<&str>)> = parsed
        .batch
        .stations
        .iter()
        .map(|s| {
            (
                s.id.as_str(),
                s.name.as_str(),
                s.stream_url.as_ref().map(|u| u.as_str()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "radio-nova",
                "Radio Nova",
                Some("https://stream.nova.example/live.mp3")
            ),
            (
                "classic-fm-example",
                "Classic FM Example",
                Some("https://stream.classic.example/live.ogg")
            ),
        ]
    );
}

#[test]
fn uploads_do_not_follow_relative_playlists() {
    let store = onair::store::SledStore::temporary().expect("store");
    let bytes = std::fs::read(data("chain.pls")).expect("read");
    let report = import_bytes(&store, "upload", &bytes, &options(EVENING)).expect("import");
    assert_eq!(report.summary.added, 1);
    assert!(
        report.rejected[0].reason.contains("upload"),
        "{:?}",
        report.rejected
    );
}
