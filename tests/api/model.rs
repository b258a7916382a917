//! The skill package and the dispatch table agree.

use onair::skill::intents;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn model(locale: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("skill-manifest/interactionModels/custom")
        .join(format!("{locale}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect("model file")).expect("model JSON")
}

fn intent_names(locale: &str) -> BTreeSet<String> {
    model(locale)["interactionModel"]["languageModel"]["intents"]
        .as_array()
        .expect("intents")
        .iter()
        .filter_map(|i| i["name"].as_str().map(str::to_string))
        .collect()
}

#[test]
fn every_model_intent_is_handled_and_every_custom_intent_is_modelled() {
    for locale in ["en-US", "en-GB", "fr-FR"] {
        let names = intent_names(locale);
        for name in &names {
            assert!(
                intents::is_handled(name),
                "{locale}: {name} is in the model but not handled"
            );
        }
        for name in intents::CUSTOM {
            assert!(
                names.contains(*name),
                "{locale}: {name} is handled but missing from the model"
            );
        }
        for name in intents::REQUIRED_IN_MODEL {
            assert!(names.contains(*name), "{locale}: required {name} missing");
        }
    }
}

#[test]
fn manifest_declares_audio_player_and_locales() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("skill-manifest/skill.json");
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("skill.json")).expect("json");
    let interfaces = manifest["manifest"]["apis"]["custom"]["interfaces"].to_string();
    assert!(interfaces.contains("AUDIO_PLAYER"));
    // CanFulfillIntentRequest is only sent to skills that declare it.
    assert!(interfaces.contains("CAN_FULFILL_INTENT_REQUEST"));
    // Reminders need the scope in the manifest before a listener can grant it.
    assert!(manifest["manifest"]["permissions"]
        .to_string()
        .contains("alexa::alerts:reminders:skill:readwrite"));
    for locale in ["en-US", "en-GB", "fr-FR"] {
        assert!(manifest["manifest"]["publishingInformation"]["locales"][locale].is_object());
    }
}

/// Every handled intent reaches its own handler: none of them falls through to the fallback
/// answer, which is what an intent missing from the dispatch table would get.
#[tokio::test]
async fn every_handled_intent_has_its_own_answer() {
    use crate::helpers::{spawn_app, AppOptions, Req};
    let app = spawn_app(AppOptions::default()).await;
    let fallback = onair::skill::Locale::EnUs.text(onair::skill::phrases::Phrase::Fallback);
    for name in intents::CUSTOM.iter().chain(intents::BUILTIN) {
        if *name == "AMAZON.FallbackIntent" {
            continue;
        }
        let (status, body) = app
            .post(&Req::intent(name).at("2026-11-21T19:04:05Z"))
            .await;
        assert_eq!(status, 200, "{name}: {body}");
        let speech = crate::helpers::speech(&body);
        assert_ne!(speech, fallback, "{name} fell through to the fallback");
    }
    app.stop().await;
}
