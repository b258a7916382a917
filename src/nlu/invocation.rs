//! Removing the invocation phrase ("ask on air to …", "demande à on air de …").
//!
//! Alexa strips these before intent matching, and a bare "open on air" is not an intent at
//! all but a `LaunchRequest`. Typed text keeps them, so we strip them the same way.
//! The invocation name is compared with spaces removed, so "onair" and "on-air" also work.

use super::normalize::{compact, leading_politeness_len, starts_with, Token};
use super::Lang;

/// What the invocation phrase left of an utterance.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stripped {
    /// Only a launch phrase: the caller should behave as for a `LaunchRequest`.
    Launch,
    /// The command part, to be matched against intents.
    Command(Vec<Token>),
}

/// Verbs that, with nothing after the invocation name, just launch the skill.
const EN_LAUNCH: &[&[&str]] = &[
    &["open"],
    &["launch"],
    &["start"],
    &["begin"],
    &["load"],
    &["run"],
    &["use"],
    &["talk", "to"],
    &["ask"],
    &["tell"],
];
const FR_LAUNCH: &[&[&str]] = &[
    &["ouvre"],
    &["ouvrir"],
    &["lance"],
    &["lancer"],
    &["demarre"],
    &["demarrer"],
    &["utilise"],
    &["demande", "a"],
    &["parle", "a"],
    &["dis", "a"],
];
/// Verbs that introduce a command after the invocation name ("ask on air to play fip").
const EN_PREFIX: &[&[&str]] = &[
    &["ask"],
    &["tell"],
    &["open"],
    &["launch"],
    &["start"],
    &["use"],
    &["have"],
];
const FR_PREFIX: &[&[&str]] = &[
    &["demande", "a"],
    &["dis", "a"],
    &["ouvre"],
    &["lance"],
    &["demarre"],
    &["utilise"],
];
/// Words between the invocation name and the command, dropped.
const EN_CONNECTORS: &[&str] = &["to", "and", "for", "about", "if", "whether", "that"];
const FR_CONNECTORS: &[&str] = &["de", "d", "et", "pour", "si", "que", "qu"];
/// Words before a trailing invocation name ("play fip on on air").
const EN_TRAILING: &[&str] = &["on", "with", "using", "from", "via"];
const FR_TRAILING: &[&str] = &["sur", "avec", "via", "depuis"];

/// Strip a leading or trailing invocation phrase from normalised tokens.
/// Leading indirect-request words ("can you") are removed too, before and after it.
pub(crate) fn strip(tokens: Vec<Token>, invocation: &str, lang: Lang) -> Stripped {
    let (launch, prefix, connectors, trailing) = match lang {
        Lang::En => (EN_LAUNCH, EN_PREFIX, EN_CONNECTORS, EN_TRAILING),
        Lang::Fr => (FR_LAUNCH, FR_PREFIX, FR_CONNECTORS, FR_TRAILING),
    };
    let mut toks = tokens;
    toks.drain(..leading_politeness_len(&toks, lang));
    if invocation.is_empty() || toks.is_empty() {
        return Stripped::Command(toks);
    }
    // Bare invocation, with or without a launch verb.
    if invocation_len(&toks, invocation) == Some(toks.len()) {
        return Stripped::Launch;
    }
    for verb in launch {
        if starts_with(&toks, verb)
            && invocation_len(&toks[verb.len()..], invocation) == Some(toks.len() - verb.len())
        {
            return Stripped::Launch;
        }
    }
    // "ask on air (to) …"
    for verb in prefix {
        if !starts_with(&toks, verb) {
            continue;
        }
        if let Some(n) = invocation_len(&toks[verb.len()..], invocation) {
            let mut cut = verb.len() + n;
            if toks
                .get(cut)
                .is_some_and(|t| connectors.contains(&t.text.as_str()))
                && cut + 1 < toks.len()
            {
                cut += 1;
            }
            toks.drain(..cut);
            toks.drain(..leading_politeness_len(&toks, lang));
            return Stripped::Command(toks);
        }
    }
    // "… on on air" / "… sur on air"
    for start in 1..toks.len() {
        if trailing.contains(&toks[start - 1].text.as_str())
            && invocation_len(&toks[start..], invocation) == Some(toks.len() - start)
            && start > 1
        {
            toks.truncate(start - 1);
            return Stripped::Command(toks);
        }
    }
    Stripped::Command(toks)
}

/// How many leading tokens spell the invocation name (spaces ignored), if they do.
fn invocation_len(tokens: &[Token], invocation: &str) -> Option<usize> {
    let mut acc = String::new();
    for (i, t) in tokens.iter().enumerate() {
        acc.push_str(&t.text);
        if acc == invocation {
            return Some(i + 1);
        }
        if !invocation.starts_with(acc.as_str()) {
            return None;
        }
    }
    None
}

/// The invocation name as compared by [`strip`]: normalised words run together.
pub(crate) fn invocation_key(name: &str, lang: Lang) -> String {
    compact(&super::normalize::texts(&super::normalize::normalize(
        name, lang,
    )))
}
