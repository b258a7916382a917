//! The request envelope parser: any bytes give an envelope or an error, never a panic, and an
//! accepted envelope is within Alexa's bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onair::alexa::RequestEnvelope;

fuzz_target!(|data: &[u8]| {
    if let Ok(env) = RequestEnvelope::from_slice(data) {
        assert!(onair::alexa::bounds::check(&env).is_ok());
        let _ = env.user_id();
        let _ = env.device_id();
        let _ = env.attributes();
    }
});
