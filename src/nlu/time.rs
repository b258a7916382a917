//! `AMAZON.TIME`: clock times ("nine pm", "21h30", "quarter to ten") → `HH:MM`, and parts of
//! the day ("in the evening", "l'après-midi") → Alexa's period codes `MO`/`AF`/`EV`/`NI`.
//!
//! A time without am/pm ("nine o'clock", "neuf heures") is kept as said (`09:00`): guessing
//! the evening is the caller's business, it knows it is scheduling concerts.

use super::number::{digits, parse_cardinal};
use super::Lang;

/// A part of the day, as Alexa encodes it in `AMAZON.TIME` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Period {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl Period {
    /// Alexa's code for the period.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Period::Morning => "MO",
            Period::Afternoon => "AF",
            Period::Evening => "EV",
            Period::Night => "NI",
        }
    }
}

use Period::{Afternoon as AF, Evening as EV, Morning as MO, Night as NI};

const EN_PERIODS: &[(&[&str], Period)] = &[
    (&["morning"], MO),
    (&["in", "the", "morning"], MO),
    (&["this", "morning"], MO),
    (&["afternoon"], AF),
    (&["in", "the", "afternoon"], AF),
    (&["this", "afternoon"], AF),
    (&["evening"], EV),
    (&["in", "the", "evening"], EV),
    (&["this", "evening"], EV),
    (&["night"], NI),
    (&["at", "night"], NI),
    (&["tonight"], NI),
    (&["in", "the", "night"], NI),
];
const FR_PERIODS: &[(&[&str], Period)] = &[
    (&["matin"], MO),
    (&["le", "matin"], MO),
    (&["ce", "matin"], MO),
    (&["matinee"], MO),
    (&["la", "matinee"], MO),
    (&["en", "matinee"], MO),
    (&["dans", "la", "matinee"], MO),
    (&["apres", "midi"], AF),
    (&["l", "apres", "midi"], AF),
    (&["cet", "apres", "midi"], AF),
    (&["en", "apres", "midi"], AF),
    (&["dans", "l", "apres", "midi"], AF),
    (&["soir"], EV),
    (&["le", "soir"], EV),
    (&["ce", "soir"], EV),
    (&["soiree"], EV),
    (&["la", "soiree"], EV),
    (&["en", "soiree"], EV),
    (&["dans", "la", "soiree"], EV),
    (&["nuit"], NI),
    (&["la", "nuit"], NI),
    (&["cette", "nuit"], NI),
    (&["dans", "la", "nuit"], NI),
];

/// A whole span naming a part of the day.
pub(crate) fn parse_period(tokens: &[&str], lang: Lang) -> Option<Period> {
    let table = match lang {
        Lang::En => EN_PERIODS,
        Lang::Fr => FR_PERIODS,
    };
    table.iter().find(|(p, _)| *p == tokens).map(|(_, v)| *v)
}

/// How a suffix shifts the hour.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Meridiem {
    Am,
    Pm,
    /// "at night" / "de la nuit": 9 → 21, 2 → 2, 12 → 0.
    Night,
}

const EN_SUFFIXES: &[(&[&str], Meridiem)] = &[
    (&["am"], Meridiem::Am),
    (&["pm"], Meridiem::Pm),
    (&["in", "the", "morning"], Meridiem::Am),
    (&["this", "morning"], Meridiem::Am),
    (&["in", "the", "afternoon"], Meridiem::Pm),
    (&["this", "afternoon"], Meridiem::Pm),
    (&["in", "the", "evening"], Meridiem::Pm),
    (&["this", "evening"], Meridiem::Pm),
    (&["tonight"], Meridiem::Night),
    (&["at", "night"], Meridiem::Night),
];
const FR_SUFFIXES: &[(&[&str], Meridiem)] = &[
    (&["du", "matin"], Meridiem::Am),
    (&["ce", "matin"], Meridiem::Am),
    (&["de", "l", "apres", "midi"], Meridiem::Pm),
    (&["cet", "apres", "midi"], Meridiem::Pm),
    (&["du", "soir"], Meridiem::Pm),
    (&["ce", "soir"], Meridiem::Pm),
    (&["de", "la", "nuit"], Meridiem::Night),
    (&["cette", "nuit"], Meridiem::Night),
];

