//! Name folding and scoring: bounded output and a score in [0, 1] for any two inputs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onair::schedule::names::{fold, score, MAX_NAME_CHARS};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (a, b) = text.split_at(text.char_indices().nth(text.chars().count() / 2).map_or(0, |(i, _)| i));
    let (fa, fb) = (fold(a), fold(b));
    assert!(fa.chars().count() <= MAX_NAME_CHARS);
    let s = score(&fa, &fb);
    assert!((0.0..=1.0).contains(&s), "{s}");
});
