//! AMAZON.DATE and AMAZON.TIME slot values turned into a window of local time.
//!
//! All arithmetic is done on civil dates and times in the listener's zone and converted with
//! jiff, so a window that spans a DST change is still "Saturday 00:00 to Monday 00:00" locally.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};

/// What the listener asked about, for the spoken label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Label {
    /// Right now.
    Now,
    /// Today (or tonight, after 5 PM or with an evening period).
    Today {
        /// Evening wording.
        tonight: bool,
    },
    /// Tomorrow.
    Tomorrow,
    /// A given day.
    Day(Date),
    /// A day and an exact time.
    DayAt(Date, Time),
    /// A day and a period of it.
    DayPart(Date, DayPart),
    /// A weekend.
    Weekend,
    /// A week.
    Week,
    /// A month or longer.
    Longer,
    /// No date given: the rest of today.
    Default,
}

/// Periods of the day Alexa sends as AMAZON.TIME values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayPart {
    /// `MO`, 05:00–12:00.
    Morning,
    /// `AF`, 12:00–17:00.
    Afternoon,
    /// `EV`, 17:00–24:00.
    Evening,
    /// `NI`, 20:00–04:00.
    Night,
}

impl DayPart {
    fn parse(raw: &str) -> Option<Self> {
        match raw {
            "MO" => Some(Self::Morning),
            "AF" => Some(Self::Afternoon),
            "EV" => Some(Self::Evening),
            "NI" => Some(Self::Night),
            _ => None,
        }
    }

    /// Start and end hours; the end may pass midnight (hours ≥ 24).
    fn hours(self) -> (i64, i64) {
        match self {
            Self::Morning => (5, 12),
            Self::Afternoon => (12, 17),
            Self::Evening => (17, 24),
            Self::Night => (20, 28),
        }
    }
}

/// A time window to list events in.
#[derive(Debug, Clone, PartialEq)]
pub struct Window {
    /// Inclusive start (never before now).
    pub from: Timestamp,
    /// Exclusive end.
    pub to: Timestamp,
    /// How to say it.
    pub label: Label,
}

/// Hours after an exact time that "what's on at 9 PM" covers.
const AT_TIME_HOURS: i64 = 3;
/// Late-night hours of the next morning that still count as "today" or "tonight".
const LATE_NIGHT_HOURS: i64 = 4;

fn at(date: Date, hour: i64, tz: &TimeZone) -> Timestamp {
    let midnight = DateTime::from_parts(date, Time::midnight());
    let dt = midnight.checked_add(hour.hours()).unwrap_or(midnight);
    dt.to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

fn at_time(date: Date, time: Time, tz: &TimeZone) -> Timestamp {
    DateTime::from_parts(date, time)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp())
        .unwrap_or(Timestamp::MAX)
}

fn day_after(date: Date, days: i64) -> Date {
    date.checked_add(days.days()).unwrap_or(date)
}

fn parse_time(raw: &str) -> Option<Time> {
    let mut it = raw.split(':');
    let h: i8 = it.next()?.parse().ok()?;
    let m: i8 = it.next()?.parse().ok()?;
    let s: i8 = it.next().map_or(Some(0), |s| s.parse().ok())?;
    Time::new(h, m, s, 0).ok()
}

/// The Monday of an ISO week.
fn iso_week_monday(year: i16, week: i8) -> Option<Date> {
    jiff::civil::ISOWeekDate::new(year, week, Weekday::Monday)
        .ok()
        .map(|w| w.date())
}