const EN_LEADING: &[&[&str]] = &[
    &["at", "around"],
    &["at", "about"],
    &["at"],
    &["around"],
    &["about"],
    &["by"],
];
const FR_LEADING: &[&[&str]] = &[
    &["a", "partir", "de"],
    &["aux", "alentours", "de"],
    &["a"],
    &["vers"],
    &["pour"],
    &["des"],
];

/// A parsed `AMAZON.TIME` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TimeParse {
    pub value: String,
    /// A clock time said without am/pm or part of the day ("at nine", "à neuf heures"):
    /// a day phrase elsewhere in the utterance ("tonight") may move it to the afternoon.
    pub bare: bool,
}

/// A whole span as an `AMAZON.TIME` value (`"21:00"`, `"EV"`, …).
pub(crate) fn parse_time(tokens: &[&str], lang: Lang) -> Option<TimeParse> {
    let (leading, suffixes) = match lang {
        Lang::En => (EN_LEADING, EN_SUFFIXES),
        Lang::Fr => (FR_LEADING, FR_SUFFIXES),
    };
    let mut t = tokens;
    if let Some(p) = leading.iter().find(|p| t.starts_with(p)) {
        t = &t[p.len()..];
    }
    if t.is_empty() {
        return None;
    }
    if let Some(p) = parse_period(t, lang) {
        return Some(TimeParse {
            value: p.code().to_string(),
            bare: false,
        });
    }
    let (h, m) = match lang {
        Lang::En => en_clock(t)?,
        Lang::Fr => fr_clock(t)?,
    };
    let named = ["noon", "midday", "midnight", "midi", "minuit"];
    let bare = split_suffix(t, suffixes).1.is_none() && !t.iter().any(|w| named.contains(w));
    Some(TimeParse {
        value: format!("{h:02}:{m:02}"),
        bare,
    })
}

/// A bare `HH:MM` read in the light of a part of the day said with the date: "tonight at
/// nine" is 21:00, "demain soir à huit heures" 20:00, "tonight at two" stays 02:00.
pub(crate) fn shift_bare_time(value: &str, period: Period) -> Option<String> {
    let (h, m) = value.split_once(':')?;
    let (h, m): (u64, u64) = (h.parse().ok()?, m.parse().ok()?);
    let later = match period {
        Period::Morning => false,
        Period::Afternoon => (1..=7).contains(&h),
        Period::Evening => (1..=11).contains(&h),
        Period::Night => (5..=11).contains(&h),
    };
    Some(format!("{:02}:{m:02}", if later { h + 12 } else { h }))
}

/// Split a trailing am/pm-like suffix off a span.
fn split_suffix<'a, 'b>(
    t: &'a [&'b str],
    table: &[(&[&str], Meridiem)],
) -> (&'a [&'b str], Option<Meridiem>) {
    for (words, m) in table {
        if t.len() > words.len() && t.ends_with(words) {
            return (&t[..t.len() - words.len()], Some(*m));
        }
    }
    (t, None)
}

fn apply(hour: u64, minute: u64, m: Option<Meridiem>) -> Option<(u64, u64)> {
    if minute > 59 || hour > 23 {
        return None;
    }
    let h = match m {
        None => hour,
        // "21 heures du soir": already on the 24-hour clock.
        Some(Meridiem::Pm | Meridiem::Night) if hour > 12 => hour,
        Some(_) if hour > 12 => return None,
        Some(Meridiem::Am) => hour % 12,
        Some(Meridiem::Pm) => hour % 12 + 12,
        Some(Meridiem::Night) => match hour {
            12 => 0,
            1..=4 => hour,
            _ => hour % 12 + 12,
        },
    };
    Some((h, minute))
}

