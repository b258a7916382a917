//! Tests of the import journal (re-imports, abandoned and dry-run sessions, duplicates,
//! replay after a crash, shared stations, source lists) and of the migration from layout 1.
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

fn journal_is_empty(store: &SledStore) -> bool {
    !store.journal.staging.exists() && !store.journal.committed.exists()
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
    assert!(journal_is_empty(&store));
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

/// A store on disk holding one import of "guide" (event "a").
fn store_with_one_import(dir: &std::path::Path) -> SledStore {
    let store = SledStore::open(dir).expect("open");
    store
        .import(batch("guide", vec![event("a", "Morning", 8)]), false)
        .expect("import");
    store
}

#[test]
fn committed_journal_is_replayed_on_open() {
    let dir = tempfile::tempdir().expect("tmp");
    {
        let store = store_with_one_import(dir.path());
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
    assert!(journal_is_empty(&store));
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

fn events(prefix: &str, n: usize) -> Vec<Event> {
    (0..n)
        .map(|i| {
            event(
                &format!("{prefix}-{i:05}"),
                &format!("Show {i}"),
                (i % 20) as i8,
            )
        })
        .collect()
}

#[test]
fn a_record_taken_over_by_another_source_leaves_the_first_ones_list() {
    let store = SledStore::temporary().expect("store");
    store
        .import(batch("guide", vec![event("x", "Shared", 8)]), false)
        .expect("guide");
    store
        .import(batch("festival", vec![event("x", "Shared", 8)]), false)
        .expect("festival");
    assert_eq!(store.source_counts("guide").expect("counts"), (1, 0, 0));
    assert_eq!(store.source_counts("festival").expect("counts"), (1, 1, 0));
    // The guide drops it: it is the festival's now, so it stays.
    let s = store
        .import(batch("guide", Vec::new()), false)
        .expect("again");
    assert_eq!(s.removed, 0);
    assert!(store.event("x").expect("read").is_some());
}

#[test]
fn a_record_deleted_by_hand_leaves_its_source_list_and_comes_back_with_the_feed() {
    let store = SledStore::temporary().expect("store");
    let feed = vec![event("a", "One", 8), event("b", "Two", 9)];
    store
        .import(batch("guide", feed.clone()), false)
        .expect("import");
    assert!(store.delete_event("a").expect("delete"));
    assert_eq!(store.source_counts("guide").expect("counts"), (1, 1, 0));
    let s = store.import(batch("guide", feed), false).expect("again");
    assert_eq!((s.added, s.unchanged, s.removed), (1, 2, 0));
    assert_eq!(store.source_counts("guide").expect("counts"), (1, 2, 0));
}

#[test]
fn long_lists_span_chunks_and_shrink_with_the_feed() {
    let store = SledStore::temporary().expect("store");
    store
        .import(batch("guide", events("ev", 3000)), false)
        .expect("import");
    let chunks = || store.schedule.scan_prefix(keys::PROVIDES).count();
    let before = chunks();
    assert!(before > 2, "3000 ids in one chunk: {before}");
    let s = store
        .import(batch("guide", events("ev", 1000)), false)
        .expect("shorter");
    assert_eq!((s.unchanged, s.removed), (1001, 2000));
    assert_eq!(store.source_counts("guide").expect("counts"), (1, 1000, 0));
    assert!(chunks() < before, "chunks past the end were deleted");
    assert!(store.event("ev-00999").expect("read").is_some());
    assert!(store.event("ev-01000").expect("read").is_none());
}

#[test]
fn reimporting_an_unchanged_feed_writes_nothing() {
    let store = SledStore::temporary().expect("store");
    store
        .import(batch("guide", events("ev", 1500)), false)
        .expect("import");
    let before = store.schedule.checksum().expect("checksum");
    let s = store
        .import(batch("guide", events("ev", 1500)), false)
        .expect("again");
    assert_eq!(
        (s.added, s.updated, s.unchanged, s.removed),
        (0, 0, 1501, 0)
    );
    assert_eq!(store.schedule.checksum().expect("checksum"), before);
}

#[test]
fn staging_left_by_a_killed_import_is_dropped_on_open() {
    let dir = tempfile::tempdir().expect("tmp");
    {
        let store = store_with_one_import(dir.path());
        let mut session = Session::begin(&store, "guide", false).expect("begin");
        session.event(event("b", "Evening", 19)).expect("stage");
        // Killed here: the staging file is on disk, nothing is committed.
        std::mem::forget(session);
        store.flush().expect("flush");
    }
    let staging = dir.path().join("import.journal.staging");
    assert!(staging.exists());
    let store = SledStore::open(dir.path()).expect("reopen");
    assert!(!staging.exists());
    assert!(store.event("a").expect("read").is_some());
    assert!(store.event("b").expect("read").is_none());
}

#[test]
fn a_committed_journal_without_its_marker_is_reported() {
    let dir = tempfile::tempdir().expect("tmp");
    drop(SledStore::open(dir.path()).expect("open"));
    let mut bytes = Vec::new();
    write_entry(&mut bytes, PUT, &[]).expect("entry");
    std::fs::write(dir.path().join("import.journal"), bytes).expect("write");
    let err = SledStore::open(dir.path()).err().expect("refused");
    assert!(err.to_string().contains("marker"), "{err}");
}

#[test]
fn a_layout_1_store_gets_its_indexes_rebuilt_on_open() {
    let dir = tempfile::tempdir().expect("tmp");
    {
        let store = SledStore::open(dir.path()).expect("open");
        store
            .import(batch("guide", vec![event("a", "Morning Jazz", 8)]), false)
            .expect("import");
        // Turn it into what layout 1 wrote: exact names under n/, word keys carrying the name
        // as their value, one ownership key per record under o/.
        let tree = &store.schedule;
        for prefix in [keys::WORD, keys::PROVIDES] {
            for k in tree.scan_prefix(prefix).keys() {
                tree.remove(k.expect("key")).expect("remove");
            }
        }
        let raw: [(&[u8], &[u8]); 6] = [
            (b"n/morning jazz\0ta", b""),
            (b"n/someone famous\0pa", b""),
            (b"w/jazz\0ta", b"morning jazz"),
            (b"o/guide\0ea", b""),
            (b"o/guide\0snova", b""),
            (keys::META_SCHEMA, b"1"),
        ];
        for (k, v) in raw {
            tree.insert(k, v).expect("insert");
        }
        store.flush().expect("flush");
    }
    let store = SledStore::open(dir.path()).expect("reopen");
    let tree = &store.schedule;
    assert_eq!(
        tree.get(keys::META_SCHEMA).expect("read").as_deref(),
        Some(&b"2"[..])
    );
    for legacy in [keys::LEGACY_NAME, keys::LEGACY_OWNED] {
        assert_eq!(tree.scan_prefix(legacy).count(), 0);
    }
    let exact = store
        .find_names("morning jazz", &[crate::store::NameKind::Title], 1.0, 5)
        .expect("names");
    assert_eq!(exact.len(), 1, "{exact:?}");
    let performer = store
        .find_names(
            "someone famous",
            &[crate::store::NameKind::Performer],
            1.0,
            5,
        )
        .expect("names");
    assert_eq!(performer.len(), 1, "{performer:?}");
    assert_eq!(store.source_counts("guide").expect("counts"), (1, 1, 0));
}

#[test]
fn a_station_added_by_hand_is_listed_under_admin() {
    let store = SledStore::temporary().expect("store");
    store.put_station(station("fip", None)).expect("put");
    store
        .put_station(station("fip", Some("https://fip.example/live")))
        .expect("again");
    assert_eq!(store.source_counts("admin").expect("counts"), (1, 0, 0));
}
