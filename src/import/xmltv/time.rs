//! XMLTV times: `YYYYMMDDhhmmss ±zzzz` with optional trailing fields, offsets in several
//! spellings and zone abbreviations.

use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;

/// Parses an XMLTV time: `YYYYMMDDhhmmss ±zzzz`, where the trailing fields may be missing
/// (`YYYYMMDDhhmm`, `YYYYMMDD`…, missing parts are zero) and so may the offset (then UTC, as
/// the XMLTV DTD says). `Z`, `UTC`, `GMT`, `±hh:mm` offsets and zone abbreviations
/// ([`zone_abbreviation`]) are accepted too.
pub fn parse_time(raw: &str) -> Result<Timestamp, String> {
    let raw = raw.trim();
    let bad = |why: &str| format!("{raw:?} {why}");
    let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
    if !matches!(digits, 4 | 6 | 8 | 10 | 12 | 14) {
        return Err(bad("is not an XMLTV time (YYYYMMDDhhmmss +zzzz)"));
    }
    let field = |from: usize, len: usize, default: i64| -> i64 {
        raw.get(from..from + len)
            .filter(|_| from + len <= digits)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let offset =
        parse_offset(raw[digits..].trim()).ok_or_else(|| bad("has an unreadable offset"))?;
    let dt = DateTime::new(
        i16::try_from(field(0, 4, 0)).map_err(|_| bad("has a bad year"))?,
        i8::try_from(field(4, 2, 1)).map_err(|_| bad("has a bad month"))?,
        i8::try_from(field(6, 2, 1)).map_err(|_| bad("has a bad day"))?,
        i8::try_from(field(8, 2, 0)).map_err(|_| bad("has a bad hour"))?,
        i8::try_from(field(10, 2, 0)).map_err(|_| bad("has a bad minute"))?,
        i8::try_from(field(12, 2, 0)).map_err(|_| bad("has a bad second"))?,
        0,
    )
    .map_err(|e| bad(&format!("is not a valid date and time ({e})")))?;
    TimeZone::fixed(offset)
        .to_timestamp(dt)
        .map_err(|e| bad(&e.to_string()))
}

/// Zone abbreviations as XMLTV grabbers write them after the time: European, North American
/// (CST is US Central), Australian and a few Asian ones. Abbreviations that name several
/// offsets in common use (IST: India, Ireland or Israel; AST: Atlantic or Arabia) are not read.
pub fn zone_abbreviation(raw: &str) -> Option<Offset> {
    let minutes: i32 = match raw.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "BST" | "CET" | "MET" | "WAT" | "WEST" => 60,
        "CEST" | "MEST" | "EET" | "SAST" | "CAT" => 120,
        "EEST" | "MSK" | "EAT" => 180,
        "PKT" => 300,
        "ICT" | "WIB" => 420,
        "AWST" | "HKT" | "SGT" => 480,
        "JST" | "KST" => 540,
        "ACST" => 570,
        "AEST" => 600,
        "ACDT" => 630,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        "ADT" => -180,
        "NST" => -210,
        "NDT" => -150,
        "EDT" => -240,
        "EST" | "CDT" => -300,
        "CST" | "MDT" => -360,
        "MST" | "PDT" => -420,
        "PST" | "AKDT" => -480,
        "AKST" => -540,
        "HST" => -600,
        _ => return None,
    };
    Offset::from_seconds(minutes * 60).ok()
}

fn parse_offset(raw: &str) -> Option<Offset> {
    if raw.is_empty() {
        return Some(Offset::UTC);
    }
    if raw.bytes().all(|b| b.is_ascii_alphabetic()) {
        return zone_abbreviation(raw);
    }
    let (sign, rest) = match raw.as_bytes().first()? {
        b'+' => (1, &raw[1..]),
        b'-' => (-1, &raw[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits.get(0..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
    if hours > 18 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().expect("ts")
    }

    #[test]
    fn full_and_partial_times() {
        assert_eq!(
            parse_time("20261121200000 +0100"),
            Ok(t("2026-11-21T19:00:00Z"))
        );
        assert_eq!(
            parse_time("202611212000 +0100"),
            Ok(t("2026-11-21T19:00:00Z"))
        );
        assert_eq!(parse_time("20261121200000"), Ok(t("2026-11-21T20:00:00Z")));
        assert_eq!(parse_time("2026112120"), Ok(t("2026-11-21T20:00:00Z")));
        assert_eq!(parse_time("20261121"), Ok(t("2026-11-21T00:00:00Z")));
        assert_eq!(
            parse_time("20261121200000 -05:30"),
            Ok(t("2026-11-22T01:30:00Z"))
        );
        assert_eq!(
            parse_time("20261121200000 Z"),
            Ok(t("2026-11-21T20:00:00Z"))
        );
    }

    #[test]
    fn zone_names_after_the_time() {
        // The XMLTV DTD's own example.
        assert_eq!(
            parse_time("200007281733 BST"),
            Ok(t("2000-07-28T16:33:00Z"))
        );
        assert_eq!(
            parse_time("20261121200000 CEST"),
            Ok(t("2026-11-21T18:00:00Z"))
        );
        assert_eq!(
            parse_time("20261121200000 EST"),
            Ok(t("2026-11-22T01:00:00Z"))
        );
        assert_eq!(
            parse_time("20261121200000 ACST"),
            Ok(t("2026-11-21T10:30:00Z"))
        );
    }

    #[test]
    fn bad_times_say_why() {
        assert!(parse_time("tomorrow").is_err());
        assert!(parse_time("2026112").is_err());
        assert!(parse_time("20261321200000").is_err());
        assert!(parse_time("20261121200000 +2500").is_err());
        assert!(parse_time("20261121200000 IST").is_err(), "ambiguous");
        assert!(parse_time("20261121200000 XYZ").is_err());
    }
}
