//! The whole pipeline on a small test model: slots, entity resolution, scoring, fallback.

use std::time::{Duration, Instant};

use jiff::Zoned;
use pretty_assertions::assert_eq;

use super::super::{
    ErStatus, InteractionModel, Nlu, NluError, Resolution, CONFIDENCE_THRESHOLD, FALLBACK_INTENT,
    LAUNCH_REQUEST,
};

const TEST_MODEL: &str = include_str!("data/test-model.json");

fn nlu(locale: &str) -> Nlu {
    let model = InteractionModel::from_json(TEST_MODEL.as_bytes()).expect("test model loads");
    Nlu::new(model, locale).expect("test model compiles")
}

fn now() -> Zoned {
    jiff::civil::date(2026, 11, 21)
        .at(19, 4, 5, 0)
        .in_tz("Europe/Paris")
        .expect("valid zoned time")
}

fn ids(r: &Resolution, slot: &str) -> Option<(ErStatus, Vec<String>)> {
    let er = r.slot(slot)?.entity.as_ref()?;
    Some((er.status, er.values.iter().map(|v| v.id.clone()).collect()))
}

#[test]
fn every_declared_slot_is_returned() {
    let r = nlu("en-US").resolve("play beyonce live", &now());
    assert_eq!(r.intent, "PlayLiveIntent");
    assert_eq!(r.confidence, 1.0);
    let names: Vec<&str> = r.slots.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["performer", "station"]);
    assert_eq!(r.value("performer"), Some("beyonce"));
    assert_eq!(
        r.slot("station").map(|s| (&s.value, &s.entity)),
        Some((&None, &None))
    );
    assert_eq!(
        r.slot("performer")
            .and_then(|s| s.entity.as_ref())
            .map(|e| e.values[0].name.as_str()),
        Some("Beyoncé")
    );
}

#[test]
fn entity_resolution_variants() {
    let n = nlu("en-US");
    let r = n.resolve("tune in to LUMIERE", &now());
    assert_eq!(
        ids(&r, "station"),
        Some((ErStatus::SuccessMatch, vec!["lumiere-fm".into()]))
    );
    assert_eq!(r.value("station"), Some("LUMIERE"));
    // Number words and digits are the same name.
    let r = n.resolve("play fm 4", &now());
    assert_eq!(
        ids(&r, "station"),
        Some((ErStatus::SuccessMatch, vec!["fm4".into()]))
    );
    // Spaced letters, punctuation and a leading article.
    let r = n.resolve("play a c d c live", &now());
    assert_eq!(
        ids(&r, "performer"),
        Some((ErStatus::SuccessMatch, vec!["acdc".into()]))
    );
    let r = n.resolve("play the rolling stones live", &now());
    assert_eq!(
        ids(&r, "performer"),
        Some((ErStatus::SuccessMatch, vec!["stones".into()]))
    );
    // Ambiguous synonym: both candidates, in model order.
    let r = n.resolve("play nova", &now());
    assert_eq!(
        ids(&r, "station"),
        Some((
            ErStatus::SuccessMatch,
            vec!["nova".into(), "nova-classics".into()]
        ))
    );
    // The user's words, minus surrounding punctuation.
    let r = n.resolve("Play «Radio Nova»!", &now());
    assert_eq!(r.value("station"), Some("Radio Nova"));
    // Unknown value: NO_MATCH, raw words kept, lower confidence.
    let r = n.resolve("play Radio Blorp", &now());
    assert_eq!(r.intent, "PlayStationIntent");
    assert_eq!(r.value("station"), Some("Radio Blorp"));
    assert_eq!(ids(&r, "station"), Some((ErStatus::SuccessNoMatch, vec![])));
    assert!(
        r.confidence < 0.9 && r.confidence >= CONFIDENCE_THRESHOLD,
        "{}",
        r.confidence
    );
}

#[test]
fn confidence_orders_exact_unresolved_and_near_matches() {
    let n = nlu("en-US");
    let exact = n.resolve("play radio nova", &now()).confidence;
    let unresolved = n.resolve("play radio blorp", &now()).confidence;
    let near = n.resolve("plya radio nova", &now());
    assert_eq!(near.intent, "PlayStationIntent");
    assert!(
        exact > near.confidence && exact > unresolved,
        "{exact} {} {unresolved}",
        near.confidence
    );
    assert!(near.confidence >= CONFIDENCE_THRESHOLD);
}

#[test]
fn bare_slot_sample_does_not_swallow_gibberish() {
    let n = nlu("en-US");
    let r = n.resolve("radio nova", &now());
    assert_eq!(
        (r.intent.as_str(), r.confidence),
        ("PlayStationIntent", 1.0)
    );
    let r = n.resolve("blorp zing wibble", &now());
    assert_eq!(r.intent, FALLBACK_INTENT);
    assert!(r.confidence < CONFIDENCE_THRESHOLD);
    assert!(r.slots.is_empty());
}

