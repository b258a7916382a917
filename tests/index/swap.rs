//! Readers during an import: every answer comes from the old schedule or the new one, whole.

use crate::helpers::spawn_app;
use crate::schedule::{concert, import, more_count, occurrences, station, ts};
use onair::store::Store;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const NOW: &str = "2026-11-21T20:00:00Z";
/// Events per schedule, all live at NOW.
const EVENTS: usize = 4_000;

fn schedule(prefix: &str) -> impl Iterator<Item = onair::schedule::Event> + '_ {
    let start = ts("2026-11-21T19:30:00Z");
    (0..EVENTS).map(move |i| {
        concert(
            &format!("{prefix}-{i:05}"),
            &format!("{prefix}-{i:05} concert"),
            &format!("{prefix} band {}", i % 50),
            &format!("st-{}", i % 20),
            start,
            90,
        )
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readers_see_the_old_or_the_new_schedule_never_a_mix() {
    let app = spawn_app(|_| {}).await;
    let stations: Vec<_> = (0..20)
        .map(|i| station(&format!("st-{i}"), &format!("Station {i}")))
        .collect();
    import(
        app.store.as_ref(),
        "schedule",
        stations.clone(),
        schedule("old"),
    );
    assert_eq!(app.store.event_count().expect("count"), EVENTS);
    let before = app.whats_on(NOW).await;
    assert!(before.speech.contains("old-") && !before.speech.contains("new-"));

    let importing = Arc::new(AtomicBool::new(true));
    let store = app.store.clone();
    let flag = importing.clone();
    let writer = tokio::task::spawn_blocking(move || {
        let summary = import(store.as_ref(), "schedule", stations, schedule("new"));
        flag.store(false, Ordering::SeqCst);
        summary
    });

    let (mut old, mut new, mut during) = (0, 0, 0);
    loop {
        let still_importing = importing.load(Ordering::SeqCst);
        let reply = app.whats_on(NOW).await;
        let text = format!("{} {}", reply.speech, reply.card);
        let olds = occurrences(&text, "old-");
        let news = occurrences(&text, "new-");
        assert!(
            (olds > 0) != (news > 0),
            "an answer mixes schedules (or lists neither): {text}"
        );
        // Every spoken item is one of the same schedule, and the count is that schedule's total.
        let spoken = occurrences(&reply.speech, "old-") + occurrences(&reply.speech, "new-");
        let more = more_count(&reply.speech).expect("a count of the rest");
        assert_eq!(spoken + more, EVENTS, "{}", reply.speech);
        for item in reply.attributes["listing"].as_array().expect("listing") {
            let id = item["id"].as_str().expect("id");
            assert_eq!(id.starts_with("old-"), olds > 0, "{id} in {text}");
        }
        if olds > 0 {
            assert_eq!(
                new, 0,
                "an old schedule came back after the new one: {text}"
            );
            old += 1;
        } else {
            new += 1;
        }
        if still_importing {
            during += 1;
        } else {
            break;
        }
    }
    let summary = writer.await.expect("import task");
    assert_eq!(summary.added, EVENTS);
    assert_eq!(summary.removed, EVENTS);
    assert!(during > 0, "no answer was read while the import ran");
    assert!(old > 0 && new > 0, "old {old}, new {new}");
    app.stop().await;
}
