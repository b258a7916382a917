//! RemindMeIntent against a local fake of the Reminders API: the confirmation turn, the exact
//! payload, the permission path and every failure the API can give.

use crate::fake_alexa::{Answer, FakeAlexa};
use crate::helpers::{spawn_app, speech, AppOptions, Req, TestApp};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const NOW: &str = "2026-11-21T19:04:05Z";
const TOKEN: &str = "test-api-token";
const SCOPE: &str = "alexa::alerts:reminders:skill:readwrite";

async fn app() -> TestApp {
    // The server's default zone is UTC: a New York wall-clock time in the payload can only come
    // from the device zone the fake Settings API reports.
    spawn_app(AppOptions::default()).await
}

/// "remind me about late night jazz", permission granted.
fn ask(fake: &FakeAlexa) -> Req {
    Req::intent("RemindMeIntent")
        .slot("event", "late night jazz")
        .api(&fake.endpoint, Some(TOKEN))
        .reminders_permission("GRANTED")
}

fn confirm_intent(first: &Value) -> Value {
    let directive = first["response"]["directives"]
        .as_array()
        .and_then(|ds| ds.iter().find(|d| d["type"] == "Dialog.ConfirmIntent"))
        .unwrap_or_else(|| panic!("a ConfirmIntent directive: {first}"));
    let mut intent = directive["updatedIntent"].clone();
    intent["confirmationStatus"] = json!("CONFIRMED");
    intent
}

/// Both turns: the question, then "yes". Returns (first answer, second answer).
async fn ask_and_confirm(
    app: &TestApp,
    fake: &FakeAlexa,
    req: Req,
    locale: &str,
) -> (Value, Value) {
    let (status, first) = app.post(&req.at(NOW)).await;
    assert_eq!(status, 200);
    let intent = confirm_intent(&first);
    let attributes = first["sessionAttributes"].clone();
    let (status, second) = app
        .post(
            &Req::intent("RemindMeIntent")
                .intent_value(intent)
                .attributes(attributes)
                .locale(locale)
                .api(&fake.endpoint, Some(TOKEN))
                .reminders_permission("GRANTED")
                .at("2026-11-21T19:04:15Z"),
        )
        .await;
    assert_eq!(status, 200);
    (first, second)
}

#[tokio::test]
async fn confirmed_reminder_sends_the_exact_payload_and_is_stored() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    fake.answer(Answer::Created("alert-42".into()));
    let (first, second) = ask_and_confirm(&app, &fake, ask(&fake), "en-US").await;

    assert_eq!(
        speech(&first),
        "Shall I remind you when Late Night Jazz starts, tonight at 9 PM?"
    );
    assert_eq!(first["response"]["shouldEndSession"], false);
    assert!(first["response"]["reprompt"].is_object());
    let updated = &first["response"]["directives"][0]["updatedIntent"];
    assert_eq!(updated["name"], "RemindMeIntent");
    assert_eq!(updated["slots"]["event"]["value"], "Late Night Jazz");
    assert_eq!(first["sessionAttributes"]["reminderEvent"], "ev-jazz-night");

    let calls = fake.calls();
    assert_eq!(calls.len(), 1, "one call, on confirmation only");
    assert_eq!(
        calls[0].authorization.as_deref(),
        Some("Bearer test-api-token")
    );
    assert_eq!(
        calls[0].body,
        json!({
            "requestTime": "2026-11-21T14:04:15.000",
            "trigger": {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": "2026-11-21T21:00:00.000",
                        "timeZoneId": "America/New_York"},
            "alertInfo": {"spokenInfo": {"content": [
                {"locale": "en-US", "text": "Late Night Jazz starts now on Jazz Cellar"}]}},
            "pushNotification": {"status": "ENABLED"}
        })
    );
    assert_eq!(
        speech(&second),
        "Done. I'll remind you when Late Night Jazz starts, tonight at 9 PM."
    );
    assert_eq!(second["response"]["shouldEndSession"], true);
    assert_eq!(
        app.listener()
            .reminders
            .get("ev-jazz-night")
            .map(String::as_str),
        Some("alert-42")
    );
    app.stop().await;
}

