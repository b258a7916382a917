//! Following performers and stations, and the launch announcement that follows from it.

use crate::helpers::{spawn_in, speech, Req, TestApp};
use serde_json::Value;

const NOW: &str = "2026-11-21T19:04:05Z";

async fn app() -> TestApp {
    spawn_in("America/New_York").await
}

async fn say(app: &TestApp, req: Req) -> Value {
    let (status, body) = app.post(&req.at(NOW)).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn follow_list_and_unfollow() {
    let app = app().await;
    let r = say(
        &app,
        Req::intent("FollowIntent").slot("performer", "radiohead"),
    )
    .await;
    assert!(speech(&r).starts_with("You now follow Radiohead."), "{r}");
    let r = say(
        &app,
        Req::intent("FollowIntent").slot("performer", "Radiohead"),
    )
    .await;
    assert_eq!(speech(&r), "You already follow Radiohead.");
    // A station said where a performer was expected is still a station.
    let r = say(
        &app,
        Req::intent("FollowIntent").slot("performer", "radio nova"),
    )
    .await;
    assert!(speech(&r).starts_with("You now follow Radio Nova."), "{r}");
    let r = say(
        &app,
        Req::intent("FollowIntent").slot("performer", "nina simone"),
    )
    .await;
    assert_eq!(
        speech(&r),
        "You now follow nina simone. nina simone isn't in the schedule at the moment; I'll tell you when that changes."
    );
    let state = app.listener();
    assert_eq!(
        state
            .followed_performers
            .get("radiohead")
            .map(String::as_str),
        Some("Radiohead")
    );
    assert!(state.followed_stations.contains("radio-nova"));

    let r = say(&app, Req::intent("ListFollowsIntent")).await;
    assert_eq!(
        speech(&r),
        "You follow nina simone, Radiohead and Radio Nova."
    );
    let r = say(
        &app,
        Req::intent("UnfollowIntent").slot("station", "radio nova"),
    )
    .await;
    assert_eq!(speech(&r), "OK, you no longer follow Radio Nova.");
    // A near spelling of a followed name is enough to unfollow it.
    let r = say(
        &app,
        Req::intent("UnfollowIntent").slot("performer", "radiohed"),
    )
    .await;
    assert_eq!(speech(&r), "OK, you no longer follow Radiohead.");
    let r = say(
        &app,
        Req::intent("UnfollowIntent").slot("performer", "daft punk"),
    )
    .await;
    assert_eq!(
        speech(&r),
        "You don't follow Daft Punk, so there's nothing to remove."
    );
    let state = app.listener();
    assert_eq!(state.followed_performers.len(), 1);
    assert!(state.followed_stations.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn unknown_station_is_not_followed() {
    let app = app().await;
    let r = say(
        &app,
        Req::intent("FollowIntent").slot("station", "radio zzyzx"),
    )
    .await;
    assert_eq!(speech(&r), "I couldn't find radio zzyzx.");
    let r = say(&app, Req::intent("ListFollowsIntent").locale("fr-FR")).await;
    assert_eq!(
        speech(&r),
        "Vous ne suivez encore personne. Dites par exemple : suis Radiohead."
    );
    app.stop().await;
}

#[tokio::test]
async fn names_that_cannot_match_are_refused_and_long_ones_cut() {
    let app = app().await;
    let r = say(
        &app,
        Req::intent("FollowIntent").slot("performer", "!! … ??"),
    )
    .await;
    assert!(
        speech(&r).starts_with("Who would you like to follow?"),
        "{r}"
    );
    assert_eq!(r["response"]["shouldEndSession"], false);
    // Long, yet within what Alexa sends (longer slot values are refused at the edge).
    let long = "zz".repeat(150);
    say(&app, Req::intent("FollowIntent").slot("performer", &long)).await;
    let state = app.listener();
    assert_eq!(state.followed_performers.len(), 1);
    assert!(state
        .followed_performers
        .values()
        .all(|v| v.chars().count() == 80));
    app.stop().await;
}

#[tokio::test]
async fn launch_announces_followed_events_once() {
    let app = app().await;
    say(
        &app,
        Req::intent("FollowIntent").slot("performer", "kamasi washington"),
    )
    .await;
    say(
        &app,
        Req::intent("FollowIntent").slot("station", "night owl"),
    )
    .await;

    let first = say(&app, Req::launch()).await;
    let text = speech(&first);
    assert!(
        text.starts_with(
            "On Night Owl Radio: Stromae unplugged, live right now. \
             On Night Owl Radio: Midnight Electro Session, tonight at 6 PM. \
             Kamasi Washington plays tonight at 9 PM on Jazz Cellar. Welcome to On Air"
        ),
        "{text}"
    );
    assert_eq!(first["response"]["shouldEndSession"], false);
    let listed: Vec<&str> = first["sessionAttributes"]["listing"]
        .as_array()
        .expect("announced events are the listing")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert_eq!(listed, ["ev-stromae", "ev-midnight", "ev-jazz-night"]);

    let second = say(&app, Req::launch()).await;
    assert!(
        speech(&second).starts_with("Welcome to On Air"),
        "announced once only: {second}"
    );
    assert!(second.get("sessionAttributes").is_none());
    assert_eq!(app.listener().announced.len(), 3);
    app.stop().await;
}

#[tokio::test]
async fn launch_without_follows_is_the_plain_welcome() {
    let app = app().await;
    let r = say(&app, Req::launch()).await;
    assert!(speech(&r).starts_with("Welcome to On Air"));
    app.stop().await;
}
