//! `AMAZON.DATE`: spoken dates → Alexa's value formats, relative to the listener's today.
//!
//! Formats (protocol.md §7.3): `2026-11-21`, `2026-W47`, `2026-W47-WE`, `2026-11`, `2027`,
//! `202X`, `2026-WI`, `PRESENT_REF`. Dates without a year are the next occurrence, today
//! included ("saturday" on a Saturday is today); "next saturday" is the first one strictly
//! after today and "last saturday" the last one strictly before. Weeks are ISO weeks
//! (Monday–Sunday), so "this weekend" is the weekend of the current ISO week.
//!
//! A day word may imply a part of the day ("tonight", "demain soir"); that is returned as
//! [`DateParse::period`] and only used when the sample has a `{time}` slot right next to
//! the `{date}` slot (`Elem::DatePeriod` in `matcher.rs`); otherwise only the date is kept. Arithmetic uses checked jiff calls: absurd inputs
//! ("in 999999999 days") fail to parse instead of panicking.

use jiff::civil::Date;
use jiff::Span;

use super::date_words::{words, DateWords};
use super::number::{digits, parse_cardinal, parse_ordinal, parse_year};
use super::time::{parse_period, Period};
use super::Lang;

/// Longest span worth trying; anything longer is not a date.
const MAX_DATE_TOKENS: usize = 12;

/// A parsed date value and the part of the day it implied, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DateParse {
    pub value: String,
    pub period: Option<Period>,
}

/// A whole span as an `AMAZON.DATE` value.
pub(crate) fn parse_date(tokens: &[&str], lang: Lang, today: Date) -> Option<DateParse> {
    if tokens.is_empty() || tokens.len() > MAX_DATE_TOKENS {
        return None;
    }
    let w = words(lang);
    let plain = |value: String| DateParse {
        value,
        period: None,
    };
    if let Some(v) = in_n_units(tokens, w, lang, today) {
        return Some(plain(v));
    }
    let is_present = |x: &[&str]| w.present.contains(&x);
    // Checked before and after stripping: "en ce moment" starts with a droppable "en".
    if is_present(tokens) {
        return Some(plain("PRESENT_REF".to_string()));
    }
    let mut t = tokens;
    let mut article = false;
    while let Some(p) = w
        .leading
        .iter()
        .find(|p| t.len() > p.len() && t.starts_with(p))
    {
        article = true;
        t = &t[p.len()..];
    }
    if is_present(t) {
        return Some(plain("PRESENT_REF".to_string()));
    }
    if let Some(v) = relative_period(t, w, today) {
        return Some(plain(v));
    }
    // A day, possibly followed by a part of the day: "tomorrow night", "samedi soir".
    for k in (1..=t.len()).rev() {
        let (day, rest) = t.split_at(k);
        let period = if rest.is_empty() {
            None
        } else {
            match parse_period(rest, lang) {
                Some(p) => Some(p),
                None => continue,
            }
        };
        if let Some((date, implied)) = day_expr(day, w, lang, today, article) {
            return Some(DateParse {
                value: date.to_string(),
                period: period.or(implied),
            });
        }
    }
    month_only(t, w, lang, today).map(plain)
}

fn add_days(d: Date, n: i64) -> Option<Date> {
    d.checked_add(Span::new().try_days(n).ok()?).ok()
}

/// `(year, month)` shifted by `n` months.
fn add_months(year: i16, month: i8, n: i64) -> Option<(i16, i8)> {
    let idx = i64::from(year) * 12 + i64::from(month) - 1 + n;
    let y = i16::try_from(idx.div_euclid(12)).ok()?;
    Some((y, (idx.rem_euclid(12) + 1) as i8))
}

fn iso_week(d: Date) -> String {
    let w = d.iso_week_date();
    format!("{:04}-W{:02}", w.year(), w.week())
}

fn index_in(table: &[&[&str]], word: &str) -> Option<usize> {
    table.iter().position(|alts| alts.contains(&word))
}

