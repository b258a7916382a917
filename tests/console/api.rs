//! The console's API over HTTP: conversations, device events, the day grid's data, stream
//! checks, uploads, the listener view, and bad input.

use crate::harness::{authed, start, Options};
use onair::store::Store;
use reqwest::StatusCode;
use serde_json::{json, Value};

async fn post(base: &str, path: &str, body: Value) -> (StatusCode, Value) {
    let response = authed()
        .post(format!("{base}{path}"))
        .json(&body)
        .send()
        .await
        .expect("send");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get(base: &str, path: &str) -> (StatusCode, Value) {
    let response = authed()
        .get(format!("{base}{path}"))
        .send()
        .await
        .expect("send");
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_conversation_keeps_its_session_between_turns() {
    let server = start(Options::default()).await;
    let (status, first) = post(
        &server.base,
        "/console/api/talk",
        json!({"utterance": "what's on tonight", "locale": "en-US"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["resolution"]["intent"], "WhatsOnIntent");
    assert_eq!(first["request"]["session"]["new"], true);
    assert_eq!(
        first["session"]["open"], true,
        "a listing waits for a choice"
    );
    let listing = &first["response"]["sessionAttributes"]["listing"];
    assert!(listing.as_array().is_some_and(|l| !l.is_empty()), "{first}");
    let (_, second) = post(
        &server.base,
        "/console/api/talk",
        json!({"utterance": "play the first one", "locale": "en-US",
               "conversation": first["conversation"]}),
    )
    .await;
    assert_eq!(second["request"]["session"]["new"], false);
    assert_eq!(
        second["request"]["session"]["sessionId"],
        first["request"]["session"]["sessionId"]
    );
    assert_eq!(
        second["request"]["session"]["attributes"]["listing"],
        *listing
    );
}

#[tokio::test]
async fn an_intent_with_slots_and_the_chosen_zone_reach_the_skill() {
    let server = start(Options::default()).await;
    let (status, turn) = post(
        &server.base,
        "/console/api/talk",
        json!({"intent": "PlayStationIntent", "slots": {"station": "jazz cellar"},
               "locale": "en-US", "zone": "Asia/Tokyo", "at": "2026-12-01T10:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{turn}");
    assert_eq!(
        turn["request"]["request"]["intent"]["slots"]["station"]["value"],
        "jazz cellar"
    );
    // 10:00 in Tokyo is 01:00 UTC.
    assert_eq!(
        turn["request"]["request"]["timestamp"],
        "2026-12-01T01:00:00Z"
    );
    let directives = turn["response"]["response"]["directives"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let play = directives
        .iter()
        .find(|d| d["type"] == "AudioPlayer.Play")
        .expect("a Play");
    assert!(play["audioItem"]["stream"]["url"]
        .as_str()
        .unwrap_or("")
        .contains("station=jazz-cellar"));
    let key = onair::privacy::device_key(onair::server::console::CONSOLE_DEVICE_ID);
    let zone = server
        .store
        .device_zone(&key)
        .expect("store")
        .expect("a zone");
    assert_eq!(zone.zone, "Asia/Tokyo");
}

#[tokio::test]
async fn device_events_reach_the_skill_like_a_speakers() {
    let server = start(Options::default()).await;
    let (_, turn) = post(
        &server.base,
        "/console/api/talk",
        json!({"utterance": "play the live concert", "locale": "en-US"}),
    )
    .await;
    let token = turn["response"]["response"]["directives"][0]["audioItem"]["stream"]["token"]
        .as_str()
        .expect("a stream token")
        .to_string();
    let (status, answer) = post(
        &server.base,
        "/console/api/event",
        json!({"type": "PlaybackStarted", "token": token, "offset_ms": 0, "locale": "en-US"}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["request"]["request"]["type"],
        "AudioPlayer.PlaybackStarted"
    );
    let key = onair::privacy::user_key(onair::server::console::CONSOLE_USER_ID);
    let listener = server
        .store
        .listener(&key)
        .expect("store")
        .expect("a listener");
    let playing = listener.now_playing.expect("now playing");
    assert_eq!(playing.token, token);
    assert!(playing.active, "PlaybackStarted marks it playing");
    let (_, view) = get(&server.base, &format!("/console/api/listeners/{key}")).await;
    assert_eq!(view["now_playing"]["token"], token.as_str());
    assert_eq!(view["key"], key.as_str());
    let forgotten = authed()
        .delete(format!("{}/console/api/listeners/{key}", server.base))
        .send()
        .await
        .expect("send");
    assert_eq!(forgotten.status(), StatusCode::NO_CONTENT);
    assert!(server.store.listener(&key).expect("store").is_none());
    let (status, _) = get(&server.base, &format!("/console/api/listeners/{key}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_day_is_laid_out_in_the_chosen_zone() {
    let server = start(Options::default()).await;
    // Europe/Paris leaves summer time on 25 October 2026: a 25-hour day.
    let (status, day) = get(
        &server.base,
        "/console/api/schedule?date=2026-10-25&zone=Europe/Paris",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{day}");
    assert_eq!(day["from"], "2026-10-24T22:00:00Z");
    assert_eq!(day["to"], "2026-10-25T23:00:00Z");
    assert_eq!(day["hours"].as_array().map(Vec::len), Some(25));
    // Today's grid holds the demo's live concert, at its local time.
    let (_, today) = get(&server.base, "/console/api/schedule?zone=America/New_York").await;
    let live = today["events"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["id"] == "demo-radiohead-live").cloned())
        .expect("the live concert");
    assert_eq!(live["live"], true);
    assert_eq!(live["station"], "echo-live");
    let start: jiff::Timestamp = live["start"].as_str().expect("start").parse().expect("ts");
    let expected = start
        .to_zoned(jiff::tz::TimeZone::get("America/New_York").expect("tz"))
        .strftime("%H:%M")
        .to_string();
    assert_eq!(live["start_local"], expected.as_str());
}

#[tokio::test]
async fn a_stream_check_probes_codec_and_bitrate() {
    let server = start(Options::default()).await;
    let (status, check) = post(
        &server.base,
        "/console/api/stations/jazz-cellar/check",
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(check["reachable"], true, "{check}");
    assert_eq!(check["status"], 200);
    assert_eq!(check["content_type"], "audio/mpeg");
    assert_eq!(check["format"]["codec"], "MP3");
    assert!(
        check["format"]["bitrate_kbps"]
            .as_u64()
            .is_some_and(|b| b > 0),
        "{check}"
    );
    let (_, none) = post(
        &server.base,
        "/console/api/stations/echo-live/check",
        json!({}),
    )
    .await;
    assert_eq!(none["error"], "the station has no stream");
    let (status, _) = post(&server.base, "/console/api/stations/nope/check", json!({})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn uploads_are_imported_and_listed_with_their_rejections() {
    let server = start(Options::default()).await;
    let guide =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/guide.xml")).expect("guide");
    let response = authed()
        .post(format!("{}/console/api/import", server.base))
        .body(guide)
        .send()
        .await
        .expect("send");
    assert_eq!(response.status(), StatusCode::OK);
    let summary: Value = response.json().await.expect("json");
    assert_eq!(summary["source"], "console:xmltv");
    assert!(
        summary["added"].as_u64().is_some_and(|n| n > 0),
        "{summary}"
    );
    let (_, sources) = get(&server.base, "/console/api/sources").await;
    let row = sources["sources"]
        .as_array()
        .and_then(|rows| {
            rows.iter()
                .find(|r| r["source"] == "console:xmltv")
                .cloned()
        })
        .expect("the upload is listed");
    assert!(row["events"].as_u64().is_some_and(|n| n > 0));
    assert_eq!(
        row["rejected"].as_array().map(Vec::len),
        summary["rejected"].as_array().map(|r| r.len().min(50))
    );
    let junk = authed()
        .post(format!("{}/console/api/import", server.base))
        .body("this is not a schedule")
        .send()
        .await
        .expect("send");
    assert_eq!(junk.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error() {
    let server = start(Options::default()).await;
    let cases = [
        (
            "/console/api/talk",
            json!({"utterance": "hi", "locale": "xx-XX"}),
            "locale",
        ),
        (
            "/console/api/talk",
            json!({"utterance": "hi", "locale": "en-US", "zone": "Mars/Olympus"}),
            "zone",
        ),
        (
            "/console/api/talk",
            json!({"utterance": "hi", "locale": "en-US", "at": "yesterday-ish"}),
            "at",
        ),
        (
            "/console/api/talk",
            json!({"utterance": "é".repeat(501), "locale": "en-US"}),
            "longer",
        ),
        (
            "/console/api/talk",
            json!({"locale": "en-US"}),
            "say something",
        ),
        (
            "/console/api/talk",
            json!({"utterance": 42, "locale": "en-US"}),
            "utterance",
        ),
        (
            "/console/api/talk",
            json!({"utterance": "hi", "locale": "en-US", "evil": true}),
            "evil",
        ),
        (
            "/console/api/talk",
            json!({"intent": "NoSuchIntent", "locale": "en-US"}),
            "NoSuchIntent",
        ),
        (
            "/console/api/talk",
            json!({"intent": "PlayStationIntent", "slots": {"nope": "x"}, "locale": "en-US"}),
            "nope",
        ),
        (
            "/console/api/talk",
            json!({"utterance": "hi", "locale": "en-US", "conversation": "../../x y"}),
            "conversation",
        ),
        (
            "/console/api/event",
            json!({"type": "PlaybackExploded", "token": "t", "locale": "en-US"}),
            "type",
        ),
        (
            "/console/api/event",
            json!({"type": "PlaybackStarted", "token": "", "locale": "en-US"}),
            "token",
        ),
        (
            "/console/api/event",
            json!({"type": "PlaybackStarted", "token": "t", "offset_ms": -5, "locale": "en-US"}),
            "offset_ms",
        ),
    ];
    for (path, body, needle) in cases {
        let (status, error) = post(&server.base, path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        let detail = error["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(needle),
            "{body}: {detail:?} does not name {needle:?}"
        );
    }
    let huge = authed()
        .post(format!("{}/console/api/talk", server.base))
        .header("content-type", "application/json")
        .body(vec![b' '; 200 * 1024])
        .send()
        .await
        .expect("send");
    assert_eq!(huge.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let not_json = authed()
        .post(format!("{}/console/api/talk", server.base))
        .body("{not json")
        .send()
        .await
        .expect("send");
    assert_eq!(not_json.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for path in [
        "/console/api/schedule?date=2026-13-45",
        "/console/api/schedule?zone=Not/AZone",
        "/console/api/listeners/not-a-key",
    ] {
        let (status, error) = get(&server.base, path).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{path}: {error}");
    }
    let (status, _) = get(&server.base, "/console/api/events/no-such-event").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&server.base, "/console/assets/secret.txt").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn configured_feeds_show_their_last_refresh_and_counts() {
    let guide = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/guide.xml");
    let missing = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/no-such-guide.xml");
    let feed = |location: &str| onair::config::SourceConfig {
        location: location.into(),
        format: None,
        station: None,
        refresh: "1h".into(),
    };
    let server = start(Options {
        sources: vec![feed(guide), feed(missing)],
        ..Options::default()
    })
    .await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let rows = loop {
        let (_, sources) = get(&server.base, "/console/api/sources").await;
        let rows = sources["sources"].as_array().cloned().unwrap_or_default();
        let done = rows.iter().filter(|r| {
            !r["status"]["last_success"].is_null() || !r["status"]["last_failure"].is_null()
        });
        if done.count() == 2 {
            break rows;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no refresh outcome: {rows:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    let row = |location: &str| {
        rows.iter()
            .find(|r| r["location"] == location)
            .cloned()
            .unwrap_or_else(|| panic!("{location} not listed: {rows:?}"))
    };
    let ok = row(guide);
    assert_eq!(ok["configured"], true);
    assert_eq!(ok["refresh"], "1h");
    assert!(ok["status"]["last_success"]["summary"]["added"]
        .as_u64()
        .is_some_and(|n| n > 0));
    assert!(ok["events"].as_u64().is_some_and(|n| n > 0), "{ok}");
    let failed = row(missing);
    assert!(failed["status"]["last_failure"]["error"]
        .as_str()
        .is_some_and(|e| !e.is_empty()));
    assert_eq!(failed["events"], 0);
}