/// Subtract minutes from a whole hour ("quarter to ten" → 9:45), wrapping at midnight.
fn minus(hour: u64, before: u64) -> Option<(u64, u64)> {
    if before == 0 || before > 59 || hour > 23 {
        return None;
    }
    Some(((hour + 23) % 24, 60 - before))
}

fn hour_of(t: &[&str], lang: Lang) -> Option<u64> {
    parse_cardinal(t, lang).filter(|h| *h <= 24).map(|h| h % 24)
}

fn en_clock(t: &[&str]) -> Option<(u64, u64)> {
    match t {
        ["noon"] | ["midday"] | ["twelve", "noon"] => return Some((12, 0)),
        ["midnight"] | ["twelve", "midnight"] => return Some((0, 0)),
        _ => {}
    }
    let (core, mer) = split_suffix(t, EN_SUFFIXES);
    if let Some(hour) = core.strip_suffix(&["oclock"]) {
        // "o'clock" closes a whole hour: "twenty five o'clock" is not 20:05.
        return apply(hour_of(hour, Lang::En)?, 0, mer);
    }
    // British "half nine" = 9:30.
    if let ["half", rest @ ..] = core {
        if let Some(h) = hour_of(rest, Lang::En) {
            let (h, _) = apply(h, 0, mer)?;
            return Some((h, 30));
        }
    }
    // "half past eight", "ten to nine", "a quarter to ten", "five minutes past six"
    for (i, w) in core.iter().enumerate() {
        if *w != "past" && *w != "to" {
            continue;
        }
        let (before, after) = (&core[..i], &core[i + 1..]);
        let before = before.strip_suffix(&["minutes"]).unwrap_or(before);
        let mins = match before {
            ["half"] | ["a", "half"] => 30,
            ["quarter"] | ["a", "quarter"] => 15,
            b => parse_cardinal(b, Lang::En).filter(|m| (1..=59).contains(m))?,
        };
        let hour = hour_of(after, Lang::En)?;
        let (h, _) = apply(hour, 0, mer)?;
        return if *w == "past" {
            Some((h, mins))
        } else {
            minus(h, mins)
        };
    }
    if let Some(h) = hour_of(core, Lang::En) {
        return apply(h, 0, mer);
    }
    // "nine thirty", "twenty one fifteen", "nine oh five", "19 30" (typed 19:30)
    for k in 1..core.len() {
        let Some(h) = hour_of(&core[..k], Lang::En) else {
            continue;
        };
        let m = match &core[k..] {
            ["oh", x] => parse_cardinal(&[x], Lang::En).filter(|m| *m <= 9),
            ["hundred"] => Some(0),
            rest => parse_cardinal(rest, Lang::En),
        };
        if let Some(m) = m {
            return apply(h, m, mer);
        }
    }
    None
}

fn fr_clock(t: &[&str]) -> Option<(u64, u64)> {
    let (core, mer) = split_suffix(t, FR_SUFFIXES);
    // Hour: "midi", "minuit", or a number followed by "heure(s)" / "h".
    let (hour, rest) = match core {
        ["midi", rest @ ..] => (12, rest),
        ["minuit", rest @ ..] => (0, rest),
        _ => {
            let k = core
                .iter()
                .position(|w| matches!(*w, "heure" | "heures" | "h"))?;
            (hour_of(&core[..k], Lang::Fr)?, &core[k + 1..])
        }
    };
    let rest = rest.strip_suffix(&["minutes"]).unwrap_or(rest);
    let (h, _) = apply(hour, 0, mer)?;
    match rest {
        [] | ["pile"] => Some((h, 0)),
        ["et", "quart"] => Some((h, 15)),
        ["et", "demi" | "demie"] => Some((h, 30)),
        ["moins", "le", "quart"] | ["moins", "quart"] => minus(h, 15),
        ["moins", n @ ..] => minus(h, parse_cardinal(n, Lang::Fr)?),
        [m] if digits(m).is_some() => Some((h, digits(m).filter(|m| *m <= 59)?)),
        m => Some((h, parse_cardinal(m, Lang::Fr).filter(|m| *m <= 59)?)),
    }
}