#[tokio::test]
async fn a_second_request_for_the_same_event_creates_no_duplicate() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    ask_and_confirm(&app, &fake, ask(&fake), "en-US").await;
    let (_, again) = app.post(&ask(&fake).at(NOW)).await;
    assert_eq!(
        speech(&again),
        "You already have a reminder for it: Late Night Jazz starts tonight at 9 PM."
    );
    // Even a stray confirmation does not create it twice.
    let (_, confirmed) = app
        .post(&ask(&fake).confirmation("CONFIRMED").at(NOW))
        .await;
    assert!(speech(&confirmed).starts_with("You already have a reminder"));
    assert_eq!(fake.calls().len(), 1);
    app.stop().await;
}

#[tokio::test]
async fn french_reminder_speaks_french_in_the_device_zone() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    let req = Req::intent("RemindMeIntent")
        .slot("performer", "kamasi washington")
        .locale("fr-FR")
        .api(&fake.endpoint, Some(TOKEN))
        .reminders_permission("GRANTED");
    let (first, second) = ask_and_confirm(&app, &fake, req, "fr-FR").await;
    assert_eq!(
        speech(&first),
        "Voulez-vous un rappel quand Late Night Jazz commencera, ce soir à 21 h ?"
    );
    let body = &fake.calls()[0].body;
    assert_eq!(
        body["alertInfo"]["spokenInfo"]["content"][0]["locale"],
        "fr-FR"
    );
    assert_eq!(
        body["alertInfo"]["spokenInfo"]["content"][0]["text"],
        "Late Night Jazz commence maintenant sur Jazz Cellar"
    );
    assert_eq!(body["trigger"]["timeZoneId"], "America/New_York");
    assert!(speech(&second).starts_with("C'est noté"), "{second}");
    app.stop().await;
}

fn assert_permission_card(response: &Value) {
    assert_eq!(
        response["response"]["card"],
        json!({"type": "AskForPermissionsConsent", "permissions": [SCOPE]}),
        "{response}"
    );
    assert!(
        speech(response).contains("needs your permission"),
        "{response}"
    );
    assert_eq!(response["response"]["shouldEndSession"], true);
}