#[test]
fn tonight_fills_time_only_next_to_a_time_slot() {
    let n = nlu("en-US");
    let r = n.resolve("what's on tonight", &now());
    assert_eq!(
        (r.value("date"), r.value("time")),
        (Some("2026-11-21"), None)
    );
    let r = n.resolve("schedule for tonight", &now());
    assert_eq!(r.intent, "TonightIntent");
    assert_eq!(
        (r.value("date"), r.value("time")),
        (Some("2026-11-21"), Some("NI"))
    );
    let r = n.resolve("schedule for tomorrow evening", &now());
    assert_eq!(
        (r.value("date"), r.value("time")),
        (Some("2026-11-22"), Some("EV"))
    );
    let r = n.resolve("what's on tomorrow at nine pm", &now());
    assert_eq!(
        (r.value("date"), r.value("time")),
        (Some("2026-11-22"), Some("21:00"))
    );
    let r = nlu("fr-FR").resolve("schedule for ce soir", &now());
    assert_eq!(
        (r.value("date"), r.value("time")),
        (Some("2026-11-21"), Some("EV"))
    );
}

#[test]
fn built_in_slot_types() {
    let n = nlu("en-US");
    let r = n.resolve("set the volume to twenty one", &now());
    assert_eq!(
        (r.intent.as_str(), r.value("level")),
        ("VolumeIntent", Some("21"))
    );
    assert_eq!(r.slot("level").map(|s| s.entity.is_none()), Some(true));
    let bad = n.resolve("set the volume to loud", &now());
    assert!(bad.confidence < 0.6, "{}", bad.confidence);
    let r = n.resolve("search for daft punk", &now());
    assert_eq!(
        (r.intent.as_str(), r.value("query")),
        ("SearchIntent", Some("daft punk"))
    );
    assert!(r.confidence > 0.8 && r.confidence < 1.0);
}

#[test]
fn built_in_intents_without_samples_and_launch() {
    let n = nlu("en-US");
    for (u, want) in [
        ("pause", "AMAZON.PauseIntent"),
        ("next", "AMAZON.NextIntent"),
        ("what do you do", "AMAZON.HelpIntent"),
        ("help", "AMAZON.HelpIntent"),
        ("open on air", LAUNCH_REQUEST),
        ("ask on air to pause", "AMAZON.PauseIntent"),
    ] {
        assert_eq!(n.resolve(u, &now()).intent, want, "{u:?}");
    }
    let f = nlu("fr-FR");
    for (u, want) in [
        ("mets en pause", "AMAZON.PauseIntent"),
        ("suivant", "AMAZON.NextIntent"),
        ("ouvre on air", LAUNCH_REQUEST),
    ] {
        assert_eq!(f.resolve(u, &now()).intent, want, "{u:?}");
    }
}

#[test]
fn rank_lists_alternatives_best_first() {
    let ranked = nlu("en-US").rank("play nova", &now(), 3);
    assert_eq!(ranked[0].intent, "PlayStationIntent");
    assert!(ranked
        .windows(2)
        .all(|w| w[0].confidence >= w[1].confidence));
}

#[test]
fn locales() {
    assert!(matches!(
        Nlu::new(
            InteractionModel::from_json(TEST_MODEL.as_bytes()).expect("loads"),
            "de-DE"
        ),
        Err(NluError::UnsupportedLocale(_))
    ));
    for l in ["en-US", "en-GB", "en", "fr-FR", "fr_CA"] {
        let _ = nlu(l);
    }
}

#[test]
fn hostile_utterances_are_fast_and_safe() {
    let n = nlu("en-US");
    let inputs = [
        String::new(),
        "   ?!… ".to_string(),
        "🎵".repeat(5_000),
        "play nova ".to_string() + &"🎶".repeat(3_000),
        "شغل راديو نوفا".to_string(),
        "e\u{301}".repeat(3_000),
        "x".repeat(10_000),
        "play ".repeat(2_000),
        "what's on ".repeat(1_000),
        "a c ".repeat(2_500),
    ];
    for s in &inputs {
        let start = Instant::now();
        let r = n.resolve(s, &now());
        assert!(
            start.elapsed() < Duration::from_secs(2),
            "too slow on {} chars",
            s.chars().count()
        );
        assert!((0.0..=1.0).contains(&r.confidence));
    }
    assert_eq!(n.resolve(&inputs[3], &now()).value("station"), Some("nova"));
    assert_eq!(n.resolve("", &now()).intent, FALLBACK_INTENT);
}

#[test]
fn shareable_between_threads_and_serializable() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Nlu>();
    let r = nlu("en-US").resolve("play fip", &now());
    let json = serde_json::to_value(&r).expect("serializes");
    assert_eq!(json["slots"][0]["entity"]["status"], "ER_SUCCESS_NO_MATCH");
}
