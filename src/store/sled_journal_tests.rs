//! Tests of the import journal: re-imports, abandoned and dry-run sessions, duplicates,
//! replay after a crash, shared stations.
use super::*;
use crate::schedule::{EventKind, EventSpec, StationSpec};
use crate::store::{ImportBatch, Store};

fn event(id: &str, title: &str, hour: i8) -> Event {
    let start = jiff::civil::date(2026, 11, 21)
        .at(hour, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .expect("time")
        .timestamp();
    Event::try_from(EventSpec {
        id: id.into(),
        title: title.into(),
        kind: EventKind::Show,
        performers: vec!["Someone Famous".into()],
        station: Some("nova".into()),
        genres: Vec::new(),
        start,
        end: start
            .checked_add(jiff::SignedDuration::from_hours(1))
            .expect("end"),
        stream_url: None,
        description: None,
        image: None,
        language: None,
    })
    .expect("valid")
}

fn station(id: &str, stream: Option<&str>) -> Station {
    Station::try_from(StationSpec {
        id: id.into(),
        name: format!("Radio {id}"),
        stream_url: stream.map(str::to_string),
        ..Default::default()
    })
    .expect("valid")
}

fn batch(source: &str, events: Vec<Event>) -> ImportBatch {
    ImportBatch {
        source: source.into(),
        stations: vec![station("nova", None)],
        events,
        episodes: Vec::new(),
    }
}

#[test]
fn reimport_replaces_only_its_source() {
    let store = SledStore::temporary().expect("store");
    let guide = vec![event("a", "Morning", 8), event("b", "Noon", 12)];
    store.import(batch("guide", guide), false).expect("import");
    store
        .import(batch("other", vec![event("c", "Night", 22)]), false)
        .expect("import");
    let again = vec![event("a", "Morning news", 8)];
    let s = store.import(batch("guide", again), false).expect("import");
    assert_eq!((s.added, s.updated, s.unchanged, s.removed), (0, 1, 1, 1));
    assert!(store.event("b").expect("read").is_none());
    assert_eq!(
        store.event("a").expect("read").expect("kept").title,
        "Morning news"
    );
    assert!(store.event("c").expect("read").is_some());
    // The old title's name keys went with it.
    let hits = store
        .find_names("morning", &[crate::store::NameKind::Title], 1.0, 5)
        .expect("names");
    assert!(hits.is_empty(), "{hits:?}");
    assert_eq!(store.source_counts("guide").expect("counts"), (1, 1, 0));
    assert_eq!(store.source_counts("other").expect("counts"), (1, 1, 0));
}

#[test]
fn abandoned_session_changes_nothing() {
    let store = SledStore::temporary().expect("store");
    store
        .import(batch("guide", vec![event("a", "Morning", 8)]), false)
        .expect("import");
    {
        let mut session = store.begin_import("guide", false).expect("begin");
        session.event(event("z", "Never", 9)).expect("stage");
        // Dropped: a parse error or a killed import.
    }
    assert!(store.event("z").expect("read").is_none());
    assert!(store.event("a").expect("read").is_some());
    assert_eq!(store.journal.len(), 0);
}

#[test]
fn duplicates_in_one_session_are_refused() {
    let store = SledStore::temporary().expect("store");
    let mut session = store.begin_import("guide", false).expect("begin");
    assert!(session.event(event("a", "One", 8)).expect("stage"));
    assert!(!session.event(event("a", "Two", 9)).expect("stage"));
    session.commit().expect("commit");
    assert_eq!(store.event("a").expect("read").expect("kept").title, "One");
}

#[test]
fn dry_run_writes_nothing() {
    let store = SledStore::temporary().expect("store");
    let s = store
        .import(batch("guide", vec![event("a", "Morning", 8)]), true)
        .expect("dry");
    assert_eq!(s.added, 2);
    assert!(store.event("a").expect("read").is_none());
}

#[test]
fn committed_journal_is_replayed_on_open() {
    let dir = tempfile::tempdir().expect("tmp");
    {
        let store = SledStore::open(dir.path()).expect("open");
        store
            .import(batch("guide", vec![event("a", "Morning", 8)]), false)
            .expect("import");
        let mut session = Session::begin(&store, "guide", false).expect("begin");
        session.station(station("nova", None)).expect("stage");
        session.event(event("b", "Evening", 19)).expect("stage");
        session.commit_then_crash().expect("marker");
        // Not applied yet: the schedule still holds the old import.
        assert!(store.event("b").expect("read").is_none());
        store.flush().expect("flush");
    }
    let store = SledStore::open(dir.path()).expect("reopen");
    assert!(store.event("b").expect("read").is_some());
    assert!(
        store.event("a").expect("read").is_none(),
        "vanished with the new import"
    );
    assert_eq!(store.journal.len(), 0);
    let live = store
        .live_at("2026-11-21T19:30:00Z".parse().expect("ts"))
        .expect("live");
    assert_eq!(live.len(), 1);
}

#[test]
fn station_from_two_sources_survives_one_leaving() {
    let store = SledStore::temporary().expect("store");
    let mut guide = batch("guide", Vec::new());
    guide.stations = vec![station("nova", None)];
    store.import(guide, false).expect("guide");
    let playlist = ImportBatch {
        source: "playlist".into(),
        stations: vec![station("nova", Some("https://nova.example/live"))],
        ..ImportBatch::default()
    };
    store.import(playlist, false).expect("playlist");
    let s = store
        .import(
            ImportBatch {
                source: "guide".into(),
                ..ImportBatch::default()
            },
            false,
        )
        .expect("empty guide");
    assert_eq!(s.removed, 0);
    let nova = store.station("nova").expect("read").expect("still there");
    assert!(nova.stream_url.is_some());
    assert_eq!(store.source_counts("guide").expect("counts"), (0, 0, 0));
}
