//! Reading scripts: every kind of turn, and one clear error with its line for each bad one.
use super::*;

fn load_text(text: &str) -> Result<Script, ScriptError> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("s.yaml");
    std::fs::write(&path, text).expect("write");
    load(&path)
}

fn error(text: &str) -> ScriptError {
    load_text(text).expect_err("a bad script")
}

#[test]
fn a_script_with_every_kind_of_turn() {
    let script = load_text(
        "locales: [en-US, fr-FR]\nat: 2026-11-21T19:04:05Z\nturns:\n  - say: {en-US: stop, fr-FR: stop}\n  - intent: PlayStationIntent\n    slots: {station: nova}\n  - event: stopped 1200\n  - button: next\n  - request: r.json\n  - wait: 1h 30m\n  - confirm: oui\n    timeout: 2s\n",
    )
    .expect("valid");
    assert_eq!(script.locales, ["en-US", "fr-FR"]);
    let lines: Vec<usize> = script.steps.iter().map(|s| s.line).collect();
    assert_eq!(lines, [4, 5, 7, 8, 9, 10, 11]);
    assert_eq!(
        script.steps[1].action,
        StepAction::Intent {
            name: "PlayStationIntent".into(),
            slots: vec![("station".into(), "nova".into())]
        }
    );
    assert_eq!(
        script.steps[2].action,
        StepAction::Event(DeviceEvent::Stopped(Some(1200)))
    );
    assert_eq!(
        script.steps[5].action,
        StepAction::Wait(Duration::from_secs(5400))
    );
    assert_eq!(script.steps[6].action, StepAction::Confirm(true));
    assert_eq!(script.steps[6].timeout, Duration::from_secs(2));
    assert_eq!(script.steps[0].timeout, DEFAULT_TIMEOUT);
}

#[test]
fn each_bad_turn_is_named_with_its_line() {
    let cases = [
        (
            "turns:\n  - say: hi\n    wait: 1m\n",
            2,
            "each turn does one thing",
        ),
        (
            "turns:\n  - say: hi\n    slots: {a: b}\n",
            2,
            "`slots` goes with `intent`",
        ),
        ("turns:\n  - confirm: maybe\n", 2, "use yes or no"),
        ("turns:\n  - wait: soon\n", 2, "wait:"),
        ("turns:\n  - event: dance\n", 2, "unknown event"),
        ("turns:\n  - button: eject\n", 2, "use play, pause"),
        (
            "locales: [en-US, fr-FR]\nturns:\n  - say: {en-US: hi}\n",
            3,
            "no text for locale fr-FR",
        ),
        (
            "turns:\n  - wait: 1m\n    expect:\n      speech: hi\n",
            4,
            "a wait step has no spoken answer",
        ),
        (
            "turns:\n  - say: hi\n    expect:\n      reminders: 1\n",
            4,
            "needs the fake APIs",
        ),
        (
            "turns:\n  - say: hi\n    expect:\n      speech: {startswith: x}\n",
            4,
            "unknown matcher",
        ),
        (
            "turns:\n  - say: hi\n    expect:\n      directives:\n        - type: Dance\n",
            4,
            "directive type",
        ),
        ("turns: []\n", 1, "`turns` is empty"),
        (
            "locale: en-US\nlocales: [fr-FR]\nturns:\n  - say: hi\n",
            1,
            "not both",
        ),
        (
            "apis: {reminders: maybe}\nturns:\n  - say: hi\n",
            1,
            "granted, denied or none",
        ),
    ];
    for (text, line, needle) in cases {
        let e = error(text);
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert!(e.message.contains(needle), "{text:?}: {e}");
    }
}

#[test]
fn parser_errors_keep_their_position() {
    let e = error("turns:\n  - say: hi\n    expect: {speech: [unclosed\n");
    assert!(e.message.starts_with("malformed YAML"), "{e}");
    assert!(e.line >= 3, "{e}");
    let e = error("turns:\n  - say: hi\n  - sya: hi\n");
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("sya"), "{e}");
    let e = error("name: a\nname: b\nturns:\n  - say: hi\n");
    assert_eq!(e.line, 2, "duplicate keys are refused: {e}");
    let e = error("turns:\n  - say: hi\n    expect:\n      session_ended: perhaps\n");
    assert!(e.line >= 3, "{e}");
}

#[test]
fn a_huge_file_is_refused_before_parsing() {
    let text = format!("turns:\n  - say: hi\n#{}\n", "x".repeat(2 * 1024 * 1024));
    let e = error(&text);
    assert!(e.message.contains("at most"), "{e}");
}
