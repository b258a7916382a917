//! Utterance tables against the real interaction models of the skill.
//!
//! Cases live in `tests/data/utterances-<locale>.json`, one per line:
//! `{"u": "...", "intent": "...", "slots": {...}}`. Every slot the resolved intent declares is
//! checked: a slot missing from `slots` must be empty; a string is the expected value of a
//! built-in slot (no entity resolution); `["raw words", "id"]` is a custom slot that must
//! resolve to that id, `["raw words", ["id1", "id2"]]` to several, `["raw words", null]` to
//! `ER_SUCCESS_NO_MATCH`. Dates are relative to 2026-11-21T19:04:05 in the locale's zone.

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Zoned;
use onair::nlu::{
    ErStatus, InteractionModel, Nlu, Resolution, CONFIDENCE_THRESHOLD, FALLBACK_INTENT,
};
use serde::Deserialize;
use serde_json::Value;

const MODELS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/skill-manifest/interactionModels/custom"
);
const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");

#[derive(Deserialize)]
struct Case {
    u: String,
    intent: String,
    #[serde(default)]
    slots: BTreeMap<String, Value>,
}

fn now(zone: &str) -> Zoned {
    jiff::civil::date(2026, 11, 21)
        .at(19, 4, 5, 0)
        .in_tz(zone)
        .expect("valid zoned time")
}

/// Differences between a resolution and a case, as readable lines.
fn check(case: &Case, r: &Resolution) -> Vec<String> {
    let mut errs = Vec::new();
    if r.intent != case.intent {
        errs.push(format!(
            "intent {} (confidence {:.2}), want {}",
            r.intent, r.confidence, case.intent
        ));
        return errs;
    }
    if r.intent == FALLBACK_INTENT && r.confidence >= CONFIDENCE_THRESHOLD {
        errs.push(format!("fallback with confidence {}", r.confidence));
    }
    for name in case.slots.keys() {
        if r.slot(name).is_none() {
            errs.push(format!(
                "case names slot {name:?}, which {} does not declare",
                r.intent
            ));
        }
    }
    for slot in &r.slots {
        let got_ids = slot.entity.as_ref().map(|e| {
            let ids: Vec<&str> = e.values.iter().map(|v| v.id.as_str()).collect();
            (e.status, ids)
        });
        let ok = match case.slots.get(&slot.name) {
            None => slot.value.is_none() && slot.entity.is_none(),
            Some(Value::String(v)) => {
                slot.value.as_deref() == Some(v.as_str()) && slot.entity.is_none()
            }
            Some(Value::Array(pair)) if pair.len() == 2 => {
                let want_ids: Option<Vec<&str>> = match &pair[1] {
                    Value::Null => Some(vec![]),
                    Value::String(id) => Some(vec![id.as_str()]),
                    Value::Array(ids) => ids.iter().map(Value::as_str).collect(),
                    _ => None,
                };
                let want_status = match &pair[1] {
                    Value::Null => ErStatus::SuccessNoMatch,
                    _ => ErStatus::SuccessMatch,
                };
                slot.value.as_deref() == pair[0].as_str()
                    && want_ids.is_some_and(|ids| got_ids == Some((want_status, ids)))
            }
            Some(other) => {
                errs.push(format!("bad expectation for {}: {other}", slot.name));
                continue;
            }
        };
        if !ok {
            errs.push(format!(
                "slot {} = {:?} {:?}, want {}",
                slot.name,
                slot.value,
                got_ids,
                case.slots
                    .get(&slot.name)
                    .map_or("empty".to_string(), Value::to_string)
            ));
        }
    }
    errs
}

fn run(locale: &str, zone: &str) -> usize {
    let model = InteractionModel::load(&Path::new(MODELS).join(format!("{locale}.json")))
        .expect("the real interaction model loads");
    let nlu = Nlu::new(model, locale).expect("the real model compiles");
    let text = std::fs::read_to_string(Path::new(CASES).join(format!("utterances-{locale}.json")))
        .expect("case table exists");
    let cases: Vec<Case> = serde_json::from_str(&text).expect("case table is valid JSON");
    let now = now(zone);
    let failures: Vec<String> = cases
        .iter()
        .flat_map(|c| {
            check(c, &nlu.resolve(&c.u, &now))
                .into_iter()
                .map(move |e| format!("{locale} {:?}: {e}", c.u))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    cases.len()
}

#[test]
fn en_us_utterances() {
    assert!(run("en-US", "America/New_York") >= 60);
}

#[test]
fn fr_fr_utterances() {
    assert!(run("fr-FR", "Europe/Paris") >= 60);
}

#[test]
fn en_gb_utterances() {
    assert!(run("en-GB", "Europe/London") >= 10);
}

/// Word salad from the model's own vocabulary plus hostile characters: never a panic, a
/// confidence in range, and bounded time. Deterministic (xorshift), so failures reproduce.
#[test]
fn random_word_salad_is_handled() {
    for (locale, zone) in [("en-US", "America/New_York"), ("fr-FR", "Europe/Paris")] {
        let path = Path::new(MODELS).join(format!("{locale}.json"));
        let text = std::fs::read_to_string(&path).expect("model readable");
        let nlu = Nlu::new(
            InteractionModel::from_json(text.as_bytes()).expect("loads"),
            locale,
        )
        .expect("compiles");
        let mut vocab: Vec<&str> = text
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .filter(|w| !w.is_empty())
            .collect();
        vocab.extend([
            "🎵",
            "é",
            "\u{301}",
            "{",
            "}",
            "'",
            "-",
            "21h30",
            "9pm",
            "1er",
            "quatre-vingt-dix",
            "a",
            "c",
            "the",
            "at",
            "à",
            "ce",
            "soir",
            "on",
            "air",
            "ask",
            "to",
            "de",
            "شغل",
            "播放",
            "\u{202E}",
            "!!!",
            "999999999",
        ]);
        vocab.sort_unstable();
        vocab.dedup();
        let now = now(zone);
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let start = std::time::Instant::now();
        for _ in 0..300 {
            let mut u = String::new();
            for _ in 0..next() % 14 {
                u.push_str(vocab[(next() % vocab.len() as u64) as usize]);
                if next() % 5 != 0 {
                    u.push(' ');
                }
            }
            let r = nlu.resolve(&u, &now);
            assert!((0.0..=1.0).contains(&r.confidence), "{u:?}");
            assert!(
                r.intent == FALLBACK_INTENT || r.confidence >= CONFIDENCE_THRESHOLD,
                "{u:?}"
            );
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "{locale} too slow"
        );
    }
}
