//! AudioPlayer stream tokens: versioned, unique per play, and never trusted.
//!
//! Layout: `onair1.<kind>.<nonce>.<id>`. The id comes last so it may contain dots. A token that
//! does not parse (older version, forged, empty) is an unknown item, not an error.

use crate::schedule::Id;
use crate::store::PlayItem;

const VERSION: &str = "onair1";

/// Builds a fresh token for `item`, unique thanks to a random nonce.
pub fn issue(item: &PlayItem) -> String {
    let nonce: u64 = rand::random();
    let (kind, id) = parts(item);
    format!("{VERSION}.{kind}.{nonce:016x}.{id}")
}

fn parts(item: &PlayItem) -> (char, &str) {
    match item {
        PlayItem::Event(id) => ('e', id),
        PlayItem::Station(id) => ('s', id),
        PlayItem::Episode(id) => ('p', id),
    }
}

/// What a token plays, or `None` for anything that is not a valid current token.
pub fn parse(token: &str) -> Option<PlayItem> {
    if token.len() > crate::alexa::policy::MAX_TOKEN_CHARS {
        return None;
    }
    let mut it = token.splitn(4, '.');
    let (version, kind, nonce, id) = (it.next()?, it.next()?, it.next()?, it.next()?);
    if version != VERSION || nonce.len() != 16 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let id = Id::parse(id).ok()?.as_str().to_string();
    match kind {
        "e" => Some(PlayItem::Event(id)),
        "s" => Some(PlayItem::Station(id)),
        "p" => Some(PlayItem::Episode(id)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_unique() {
        let item = PlayItem::Event("ev.42:x".into());
        let a = issue(&item);
        let b = issue(&item);
        assert_ne!(a, b);
        assert_eq!(parse(&a), Some(item));
        assert!(a.len() <= 1024);
    }

    #[test]
    fn garbage_is_unknown() {
        for t in [
            "",
            "THIS_IS_SOME_RANDOM_STRING",
            "onair0.e.0123456789abcdef.x",
            "onair1.z.0123456789abcdef.x",
            "onair1.e.xyz.x",
            "onair1.e.0123456789abcdef.",
            "onair1.e.0123456789abcdef.a b",
        ] {
            assert_eq!(parse(t), None, "{t}");
        }
        assert_eq!(parse(&"x".repeat(5000)), None);
    }
}
