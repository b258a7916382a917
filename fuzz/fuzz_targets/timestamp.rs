//! Request timestamps, as strings and as epoch milliseconds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onair::alexa::time::RequestTime;

fuzz_target!(|data: &[u8]| {
    if let Ok(raw) = std::str::from_utf8(data) {
        let _ = RequestTime::parse_str(raw);
    }
    if let Ok(bytes) = <[u8; 8]>::try_from(data) {
        let _ = RequestTime::from_millis(i64::from_le_bytes(bytes));
    }
});
