//! `onair check-model` on the real models and on a broken copy.

use super::helpers::{path, root, run};
use serde_json::{json, Value};

#[test]
fn the_real_models_pass() {
    let out = run(&["check-model"]).ok().stdout;
    assert!(out.contains("3 locale(s) (en-GB, en-US, fr-FR)"), "{out}");
    assert!(out.contains(" 0 problem(s)"), "{out}");
}

#[test]
fn a_broken_copy_fails_naming_each_problem() {
    let dir = tempfile::tempdir().expect("tmp");
    let custom = dir.path().join("interactionModels/custom");
    std::fs::create_dir_all(&custom).expect("mkdir");
    for locale in ["en-US", "fr-FR"] {
        let file = format!("skill-manifest/interactionModels/custom/{locale}.json");
        let text = std::fs::read_to_string(root().join(&file)).expect("model");
        let mut model: Value = serde_json::from_str(&text).expect("json");
        if locale == "en-US" {
            let lm = &mut model["interactionModel"]["languageModel"];
            lm["invocationName"] = json!("open radio");
            let intents = lm["intents"].as_array_mut().expect("intents");
            let station = intents
                .iter_mut()
                .find(|i| i["name"] == "PlayStationIntent")
                .expect("PlayStationIntent");
            station["samples"]
                .as_array_mut()
                .expect("samples")
                .extend([json!("put {channel} on"), json!("play station 4")]);
        }
        std::fs::write(custom.join(format!("{locale}.json")), model.to_string()).expect("write");
    }
    let out = run(&["check-model", "--dir", path(dir.path())]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    for expected in [
        "en-US: invocation name \"open radio\" must not contain \"open\"",
        "en-US PlayStationIntent \"put {channel} on\": refers to {channel}, which the intent does not declare",
        "en-US PlayStationIntent \"play station 4\": contains digits",
    ] {
        assert!(out.stdout.contains(expected), "missing {expected:?} in:\n{}", out.stdout);
    }
    assert!(out.stderr.contains("3 problem(s) found"), "{}", out.stderr);
}
