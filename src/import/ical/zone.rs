//! TZID resolution.
//!
//! TZIDs are compared unescaped and unquoted, so `TZID:Kuala Lumpur\, Singapore` in a
//! VTIMEZONE matches `DTSTART;TZID="Kuala Lumpur, Singapore"`. In order:
//! 1. a VTIMEZONE in the file that onair reads exactly: RFC 5545 says the file's definition
//!    governs, even when its TZID looks like an IANA name (a calendar defining
//!    `Europe/lisbon` with CET rules means CET). Its current STANDARD/DAYLIGHT pair, when both
//!    recur yearly on a "n-th weekday of a month" rule (what every exporter writes), becomes a
//!    POSIX TZ rule, so DST changes land on the right day; a single fixed offset is exact too;
//! 2. an IANA name (`Europe/Paris`), also at the end of a path-like TZID
//!    (`/mozilla.org/20050126_1/Europe/Paris`): jiff's bundled tz database, which knows the
//!    zone's whole history;
//! 3. a VTIMEZONE whose rules onair cannot follow (RDATE-only or one-off observances): its
//!    current standard offset, as a fixed offset;
//! 4. a Windows zone id (`Romance Standard Time`), as Outlook exports write them: the CLDR
//!    table in [`super::windows_zones`];
//! 5. otherwise the event is rejected, naming the TZID.

use super::lines::{unescape, Property};
use super::recur;
use super::time::{value, When};
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use std::collections::HashMap;

/// One STANDARD or DAYLIGHT block.
#[derive(Debug, Clone)]
pub struct Observance {
    /// DAYLIGHT (true) or STANDARD.
    pub daylight: bool,
    /// Onset, in local time before the change.
    pub start: Option<DateTime>,
    /// Offset in effect after the onset.
    pub offset_to: Option<Offset>,
    /// Its RRULE.
    pub rrule: Option<String>,
}

impl Observance {
    /// Reads the properties of one block.
    pub fn from_props(daylight: bool, props: &[Property]) -> Self {
        let mut o = Observance {
            daylight,
            start: None,
            offset_to: None,
            rrule: None,
        };
        for p in props {
            match p.name.as_str() {
                "DTSTART" => {
                    o.start = match value(&p.value, None, None) {
                        Some(When::Floating(dt)) => Some(dt),
                        Some(When::Date(d)) => Some(d.to_datetime(jiff::civil::Time::midnight())),
                        _ => None,
                    }
                }
                "TZOFFSETTO" => o.offset_to = offset(&p.value),
                "RRULE" => o.rrule = Some(p.value.clone()),
                _ => {}
            }
        }
        o
    }
}

