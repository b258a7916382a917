//! Interaction-model loading and its error messages.

use pretty_assertions::assert_eq;

use super::super::{InteractionModel, NluError};

const TEST_MODEL: &str = include_str!("data/test-model.json");

fn model_error(json: &str) -> (String, String) {
    match InteractionModel::from_json(json.as_bytes()) {
        Err(NluError::Model { path, message }) => (path, message),
        other => panic!("expected a model error, got {other:?}"),
    }
}

#[test]
fn loads_the_test_model() {
    let m = InteractionModel::from_json(TEST_MODEL.as_bytes()).expect("test model loads");
    assert_eq!(m.invocation_name(), "on air");
    assert_eq!(
        m.intent_names()[..4],
        [
            "AMAZON.PauseIntent",
            "AMAZON.HelpIntent",
            "AMAZON.FallbackIntent",
            "PlayStationIntent"
        ]
    );
    let station = &m.slot_types()[0];
    assert_eq!(station.name, "STATION_NAME");
    // A value without an id falls back to its name.
    assert_eq!(station.values[4].id, "Echo Live");
    assert_eq!(m.intent("PlayLiveIntent").map(|i| i.slots.len()), Some(2));
}

#[test]
fn errors_name_the_json_path() {
    let (path, _) = model_error(r#"{"interactionModel":{"languageModel":{"intents":[]}}}"#);
    assert_eq!(path, "interactionModel.languageModel.invocationName");

    let (path, msg) = model_error(
        r#"{"interactionModel":{"languageModel":{"invocationName":"on air","intents":{}}}}"#,
    );
    assert_eq!(
        (path.as_str(), msg.as_str()),
        (
            "interactionModel.languageModel.intents",
            "expected an array"
        )
    );

    let (path, _) = model_error(
        r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[
            {"name":"A","samples":[]},
            {"name":"B","slots":[{"name":"s","type":7}]}]}}}"#,
    );
    assert_eq!(
        path,
        "interactionModel.languageModel.intents[1].slots[0].type"
    );

    let (path, msg) = model_error(
        r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[
            {"name":"B","slots":[{"name":"s","type":"NOPE"}]}]}}}"#,
    );
    assert_eq!(
        path,
        "interactionModel.languageModel.intents[0].slots[0].type"
    );
    assert!(msg.contains("NOPE"), "{msg}");

    let (path, msg) = model_error(
        r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[
            {"name":"B","slots":[{"name":"s","type":"AMAZON.DATE"}],"samples":["ok {s}","play {t}"]}]}}}"#,
    );
    assert_eq!(path, "interactionModel.languageModel.intents[0].samples[1]");
    assert!(msg.contains("{t}"), "{msg}");

    let (path, _) = model_error(
        r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[
            {"name":"B","samples":["play {s"]}]}}}"#,
    );
    assert_eq!(path, "interactionModel.languageModel.intents[0].samples[0]");

    let (path, _) = model_error(
        r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[],
            "types":[{"name":"T","values":[{"id":"a","name":{"synonyms":[]}}]}]}}}"#,
    );
    assert_eq!(
        path,
        "interactionModel.languageModel.types[0].values[0].name.value"
    );

    let (path, _) = model_error(
        r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[{"name":"A"},{"name":"A"}]}}}"#,
    );
    assert_eq!(path, "interactionModel.languageModel.intents[1].name");
}

#[test]
fn invalid_json_and_missing_files() {
    assert!(matches!(
        InteractionModel::from_json(b"{not json"),
        Err(NluError::Json(_))
    ));
    assert!(matches!(
        InteractionModel::from_json(b""),
        Err(NluError::Json(_))
    ));
    let missing = std::path::Path::new("/nonexistent/model.json");
    match InteractionModel::load(missing) {
        Err(e @ NluError::Io { .. }) => assert!(e.to_string().contains("/nonexistent/model.json")),
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn repeated_names_are_refused_where_they_repeat() {
    let cases = [
        (
            r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[],
                "types":[{"name":"T","values":[]},{"name":"T","values":[]}]}}}"#,
            "interactionModel.languageModel.types[1].name",
            "duplicate slot type \"T\"",
        ),
        (
            r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[
                {"name":"A","samples":[]},{"name":"B","samples":[]},{"name":"A","samples":[]}]}}}"#,
            "interactionModel.languageModel.intents[2].name",
            "duplicate intent \"A\"",
        ),
        (
            r#"{"interactionModel":{"languageModel":{"invocationName":"x","intents":[
                {"name":"A","slots":[{"name":"s","type":"AMAZON.DATE"},
                                     {"name":"s","type":"AMAZON.TIME"}]}]}}}"#,
            "interactionModel.languageModel.intents[0].slots[1].name",
            "duplicate slot \"s\"",
        ),
    ];
    for (json, path, message) in cases {
        assert_eq!(model_error(json), (path.to_string(), message.to_string()));
    }
}
