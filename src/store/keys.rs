//! Key encoding. Times are big-endian with the sign bit flipped, so byte order is time order and
//! every query is a range scan.

use jiff::Timestamp;

pub(super) const EVENT: &[u8] = b"e/";
pub(super) const BY_START: &[u8] = b"s/";
pub(super) const BY_STATION: &[u8] = b"t/";
/// Retired with layout 2 (exact names now live in the word index); kept to clear old stores.
pub(super) const LEGACY_NAME: &[u8] = b"n/";
pub(super) const WORD: &[u8] = b"w/";
pub(super) const STATION: &[u8] = b"S/";
pub(super) const EPISODE: &[u8] = b"E/";
pub(super) const BY_SHOW: &[u8] = b"h/";
/// Per-record ownership keys of layout 1, replaced by packed lists under [`PROVIDES`].
pub(super) const LEGACY_OWNED: &[u8] = b"o/";
pub(super) const PROVIDES: &[u8] = b"p/";
pub(super) const META_MAX_DURATION: &[u8] = b"m/max_duration";
pub(super) const META_SCHEMA: &[u8] = b"m/schema";

/// Sortable encoding of a time in whole seconds.
pub(super) fn time(t: Timestamp) -> [u8; 8] {
    ((t.as_second() as u64) ^ (1 << 63)).to_be_bytes()
}

pub(super) fn join(parts: &[&[u8]]) -> Vec<u8> {
    let mut k = Vec::with_capacity(parts.iter().map(|p| p.len()).sum());
    for p in parts {
        k.extend_from_slice(p);
    }
    k
}

pub(super) fn event(id: &str) -> Vec<u8> {
    join(&[EVENT, id.as_bytes()])
}

pub(super) fn station(id: &str) -> Vec<u8> {
    join(&[STATION, id.as_bytes()])
}

pub(super) fn episode(id: &str) -> Vec<u8> {
    join(&[EPISODE, id.as_bytes()])
}

pub(super) fn by_start(start: Timestamp, id: &str) -> Vec<u8> {
    join(&[BY_START, &time(start), id.as_bytes()])
}

pub(super) fn by_station(station: &str, start: Timestamp, id: &str) -> Vec<u8> {
    join(&[
        BY_STATION,
        station.as_bytes(),
        &[0],
        &time(start),
        id.as_bytes(),
    ])
}

pub(super) fn by_station_prefix(station: &str) -> Vec<u8> {
    join(&[BY_STATION, station.as_bytes(), &[0]])
}

/// A name index entry: `w/ word 0 name 0 kind id`. The whole folded name sits in the key, so an
/// exact look-up is one prefix scan (`word 0 name 0`) and a near-match scan over a word scores
/// names without reading any record.
pub(super) fn word(word: &str, name: &str, kind: u8, id: &str) -> Vec<u8> {
    join(&[
        WORD,
        word.as_bytes(),
        &[0],
        name.as_bytes(),
        &[0, kind],
        id.as_bytes(),
    ])
}

/// Prefix of every entry of `name` under `word`.
pub(super) fn word_and_name_prefix(word: &str, name: &str) -> Vec<u8> {
    join(&[WORD, word.as_bytes(), &[0], name.as_bytes(), &[0]])
}

/// Splits a name index key into (name, kind, id).
pub(super) fn split_word(key: &[u8]) -> Option<(&str, u8, &str)> {
    let rest = key.get(WORD.len()..)?;
    let nul = rest.iter().position(|b| *b == 0)?;
    split_tagged(rest, nul + 1)
}

pub(super) fn by_show(show: &str, published: Timestamp, id: &str) -> Vec<u8> {
    join(&[
        BY_SHOW,
        show.as_bytes(),
        &[0],
        &time(published),
        id.as_bytes(),
    ])
}

/// Splits `prefix ++ text ++ 0 ++ kind ++ id` into (text, kind, id).
pub(super) fn split_tagged(key: &[u8], prefix_len: usize) -> Option<(&str, u8, &str)> {
    let rest = key.get(prefix_len..)?;
    let nul = rest.iter().position(|b| *b == 0)?;
    let text = std::str::from_utf8(&rest[..nul]).ok()?;
    let kind = *rest.get(nul + 1)?;
    let id = std::str::from_utf8(rest.get(nul + 2..)?).ok()?;
    Some((text, kind, id))
}

/// The id after a fixed-length time inside `prefix ++ 8 bytes ++ id`.
pub(super) fn id_after_time(key: &[u8], prefix_len: usize) -> Option<&str> {
    std::str::from_utf8(key.get(prefix_len + 8..)?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_order_is_byte_order() {
        let times = [
            "1969-07-20T20:17:00Z",
            "1970-01-01T00:00:00Z",
            "2026-11-21T20:00:00Z",
        ];
        let keys: Vec<[u8; 8]> = times.iter().map(|t| time(t.parse().expect("ts"))).collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn tagged_keys_round_trip() {
        let k = join(&[WORD, b"radio nova", &[0, b's'], b"radio-nova"]);
        assert_eq!(
            split_tagged(&k, WORD.len()),
            Some(("radio nova", b's', "radio-nova"))
        );
    }

    #[test]
    fn word_keys_round_trip_and_group_by_name() {
        let k = word("nova", "radio nova", b's', "radio-nova");
        assert_eq!(split_word(&k), Some(("radio nova", b's', "radio-nova")));
        assert!(k.starts_with(&word_and_name_prefix("nova", "radio nova")));
        assert!(!k.starts_with(&word_and_name_prefix("nova", "radio")));
        assert_eq!(split_word(b"w/nova"), None);
    }
}
