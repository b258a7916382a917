//! Key encoding. Times are big-endian with the sign bit flipped, so byte order is time order and
//! every query is a range scan.

use jiff::Timestamp;

pub(super) const EVENT: &[u8] = b"e/";
pub(super) const BY_START: &[u8] = b"s/";
pub(super) const BY_STATION: &[u8] = b"t/";
pub(super) const NAME: &[u8] = b"n/";
pub(super) const WORD: &[u8] = b"w/";
pub(super) const STATION: &[u8] = b"S/";
pub(super) const EPISODE: &[u8] = b"E/";
pub(super) const BY_SHOW: &[u8] = b"h/";
pub(super) const OWNED: &[u8] = b"o/";
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

pub(super) fn name(folded: &str, kind: u8, id: &str) -> Vec<u8> {
    join(&[NAME, folded.as_bytes(), &[0, kind], id.as_bytes()])
}

pub(super) fn word(word: &str, kind: u8, id: &str) -> Vec<u8> {
    join(&[WORD, word.as_bytes(), &[0, kind], id.as_bytes()])
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

pub(super) fn owned(source: &str, kind: u8, id: &str) -> Vec<u8> {
    join(&[OWNED, source.as_bytes(), &[0, kind], id.as_bytes()])
}

pub(super) fn owned_prefix(source: &str) -> Vec<u8> {
    join(&[OWNED, source.as_bytes(), &[0]])
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
        let k = name("radio nova", b's', "radio-nova");
        assert_eq!(
            split_tagged(&k, NAME.len()),
            Some(("radio nova", b's', "radio-nova"))
        );
    }
}
