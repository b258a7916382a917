//! Sources: guide and playlist combine in either order; a re-import replaces what its source
//! provided and nothing else; a killed import leaves the store consistent.

use crate::helpers::{data, options, spawn_app};
use onair::import::import_file;
use onair::store::{SledStore, Store};
use std::path::Path;
use std::time::Duration;

const EVENING: &str = "2026-10-24T18:30:00Z";

fn import(store: &SledStore, name: &str) {
    import_file(store, &data(name), &options(EVENING)).expect("import");
}

#[test]
fn guide_and_playlist_combine_in_either_order() {
    for order in [["guide.xml", "stations.m3u"], ["stations.m3u", "guide.xml"]] {
        let store = SledStore::temporary().expect("store");
        for name in order {
            import(&store, name);
        }
        let nova = store.station("nova.fr").expect("read").expect("nova");
        assert_eq!(
            nova.stream_url.as_ref().map(|u| u.as_str()),
            Some("https://stream.nova.example/live.mp3"),
            "{order:?}"
        );
        let names: Vec<&str> = nova.spoken_names().collect();
        assert!(
            names.contains(&"Nova") && names.contains(&"Radio Nova"),
            "{order:?} {names:?}"
        );
        assert!(nova.genres.contains(&"eclectic".to_string()), "{order:?}");
        assert!(nova.image.is_some());
        let jazz = store.station("jazz.fr").expect("read").expect("jazz");
        assert!(jazz.stream_url.is_some(), "{order:?}");
        let guide = onair::import::file_source(&data("guide.xml")).expect("source");
        let playlist = onair::import::file_source(&data("stations.m3u")).expect("source");
        assert_eq!(store.source_counts(&guide).expect("counts"), (3, 7, 0));
        assert_eq!(store.source_counts(&playlist).expect("counts"), (3, 0, 0));
    }
}

#[tokio::test]
async fn reimport_drops_vanished_events_and_keeps_other_sources() {
    let app = spawn_app(|_| {}).await;
    let dir = tempfile::tempdir().expect("tmp");
    let feed = dir.path().join("guide.xml");
    let original = std::fs::read_to_string(data("guide.xml")).expect("read");
    std::fs::write(&feed, &original).expect("write");
    let opts = options(EVENING);
    import_file(app.store.as_ref(), &feed, &opts).expect("guide");
    app.import("events.ics", &options("2026-10-24T12:00:00Z"));
    let before = app.store.event_count().expect("count");
    assert!(app.whats_on(EVENING).await.card.contains("Jazz Night"));

    // The feed drops "Jazz Night" and renames "Late Jazz".
    let start = original
        .find("<programme start=\"2026102421\"")
        .expect("jazz night");
    let end = start + original[start..].find("</programme>").expect("end") + "</programme>".len();
    let changed = format!("{}{}", &original[..start], &original[end..])
        .replace("<title>Late Jazz</title>", "<title>Later Jazz</title>");
    std::fs::write(&feed, changed).expect("write");
    let report = import_file(app.store.as_ref(), &feed, &opts).expect("re-import");
    assert_eq!(report.summary.removed, 1);
    assert_eq!(report.summary.updated, 1);
    assert_eq!(report.summary.added, 0);
    assert_eq!(app.store.event_count().expect("count"), before - 1);
    assert!(app
        .store
        .event("jazz.fr-20261024T210000Z")
        .expect("read")
        .is_none());
    // The calendar's events are another source's: untouched.
    assert!(app
        .store
        .event("villette-2026@concerts.example")
        .expect("read")
        .is_some());
    let reply = app.whats_on(EVENING).await;
    assert!(!reply.card.contains("Jazz Night"), "{}", reply.card);
    assert!(reply.card.contains("Later Jazz"), "{}", reply.card);
    assert!(reply.card.contains("Jazz à la Villette"), "{}", reply.card);
    // Importing the same feed again changes nothing.
    let again = import_file(app.store.as_ref(), &feed, &opts).expect("again");
    assert_eq!(
        (
            again.summary.added,
            again.summary.updated,
            again.summary.removed
        ),
        (0, 0, 0)
    );
    app.stop().await;
}

/// A guide big enough that importing it takes a while.
fn write_big_guide(path: &Path, programmes: usize) {
    use std::io::Write;
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    writeln!(
        w,
        "<tv><channel id=\"big.fr\"><display-name>Big</display-name></channel>"
    )
    .expect("w");
    for i in 0..programmes {
        let t = 1_800_000_000 + i as i64 * 600;
        let f = |t: i64| {
            jiff::Timestamp::from_second(t)
                .expect("ts")
                .strftime("%Y%m%d%H%M%S +0000")
                .to_string()
        };
        writeln!(
            w,
            "<programme start=\"{}\" stop=\"{}\" channel=\"big.fr\"><title>Programme number {i}</title></programme>",
            f(t),
            f(t + 600)
        )
        .expect("w");
    }
    writeln!(w, "</tv>").expect("w");
}

#[test]
fn killed_import_leaves_the_previous_data_intact() {
    let dir = tempfile::tempdir().expect("tmp");
    let data_dir = dir.path().join("data");
    let feed = dir.path().join("feed.xml");
    std::fs::copy(data("guide.xml"), &feed).expect("copy");
    let (old_events, other_events) = {
        let store = SledStore::open(&data_dir).expect("open");
        import_file(&store, &feed, &options(EVENING)).expect("old feed");
        import(&store, "events.ics");
        let total = store.event_count().expect("count");
        let feed_source = onair::import::file_source(&feed).expect("source");
        let (_, feed_events, _) = store.source_counts(&feed_source).expect("counts");
        store.flush().expect("flush");
        (feed_events, total - feed_events)
    };
    const BIG: usize = 60_000;
    write_big_guide(&feed, BIG);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_onair"))
        .arg("import")
        .arg(&feed)
        .arg("--data-dir")
        .arg(&data_dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn onair import");
    std::thread::sleep(Duration::from_millis(700));
    let finished_early = child.try_wait().expect("wait").is_some();
    child.kill().ok();
    child.wait().expect("reap");

    let store = SledStore::open(&data_dir).expect("reopen after kill");
    let feed_source = onair::import::file_source(&feed).expect("source");
    let (_, feed_events, _) = store.source_counts(&feed_source).expect("counts");
    let total = store.event_count().expect("count");
    // Old or new, never a mix; the other source untouched either way.
    assert!(
        feed_events == old_events || feed_events == BIG,
        "feed has {feed_events} events: neither the old {old_events} nor the new {BIG}"
    );
    assert_eq!(total - feed_events, other_events);
    if !finished_early && feed_events == old_events {
        // The usual case: killed while parsing, so the previous guide is all there.
        assert!(store
            .event("nova.fr-20261024T180000Z")
            .expect("read")
            .is_some());
        assert!(
            store
                .live_at(EVENING.parse().expect("ts"))
                .expect("live")
                .len()
                >= 2
        );
    }
}
