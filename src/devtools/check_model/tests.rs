//! Each rule of `check-model` on a small model built from the skill's own intent lists.

use super::rules::invocation_problems;
use super::*;
use crate::skill::intents;
use serde_json::json;

/// A model that passes: every handled intent, distinct samples, one custom slot type.
fn valid() -> Value {
    let mut intents: Vec<Value> = intents::BUILTIN
        .iter()
        .map(|name| json!({"name": name, "samples": []}))
        .collect();
    for (i, name) in intents::CUSTOM.iter().enumerate() {
        intents.push(if *name == "PlayStationIntent" {
            json!({"name": name, "slots": [
                {"name": "station", "type": "STATION_NAME", "samples": ["{station} please"]}],
                "samples": ["tune in to {station}"]})
        } else {
            // Distinct words per intent, so no two share a sample.
            let word = [
                "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
                "juliett", "kilo", "lima", "mike", "november",
            ];
            json!({"name": name, "samples": [format!("do the {} thing", word[i % word.len()])]})
        });
    }
    json!({"interactionModel": {"languageModel": {
        "invocationName": "on air",
        "intents": intents,
        "types": [{"name": "STATION_NAME", "values": [{"id": "nova", "name": {"value": "nova"}}]}]
    }}})
}

fn intent_mut<'a>(m: &'a mut Value, name: &str) -> &'a mut Value {
    m["interactionModel"]["languageModel"]["intents"]
        .as_array_mut()
        .expect("intents")
        .iter_mut()
        .find(|i| i["name"] == name)
        .expect("intent")
}

fn run(docs: &[(&str, &Value)]) -> Vec<String> {
    let docs: Vec<(String, Vec<u8>)> = docs
        .iter()
        .map(|(l, v)| (l.to_string(), serde_json::to_vec(v).expect("json")))
        .collect();
    check(&docs)
        .problems
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn one(m: &Value) -> Vec<String> {
    run(&[("en-US", m)])
}

#[test]
fn a_valid_model_passes() {
    let m = valid();
    assert_eq!(run(&[("en-US", &m), ("fr-FR", &m)]), Vec::<String>::new());
}

#[test]
fn undeclared_slot_reference_is_named() {
    let mut m = valid();
    intent_mut(&mut m, "PlayStationIntent")["samples"] = json!(["play {show} now"]);
    assert_eq!(
        one(&m),
        ["en-US PlayStationIntent \"play {show} now\": refers to {show}, which the intent does not declare"]
    );
}

#[test]
fn unknown_slot_type_is_named() {
    let mut m = valid();
    intent_mut(&mut m, "PlayStationIntent")["slots"][0]["type"] = json!("RADIO");
    let problems = one(&m);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("type RADIO"), "{problems:?}");
}

#[test]
fn a_sample_in_two_intents_is_reported() {
    let mut m = valid();
    intent_mut(&mut m, "AMAZON.HelpIntent")["samples"] = json!(["Tune in to  {station}"]);
    intent_mut(&mut m, "AMAZON.HelpIntent")["slots"] =
        json!([{"name": "station", "type": "STATION_NAME"}]);
    let problems = one(&m);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("same words as a sample of")),
        "{problems:?}"
    );
}

#[test]
fn punctuation_and_digits_in_samples() {
    let mut m = valid();
    intent_mut(&mut m, "PlayStationIntent")["samples"] = json!([
        "play {station}!",
        "play station 4",
        "what's on at nine p.m. on jean-luc's radio"
    ]);
    let problems = one(&m);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("punctuation '!'"), "{problems:?}");
    assert!(problems[1].contains("digits"), "{problems:?}");
}

#[test]
fn invocation_name_rules() {
    for (name, expected) in [
        ("On Air", "lower case"),
        ("onair", "at least two words"),
        ("open on air", "\"open\""),
        ("alexa radio", "\"alexa\""),
        ("on air 2", "found '2'"),
        ("on-air radio", "found '-'"),
    ] {
        let mut m = valid();
        m["interactionModel"]["languageModel"]["invocationName"] = json!(name);
        let problems = one(&m);
        assert!(
            problems.iter().any(|p| p.contains(expected)),
            "{name}: {problems:?}"
        );
    }
    assert!(invocation_problems("radio d'été").is_empty());
}

#[test]
fn locales_must_agree_on_intents_and_slots() {
    let en = valid();
    let mut fr = valid();
    intent_mut(&mut fr, "PlayStationIntent")["slots"][0]["name"] = json!("radio");
    intent_mut(&mut fr, "PlayStationIntent")["samples"] = json!(["mets {radio}"]);
    intent_mut(&mut fr, "PlayStationIntent")["slots"][0]["samples"] = json!([]);
    let problems = run(&[("en-US", &en), ("fr-FR", &fr)]);
    assert_eq!(
        problems,
        ["fr-FR PlayStationIntent: slots differ from en-US: missing [{station}], extra [{radio}]"]
    );
}

#[test]
fn unhandled_and_missing_intents() {
    let mut m = valid();
    let intents = m["interactionModel"]["languageModel"]["intents"]
        .as_array_mut()
        .expect("intents");
    intents.retain(|i| i["name"] != "WhatsOnIntent" && i["name"] != "AMAZON.PauseIntent");
    intents.push(json!({"name": "DanceIntent", "samples": ["dance"]}));
    let problems = one(&m);
    for expected in [
        "en-US AMAZON.PauseIntent: required built-in intent is missing",
        "en-US WhatsOnIntent: handled by the skill but missing from this model",
        "en-US DanceIntent: no handler in the skill",
    ] {
        assert!(
            problems.iter().any(|p| p.starts_with(expected)),
            "{expected}: {problems:?}"
        );
    }
}

#[test]
fn broken_json_is_a_problem_not_a_crash() {
    let docs = vec![("en-US".to_string(), b"{\"interactionModel\": ".to_vec())];
    let report = check(&docs);
    assert_eq!(report.problems.len(), 1);
    assert!(report.problems[0].message.contains("not valid JSON"));
}

#[test]
fn the_real_models_pass() {
    let report = check_dir(&crate::devtools::default_manifest_dir()).expect("models readable");
    let problems: Vec<String> = report.problems.iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(report.locales, ["en-GB", "en-US", "fr-FR"]);
}
