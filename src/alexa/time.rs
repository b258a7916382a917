//! `request.timestamp` in every form real traffic and SDK fixtures use.

use jiff::Timestamp;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// The instant a request was made. Alexa sends ISO-8601 UTC strings; some skill events and
/// third-party fixtures send epoch milliseconds, and old fixtures omit the zone (read as UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct RequestTime(pub Timestamp);

impl RequestTime {
    /// Parses the string form: RFC 3339 with an offset, or a civil date-time taken as UTC.
    pub fn parse_str(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if let Ok(ts) = raw.parse::<Timestamp>() {
            return Ok(Self(ts));
        }
        match raw.parse::<jiff::civil::DateTime>() {
            Ok(civil) => civil
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| Self(z.timestamp()))
                .map_err(|e| format!("timestamp {raw:?} is out of range: {e}")),
            Err(_) => Err(format!(
                "timestamp {raw:?} is neither ISO-8601 (e.g. 2026-11-21T19:04:05Z) nor epoch milliseconds"
            )),
        }
    }

    /// Converts epoch milliseconds, refusing values outside the representable range.
    pub fn from_millis(ms: i64) -> Result<Self, String> {
        Timestamp::from_millisecond(ms)
            .map(Self)
            .map_err(|e| format!("epoch milliseconds {ms} are out of range: {e}"))
    }
}

impl<'de> Deserialize<'de> for RequestTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = RequestTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO-8601 timestamp string or epoch milliseconds")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RequestTime, E> {
                RequestTime::parse_str(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RequestTime, E> {
                RequestTime::from_millis(v).map_err(E::custom)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RequestTime, E> {
                let ms = i64::try_from(v).map_err(|_| E::custom("epoch milliseconds too large"))?;
                RequestTime::from_millis(ms).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<RequestTime, E> {
                if v.fract() != 0.0 || !v.is_finite() {
                    return Err(E::custom("epoch milliseconds must be a whole number"));
                }
                // Range is checked by from_millis; the cast saturates rather than wrapping.
                RequestTime::from_millis(v as i64).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(TimeVisitor)
    }
}

impl Serialize for RequestTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_with_z_offset_and_fraction() {
        let t: RequestTime = serde_json::from_str("\"2026-11-21T19:04:05Z\"").expect("parse");
        assert_eq!(t.0.as_second(), 1_795_287_845);
        let t: RequestTime =
            serde_json::from_str("\"2026-11-21T20:04:05.250+01:00\"").expect("parse");
        assert_eq!(t.0.as_millisecond(), 1_795_287_845_250);
    }

    #[test]
    fn civil_time_without_zone_is_utc() {
        let t: RequestTime = serde_json::from_str("\"2019-07-03T00:00:00\"").expect("parse");
        assert_eq!(t.0.to_string(), "2019-07-03T00:00:00Z");
    }

    #[test]
    fn epoch_millis() {
        let t: RequestTime = serde_json::from_str("1431520496000").expect("parse");
        assert_eq!(t.0.to_string(), "2015-05-13T12:34:56Z");
    }

    #[test]
    fn rejects_garbage_clearly() {
        let err = serde_json::from_str::<RequestTime>("\"yesterday\"").expect_err("must fail");
        assert!(err.to_string().contains("neither ISO-8601"), "{err}");
        assert!(serde_json::from_str::<RequestTime>("true").is_err());
        assert!(serde_json::from_str::<RequestTime>("1e300").is_err());
        assert!(serde_json::from_str::<RequestTime>("99999999999999999").is_err());
    }

    #[test]
    fn serializes_as_utc_iso() {
        let t = RequestTime::from_millis(1_431_520_496_000).expect("ok");
        assert_eq!(
            serde_json::to_string(&t).expect("ser"),
            "\"2015-05-13T12:34:56Z\""
        );
    }
}
