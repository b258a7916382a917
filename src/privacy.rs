//! Hashing of personal identifiers. Raw user and device ids never reach storage keys or logs.

use sha2::{Digest, Sha256};

fn hashed(domain: &str, raw: &str) -> String {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update([0]);
    h.update(raw.as_bytes());
    hex::encode(&h.finalize()[..16])
}

/// Storage key of a listener: a hash of the user id (which is itself per-skill).
pub fn user_key(user_id: &str) -> String {
    hashed("onair-user", user_id)
}

/// Storage key of a device, for the cached time zone.
pub fn device_key(device_id: &str) -> String {
    hashed("onair-device", device_id)
}

/// A short form of a listener key for logs: enough to follow one listener, useless to identify.
pub fn log_id(user_id: &str) -> String {
    user_key(user_id)[..12].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_stable_and_distinct() {
        let a = user_key("amzn1.ask.account.A");
        assert_eq!(a, user_key("amzn1.ask.account.A"));
        assert_ne!(a, user_key("amzn1.ask.account.B"));
        assert_ne!(a, device_key("amzn1.ask.account.A"));
        assert_eq!(a.len(), 32);
        assert!(!a.contains("amzn1"));
        assert_eq!(log_id("amzn1.ask.account.A").len(), 12);
    }
}
