//! The checks on whole models: per locale (invocation name, required and handled intents, slot
//! types, samples) and across locales (same intents, same slots).

use super::rules::{invocation_problems, sample_key, sample_problems};
use super::{LocaleModel, Problem};
use crate::skill::intents;
use std::collections::{BTreeMap, BTreeSet};

/// Built-in intents every audio skill's model must list (protocol.md §4).
const REQUIRED: &[&str] = intents::REQUIRED_IN_MODEL;

/// The rules within one locale's model.
pub(super) fn check_locale(model: &LocaleModel, problems: &mut Vec<Problem>) {
    let locale = &model.locale;
    let mut report = |intent: Option<&str>, sample: Option<&str>, message: String| {
        problems.push(Problem {
            locale: locale.clone(),
            intent: intent.map(str::to_string),
            sample: sample.map(str::to_string),
            message,
        })
    };
    match &model.invocation {
        None => report(None, None, "invocationName is missing".into()),
        Some(name) => {
            for message in invocation_problems(name) {
                report(None, None, format!("invocation name {name:?} {message}"));
            }
        }
    }
    let names: BTreeSet<&str> = model.intents.iter().map(|i| i.name.as_str()).collect();
    for required in REQUIRED {
        if !names.contains(required) {
            report(
                Some(required),
                None,
                "required built-in intent is missing".into(),
            );
        }
    }
    for custom in intents::CUSTOM {
        if !names.contains(custom) {
            report(
                Some(custom),
                None,
                "handled by the skill but missing from this model".into(),
            );
        }
    }
    // Normalised sample → the intent that has it first.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for intent in &model.intents {
        let name = intent.name.as_str();
        if !intents::is_handled(name) {
            report(
                Some(name),
                None,
                "no handler in the skill (see skill::intents)".into(),
            );
        }
        let mut slot_names = BTreeSet::new();
        for (slot, slot_type) in &intent.slots {
            if slot.is_empty() || slot_type.is_empty() {
                report(Some(name), None, "a slot has no name or no type".into());
            } else if !slot_names.insert(slot.as_str()) {
                report(
                    Some(name),
                    None,
                    format!("slot {{{slot}}} is declared twice"),
                );
            }
            if !slot_type.is_empty()
                && !slot_type.starts_with("AMAZON.")
                && !model.types.contains(slot_type)
            {
                report(
                    Some(name),
                    None,
                    format!("slot {{{slot}}} has type {slot_type}, which is neither a custom type of this model nor AMAZON.*"),
                );
            }
        }
        let all_samples = intent
            .samples
            .iter()
            .chain(intent.slot_samples.iter().map(|(_, s)| s));
        for sample in all_samples {
            for message in sample_problems(sample, &slot_names) {
                report(Some(name), Some(sample), message);
            }
        }
        for sample in &intent.samples {
            let key = sample_key(sample);
            match seen.get(&key) {
                Some(first) if first == name => report(
                    Some(name),
                    Some(sample),
                    "listed twice in this intent".into(),
                ),
                Some(first) => report(
                    Some(name),
                    Some(sample),
                    format!("same words as a sample of {first}"),
                ),
                None => {
                    seen.insert(key, name.to_string());
                }
            }
        }
    }
}

/// Every locale defines the same intents, and each intent the same slot names.
pub(super) fn check_across(models: &[LocaleModel], problems: &mut Vec<Problem>) {
    // Intent → locale → slot names.
    let mut defined: BTreeMap<&str, BTreeMap<&str, BTreeSet<&str>>> = BTreeMap::new();
    for model in models {
        for intent in &model.intents {
            let slots = intent.slots.iter().map(|(n, _)| n.as_str()).collect();
            defined
                .entry(intent.name.as_str())
                .or_default()
                .insert(model.locale.as_str(), slots);
        }
    }
    for (intent, by_locale) in &defined {
        let Some((first_locale, first_slots)) = by_locale.iter().next() else {
            continue;
        };
        for model in models {
            let locale = model.locale.as_str();
            let problem = |message: String| Problem {
                locale: locale.to_string(),
                intent: Some(intent.to_string()),
                sample: None,
                message,
            };
            match by_locale.get(locale) {
                None => {
                    let others: Vec<&str> = by_locale.keys().copied().collect();
                    problems.push(problem(format!(
                        "defined in {} but not in this locale",
                        others.join(", ")
                    )));
                }
                Some(slots) if slots != first_slots => {
                    let fmt_set = |s: BTreeSet<&&str>| {
                        s.iter()
                            .map(|n| format!("{{{n}}}"))
                            .collect::<Vec<_>>()
                            .join(" ")
                    };
                    let missing = fmt_set(first_slots.difference(slots).collect());
                    let extra = fmt_set(slots.difference(first_slots).collect());
                    problems.push(problem(format!(
                        "slots differ from {first_locale}: missing [{missing}], extra [{extra}]"
                    )));
                }
                Some(_) => {}
            }
        }
    }
}
