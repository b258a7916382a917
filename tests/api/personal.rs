//! What onair learns about a listener: personal ordering and "play something for me" after a
//! scripted listening history, forgetting it on request, and deleting everything when the skill
//! is disabled.

use crate::helpers::{spawn_in, speech, Req, TestApp};
use serde_json::Value;

const NOW: &str = "2026-11-21T19:04:05Z";

async fn app() -> TestApp {
    spawn_in("America/New_York").await
}

async fn post(app: &TestApp, env: Value) -> Value {
    let (status, body) = app.post(&env).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn token_of(response: &Value) -> String {
    response["response"]["directives"][0]["audioItem"]["stream"]["token"]
        .as_str()
        .expect("a Play token")
        .to_string()
}

/// Plays `station` for an hour the day before, as a device reports it.
async fn listen_to_station(app: &TestApp, station: &str) {
    let played = post(
        app,
        Req::intent("PlayStationIntent")
            .slot("station", station)
            .at("2026-11-20T19:00:00Z"),
    )
    .await;
    let token = token_of(&played);
    for (kind, at, offset) in [
        ("AudioPlayer.PlaybackStarted", "2026-11-20T19:00:01Z", 0),
        (
            "AudioPlayer.PlaybackStopped",
            "2026-11-20T20:00:01Z",
            3_600_000,
        ),
    ] {
        let r = post(
            app,
            Req::event(kind, Some(&token), offset)
                .player(&token, offset, "PLAYING")
                .at(at),
        )
        .await;
        assert!(r["response"].get("outputSpeech").is_none());
    }
}

/// "Follow <value>", with the value in the `slot` slot (performer or station).
async fn follow(app: &TestApp, slot: &str, value: &str) -> Value {
    post(app, Req::intent("FollowIntent").slot(slot, value).at(NOW)).await
}

fn listing_ids(response: &Value) -> Vec<String> {
    response["sessionAttributes"]["listing"]
        .as_array()
        .expect("a listing")
        .iter()
        .filter_map(|i| i["id"].as_str().map(String::from))
        .collect()
}

#[tokio::test]
async fn whats_on_puts_what_the_listener_likes_first_after_live() {
    let app = app().await;
    let plain = post(
        &app,
        Req::intent("WhatsOnIntent")
            .user("amzn1.ask.account.NEW")
            .at(NOW),
    )
    .await;
    let plain_ids = listing_ids(&plain);
    listen_to_station(&app, "jazz cellar").await;
    assert_eq!(app.listener().history.len(), 1);
    assert_eq!(app.listener().history[0].seconds, 3600);

    let personal = post(&app, Req::intent("WhatsOnIntent").at(NOW)).await;
    let ids = listing_ids(&personal);
    let pos = |list: &[String], id: &str| list.iter().position(|x| x == id).expect(id);
    // A new listener hears the plain order: the electro session (6 PM) before the jazz (9 PM).
    assert!(pos(&plain_ids, "ev-midnight") < pos(&plain_ids, "ev-jazz-night"));
    // The jazz listener hears the jazz first among what is upcoming; live events stay ahead.
    assert!(
        pos(&ids, "ev-jazz-night") < pos(&ids, "ev-midnight"),
        "{ids:?}"
    );
    assert!(
        pos(&ids, "ev-radiohead") < pos(&ids, "ev-jazz-night"),
        "{ids:?}"
    );
    app.stop().await;
}

#[tokio::test]
async fn play_for_me_plays_the_best_match_and_says_why() {
    let app = app().await;
    listen_to_station(&app, "jazz cellar").await;
    let r = post(&app, Req::intent("PlayForMeIntent").at(NOW)).await;
    assert_eq!(
        speech(&r),
        "Here's Jazz Cellar, because you listen to a lot of jazz."
    );
    assert_eq!(
        r["response"]["directives"][0]["audioItem"]["stream"]["url"],
        "https://streams.example.org/jazz-cellar.aac"
    );
    // A follow outweighs listening.
    follow(&app, "performer", "radiohead").await;
    let r = post(&app, Req::intent("PlayForMeIntent").locale("en-GB").at(NOW)).await;
    assert_eq!(
        speech(&r),
        "Here's Radiohead live at Glastonbury, live on Echo Live, because you follow Radiohead."
    );
    app.stop().await;
}

#[tokio::test]
async fn play_for_me_without_history_is_the_live_concert() {
    let app = app().await;
    let live = post(&app, Req::intent("PlayLiveIntent").at(NOW)).await;
    let for_me = post(
        &app,
        Req::intent("PlayForMeIntent")
            .user("amzn1.ask.account.SOMEONEELSE")
            .at(NOW),
    )
    .await;
    assert_eq!(speech(&for_me), speech(&live));
    assert_eq!(
        for_me["response"]["directives"][0]["audioItem"]["stream"]["url"],
        live["response"]["directives"][0]["audioItem"]["stream"]["url"]
    );
    app.stop().await;
}

#[tokio::test]
async fn forget_history_keeps_follows_and_reminders() {
    let app = app().await;
    listen_to_station(&app, "jazz cellar").await;
    follow(&app, "station", "radio nova").await;
    onair::store::Store::update_listener(app.store.as_ref(), &app.listener_key(), &mut |s| {
        s.reminders.insert("ev-jazz-night".into(), "alert-1".into());
    })
    .expect("seed a reminder");

    let r = post(
        &app,
        Req::intent("ForgetHistoryIntent").locale("fr-FR").at(NOW),
    )
    .await;
    assert!(speech(&r).starts_with("C'est fait : j'ai oublié votre historique"));
    let state = app.listener();
    assert!(state.history.is_empty());
    assert!(state.station_order.is_empty());
    assert!(state.followed_stations.contains("radio-nova"));
    assert_eq!(state.reminders.len(), 1);
    // The jazz preference is gone: the follow of Radio Nova is what is left to go on, and its
    // live news beats its own stream on a tie.
    let r = post(&app, Req::intent("PlayForMeIntent").at(NOW)).await;
    assert_eq!(
        speech(&r),
        "Here's Evening News, live on Radio Nova, because you follow Radio Nova."
    );
    app.stop().await;
}

#[tokio::test]
async fn skill_disabled_deletes_the_listener() {
    let app = app().await;
    listen_to_station(&app, "jazz cellar").await;
    follow(&app, "performer", "radiohead").await;
    assert!(!app.listener().history.is_empty());
    let r = post(
        &app,
        Req::skill_event("AlexaSkillEvent.SkillDisabled").at(NOW),
    )
    .await;
    assert_eq!(r, serde_json::json!({"version": "1.0", "response": {}}));
    let stored =
        onair::store::Store::listener(app.store.as_ref(), &app.listener_key()).expect("store");
    assert_eq!(stored, None);
    app.stop().await;
}