/// `+0100`, `-0530`, `+013000`.
pub fn offset(raw: &str) -> Option<Offset> {
    let raw = raw.trim();
    let (sign, digits) = match raw.as_bytes().first()? {
        b'+' => (1, &raw[1..]),
        b'-' => (-1, &raw[1..]),
        _ => return None,
    };
    if !matches!(digits.len(), 4 | 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let part = |i: usize| digits.get(i..i + 2).and_then(|s| s.parse::<i32>().ok());
    let secs = part(0)? * 3600 + part(2)? * 60 + part(4).unwrap_or(0);
    Offset::from_seconds(sign * secs).ok()
}

/// Zones known while reading one calendar.
pub struct Zones {
    /// By normalised TZID: the zone, and whether it follows the definition exactly.
    defined: HashMap<String, (TimeZone, bool)>,
    /// Zone for floating and all-day values.
    pub default: TimeZone,
}

impl Zones {
    /// No VTIMEZONE yet.
    pub fn new(default: TimeZone) -> Self {
        Self {
            defined: HashMap::new(),
            default,
        }
    }

    /// Adds a VTIMEZONE; `Err` says why it cannot be used (the TZID then stays unknown).
    pub fn define(&mut self, tzid: &str, observances: &[Observance]) -> Result<(), String> {
        let zone = from_observances(observances)
            .ok_or_else(|| format!("VTIMEZONE {tzid:?} has no usable TZOFFSETTO"))?;
        self.defined.insert(normalise(tzid), zone);
        Ok(())
    }

    /// Whether a VTIMEZONE of the file defines this TZID.
    pub fn is_defined(&self, tzid: &str) -> bool {
        self.defined.contains_key(&normalise(tzid))
    }

    /// Resolves a TZID (see the module doc for the order).
    pub fn resolve(&self, tzid: &str) -> Option<TimeZone> {
        let key = normalise(tzid);
        let defined = self.defined.get(&key);
        defined
            .filter(|(_, exact)| *exact)
            .map(|(tz, _)| tz.clone())
            .or_else(|| iana(&key))
            .or_else(|| defined.map(|(tz, _)| tz.clone()))
            .or_else(|| windows(&key))
    }
}

/// A TZID as compared: unescaped (`\,` → `,`), without quotes and outer spaces.
fn normalise(tzid: &str) -> String {
    unescape(tzid.trim().trim_matches('"')).trim().to_string()
}

fn iana(tzid: &str) -> Option<TimeZone> {
    let tzid = tzid.trim().trim_matches('"');
    if let Ok(tz) = TimeZone::get(tzid) {
        return Some(tz);
    }
    // Path-like TZIDs: try the last two, then the last three segments.
    let parts: Vec<&str> = tzid.split('/').filter(|p| !p.is_empty()).collect();
    (2..=3.min(parts.len()))
        .filter_map(|n| TimeZone::get(&parts[parts.len() - n..].join("/")).ok())
        .next()
}

/// A Windows zone id as Outlook and Exchange write them, mapped to its IANA zone.
fn windows(tzid: &str) -> Option<TimeZone> {
    super::windows_zones::iana_name(tzid).and_then(|iana| TimeZone::get(iana).ok())
}

/// The current rules of a VTIMEZONE as a jiff zone, and whether they are followed exactly
/// (a yearly rule pair, or one offset throughout).
fn from_observances(obs: &[Observance]) -> Option<(TimeZone, bool)> {
    let latest = |daylight: bool| {
        obs.iter()
            .filter(|o| o.daylight == daylight && o.offset_to.is_some())
            .max_by_key(|o| o.start)
    };
    let std = latest(false).or_else(|| latest(true))?;
    let std_offset = std.offset_to?;
    if let Some(dst) = latest(true).filter(|d| !std.daylight && d.offset_to != Some(std_offset)) {
        if let Some(tz) = posix(std, dst) {
            return Some((tz, true));
        }
    }
    let one_offset = obs
        .iter()
        .filter_map(|o| o.offset_to)
        .all(|o| o == std_offset);
    Some((TimeZone::fixed(std_offset), one_offset))
}

/// `STD-1DST-2,M3.5.0/2,M10.5.0/3` from a STANDARD and a DAYLIGHT observance.
fn posix(std: &Observance, dst: &Observance) -> Option<TimeZone> {
    let rule = |o: &Observance| -> Option<String> {
        let r = recur::parse(o.rrule.as_deref()?).ok()?;
        let start = o.start?;
        if r.freq != recur::Freq::Yearly || r.by_month.len() != 1 || r.by_day.len() != 1 {
            return None;
        }
        let (ord, wd) = r.by_day[0];
        let week = match (ord, r.by_month_day.as_slice()) {
            (1..=4, []) => ord,
            (-1, []) => 5,
            // "SU on or after the 8th": BYDAY=SU;BYMONTHDAY=8,...,14.
            (0, days) if days.len() == 7 && days.windows(2).all(|w| w[1] == w[0] + 1) => {
                match days[0] {
                    1 => 1,
                    8 => 2,
                    15 => 3,
                    22 => 4,
                    _ => return None,
                }
            }
            _ => return None,
        };
        let t = start.time();
        Some(format!(
            "M{}.{}.{}/{}:{:02}:{:02}",
            r.by_month[0],
            week,
            wd.to_sunday_zero_offset(),
            t.hour(),
            t.minute(),
            t.second()
        ))
    };
    let spec = format!(
        "STD{}DST{},{},{}",
        posix_offset(std.offset_to?),
        posix_offset(dst.offset_to?),
        rule(dst)?,
        rule(std)?
    );
    TimeZone::posix(&spec).ok()
}

/// POSIX writes offsets west-positive: UTC+01:00 is "-1".
fn posix_offset(o: Offset) -> String {
    let secs = -o.seconds();
    let sign = if secs < 0 { "-" } else { "" };
    let a = secs.abs();
    format!("{sign}{}:{:02}:{:02}", a / 3600, (a % 3600) / 60, a % 60)
}

#[cfg(test)]
mod tests {
    use super::super::lines::parse_property;
    use super::*;
    use jiff::civil::date;

    fn obs(daylight: bool, lines: &[&str]) -> Observance {
        let props: Vec<Property> = lines.iter().filter_map(|l| parse_property(l, 1)).collect();
        Observance::from_props(daylight, &props)
    }

    fn paris_like() -> Vec<Observance> {
        vec![
            obs(
                true,
                &[
                    "DTSTART:19810329T020000",
                    "TZOFFSETFROM:+0100",
                    "TZOFFSETTO:+0200",
                    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
                ],
            ),
            obs(
                false,
                &[
                    "DTSTART:19961027T030000",
                    "TZOFFSETFROM:+0200",
                    "TZOFFSETTO:+0100",
                    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
                ],
            ),
        ]
    }

    #[test]
    fn vtimezone_rules_follow_dst() {
        let mut zones = Zones::new(TimeZone::UTC);
        zones.define("Paris Time", &paris_like()).expect("define");
        let tz = zones.resolve("Paris Time").expect("known");
        let summer = tz
            .to_timestamp(date(2026, 7, 1).at(12, 0, 0, 0))
            .expect("ts");
        let winter = tz
            .to_timestamp(date(2026, 12, 1).at(12, 0, 0, 0))
            .expect("ts");
        assert_eq!(summer.to_string(), "2026-07-01T10:00:00Z");
        assert_eq!(winter.to_string(), "2026-12-01T11:00:00Z");
        // The October 2026 change is on Sunday the 25th at 03:00 local.
        let before = tz
            .to_timestamp(date(2026, 10, 25).at(1, 30, 0, 0))
            .expect("ts");
        let after = tz
            .to_timestamp(date(2026, 10, 25).at(4, 0, 0, 0))
            .expect("ts");
        assert_eq!(before.to_string(), "2026-10-24T23:30:00Z");
        assert_eq!(after.to_string(), "2026-10-25T03:00:00Z");
    }

    #[test]
    fn fixed_offset_when_no_rules() {
        let mut zones = Zones::new(TimeZone::UTC);
        zones
            .define(
                "Studio",
                &[obs(false, &["DTSTART:19700101T000000", "TZOFFSETTO:+0530"])],
            )
            .expect("define");
        let tz = zones.resolve("Studio").expect("known");
        let t = tz
            .to_timestamp(date(2026, 7, 1).at(12, 0, 0, 0))
            .expect("ts");
        assert_eq!(t.to_string(), "2026-07-01T06:30:00Z");
    }

    #[test]
    fn the_file_definition_governs_an_iana_looking_name() {
        let mut zones = Zones::new(TimeZone::UTC);
        // Lisbon is on WET (UTC+0 in winter); this file defines the name with CET rules.
        zones
            .define("Europe/lisbon", &paris_like())
            .expect("define");
        let tz = zones.resolve("Europe/lisbon").expect("known");
        let winter = tz
            .to_timestamp(date(2026, 12, 1).at(12, 0, 0, 0))
            .expect("ts");
        assert_eq!(winter.to_string(), "2026-12-01T11:00:00Z");
    }

    #[test]
    fn escaped_commas_in_tzid_match() {
        let mut zones = Zones::new(TimeZone::UTC);
        zones
            .define(
                "Kuala Lumpur\\, Singapore",
                &[obs(false, &["DTSTART:16010101T000000", "TZOFFSETTO:+0800"])],
            )
            .expect("define");
        let tz = zones.resolve("\"Kuala Lumpur, Singapore\"").expect("known");
        let t = tz
            .to_timestamp(date(2026, 7, 1).at(12, 0, 0, 0))
            .expect("ts");
        assert_eq!(t.to_string(), "2026-07-01T04:00:00Z");
    }

    #[test]
    fn names_resolve_in_order() {
        let zones = Zones::new(TimeZone::UTC);
        assert!(zones.resolve("Europe/Paris").is_some());
        assert!(zones
            .resolve("/mozilla.org/20050126_1/Europe/Paris")
            .is_some());
        assert!(zones.resolve("Romance Standard Time").is_some());
        assert!(zones.resolve("Malay Peninsula Standard Time").is_some());
        assert!(zones.resolve("Atlantis/Capital").is_none());
    }
}
