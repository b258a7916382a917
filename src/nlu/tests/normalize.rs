//! Tokenising, canonical forms, filler words, invocation phrases and hostile input.

use pretty_assertions::assert_eq;

use super::super::invocation::{invocation_key, strip, Stripped};
use super::super::normalize::{normalize, texts, MAX_TOKENS, MAX_TOKEN_CHARS};
use super::super::Lang::{En, Fr};
use super::words;

#[test]
fn apostrophes_fold_the_same_way_everywhere() {
    let want = vec!["whats", "on"];
    for s in [
        "what's on",
        "whats on",
        "what s on",
        "What\u{2019}s ON?",
        "what is on",
    ] {
        assert_eq!(words(s, En), want, "{s:?}");
    }
    assert_eq!(words("o'clock", En), ["oclock"]);
    assert_eq!(words("o clock", En), ["oclock"]);
    assert_eq!(words("l'après-midi", Fr), ["l", "apres", "midi"]);
    assert_eq!(words("aujourd'hui", Fr), words("aujourdhui", Fr));
    assert_eq!(
        words("qu'est-ce qu'il y a", Fr),
        ["qu", "est", "ce", "qu", "il", "y", "a"]
    );
}

#[test]
fn accents_case_punctuation_and_digits() {
    assert_eq!(words("Beyoncé", En), ["beyonce"]);
    assert_eq!(words("Beyonce\u{301}", En), ["beyonce"], "combining accent");
    assert_eq!(words("LUMIÈRE  FM!!", Fr), ["lumiere", "fm"]);
    assert_eq!(words("AC/DC", En), ["ac", "dc"]);
    assert_eq!(words("a c d c", En), ["a", "c", "d", "c"]);
    assert_eq!(words("9pm", En), ["9", "pm"]);
    assert_eq!(words("21h30", Fr), ["21", "h", "30"]);
    assert_eq!(words("R&B", En), ["r", "and", "b"]);
    assert_eq!(words("week-end", Fr), ["week", "end"]);
    assert_eq!(words("this week end", En), ["this", "weekend"]);
    assert_eq!(words("Œuvre", Fr), ["oeuvre"]);
}

#[test]
fn filler_words_are_dropped() {
    assert_eq!(words("um play uh nova please", En), ["play", "nova"]);
    assert_eq!(words("euh mets nova s'il te plaît", Fr), ["mets", "nova"]);
    assert_eq!(words("mets nova s'il vous plait", Fr), ["mets", "nova"]);
}

#[test]
fn tokens_remember_their_original_text() {
    let s = "Play  «Radio Nova»!";
    let toks = normalize(s, En);
    assert_eq!(texts(&toks), ["play", "radio", "nova"]);
    assert_eq!(&s[toks[1].start..toks[2].end], "Radio Nova");
}

#[test]
fn hostile_input_is_bounded_and_never_panics() {
    let long_words = "blah ".repeat(10_000);
    assert_eq!(normalize(&long_words, En).len(), MAX_TOKENS);
    let one_word = "x".repeat(10_000);
    let toks = normalize(&one_word, En);
    assert_eq!(toks.len(), 1);
    assert_eq!(toks[0].text.len(), MAX_TOKEN_CHARS);
    for s in [
        "🎵🎶🎸 play 🎤 nova 🎧",
        "شغل راديو نوفا",
        "\u{202E}play nova\u{202C}",
        "e\u{301}\u{302}\u{303}\u{304}",
        "\u{301}\u{301}",
        "播放 音乐",
        "\0\u{7}\u{FEFF}\u{200B}",
        "ﬁ ﬂ Ⅻ ½ ²",
    ] {
        for lang in [En, Fr] {
            for t in normalize(s, lang) {
                assert!(t.start <= t.end && t.end <= s.len());
                assert!(s.is_char_boundary(t.start) && s.is_char_boundary(t.end));
            }
        }
    }
    assert_eq!(words("🎵🎶🎸 play 🎤 nova 🎧", En), ["play", "nova"]);
}

fn stripped(s: &str, lang: super::super::Lang) -> Option<Vec<String>> {
    match strip(normalize(s, lang), &invocation_key("on air", lang), lang) {
        Stripped::Launch => None,
        Stripped::Command(t) => Some(texts(&t).into_iter().map(str::to_string).collect()),
    }
}

#[test]
fn invocation_phrases() {
    let cmd = |s: &[&str]| Some(s.iter().map(|x| x.to_string()).collect::<Vec<_>>());
    assert_eq!(
        stripped("ask on air to play nova", En),
        cmd(&["play", "nova"])
    );
    assert_eq!(
        stripped("Ask On Air, play nova", En),
        cmd(&["play", "nova"])
    );
    assert_eq!(stripped("tell onair to pause", En), cmd(&["pause"]));
    assert_eq!(stripped("ask on-air what's on", En), cmd(&["whats", "on"]));
    assert_eq!(
        stripped("open on air and play nova", En),
        cmd(&["play", "nova"])
    );
    assert_eq!(stripped("play nova on on air", En), cmd(&["play", "nova"]));
    assert_eq!(stripped("can you play nova", En), cmd(&["play", "nova"]));
    assert_eq!(stripped("play on air", En), cmd(&["play", "on", "air"]));
    assert_eq!(stripped("open on air", En), None);
    assert_eq!(stripped("launch on air please", En), None);
    assert_eq!(stripped("on air", En), None);
    assert_eq!(stripped("ask on air", En), None);
    assert_eq!(
        stripped("demande à on air de mettre nova", Fr),
        cmd(&["mettre", "nova"])
    );
    assert_eq!(
        stripped("demande à on air d'ouvrir nova", Fr),
        cmd(&["ouvrir", "nova"])
    );
    assert_eq!(
        stripped("peux-tu mettre nova sur on air", Fr),
        cmd(&["mettre", "nova"])
    );
    assert_eq!(stripped("ouvre on air", Fr), None);
    assert_eq!(stripped("lance on air", Fr), None);
}
