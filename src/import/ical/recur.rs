//! RRULE expansion (RFC 5545 §3.3.10), written here rather than taken from the `rrule` crate:
//! that crate works in chrono/chrono-tz and cannot use a zone defined by a VTIMEZONE, while
//! onair expands in civil time and converts each start with whatever jiff zone the event has.
//!
//! Supported: FREQ DAILY, WEEKLY, MONTHLY, YEARLY with INTERVAL, COUNT, UNTIL, BYDAY (with
//! ordinals like `-1SU` for MONTHLY/YEARLY), BYMONTHDAY (negative counts from the end),
//! BYMONTH, BYSETPOS (Outlook's "first Monday": `BYDAY=MO;BYSETPOS=1`) and WKST. The RFC's
//! other parts (BYHOUR, BYWEEKNO…) change which instances exist, so a rule using them is
//! refused with a reason rather than guessed; a part the RFC does not define at all (an
//! `X-` extension, a typo, an empty or value-less part) changes nothing RFC 5545 defines and
//! is ignored, named in [`Rule::ignored`] for a warning. Expansion is bounded: it stops at
//! COUNT, UNTIL, the horizon or [`MAX_PERIODS`] periods, whichever comes first.

use super::time::When;
use jiff::civil::{Date, DateTime, Weekday};
use jiff::{Timestamp, ToSpan};

mod rule;
pub use rule::{parse, Freq, Rule};

/// Periods (days, weeks, months or years) examined per rule at most.
pub const MAX_PERIODS: i64 = 100_000;

/// Whether `date` is one of the month days `by_day` / `by_month_day` ask for.
fn month_day_matches(rule: &Rule, date: Date) -> bool {
    let dim = date.days_in_month();
    let day = date.day();
    let md_ok = rule.by_month_day.is_empty()
        || rule
            .by_month_day
            .iter()
            .any(|&n| if n > 0 { n == day } else { dim + 1 + n == day });
    let nth = (day - 1) / 7 + 1;
    let nth_from_end = (dim - day) / 7 + 1;
    let bd_ok = rule.by_day.is_empty()
        || rule.by_day.iter().any(|&(ord, wd)| {
            wd == date.weekday() && (ord == 0 || ord == nth || -ord == nth_from_end)
        });
    md_ok && bd_ok
}

fn in_months(rule: &Rule, date: Date) -> bool {
    rule.by_month.is_empty() || rule.by_month.contains(&date.month())
}

/// The candidate days of one month for MONTHLY and YEARLY rules.
fn month_days(rule: &Rule, year: i16, month: i8, default_day: i8) -> Vec<Date> {
    let Ok(first) = Date::new(year, month, 1) else {
        return Vec::new();
    };
    if rule.by_day.is_empty() && rule.by_month_day.is_empty() {
        return Date::new(year, month, default_day).into_iter().collect();
    }
    (1..=first.days_in_month())
        .filter_map(|d| Date::new(year, month, d).ok())
        .filter(|d| month_day_matches(rule, *d))
        .collect()
}

/// The days of the `n`-th period after DTSTART's, BYSETPOS applied.
fn period_days(rule: &Rule, start: Date, n: i64) -> Option<Vec<Date>> {
    let days = candidate_days(rule, start, n)?;
    if rule.by_set_pos.is_empty() {
        return Some(days);
    }
    let len = i64::try_from(days.len()).ok()?;
    let mut picked: Vec<Date> = rule
        .by_set_pos
        .iter()
        .filter_map(|&p| {
            let p = i64::from(p);
            let at = if p > 0 { p - 1 } else { len + p };
            usize::try_from(at).ok().and_then(|i| days.get(i).copied())
        })
        .collect();
    picked.sort();
    picked.dedup();
    Some(picked)
}

/// The candidate days of the `n`-th period after DTSTART's.
fn candidate_days(rule: &Rule, start: Date, n: i64) -> Option<Vec<Date>> {
    let step = n.checked_mul(rule.interval)?;
    Some(match rule.freq {
        Freq::Daily => {
            let d = start.checked_add(step.days()).ok()?;
            let weekday_ok =
                rule.by_day.is_empty() || rule.by_day.iter().any(|(_, w)| *w == d.weekday());
            let md_ok = rule.by_month_day.is_empty()
                || month_day_matches(
                    &Rule {
                        by_day: Vec::new(),
                        ..rule.clone()
                    },
                    d,
                );
            if weekday_ok && md_ok && in_months(rule, d) {
                vec![d]
            } else {
                Vec::new()
            }
        }
        Freq::Weekly => {
            let back =
                (start.weekday().to_monday_zero_offset() - rule.wkst.to_monday_zero_offset() + 7)
                    % 7;
            let week = start
                .checked_sub(i64::from(back).days())
                .ok()?
                .checked_add(step.weeks())
                .ok()?;
            let days: Vec<Weekday> = if rule.by_day.is_empty() {
                vec![start.weekday()]
            } else {
                rule.by_day.iter().map(|(_, w)| *w).collect()
            };
            let mut out: Vec<Date> = days
                .into_iter()
                .filter_map(|w| {
                    let offset =
                        (w.to_monday_zero_offset() - rule.wkst.to_monday_zero_offset() + 7) % 7;
                    week.checked_add(i64::from(offset).days()).ok()
                })
                .filter(|d| in_months(rule, *d))
                .collect();
            out.sort();
            out.dedup();
            out
        }
        Freq::Monthly => {
            let index = i64::from(start.year()) * 12 + i64::from(start.month() - 1) + step;
            let year = i16::try_from(index.div_euclid(12)).ok()?;
            let month = i8::try_from(index.rem_euclid(12) + 1).ok()?;
            if !rule.by_month.is_empty() && !rule.by_month.contains(&month) {
                return Some(Vec::new());
            }
            month_days(rule, year, month, start.day())
        }
        Freq::Yearly => {
            let year = i16::try_from(i64::from(start.year()) + step).ok()?;
            let months: Vec<i8> = if rule.by_month.is_empty() {
                vec![start.month()]
            } else {
                rule.by_month.clone()
            };
            let mut out: Vec<Date> = months
                .into_iter()
                .flat_map(|m| month_days(rule, year, m, start.day()))
                .collect();
            out.sort();
            out
        }
    })
}