/// Parses the date part into (first day, days covered, label).
fn parse_date(raw: &str, today: Date) -> Option<(Date, i64, Label)> {
    let raw = raw.trim();
    if let Ok(d) = raw.parse::<Date>() {
        let label = if d == today {
            Label::Today { tonight: false }
        } else if Some(d) == today.checked_add(1.day()).ok() {
            Label::Tomorrow
        } else {
            Label::Day(d)
        };
        return Some((d, 1, label));
    }
    // 2026-W47, 2026-W47-WE (but not the season 2026-WI)
    if let Some((year, rest)) = raw.split_once("-W").filter(|(_, r)| r != &"I") {
        let year: i16 = year.parse().ok()?;
        let (week, weekend) = match rest.strip_suffix("-WE") {
            Some(w) => (w, true),
            None => (rest, false),
        };
        let monday = iso_week_monday(year, week.parse().ok()?)?;
        return Some(if weekend {
            (day_after(monday, 5), 2, Label::Weekend)
        } else {
            (monday, 7, Label::Week)
        });
    }
    // Seasons: 2026-WI etc. Winter starts in December of the given year.
    if let Some((year, season)) = raw.split_once('-') {
        let year: i16 = year.parse().ok()?;
        let month = match season {
            "WI" => Some(12),
            "SP" => Some(3),
            "SU" => Some(6),
            "FA" => Some(9),
            _ => None,
        };
        if let Some(month) = month {
            let first = Date::new(year, month, 1).ok()?;
            let end = first.checked_add(3.months()).ok()?;
            return Some((first, (end - first).get_days().into(), Label::Longer));
        }
        // 2026-11
        let month: i8 = season.parse().ok()?;
        let first = Date::new(year, month, 1).ok()?;
        let end = first.checked_add(1.month()).ok()?;
        return Some((first, (end - first).get_days().into(), Label::Longer));
    }
    // 2027, 202X
    if let Some(decade) = raw.strip_suffix('X') {
        let start: i16 = decade.parse::<i16>().ok()? * 10;
        let first = Date::new(start, 1, 1).ok()?;
        return Some((first, 3653, Label::Longer));
    }
    let year: i16 = raw.parse().ok()?;
    let first = Date::new(year, 1, 1).ok()?;
    let end = Date::new(year + 1, 1, 1).ok()?;
    Some((first, (end - first).get_days().into(), Label::Longer))
}