/// Offset given by "this"/"next"/"last" around a unit phrase, in either position.
fn unit_offset(t: &[&str], units: &[&[&str]], w: &DateWords) -> Option<i64> {
    for unit in units {
        let Some(k) = (0..t.len()).find(|&k| t[k..].starts_with(unit)) else {
            continue;
        };
        let (pre, post) = (&t[..k], &t[k + unit.len()..]);
        let modifier = |x: &[&str]| -> Option<i64> {
            match x {
                [] => Some(0),
                [m] if w.this.contains(m) || w.this_suffix.contains(m) => Some(0),
                [m] if w.next.contains(m) => Some(1),
                [m] if w.last.contains(m) => Some(-1),
                _ => None,
            }
        };
        return Some(modifier(pre)? + modifier(post)?);
    }
    None
}

/// Weeks, weekends, months, years, decades and seasons relative to today.
fn relative_period(t: &[&str], w: &DateWords, today: Date) -> Option<String> {
    if let Some(off) = unit_offset(t, w.weekend, w) {
        return Some(format!("{}-WE", iso_week(add_days(today, 7 * off)?)));
    }
    if let Some(off) = unit_offset(t, w.week, w) {
        return Some(iso_week(add_days(today, 7 * off)?));
    }
    if let Some(off) = unit_offset(t, w.month, w) {
        let (y, m) = add_months(today.year(), today.month(), off)?;
        return Some(format!("{y:04}-{m:02}"));
    }
    if let Some(off) = unit_offset(t, w.year, w) {
        return Some(format!("{:04}", i64::from(today.year()) + off));
    }
    if let Some(off) = unit_offset(t, w.decade, w) {
        return Some(format!("{}X", i64::from(today.year()) / 10 + off));
    }
    for (names, code) in w.seasons {
        if let Some(off) = unit_offset(t, &[names], w) {
            // January's "this winter" is the winter that began last December.
            let base = i64::from(today.year()) - i64::from(*code == "WI" && today.month() <= 2);
            return Some(format!("{}-{code}", base + off));
        }
    }
    None
}

/// "in three days" → a date, "in two weeks" → an ISO week.
fn in_n_units(t: &[&str], w: &DateWords, lang: Lang, today: Date) -> Option<String> {
    let [first, middle @ .., unit] = t else {
        return None;
    };
    if *first != w.in_word || middle.is_empty() {
        return None;
    }
    let n = match middle {
        ["a"] | ["un"] | ["une"] => 1,
        m => parse_cardinal(m, lang)? as i64,
    };
    if w.days_unit.contains(unit) {
        add_days(today, n).map(|d| d.to_string())
    } else if w.weeks_unit.contains(unit) {
        add_days(today, n.checked_mul(7)?).map(iso_week)
    } else {
        None
    }
}

/// One day: day words, weekdays, or an explicit date. Returns the implied period too.
fn day_expr(
    t: &[&str],
    w: &DateWords,
    lang: Lang,
    today: Date,
    article: bool,
) -> Option<(Date, Option<Period>)> {
    if let Some((_, off, period)) = w.days.iter().find(|(p, _, _)| *p == t) {
        return Some((add_days(today, *off)?, *period));
    }
    if let Some(d) = weekday_expr(t, w, today) {
        return Some((d, None));
    }
    explicit_date(t, w, lang, today, article).map(|d| (d, None))
}

fn weekday_expr(t: &[&str], w: &DateWords, today: Date) -> Option<Date> {
    let wd = |x: &str| index_in(&w.weekdays, x);
    // (weekday, mode): 0 = next occurrence today included, 1 = strictly after, -1 = before.
    let (day, mode) = match t {
        [d] => (wd(d)?, 0),
        [m, d] if w.this.contains(m) => (wd(d)?, 0),
        [m, d] | [d, m] if w.next.contains(m) => (wd(d)?, 1),
        [m, d] | [d, m] if w.last.contains(m) => (wd(d)?, -1),
        _ => return None,
    };
    let today_idx = i64::from(today.weekday().to_monday_zero_offset());
    let ahead = (day as i64 - today_idx).rem_euclid(7);
    let off = match mode {
        0 => ahead,
        1 if ahead == 0 => 7,
        1 => ahead,
        _ if ahead == 0 => -7,
        _ => ahead - 7,
    };
    add_days(today, off)
}

