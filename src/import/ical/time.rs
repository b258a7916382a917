//! iCalendar DATE, DATE-TIME and DURATION values.

use super::lines::Property;
use jiff::civil::{Date, DateTime};
use jiff::{Span, Timestamp};

/// A DATE or DATE-TIME as written: the zone is applied later, once VTIMEZONEs are known.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    /// `VALUE=DATE`: an all-day value, midnight in the default zone.
    Date(Date),
    /// No zone: "floating" local time, read in the default zone.
    Floating(DateTime),
    /// `...Z`.
    Utc(Timestamp),
    /// `TZID=...`.
    Zoned(DateTime, String),
}

/// Parses a DTSTART-like property.
pub fn when(p: &Property) -> Result<When, String> {
    let raw = p.value.trim();
    value(raw, p.param("VALUE"), p.param("TZID"))
        .ok_or_else(|| format!("{} {raw:?} is not an iCalendar date or date-time", p.name))
}

/// Parses one DATE / DATE-TIME value with the property's VALUE and TZID parameters.
pub fn value(raw: &str, value_type: Option<&str>, tzid: Option<&str>) -> Option<When> {
    let raw = raw.trim();
    // `VALUE=DATE` on a value that holds a time (`DTSTART;VALUE=DATE:20261121T200000`, seen
    // in exports) is read as the date-time it is.
    let is_date = (value_type.is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        && !raw.contains(['T', 't']))
        || raw.len() == 8;
    if is_date {
        return date(raw).map(When::Date);
    }
    let (body, utc) = match raw.strip_suffix(['Z', 'z']) {
        Some(b) => (b, true),
        None => (raw, false),
    };
    let (d, t) = body.split_once(['T', 't'])?;
    let date = date(d)?;
    if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |i: usize| t[i..i + 2].parse::<i8>().ok();
    // A leap second (60) is read as 59, as jiff has no leap seconds.
    let time = jiff::civil::Time::new(num(0)?, num(2)?, num(4)?.min(59), 0).ok()?;
    let dt = date.to_datetime(time);
    if utc {
        return jiff::tz::TimeZone::UTC.to_timestamp(dt).ok().map(When::Utc);
    }
    Some(match tzid.map(str::trim).filter(|z| !z.is_empty()) {
        Some(z) => When::Zoned(dt, z.to_string()),
        None => When::Floating(dt),
    })
}

fn date(raw: &str) -> Option<Date> {
    if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Date::new(
        raw[0..4].parse().ok()?,
        raw[4..6].parse().ok()?,
        raw[6..8].parse().ok()?,
    )
    .ok()
}

/// DURATION (`P1W`, `P1DT2H30M`, `PT90M`): days and weeks stay calendar units, so "P1D" over a
/// DST change is still "the same time tomorrow". Negative durations are refused.
pub fn duration(raw: &str) -> Result<Span, String> {
    let bad = || format!("DURATION {raw:?} is not an iCalendar duration");
    let s = raw.trim();
    let s = s.strip_prefix('+').unwrap_or(s);
    if s.starts_with('-') {
        return Err(format!("DURATION {raw:?} is negative"));
    }
    let s = s.strip_prefix(['P', 'p']).ok_or_else(bad)?;
    let (date_part, time_part) = match s.split_once(['T', 't']) {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut span = Span::new();
    let mut any = false;
    for (n, unit) in units(date_part).ok_or_else(bad)? {
        any = true;
        span = match unit {
            'W' => span.try_weeks(n),
            'D' => span.try_days(n),
            _ => return Err(bad()),
        }
        .map_err(|e| e.to_string())?;
    }
    if let Some(t) = time_part {
        for (n, unit) in units(t).ok_or_else(bad)? {
            any = true;
            span = match unit {
                'H' => span.try_hours(n),
                'M' => span.try_minutes(n),
                'S' => span.try_seconds(n),
                _ => return Err(bad()),
            }
            .map_err(|e| e.to_string())?;
        }
    }
    if any {
        Ok(span)
    } else {
        Err(bad())
    }
}

/// `1W2D` → [(1,'W'), (2,'D')].
fn units(s: &str) -> Option<Vec<(i64, char)>> {
    let mut out = Vec::new();
    let mut digits = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            let n = digits.parse().ok()?;
            digits.clear();
            out.push((n, c.to_ascii_uppercase()));
        }
    }
    digits.is_empty().then_some(out)
}

/// Compact UTC form used in instance ids: `20261121T200000Z`.
pub fn compact(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn values() {
        assert_eq!(
            value("20261121", None, None),
            Some(When::Date(date(2026, 11, 21)))
        );
        assert_eq!(
            value("20261121T200000Z", None, None),
            Some(When::Utc("2026-11-21T20:00:00Z".parse().expect("ts")))
        );
        assert_eq!(
            value("20261121T200000", None, Some("Europe/Paris")),
            Some(When::Zoned(
                date(2026, 11, 21).at(20, 0, 0, 0),
                "Europe/Paris".into()
            ))
        );
        assert_eq!(
            value("20261121T200000", None, None),
            Some(When::Floating(date(2026, 11, 21).at(20, 0, 0, 0)))
        );
        assert_eq!(value("2026-11-21", None, None), None);
        assert_eq!(
            value("20261121T200000Z", Some("DATE"), None),
            Some(When::Utc("2026-11-21T20:00:00Z".parse().expect("ts")))
        );
        assert_eq!(value("20261321T200000", None, None), None);
    }

    #[test]
    fn durations() {
        assert_eq!(
            duration("PT1H30M").map(|s| s.fieldwise()),
            Ok(Span::new().hours(1).minutes(30).fieldwise())
        );
        assert_eq!(
            duration("P1W").map(|s| s.fieldwise()),
            Ok(Span::new().weeks(1).fieldwise())
        );
        assert_eq!(
            duration("P1DT2H").map(|s| s.fieldwise()),
            Ok(Span::new().days(1).hours(2).fieldwise())
        );
        assert!(duration("-PT1H").is_err());
        assert!(duration("PT").is_err());
        assert!(duration("1H").is_err());
    }
}
