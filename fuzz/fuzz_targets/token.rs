//! Stream tokens: parsing any text never panics, and what onair issues parses back.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(token) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(item) = onair::skill::token::parse(token) {
        let again = onair::skill::token::issue(&item);
        assert_eq!(onair::skill::token::parse(&again), Some(item));
    }
});
