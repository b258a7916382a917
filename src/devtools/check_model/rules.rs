//! The rules for single strings: invocation names and samples (protocol.md §7.2).

use crate::nlu::model::slot_references;
use std::collections::BTreeSet;

/// Words an invocation name must not contain: wake words, "skill"/"app", and launch phrases
/// (English and French), which Alexa would take as part of the request instead.
const FORBIDDEN_WORDS: &[&str] = &[
    "alexa",
    "amazon",
    "echo",
    "computer",
    "skill",
    "app",
    "open",
    "ask",
    "tell",
    "launch",
    "load",
    "begin",
    "enable",
    "start",
    "run",
    "resume",
    "use",
    "ouvre",
    "ouvrir",
    "lance",
    "lancer",
    "demande",
    "demander",
    "démarre",
    "démarrer",
];

/// Why an invocation name breaks the rules, if it does.
pub(super) fn invocation_problems(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    if name.chars().any(char::is_uppercase) {
        out.push("must be lower case".into());
    }
    let bad: BTreeSet<char> = name
        .chars()
        .filter(|c| !(c.is_alphabetic() || matches!(c, ' ' | '\'' | '.')))
        .collect();
    if !bad.is_empty() {
        out.push(format!(
            "may only contain letters, spaces, apostrophes and periods (found {})",
            quote_chars(&bad)
        ));
    }
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    if words.len() < 2 {
        out.push("needs at least two words".into());
    }
    for word in &words {
        if FORBIDDEN_WORDS.contains(&word.as_str()) {
            out.push(format!(
                "must not contain {word:?} (a wake word, launch phrase or \"skill\"/\"app\")"
            ));
        }
    }
    out
}

/// Why a sample breaks the rules: undeclared or malformed slot references, digits, or
/// punctuation other than apostrophes, periods and hyphens.
pub(super) fn sample_problems(sample: &str, slots: &BTreeSet<&str>) -> Vec<String> {
    let mut out = Vec::new();
    if sample.trim().is_empty() {
        out.push("empty sample".into());
        return out;
    }
    match slot_references(sample) {
        Err(message) => out.push(format!("malformed slot reference: {message}")),
        Ok(refs) => {
            for r in refs.iter().filter(|r| !slots.contains(*r)) {
                out.push(format!(
                    "refers to {{{r}}}, which the intent does not declare"
                ));
            }
        }
    }
    let text = without_references(sample);
    if text.chars().any(|c| c.is_ascii_digit()) {
        out.push("contains digits (spell numbers out)".into());
    }
    let bad: BTreeSet<char> = text
        .chars()
        .filter(|c| {
            !(c.is_alphabetic()
                || c.is_whitespace()
                || c.is_ascii_digit()
                || matches!(c, '\'' | '’' | '.' | '-'))
        })
        .collect();
    if !bad.is_empty() {
        out.push(format!(
            "contains punctuation {} (only apostrophes, periods and hyphens are allowed)",
            quote_chars(&bad)
        ));
    }
    out
}

/// The sample with its `{slot}` references removed (braces included).
fn without_references(sample: &str) -> String {
    let mut out = String::with_capacity(sample.len());
    let mut depth = 0usize;
    for c in sample.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Two samples with the same key are the same words.
pub(super) fn sample_key(sample: &str) -> String {
    sample
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn quote_chars(chars: &BTreeSet<char>) -> String {
    chars
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}