/// The window for the slots of WhatsOnIntent, or `None` when a value cannot be understood.
pub fn from_slots(date: Option<&str>, time: Option<&str>, now: &Zoned) -> Option<Window> {
    let tz = now.time_zone();
    let today = now.date();
    let part = time.and_then(DayPart::parse);
    let exact = time.and_then(parse_time);
    if time.is_some() && part.is_none() && exact.is_none() {
        return None;
    }
    let (from, to, label) = match date {
        Some("PRESENT_REF") => {
            let t = now.timestamp();
            (
                t,
                Timestamp::from_second(t.as_second() + 1).ok()?,
                Label::Now,
            )
        }
        Some(raw) => {
            let (first, days, label) = parse_date(raw, today)?;
            match (part, exact) {
                (Some(p), _) => {
                    let (a, b) = p.hours();
                    (at(first, a, tz), at(first, b, tz), Label::DayPart(first, p))
                }
                (None, Some(t)) => {
                    let start = at_time(first, t, tz);
                    let end =
                        Timestamp::from_second(start.as_second() + AT_TIME_HOURS * 3600).ok()?;
                    (start, end, Label::DayAt(first, t))
                }
                (None, None) => {
                    let end_days = day_after(first, days);
                    let mut end = at(end_days, 0, tz);
                    let mut label = label;
                    if days == 1
                        && matches!(label, Label::Today { .. } | Label::Tomorrow | Label::Day(_))
                    {
                        end = at(end_days, LATE_NIGHT_HOURS, tz);
                    }
                    if let Label::Today { .. } = label {
                        label = Label::Today {
                            tonight: now.hour() >= 17,
                        };
                    }
                    (at(first, 0, tz), end, label)
                }
            }
        }
        None => match (part, exact) {
            (Some(p), _) => {
                let (a, b) = p.hours();
                // A period already over today means the next one.
                let day = if at(today, b, tz) <= now.timestamp() {
                    day_after(today, 1)
                } else {
                    today
                };
                let label = if day == today && matches!(p, DayPart::Evening | DayPart::Night) {
                    Label::Today { tonight: true }
                } else {
                    Label::DayPart(day, p)
                };
                (at(day, a, tz), at(day, b, tz), label)
            }
            (None, Some(t)) => {
                let mut start = at_time(today, t, tz);
                let mut day = today;
                if start.as_second() + AT_TIME_HOURS * 3600 <= now.timestamp().as_second() {
                    day = day_after(today, 1);
                    start = at_time(day, t, tz);
                }
                let end = Timestamp::from_second(start.as_second() + AT_TIME_HOURS * 3600).ok()?;
                (start, end, Label::DayAt(day, t))
            }
            (None, None) => (
                now.timestamp(),
                at(day_after(today, 1), LATE_NIGHT_HOURS, tz),
                Label::Default,
            ),
        },
    };
    let from = from.max(now.timestamp());
    Some(Window { from, to, label })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now(s: &str) -> Zoned {
        s.parse().expect("zoned")
    }

    fn local(w: &Window, tz: &str) -> (String, String) {
        let tz = TimeZone::get(tz).expect("tz");
        (
            w.from.to_zoned(tz.clone()).datetime().to_string(),
            w.to.to_zoned(tz).datetime().to_string(),
        )
    }

    #[test]
    fn tonight_in_new_york() {
        let n = now("2026-11-21T19:04:05[America/New_York]");
        let w = from_slots(Some("2026-11-21"), None, &n).expect("window");
        assert_eq!(w.label, Label::Today { tonight: true });
        assert_eq!(
            local(&w, "America/New_York"),
            ("2026-11-21T19:04:05".into(), "2026-11-22T04:00:00".into())
        );
    }

    #[test]
    fn weekend_across_dst_end() {
        // Europe/Paris leaves summer time on Sunday 2026-10-25 at 03:00.
        let n = now("2026-10-22T12:00:00[Europe/Paris]");
        let w = from_slots(Some("2026-W43-WE"), None, &n).expect("window");
        assert_eq!(
            local(&w, "Europe/Paris"),
            ("2026-10-24T00:00:00".into(), "2026-10-26T00:00:00".into())
        );
        // 49 hours, not 48: the weekend has one extra hour.
        assert_eq!(w.to.as_second() - w.from.as_second(), 49 * 3600);
    }

    #[test]
    fn evening_period_on_spring_forward_day() {
        // America/New_York springs forward on 2026-03-08.
        let n = now("2026-03-07T09:00:00[America/New_York]");
        let w = from_slots(Some("2026-03-08"), Some("NI"), &n).expect("window");
        assert_eq!(
            local(&w, "America/New_York"),
            ("2026-03-08T20:00:00".into(), "2026-03-09T04:00:00".into())
        );
    }

    #[test]
    fn exact_time_today_or_tomorrow() {
        let n = now("2026-11-21T10:00:00[Europe/Paris]");
        let w = from_slots(None, Some("21:00"), &n).expect("window");
        assert_eq!(local(&w, "Europe/Paris").0, "2026-11-21T21:00:00");
        let late = now("2026-11-21T23:59:00[Europe/Paris]");
        let w = from_slots(None, Some("09:00"), &late).expect("window");
        assert_eq!(local(&w, "Europe/Paris").0, "2026-11-22T09:00:00");
    }

    #[test]
    fn present_ref_is_now() {
        let n = now("2026-11-21T10:00:00[UTC]");
        let w = from_slots(Some("PRESENT_REF"), None, &n).expect("window");
        assert_eq!(w.label, Label::Now);
        assert_eq!(w.from, n.timestamp());
    }

    #[test]
    fn weeks_months_years() {
        let n = now("2026-11-21T10:00:00[UTC]");
        let w = from_slots(Some("2026-W48"), None, &n).expect("week");
        assert_eq!(
            local(&w, "UTC"),
            ("2026-11-23T00:00:00".into(), "2026-11-30T00:00:00".into())
        );
        let m = from_slots(Some("2026-12"), None, &n).expect("month");
        assert_eq!(
            local(&m, "UTC"),
            ("2026-12-01T00:00:00".into(), "2027-01-01T00:00:00".into())
        );
        assert!(from_slots(Some("2027"), None, &n).is_some());
        assert!(from_slots(Some("202X"), None, &n).is_some());
        assert!(from_slots(Some("2026-WI"), None, &n).is_some());
    }

    #[test]
    fn past_window_starts_now() {
        let n = now("2026-11-21T22:00:00[UTC]");
        let w = from_slots(Some("2026-11-21"), Some("EV"), &n).expect("window");
        assert_eq!(w.from, n.timestamp());
    }

    #[test]
    fn garbage_is_none() {
        let n = now("2026-11-21T10:00:00[UTC]");
        assert!(from_slots(Some("someday"), None, &n).is_none());
        assert!(from_slots(None, Some("25:99"), &n).is_none());
        assert!(from_slots(Some("2026-W99"), None, &n).is_none());
    }
}
