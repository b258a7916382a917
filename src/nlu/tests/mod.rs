//! Unit tests of the parsers and of the pipeline pieces (kept out of the source files so
//! those stay short). Self-contained: the test model lives in `data/` next to them.

mod dates;
mod engine;
mod model;
mod normalize;
mod numbers;
mod times;

use jiff::civil::Date;

use super::normalize::{normalize, texts};
use super::Lang;

/// A civil date for tests (panics on a typo in the test itself, which is what we want).
fn day(y: i16, m: i8, d: i8) -> Date {
    Date::new(y, m, d).expect("valid test date")
}

/// Normalised words of `s`, as the parsers receive them.
fn words(s: &str, lang: Lang) -> Vec<String> {
    texts(&normalize(s, lang))
        .into_iter()
        .map(str::to_string)
        .collect()
}
