//! CanFulfillIntentRequest: YES, MAYBE and NO from the schedule and the model, with no side
//! effects and no speech.

use crate::helpers::{spawn_app, AppOptions, Req, TestApp, DEVICE_ID};
use onair::store::Store;
use serde_json::{json, Value};

const NOW: &str = "2026-11-21T19:04:05Z";

async fn ask(app: &TestApp, req: Req) -> Value {
    let (status, body) = app.post(&req.at(NOW)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["response"]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        Some(vec!["canFulfillIntent".to_string()]),
        "canFulfillIntent only: {body}"
    );
    assert!(body.get("sessionAttributes").is_none());
    body["response"]["canFulfillIntent"].clone()
}

fn slot(u: &str, f: &str) -> Value {
    json!({"canUnderstand": u, "canFulfill": f})
}

#[tokio::test]
async fn answers_yes_maybe_and_no_without_writing_anything() {
    let app = spawn_app(AppOptions::default()).await;
    let cases = [
        (
            Req::can_fulfill("PlayLiveIntent").slot("performer", "radiohead"),
            json!({"canFulfill": "YES", "slots": {"performer": slot("YES", "YES")}}),
        ),
        (
            // Known, but not live now: the skill can only say when it starts.
            Req::can_fulfill("PlayLiveIntent").slot("performer", "beyonce"),
            json!({"canFulfill": "MAYBE", "slots": {"performer": slot("YES", "NO")}}),
        ),
        (
            Req::can_fulfill("PlayLiveIntent").slot("performer", "zzyzx quartet"),
            json!({"canFulfill": "NO", "slots": {"performer": slot("MAYBE", "NO")}}),
        ),
        (
            Req::can_fulfill("PlayStationIntent").slot("station", "radio nova"),
            json!({"canFulfill": "YES", "slots": {"station": slot("YES", "YES")}}),
        ),
        (
            Req::can_fulfill("WhatsOnIntent")
                .slot("genre", "jazz")
                .slot("date", "2026-11-21"),
            json!({"canFulfill": "YES", "slots": {"genre": slot("YES", "YES"),
                                                  "date": slot("YES", "YES")}}),
        ),
        (
            // In the model's values, not in the schedule: it can still be followed.
            Req::can_fulfill("FollowIntent")
                .slot("performer", "nina simone")
                .locale("fr-FR"),
            json!({"canFulfill": "YES", "slots": {"performer": slot("YES", "YES")}}),
        ),
        (
            Req::can_fulfill("PlayForMeIntent").locale("en-GB"),
            json!({"canFulfill": "YES"}),
        ),
        (
            Req::can_fulfill("PlayItemIntent").slot("ordinal", "2"),
            json!({"canFulfill": "NO", "slots": {"ordinal": slot("YES", "NO")}}),
        ),
        (
            Req::can_fulfill("PlaySound").slot("Sound", "crickets"),
            json!({"canFulfill": "NO", "slots": {"Sound": slot("NO", "NO")}}),
        ),
        (
            Req::can_fulfill("PlayLiveIntent").slot("colour", "blue"),
            json!({"canFulfill": "NO", "slots": {"colour": slot("NO", "NO")}}),
        ),
    ];
    for (req, expected) in cases {
        assert_eq!(ask(&app, req).await, expected);
    }
    let mut missing = Req::can_fulfill("PlayLiveIntent").at(NOW);
    missing["request"]
        .as_object_mut()
        .expect("request")
        .remove("intent");
    let (_, body) = app.post(&missing).await;
    assert_eq!(
        body["response"],
        json!({"canFulfillIntent": {"canFulfill": "NO"}})
    );

    assert_eq!(
        app.store.listener(&app.listener_key()).expect("store"),
        None
    );
    let device = onair::privacy::device_key(DEVICE_ID);
    assert_eq!(app.store.device_zone(&device).expect("store"), None);
    app.stop().await;
}
