//! Personal ordering reaches past the first page: a followed artist's only event, late tonight,
//! comes first even when thousands of events start before it.

use crate::helpers::spawn_app;
use crate::schedule::{concert, import, station, ts};
use jiff::ToSpan;
use serde_json::json;

/// 18:00 in Paris (the test zone).
const NOW: &str = "2026-11-21T17:00:00Z";
const BEFORE: usize = 5_000;

#[tokio::test]
async fn a_followed_artist_late_tonight_comes_first() {
    let app = spawn_app(|_| {}).await;
    let stations: Vec<_> = (0..50)
        .map(|i| station(&format!("st-{i}"), &format!("Station {i}")))
        .collect();
    // 5,000 concerts starting from 19:00 to 22:55 Paris time, all before the followed one.
    let first = ts("2026-11-21T18:00:00Z");
    let crowd = (0..BEFORE).map(|i| {
        let start = first
            .checked_add((((i % 48) * 5) as i64).minutes())
            .expect("start");
        concert(
            &format!("crowd-{i}"),
            &format!("Crowd Concert {i}"),
            &format!("Crowd Band {}", i % 400),
            &format!("st-{}", i % 50),
            start,
            60,
        )
    });
    let late = concert(
        "late-owl",
        "Owl Hour",
        "Nora Nightowl",
        "st-7",
        ts("2026-11-21T22:00:00Z"),
        60,
    );
    import(app.store.as_ref(), "tonight", stations, crowd.chain([late]));

    let slots = json!({"performer": {"name": "performer", "value": "nora nightowl",
                                     "confirmationStatus": "NONE"}});
    let follow = app.intent("FollowIntent", slots, json!({}), NOW).await;
    assert!(follow.speech.contains("Nora Nightowl"), "{}", follow.speech);

    let tonight = json!({
        "date": {"name": "date", "value": "2026-11-21", "confirmationStatus": "NONE"},
        "time": {"name": "time", "value": "NI", "confirmationStatus": "NONE"}
    });
    let reply = app.intent("WhatsOnIntent", tonight, json!({}), NOW).await;
    let owl = reply
        .speech
        .find("Owl Hour")
        .expect("the followed artist is spoken");
    let crowd = reply
        .speech
        .find("Crowd Concert")
        .expect("the rest follows");
    assert!(owl < crowd, "{}", reply.speech);
    assert_eq!(
        reply.attributes["listing"][0]["id"], "late-owl",
        "{}",
        reply.attributes
    );
    app.stop().await;
}
