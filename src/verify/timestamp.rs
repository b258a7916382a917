//! Replay protection through `request.timestamp` (protocol.md §5.6).
//!
//! Both directions are checked: a timestamp far in the future is as suspicious as an
//! old one (it would let a captured request be replayed later). The bound is
//! inclusive: a skew of exactly the tolerance is accepted.

use std::time::Duration;

use jiff::{civil::DateTime, tz::TimeZone, Timestamp};

use super::error::{clip, VerifyError};

/// Prefix of the skill-event request types that Amazon may deliver late and that
/// therefore get the larger `skill_event_tolerance`.
pub const SKILL_EVENT_PREFIX: &str = "AlexaSkillEvent.";

/// Reads `request.timestamp`.
///
/// Accepted forms: an ISO-8601/RFC 3339 string with offset (`2026-11-21T19:04:05Z`);
/// the same without an offset, read as UTC (Alexa timestamps are UTC and several
/// public fixtures omit the `Z`); an integer number of epoch milliseconds.
pub(super) fn parse(raw: Option<&serde_json::Value>) -> Result<Timestamp, VerifyError> {
    match raw {
        None | Some(serde_json::Value::Null) => Err(VerifyError::MissingTimestamp),
        Some(serde_json::Value::String(text)) => parse_text(text),
        Some(serde_json::Value::Number(number)) => number
            .as_i64()
            .and_then(|ms| Timestamp::from_millisecond(ms).ok())
            .ok_or_else(|| VerifyError::BadTimestamp(clip(&number.to_string()))),
        Some(other) => Err(VerifyError::BadTimestamp(clip(&other.to_string()))),
    }
}

fn parse_text(text: &str) -> Result<Timestamp, VerifyError> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    text.parse::<DateTime>()
        .ok()
        .and_then(|dt| TimeZone::UTC.to_timestamp(dt).ok())
        .ok_or_else(|| VerifyError::BadTimestamp(clip(text)))
}

/// The tolerance that applies to `request_type`.
pub(super) fn tolerance_for(
    request_type: Option<&str>,
    tolerance: Duration,
    skill_event_tolerance: Duration,
) -> Duration {
    match request_type {
        Some(kind) if kind.starts_with(SKILL_EVENT_PREFIX) => skill_event_tolerance,
        _ => tolerance,
    }
}

/// Fails when `sent` differs from `now` by more than `tolerance`.
pub(super) fn check_freshness(
    sent: Timestamp,
    now: Timestamp,
    tolerance: Duration,
) -> Result<(), VerifyError> {
    // Milliseconds in i128: no overflow for any pair of jiff timestamps.
    let skew_ms = i128::from(now.as_millisecond()) - i128::from(sent.as_millisecond());
    let limit_ms = i128::try_from(tolerance.as_millis()).unwrap_or(i128::MAX);
    let skew_secs = i64::try_from(skew_ms.abs() / 1000).unwrap_or(i64::MAX);
    if skew_ms > limit_ms {
        Err(VerifyError::StaleTimestamp { skew_secs })
    } else if -skew_ms > limit_ms {
        Err(VerifyError::FutureTimestamp { skew_secs })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ts(text: &str) -> Timestamp {
        text.parse().expect("test timestamp")
    }

    #[test]
    fn parses_all_accepted_forms() {
        let expected = ts("2015-05-13T12:34:56Z");
        assert_eq!(parse(Some(&json!("2015-05-13T12:34:56Z"))), Ok(expected));
        assert_eq!(parse(Some(&json!("2015-05-13T12:34:56"))), Ok(expected));
        assert_eq!(
            parse(Some(&json!("2015-05-13T14:34:56+02:00"))),
            Ok(expected)
        );
        assert_eq!(parse(Some(&json!(1431520496000_i64))), Ok(expected));
        assert_eq!(
            parse(Some(&json!("2015-05-13T12:34:56.250Z"))),
            Ok(ts("2015-05-13T12:34:56.25Z"))
        );
    }

    #[test]
    fn refuses_missing_and_garbage() {
        assert_eq!(parse(None), Err(VerifyError::MissingTimestamp));
        assert_eq!(
            parse(Some(&json!(null))),
            Err(VerifyError::MissingTimestamp)
        );
        for bad in [
            json!("string"),
            json!(1.5),
            json!(true),
            json!({}),
            json!(u64::MAX),
        ] {
            assert_eq!(
                parse(Some(&bad)).map_err(|e| e.reason()),
                Err("bad_timestamp")
            );
        }
    }

    #[test]
    fn freshness_bound_is_inclusive_in_both_directions() {
        let now = ts("2026-01-15T12:00:00Z");
        let tol = Duration::from_secs(150);
        let at = |secs: i64| Timestamp::from_second(now.as_second() + secs).expect("in range");
        assert_eq!(check_freshness(at(-150), now, tol), Ok(()));
        assert_eq!(check_freshness(at(150), now, tol), Ok(()));
        assert_eq!(
            check_freshness(at(-151), now, tol),
            Err(VerifyError::StaleTimestamp { skew_secs: 151 })
        );
        assert_eq!(
            check_freshness(at(151), now, tol),
            Err(VerifyError::FutureTimestamp { skew_secs: 151 })
        );
    }

    #[test]
    fn skill_events_get_the_larger_tolerance() {
        let (short, long) = (Duration::from_secs(150), Duration::from_secs(3600));
        assert_eq!(
            tolerance_for(Some("AlexaSkillEvent.SkillEnabled"), short, long),
            long
        );
        assert_eq!(tolerance_for(Some("IntentRequest"), short, long), short);
        assert_eq!(tolerance_for(Some("alexaskillevent.x"), short, long), short);
        assert_eq!(tolerance_for(None, short, long), short);
    }
}
