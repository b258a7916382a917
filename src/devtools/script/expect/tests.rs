//! Expectations against fabricated answers: token continuity, counts, handler errors.
use super::*;
use crate::alexa::{AudioItem, Directive, PlayBehavior, ResponseBuilder, Stream};
use crate::devtools::backend::Answer;
use serde_json::json;

fn expect(yaml: &str) -> Expect {
    let raw: RawExpect = marked_yaml::from_yaml(0, yaml).expect("yaml");
    Expect::parse(&raw, &["en-US".to_string()], true, false).expect("valid")
}

fn turn(current: &str, token: &str, previous: Option<&str>) -> Turn {
    let response = ResponseBuilder::new()
        .speak("Here it is.")
        .directive(Directive::Play {
            play_behavior: PlayBehavior::Enqueue,
            audio_item: AudioItem {
                stream: Stream {
                    url: "https://x/next.mp3".into(),
                    token: token.into(),
                    expected_previous_token: previous.map(String::from),
                    offset_in_milliseconds: 0,
                },
                metadata: None,
            },
        })
        .end_session(true)
        .build();
    Turn {
        resolution: None,
        request: json!({"context": {"AudioPlayer": {"token": current}},
                        "request": {"type": "AudioPlayer.PlaybackNearlyFinished"}}),
        answer: Answer {
            json: serde_json::to_value(&response).expect("json"),
            response,
            handler_error: None,
        },
    }
}

fn check(e: &Expect, turns: &[Turn]) -> Vec<String> {
    let seen = Observed {
        turns,
        wait: false,
        locale: "en-US",
        player: AudioPlayerState::default(),
        queued: None,
        reminders: None,
    };
    e.check(&seen).into_iter().map(|m| m.field).collect()
}

#[test]
fn token_continuity() {
    let e = expect(
        "directives:\n  - type: Play\n    play_behavior: enqueue\n    token: new\n    expected_previous_token: current\n",
    );
    assert!(check(&e, &[turn("a", "b", Some("a"))]).is_empty());
    assert_eq!(
        check(&e, &[turn("a", "a", None)]),
        [
            "directives[0].token",
            "directives[0].expected_previous_token"
        ]
    );
}

#[test]
fn counts_kinds_and_session() {
    let e = expect("directives: []\nsession_ended: false\nspeech: {regex: '^Here'}\n");
    assert_eq!(
        check(&e, &[turn("a", "b", None)]),
        ["session_ended", "directives"]
    );
    let e = expect("events: [AudioPlayer.PlaybackNearlyFinished]\n");
    assert!(check(&e, &[turn("a", "b", None)]).is_empty());
    let mut failed = turn("a", "b", None);
    failed.answer.handler_error = Some("store down".into());
    assert_eq!(check(&e, &[failed.clone()]), ["handler_error"]);
    let tolerant = expect("handler_error: true\n");
    assert!(check(&tolerant, &[failed]).is_empty());
}

#[test]
fn yaml_scalars_compare_as_json() {
    assert_eq!(coerce(json!("12")), json!(12));
    assert_eq!(coerce(json!("true")), json!(true));
    assert_eq!(coerce(json!(["x", "1.5"])), json!(["x", 1.5]));
    assert!(same_value(&json!("3"), &json!(3)));
    assert!(!same_value(&json!("3"), &json!("4")));
}
