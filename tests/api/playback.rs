//! Sequences of requests against one server and one store: what a device really sends.

use crate::helpers::{spawn_in, speech, Req, TestApp};
use serde_json::Value;

const NOW: &str = "2026-11-21T19:04:05Z";

fn play_of(response: &Value) -> Option<&Value> {
    response["response"]["directives"]
        .as_array()?
        .iter()
        .find(|d| d["type"] == "AudioPlayer.Play")
}

fn token_of(response: &Value) -> String {
    play_of(response)
        .and_then(|p| p["audioItem"]["stream"]["token"].as_str())
        .expect("a Play with a token")
        .to_string()
}

fn directive_types(response: &Value) -> Vec<String> {
    response["response"]["directives"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .filter_map(|d| d["type"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

async fn event(app: &TestApp, kind: &str, token: &str, offset: i64, at: &str) -> Value {
    let (status, body) = app
        .post(
            &Req::event(kind, Some(token), offset)
                .player(token, offset, "PLAYING")
                .at(at),
        )
        .await;
    assert_eq!(status, 200, "{kind}: {body}");
    assert!(
        body["response"].get("outputSpeech").is_none(),
        "{kind} must not speak: {body}"
    );
    assert!(
        body["response"].get("shouldEndSession").is_none(),
        "{kind}: {body}"
    );
    body
}

/// A transport intent ("pause", "next"...) from a device whose player reports `token` at
/// `offset_ms` in `state`.
async fn transport(
    app: &TestApp,
    intent: &str,
    token: &str,
    offset_ms: i64,
    state: &str,
    at: &str,
) -> (u16, Value) {
    app.post(&Req::intent(intent).player(token, offset_ms, state).at(at))
        .await
}

/// Plays the news bulletin picked from a listing, as a listener saying "the first one" does.
async fn play_the_news(app: &TestApp) -> Value {
    let (_, played) = app
        .post(
            &Req::intent("PlayItemIntent")
                .slot("ordinal", "1")
                .attributes(serde_json::json!({"listing": [{"kind": "event", "id": "ev-news"}]}))
                .at(NOW),
        )
        .await;
    played
}

async fn app() -> TestApp {
    spawn_in("America/New_York").await
}

#[tokio::test]
async fn live_event_play_pause_resume_rejoins_the_live_edge() {
    let app = app().await;
    let (_, played) = app
        .post(
            &Req::intent("PlayLiveIntent")
                .slot("performer", "radiohead")
                .at(NOW),
        )
        .await;
    let token = token_of(&played);
    event(&app, "AudioPlayer.PlaybackStarted", &token, 0, NOW).await;
    let (_, paused) = transport(
        &app,
        "AMAZON.PauseIntent",
        &token,
        0,
        "PLAYING",
        "2026-11-21T19:10:00Z",
    )
    .await;
    assert_eq!(directive_types(&paused), vec!["AudioPlayer.Stop"]);
    event(
        &app,
        "AudioPlayer.PlaybackStopped",
        &token,
        355_000,
        "2026-11-21T19:10:01Z",
    )
    .await;
    let (_, resumed) = transport(
        &app,
        "AMAZON.ResumeIntent",
        &token,
        355_000,
        "STOPPED",
        "2026-11-21T19:20:00Z",
    )
    .await;
    let play = play_of(&resumed).expect("resume plays");
    assert_eq!(play["playBehavior"], "REPLACE_ALL");
    assert_eq!(
        play["audioItem"]["stream"]["offsetInMilliseconds"], 0,
        "live rejoins the live edge"
    );
    assert_eq!(
        play["audioItem"]["stream"]["url"],
        "https://streams.example.org/radiohead.mp3"
    );
    assert_ne!(token_of(&resumed), token, "every play gets a fresh token");
    let history = app.listener().history;
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].seconds, 356);
    app.stop().await;
}

#[tokio::test]
async fn episode_resumes_at_the_reported_offset() {
    let app = app().await;
    let (_, played) = app
        .post(
            &Req::intent("PlayEpisodeIntent")
                .slot("show", "jazz notes")
                .at(NOW),
        )
        .await;
    assert!(speech(&played).contains("Coltrane at 100"), "{played}");
    let token = token_of(&played);
    event(&app, "AudioPlayer.PlaybackStarted", &token, 0, NOW).await;
    let (_, _) = transport(&app, "AMAZON.PauseIntent", &token, 0, "PLAYING", NOW).await;
    event(&app, "AudioPlayer.PlaybackStopped", &token, 1_234_567, NOW).await;
    // The device restarts with no player context: the stored offset is what counts.
    let (_, resumed) = app
        .post(&Req::intent("PlayEpisodeIntent").at("2026-11-22T09:00:00Z"))
        .await;
    assert!(speech(&resumed).contains("where you left off"), "{resumed}");
    let play = play_of(&resumed).expect("plays");
    assert_eq!(
        play["audioItem"]["stream"]["offsetInMilliseconds"],
        1_234_567
    );
    // "start it over"
    let t2 = token_of(&resumed);
    let (_, over) = transport(
        &app,
        "AMAZON.StartOverIntent",
        &t2,
        1_234_600,
        "PLAYING",
        "2026-11-22T09:01:00Z",
    )
    .await;
    assert_eq!(
        play_of(&over).expect("plays")["audioItem"]["stream"]["offsetInMilliseconds"],
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn nearly_finished_right_after_started_enqueues_once() {
    let app = app().await;
    let played = play_the_news(&app).await;
    let token = token_of(&played);
    event(&app, "AudioPlayer.PlaybackStarted", &token, 0, NOW).await;
    let first = event(&app, "AudioPlayer.PlaybackNearlyFinished", &token, 10, NOW).await;
    let enqueue = play_of(&first).expect("the station follows the news");
    assert_eq!(enqueue["playBehavior"], "ENQUEUE");
    assert_eq!(
        enqueue["audioItem"]["stream"]["expectedPreviousToken"],
        token.as_str()
    );
    assert_eq!(
        enqueue["audioItem"]["stream"]["url"],
        "https://streams.example.org/nova.mp3"
    );
    let second = event(&app, "AudioPlayer.PlaybackNearlyFinished", &token, 20, NOW).await;
    assert!(play_of(&second).is_none(), "no duplicate enqueue: {second}");
    // The queued station starts: it is an endless stream, so nothing is queued after it.
    let station_token = token_of(&first);
    event(
        &app,
        "AudioPlayer.PlaybackFinished",
        &token,
        1_800_000,
        "2026-11-21T19:30:00Z",
    )
    .await;
    event(
        &app,
        "AudioPlayer.PlaybackStarted",
        &station_token,
        0,
        "2026-11-21T19:30:00Z",
    )
    .await;
    let after = event(
        &app,
        "AudioPlayer.PlaybackNearlyFinished",
        &station_token,
        5,
        "2026-11-21T19:30:01Z",
    )
    .await;
    assert!(play_of(&after).is_none(), "{after}");
    assert_eq!(
        app.listener().now_playing.map(|n| n.token),
        Some(station_token)
    );
    app.stop().await;
}

#[tokio::test]
async fn concurrent_nearly_finished_enqueue_exactly_once() {
    let app = app().await;
    let played = play_the_news(&app).await;
    let token = token_of(&played);
    let bodies: Vec<Value> = (0..8)
        .map(|_| Req::event("AudioPlayer.PlaybackNearlyFinished", Some(&token), 10).at(NOW))
        .collect();
    let answers = futures::future::join_all(bodies.iter().map(|b| app.post(b))).await;
    let enqueues = answers.iter().filter(|(_, b)| play_of(b).is_some()).count();
    assert_eq!(enqueues, 1);
    app.stop().await;
}

#[tokio::test]
async fn playback_failed_retries_once_with_the_station_stream() {
    let app = app().await;
    let played = play_the_news(&app).await;
    let token = token_of(&played);
    assert_eq!(
        play_of(&played).expect("play")["audioItem"]["stream"]["url"],
        "https://streams.example.org/news-hd.mp3"
    );
    let retry = event(&app, "AudioPlayer.PlaybackFailed", &token, 0, NOW).await;
    let play = play_of(&retry).expect("retry on the station stream");
    assert_eq!(
        play["audioItem"]["stream"]["url"],
        "https://streams.example.org/nova.mp3"
    );
    assert_eq!(play["playBehavior"], "REPLACE_ALL");
    let again = event(&app, "AudioPlayer.PlaybackFailed", &token, 0, NOW).await;
    assert_eq!(
        directive_types(&again),
        vec!["AudioPlayer.Stop"],
        "only one retry"
    );
    // No fallback: a station's own stream failing just stops.
    let station_token = token_of(&retry);
    let stop = event(&app, "AudioPlayer.PlaybackFailed", &station_token, 0, NOW).await;
    assert_eq!(directive_types(&stop), vec!["AudioPlayer.Stop"]);
    app.stop().await;
}

#[tokio::test]
async fn next_and_previous_walk_the_stations_and_stop_at_the_ends() {
    let app = app().await;
    // Order by name: Echo Live, Jazz Cellar, Lumière FM, Night Owl Radio (nothing playable), Radio Nova.
    let (_, nova) = app
        .post(
            &Req::intent("PlayStationIntent")
                .slot("station", "radio nova")
                .at(NOW),
        )
        .await;
    let t = token_of(&nova);
    let (_, next) = transport(&app, "AMAZON.NextIntent", &t, 0, "PLAYING", NOW).await;
    assert!(speech(&next).contains("last station"), "{next}");
    assert!(play_of(&next).is_none());
    let (_, prev) = transport(&app, "AMAZON.PreviousIntent", &t, 0, "PLAYING", NOW).await;
    assert!(
        speech(&prev).contains("Lumière FM"),
        "skips Night Owl, which has nothing playable: {prev}"
    );
    let t = token_of(&prev);
    let (_, prev) = app
        .post(
            &Req::event("PlaybackController.PreviousCommandIssued", None, 0)
                .player(&t, 0, "PLAYING")
                .at(NOW),
        )
        .await;
    assert!(prev["response"].get("outputSpeech").is_none());
    assert_eq!(
        play_of(&prev).expect("button plays")["audioItem"]["stream"]["url"],
        "https://streams.example.org/jazz-cellar.aac"
    );
    let t = token_of(&prev);
    let (_, prev) = transport(&app, "AMAZON.PreviousIntent", &t, 0, "PLAYING", NOW).await;
    assert!(speech(&prev).contains("Echo Live"), "{prev}");
    let t = token_of(&prev);
    let (_, first) = transport(&app, "AMAZON.PreviousIntent", &t, 0, "PLAYING", NOW).await;
    assert!(speech(&first).contains("first station"), "{first}");
    let (_, button) = app
        .post(
            &Req::event("PlaybackController.PreviousCommandIssued", None, 0)
                .player(&t, 0, "PLAYING")
                .at(NOW),
        )
        .await;
    assert_eq!(
        button,
        serde_json::json!({"version": "1.0", "response": {}})
    );
    app.stop().await;
}

#[tokio::test]
async fn two_devices_of_one_listener_keep_their_own_positions() {
    let app = app().await;
    let (_, ep) = app
        .post(
            &Req::intent("PlayEpisodeIntent")
                .slot("show", "backstage stories")
                .device("kitchen")
                .at(NOW),
        )
        .await;
    let ep_token = token_of(&ep);
    event(&app, "AudioPlayer.PlaybackStarted", &ep_token, 0, NOW).await;
    let (_, st) = app
        .post(
            &Req::intent("PlayStationIntent")
                .slot("station", "jazz cellar")
                .device("lounge")
                .at(NOW),
        )
        .await;
    let st_token = token_of(&st);
    event(&app, "AudioPlayer.PlaybackStarted", &st_token, 0, NOW).await;
    event(&app, "AudioPlayer.PlaybackStopped", &ep_token, 42_000, NOW).await;
    // The kitchen resumes its episode, not the lounge's station, although the station started last.
    let (_, resumed) = app
        .post(
            &Req::intent("AMAZON.ResumeIntent")
                .device("kitchen")
                .player(&ep_token, 42_000, "STOPPED")
                .at(NOW),
        )
        .await;
    let play = play_of(&resumed).expect("plays");
    assert_eq!(
        play["audioItem"]["stream"]["url"],
        "https://pod.example.org/backstage/1.mp3"
    );
    assert_eq!(play["audioItem"]["stream"]["offsetInMilliseconds"], 42_000);
    let (_, lounge) = app
        .post(
            &Req::event("PlaybackController.PlayCommandIssued", None, 0)
                .device("lounge")
                .player(&st_token, 0, "STOPPED")
                .at(NOW),
        )
        .await;
    assert_eq!(
        play_of(&lounge).expect("plays")["audioItem"]["stream"]["url"],
        "https://streams.example.org/jazz-cellar.aac"
    );
    app.stop().await;
}

#[tokio::test]
async fn sixty_four_concurrent_events_lose_no_update() {
    let app = app().await;
    let tokens: Vec<String> = (0..64)
        .map(|i| onair::skill::token::issue(&onair::store::PlayItem::Station(format!("st-{i}"))))
        .collect();
    let bodies: Vec<Value> = tokens
        .iter()
        .map(|t| Req::event("AudioPlayer.PlaybackStarted", Some(t), 0).at(NOW))
        .collect();
    let answers = futures::future::join_all(bodies.iter().map(|b| app.post(b))).await;
    assert!(answers.iter().all(|(s, _)| *s == 200));
    let state = app.listener();
    assert_eq!(state.history.len(), 64, "every event is in the history");
    assert_eq!(state.station_order.len(), 64);
    app.stop().await;
}

#[tokio::test]
async fn garbage_tokens_are_unknown_items_not_errors() {
    let app = app().await;
    for kind in [
        "AudioPlayer.PlaybackStarted",
        "AudioPlayer.PlaybackStopped",
        "AudioPlayer.PlaybackNearlyFinished",
        "AudioPlayer.PlaybackFinished",
    ] {
        let body = event(&app, kind, "THIS_IS_SOME_RANDOM_STRING", 5, NOW).await;
        assert_eq!(
            body,
            serde_json::json!({"version": "1.0", "response": {}}),
            "{kind}"
        );
    }
    let failed = event(
        &app,
        "AudioPlayer.PlaybackFailed",
        "onair0.x.garbage",
        0,
        NOW,
    )
    .await;
    assert_eq!(directive_types(&failed), vec!["AudioPlayer.Stop"]);
    assert!(app.listener().history.is_empty());
    let (_, resume) = app
        .post(
            &Req::intent("AMAZON.ResumeIntent")
                .player("", 0, "STOPPED")
                .at(NOW),
        )
        .await;
    assert!(speech(&resume).contains("nothing to resume"), "{resume}");
    app.stop().await;
}

#[tokio::test]
async fn devices_without_audio_player_get_no_play() {
    let app = app().await;
    let (_, r) = app
        .post(
            &Req::intent("PlayStationIntent")
                .slot("station", "nova")
                .without_audio()
                .at(NOW),
        )
        .await;
    assert!(play_of(&r).is_none());
    assert!(speech(&r).contains("can't play audio"), "{r}");
    let (_, r) = app
        .post(
            &Req::intent("PlayEpisodeIntent")
                .slot("show", "jazz notes")
                .without_audio()
                .at(NOW),
        )
        .await;
    assert!(play_of(&r).is_none());
    assert!(speech(&r).contains("can't play audio"), "{r}");
    app.stop().await;
}