fn day_number(t: &[&str], lang: Lang, ordinal_only: bool) -> Option<i8> {
    let v = parse_ordinal(t, lang).or_else(|| {
        if ordinal_only {
            None
        } else {
            parse_cardinal(t, lang)
        }
    })?;
    (1..=31).contains(&v).then_some(v as i8)
}

/// Day-and-month (with optional year), day of the month alone, or typed `2026 11 21`.
fn explicit_date(
    t: &[&str],
    w: &DateWords,
    lang: Lang,
    today: Date,
    article: bool,
) -> Option<Date> {
    let month = |x: &str| index_in(&w.months, x).map(|i| i as i8 + 1);
    // "saturday november 21st", "samedi 21 novembre", "saturday the 21st"
    if t.len() > 1 && index_in(&w.weekdays, t[0]).is_some() {
        let rest = match &t[1..] {
            ["the" | "le", r @ ..] if !r.is_empty() => r,
            r => r,
        };
        return explicit_date(rest, w, lang, today, true);
    }
    if let [y, m, d] = t {
        if y.len() == 4 {
            let (y, m, d) = (digits(y)?, digits(m)?, digits(d)?);
            return Date::new(
                i16::try_from(y).ok()?,
                i8::try_from(m).ok()?,
                i8::try_from(d).ok()?,
            )
            .ok();
        }
    }
    let year_of = |x: &[&str]| -> Option<Option<i16>> {
        if x.is_empty() {
            Some(None)
        } else {
            parse_year(x, lang).map(Some)
        }
    };
    // "november twenty first (twenty twenty six)", "november the 21st"
    if let Some(m) = t.first().and_then(|x| month(x)) {
        let rest = match &t[1..] {
            ["the", r @ ..] => r,
            r => r,
        };
        for k in 1..=rest.len() {
            if let (Some(d), Some(y)) = (day_number(&rest[..k], lang, false), year_of(&rest[k..])) {
                return month_day(today, m, d, y);
            }
        }
        return None;
    }
    // "twenty first of november", "21 novembre 2026", "premier novembre"
    if let Some(j) = (1..t.len()).find(|&j| month(t[j]).is_some()) {
        let m = month(t[j])?;
        let day = t[..j].strip_suffix(w.of).unwrap_or(&t[..j]);
        let d = day_number(day, lang, false)?;
        return month_day(today, m, d, year_of(&t[j + 1..])?);
    }
    // "the 21st" / "le 21": this month if still ahead, else the next month that has it.
    let d = day_number(t, lang, !(lang == Lang::Fr && article))?;
    (0..13).find_map(|i| {
        let (y, m) = add_months(today.year(), today.month(), i)?;
        Date::new(y, m, d).ok().filter(|date| *date >= today)
    })
}

/// Month and day, in the given year or else the next occurrence (today included).
fn month_day(today: Date, m: i8, d: i8, year: Option<i16>) -> Option<Date> {
    match year {
        Some(y) => Date::new(y, m, d).ok(),
        // Up to 8 years ahead, for February 29th.
        None => (0..9).find_map(|i| {
            Date::new(today.year().checked_add(i)?, m, d)
                .ok()
                .filter(|date| *date >= today)
        }),
    }
}

/// "november", "novembre 2027" → `YYYY-MM` (this month counts as upcoming).
fn month_only(t: &[&str], w: &DateWords, lang: Lang, today: Date) -> Option<String> {
    let (first, rest) = t.split_first()?;
    let m = index_in(&w.months, first)? as i8 + 1;
    let y = if rest.is_empty() {
        today.year() + i16::from(m < today.month())
    } else {
        parse_year(rest, lang)?
    };
    Some(format!("{y:04}-{m:02}"))
}
