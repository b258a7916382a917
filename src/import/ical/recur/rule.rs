//! RRULE values parsed into a [`Rule`]; what is supported and what is ignored is described in
//! [`super`].

use super::super::time::{value, When};
use jiff::civil::Weekday;

/// A recurrence frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
    /// Every month.
    Monthly,
    /// Every year.
    Yearly,
}

/// A parsed RRULE.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Frequency.
    pub freq: Freq,
    /// Every n-th period.
    pub interval: i64,
    /// Number of instances, DTSTART included.
    pub count: Option<u32>,
    /// Last possible start.
    pub until: Option<When>,
    /// Weekdays, with an ordinal (0 = every such day in the period).
    pub by_day: Vec<(i8, Weekday)>,
    /// Month days (negative: from the end).
    pub by_month_day: Vec<i8>,
    /// Months.
    pub by_month: Vec<i8>,
    /// Positions kept within each period's set of instances (negative: from the end).
    pub by_set_pos: Vec<i16>,
    /// First day of the week.
    pub wkst: Weekday,
    /// Parts that were ignored, as written, for a warning.
    pub ignored: Vec<String>,
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn numbers(v: &str, min: i8, max: i8) -> Result<Vec<i8>, String> {
    v.split(',')
        .map(|n| {
            n.trim()
                .parse::<i8>()
                .ok()
                .filter(|n| *n != 0 && (min..=max).contains(n))
                .ok_or_else(|| format!("RRULE value {n:?} is out of range"))
        })
        .collect()
}

/// Parses an RRULE value.
pub fn parse(raw: &str) -> Result<Rule, String> {
    let mut rule = Rule {
        freq: Freq::Daily,
        interval: 1,
        count: None,
        until: None,
        by_day: Vec::new(),
        by_month_day: Vec::new(),
        by_month: Vec::new(),
        by_set_pos: Vec::new(),
        wkst: Weekday::Monday,
        ignored: Vec::new(),
    };
    let mut freq = None;
    for part in raw
        .trim()
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((k, v)) = part.split_once('=') else {
            rule.ignored.push(part.to_string());
            continue;
        };
        let v = v.trim().to_ascii_uppercase();
        match k.trim().to_ascii_uppercase().as_str() {
            "FREQ" => {
                freq = Some(match v.as_str() {
                    "DAILY" => Freq::Daily,
                    "WEEKLY" => Freq::Weekly,
                    "MONTHLY" => Freq::Monthly,
                    "YEARLY" => Freq::Yearly,
                    other => return Err(format!("RRULE FREQ={other} is not supported")),
                })
            }
            "INTERVAL" => {
                rule.interval = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| format!("RRULE INTERVAL={v} is out of range"))?
            }
            "COUNT" => rule.count = Some(v.parse().map_err(|_| format!("RRULE COUNT={v} is bad"))?),
            "UNTIL" => {
                rule.until =
                    Some(value(&v, None, None).ok_or_else(|| format!("RRULE UNTIL={v} is bad"))?)
            }
            "BYDAY" => {
                for d in v.split(',') {
                    let d = d.trim();
                    let split = d.len().saturating_sub(2);
                    let day =
                        weekday(&d[split..]).ok_or_else(|| format!("RRULE BYDAY {d:?} is bad"))?;
                    let ord = match &d[..split] {
                        "" => 0,
                        n => n
                            .trim_start_matches('+')
                            .parse::<i8>()
                            .ok()
                            .filter(|n| *n != 0 && (-53..=53).contains(n))
                            .ok_or_else(|| format!("RRULE BYDAY {d:?} is bad"))?,
                    };
                    rule.by_day.push((ord, day));
                }
            }
            "BYMONTHDAY" => rule.by_month_day = numbers(&v, -31, 31)?,
            "BYMONTH" => rule.by_month = numbers(&v, 1, 12)?,
            "BYSETPOS" => {
                rule.by_set_pos = v
                    .split(',')
                    .map(|n| {
                        n.trim()
                            .parse::<i16>()
                            .ok()
                            .filter(|n| *n != 0 && (-366..=366).contains(n))
                            .ok_or_else(|| format!("RRULE BYSETPOS value {n:?} is out of range"))
                    })
                    .collect::<Result<_, _>>()?
            }
            "WKST" => match weekday(&v) {
                Some(w) => rule.wkst = w,
                None => rule.ignored.push(part.to_string()),
            },
            known @ ("BYSECOND" | "BYMINUTE" | "BYHOUR" | "BYYEARDAY" | "BYWEEKNO") => {
                return Err(format!("RRULE part {known} is not supported"))
            }
            _ => rule.ignored.push(part.to_string()),
        }
    }
    rule.freq = freq.ok_or("RRULE has no FREQ")?;
    Ok(rule)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_parts_are_named() {
        assert!(parse("FREQ=HOURLY")
            .expect_err("refused")
            .contains("HOURLY"));
        assert!(parse("FREQ=DAILY;BYHOUR=9,17")
            .expect_err("refused")
            .contains("BYHOUR"));
        assert!(parse("COUNT=3").is_err());
    }

    #[test]
    fn garbage_parts_are_ignored_and_named() {
        let r = parse("FREQ=WEEKLY;;X-NAME=foo;BYDAY=MO;junk;WKST=XX").expect("rule");
        assert_eq!(r.by_day, vec![(0, Weekday::Monday)]);
        assert_eq!(r.ignored, vec!["X-NAME=foo", "junk", "WKST=XX"]);
    }
}