#[tokio::test]
async fn missing_or_denied_permission_sends_the_card_and_calls_nothing() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    let no_scope = Req::intent("RemindMeIntent")
        .slot("event", "late night jazz")
        .api(&fake.endpoint, Some(TOKEN));
    for req in [
        no_scope,
        ask(&fake).reminders_permission("DENIED"),
        // No token at all: nothing could be created anyway.
        ask(&fake).api(&fake.endpoint, None),
    ] {
        let (_, first) = app.post(&req.at(NOW)).await;
        assert_permission_card(&first);
    }
    assert!(fake.calls().is_empty());
    assert!(app.listener().reminders.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn api_401_sends_the_card() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    fake.answer(Answer::Status(401, "{}".into()));
    let (_, second) = ask_and_confirm(&app, &fake, ask(&fake), "en-US").await;
    assert_permission_card(&second);
    assert!(app.listener().reminders.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn each_failure_has_its_own_answer_and_stores_nothing() {
    let cases = [
        (
            Answer::Status(400, r#"{"code":"INVALID_ALERT_INFO","message":"x"}"#.into()),
            "Sorry, Alexa didn't accept that reminder, so none was set.",
        ),
        (
            Answer::Status(403, r#"{"code":"MAX_REMINDERS_EXCEEDED","message":"x"}"#.into()),
            "You already have as many reminders as Alexa allows. Delete some in the Alexa app, then ask me again.",
        ),
        (
            Answer::Status(403, r#"{"code":"DEVICE_NOT_SUPPORTED"}"#.into()),
            "Sorry, this device can't take reminders.",
        ),
        (
            Answer::Status(429, "{}".into()),
            "Sorry, I couldn't reach the reminders service just now, so no reminder was set. Please try again later.",
        ),
        (
            Answer::Status(500, "oops".into()),
            "Sorry, I couldn't reach the reminders service just now, so no reminder was set. Please try again later.",
        ),
        (
            Answer::Status(200, "this is not json".into()),
            "Sorry, I couldn't tell whether the reminder was set. Please check your reminders in the Alexa app.",
        ),
    ];
    let app = app().await;
    let fake = FakeAlexa::start().await;
    for (answer, expected) in cases {
        fake.answer(answer.clone());
        let (_, second) = ask_and_confirm(&app, &fake, ask(&fake), "en-US").await;
        assert_eq!(speech(&second), expected, "{answer:?}");
        assert_eq!(second["response"]["shouldEndSession"], true);
        assert!(second["response"].get("card").is_none(), "{answer:?}");
    }
    assert_eq!(fake.calls().len(), 6);
    assert!(app.listener().reminders.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn a_slow_api_times_out_within_about_two_seconds() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    fake.answer(Answer::Slow(Duration::from_secs(3)));
    let (status, first) = app.post(&ask(&fake).at(NOW)).await;
    assert_eq!(status, 200);
    let started = Instant::now();
    let (_, second) = app
        .post(
            &Req::intent("RemindMeIntent")
                .intent_value(confirm_intent(&first))
                .attributes(first["sessionAttributes"].clone())
                .api(&fake.endpoint, Some(TOKEN))
                .reminders_permission("GRANTED")
                .at(NOW),
        )
        .await;
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(1900) && took < Duration::from_millis(2800),
        "answered after {took:?}"
    );
    assert!(speech(&second).contains("try again later"), "{second}");
    assert!(app.listener().reminders.is_empty());
    app.stop().await;
}

#[tokio::test]
async fn denied_confirmation_creates_nothing() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    let (_, answer) = app.post(&ask(&fake).confirmation("DENIED").at(NOW)).await;
    assert_eq!(speech(&answer), "OK, no reminder.");
    assert_eq!(answer["response"]["shouldEndSession"], true);
    assert!(fake.calls().is_empty());
    app.stop().await;
}

#[tokio::test]
async fn remind_me_when_it_starts_uses_the_listing_then_the_last_event() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    // "what's on tonight" lists events; "remind me of the second one" picks from the listing.
    let (_, listed) = app
        .post(
            &Req::intent("WhatsOnIntent")
                .slot("date", "2026-11-21")
                .slot("time", "EV")
                .api(&fake.endpoint, Some(TOKEN))
                .at(NOW),
        )
        .await;
    let listing = listed["sessionAttributes"]["listing"].clone();
    let ids: Vec<&str> = listing
        .as_array()
        .expect("listing")
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    let second_id = ids.get(1).copied().expect("two items").to_string();
    let (_, second) = app
        .post(
            &Req::intent("RemindMeIntent")
                .slot("ordinal", "2")
                .attributes(listed["sessionAttributes"].clone())
                .api(&fake.endpoint, Some(TOKEN))
                .reminders_permission("GRANTED")
                .at(NOW),
        )
        .await;
    assert_eq!(
        second["sessionAttributes"]["reminderEvent"],
        second_id.as_str()
    );

    // A new session without a listing: the event play refused last ("not started yet").
    let (_, refused) = app
        .post(
            &Req::intent("PlayLiveIntent")
                .slot("event", "symphony night")
                .at(NOW),
        )
        .await;
    assert!(speech(&refused).contains("hasn't started yet"), "{refused}");
    let (_, it) = app
        .post(
            &Req::intent("RemindMeIntent")
                .api(&fake.endpoint, Some(TOKEN))
                .reminders_permission("GRANTED")
                .at(NOW),
        )
        .await;
    assert_eq!(it["sessionAttributes"]["reminderEvent"], "ev-symphony");
    assert!(speech(&it).starts_with("Shall I remind you when Symphony Night starts"));
    app.stop().await;
}

#[tokio::test]
async fn an_event_already_on_is_offered_to_play_instead() {
    let app = app().await;
    let fake = FakeAlexa::start().await;
    let (_, answer) = app
        .post(
            &Req::intent("RemindMeIntent")
                .slot("performer", "radiohead")
                .api(&fake.endpoint, Some(TOKEN))
                .reminders_permission("GRANTED")
                .at(NOW),
        )
        .await;
    assert_eq!(
        speech(&answer),
        "Radiohead live at Glastonbury has already started on Echo Live. To listen, say: play the first one."
    );
    assert_eq!(answer["response"]["shouldEndSession"], false);
    // "play the first one" plays it.
    let (_, played) = app
        .post(
            &Req::intent("PlayItemIntent")
                .slot("ordinal", "1")
                .attributes(answer["sessionAttributes"].clone())
                .at(NOW),
        )
        .await;
    assert_eq!(
        played["response"]["directives"][0]["audioItem"]["stream"]["url"],
        "https://streams.example.org/radiohead.mp3"
    );
    assert!(fake.calls().is_empty());
    app.stop().await;
}