/// Starts of the rule's instances (civil time of DTSTART's zone), DTSTART first, in order.
/// `instant` converts a civil start to an instant; expansion stops at the first start at or
/// after `horizon_end`.
pub fn expand(
    rule: &Rule,
    dtstart: DateTime,
    instant: &dyn Fn(DateTime) -> Option<Timestamp>,
    horizon_end: Timestamp,
) -> Vec<DateTime> {
    let past_until = |dt: DateTime, t: Timestamp| match &rule.until {
        None => false,
        Some(When::Utc(u)) => t > *u,
        Some(When::Date(d)) => dt.date() > *d,
        Some(When::Floating(u) | When::Zoned(u, _)) => dt > *u,
    };
    let mut out = vec![dtstart];
    let count = rule.count.map(|c| c as usize);
    if count == Some(1) || instant(dtstart).is_none_or(|t| t >= horizon_end) {
        return out;
    }
    for n in 0..MAX_PERIODS {
        let Some(days) = period_days(rule, dtstart.date(), n) else {
            break;
        };
        for day in days {
            let dt = day.to_datetime(dtstart.time());
            if dt <= dtstart {
                continue;
            }
            let Some(t) = instant(dt) else { continue };
            if past_until(dt, t) || t >= horizon_end {
                return out;
            }
            out.push(dt);
            if count.is_some_and(|c| out.len() >= c) {
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use jiff::tz::TimeZone;

    fn run(rule: &str, start: DateTime, days: i64) -> Vec<DateTime> {
        let r = parse(rule).expect("rule");
        let tz = TimeZone::get("Europe/Paris").expect("tz");
        let end = tz
            .to_timestamp(start)
            .expect("ts")
            .checked_add(jiff::SignedDuration::from_hours(24 * days))
            .expect("end");
        expand(&r, start, &|dt| tz.to_timestamp(dt).ok(), end)
    }

    #[test]
    fn weekly_by_day_with_count() {
        let got = run(
            "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=4",
            date(2026, 11, 3).at(20, 0, 0, 0),
            60,
        );
        let days: Vec<i8> = got.iter().map(|d| d.day()).collect();
        assert_eq!(days, vec![3, 5, 10, 12]);
    }

    #[test]
    fn monthly_last_sunday_and_until() {
        let got = run(
            "FREQ=MONTHLY;BYDAY=-1SU;UNTIL=20270301T000000Z",
            date(2026, 10, 25).at(18, 0, 0, 0),
            400,
        );
        let dates: Vec<(i8, i8)> = got.iter().map(|d| (d.month(), d.day())).collect();
        assert_eq!(dates, vec![(10, 25), (11, 29), (12, 27), (1, 31), (2, 28)]);
    }

    #[test]
    fn daily_interval_stops_at_horizon() {
        let got = run("FREQ=DAILY;INTERVAL=2", date(2026, 11, 1).at(9, 0, 0, 0), 7);
        assert_eq!(
            got.iter().map(|d| d.day()).collect::<Vec<_>>(),
            vec![1, 3, 5, 7]
        );
    }

    #[test]
    fn monthly_by_month_day_skips_short_months() {
        let got = run(
            "FREQ=MONTHLY;COUNT=3",
            date(2026, 1, 31).at(9, 0, 0, 0),
            400,
        );
        assert_eq!(
            got.iter().map(|d| d.month()).collect::<Vec<_>>(),
            vec![1, 3, 5]
        );
    }

    #[test]
    fn yearly_by_month() {
        let got = run(
            "FREQ=YEARLY;BYMONTH=6,12;COUNT=3",
            date(2026, 6, 21).at(21, 0, 0, 0),
            800,
        );
        assert_eq!(
            got.iter()
                .map(|d| (d.year(), d.month()))
                .collect::<Vec<_>>(),
            vec![(2026, 6), (2026, 12), (2027, 6)]
        );
    }

    #[test]
    fn by_set_pos_first_and_last() {
        // Outlook's "first Monday of the month".
        let got = run(
            "FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1;COUNT=3",
            date(2026, 11, 2).at(19, 0, 0, 0),
            120,
        );
        assert_eq!(
            got.iter().map(|d| (d.month(), d.day())).collect::<Vec<_>>(),
            vec![(11, 2), (12, 7), (1, 4)]
        );
        // "Last weekday of the month".
        let got = run(
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2",
            date(2026, 11, 30).at(18, 0, 0, 0),
            60,
        );
        assert_eq!(
            got.iter().map(|d| (d.month(), d.day())).collect::<Vec<_>>(),
            vec![(11, 30), (12, 31)]
        );
    }
}
