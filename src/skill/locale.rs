//! Supported locales and the way each one speaks times and days.

use jiff::civil::Weekday;
use jiff::Zoned;

/// A locale the skill speaks. Other locales are answered in the closest one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Locale {
    /// American English.
    EnUs,
    /// British English.
    EnGb,
    /// French (France).
    FrFr,
}

impl Locale {
    /// Every supported locale.
    pub const ALL: [Locale; 3] = [Locale::EnUs, Locale::EnGb, Locale::FrFr];

    /// Picks the locale for a request's `locale` tag: French for any `fr-*`, British English for
    /// Commonwealth English variants, American English otherwise (and when absent).
    pub fn from_tag(tag: Option<&str>) -> Self {
        let tag = tag.unwrap_or("en-US").to_ascii_lowercase();
        if tag.starts_with("fr") {
            Self::FrFr
        } else if ["en-gb", "en-au", "en-in", "en-ie", "en-nz"]
            .iter()
            .any(|t| tag == *t)
        {
            Self::EnGb
        } else {
            Self::EnUs
        }
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::EnUs => "en-US",
            Self::EnGb => "en-GB",
            Self::FrFr => "fr-FR",
        }
    }

    /// Clock time as spoken: "9 PM" / "9:30 PM" (US), "9 pm" / "9.30 pm" (UK), "21 h" / "21 h 30".
    pub fn clock(self, t: &Zoned) -> String {
        let (h, m) = (t.hour(), t.minute());
        match self {
            Self::FrFr => {
                if m == 0 {
                    format!("{h} h")
                } else {
                    format!("{h} h {m:02}")
                }
            }
            Self::EnUs | Self::EnGb => {
                let (h12, pm) = match h {
                    0 => (12, false),
                    1..=11 => (h, false),
                    12 => (12, true),
                    _ => (h - 12, true),
                };
                let suffix = match (self, pm) {
                    (Self::EnUs, true) => "PM",
                    (Self::EnUs, false) => "AM",
                    (_, true) => "pm",
                    (_, false) => "am",
                };
                let sep = if self == Self::EnUs { ':' } else { '.' };
                if m == 0 {
                    format!("{h12} {suffix}")
                } else {
                    format!("{h12}{sep}{m:02} {suffix}")
                }
            }
        }
    }

    /// The card's mark for an event on air now.
    pub fn live_badge(self) -> &'static str {
        match self {
            Self::FrFr => "DIRECT",
            Self::EnUs | Self::EnGb => "LIVE",
        }
    }

    /// A short weekday and 24-hour time for cards: "Sat 20:00" / "sam. 20:00".
    pub fn card_time(self, t: &Zoned) -> String {
        let day = match self {
            Self::FrFr => {
                let name = weekday_fr(t.date().weekday());
                format!("{}.", name.get(..3).unwrap_or(name))
            }
            Self::EnUs | Self::EnGb => weekday_en(t.date().weekday())
                .get(..3)
                .unwrap_or("")
                .to_string(),
        };
        format!("{day} {:02}:{:02}", t.hour(), t.minute())
    }

    /// "at 9 PM" / "à 21 h".
    pub fn at_clock(self, t: &Zoned) -> String {
        match self {
            Self::FrFr => format!("à {}", self.clock(t)),
            _ => format!("at {}", self.clock(t)),
        }
    }

    /// A day relative to `now` as spoken: "today", "tomorrow", "on Saturday", "on November 28".
    pub fn day(self, day: &Zoned, now: &Zoned) -> String {
        let (d, today) = (day.date(), now.date());
        let diff = (d - today).get_days();
        let span_days = d.since(today).map(|s| s.get_days()).unwrap_or(diff);
        match (self, span_days) {
            (Self::FrFr, 0) => "aujourd'hui".into(),
            (Self::FrFr, 1) => "demain".into(),
            (Self::FrFr, 2..=6) => weekday_fr(d.weekday()).into(),
            (Self::FrFr, _) => format!("le {} {}", d.day(), month_fr(d.month())),
            (_, 0) => "today".into(),
            (_, 1) => "tomorrow".into(),
            (_, 2..=6) => format!("on {}", weekday_en(d.weekday())),
            (Self::EnUs, _) => format!("on {} {}", month_en(d.month()), ordinal_en(d.day())),
            (_, _) => format!("on {} {}", ordinal_en(d.day()), month_en(d.month())),
        }
    }

    /// Day and time: "today at 9 PM", "demain à 21 h". Evening times today read "tonight".
    pub fn when(self, t: &Zoned, now: &Zoned) -> String {
        let same_day = t.date() == now.date();
        if same_day && t.hour() >= 18 {
            return match self {
                Self::FrFr => format!("ce soir {}", self.at_clock(t)),
                _ => format!("tonight {}", self.at_clock(t)),
            };
        }
        format!("{} {}", self.day(t, now), self.at_clock(t))
    }

    /// Joins items as a spoken list: "a, b and c" / "a, b et c".
    pub fn join(self, items: &[String]) -> String {
        self.join_with(items, if self == Self::FrFr { "et" } else { "and" })
    }

    /// Joins alternatives: "a, b or c" / "a, b ou c".
    pub fn join_or(self, items: &[String]) -> String {
        self.join_with(items, if self == Self::FrFr { "ou" } else { "or" })
    }

    fn join_with(self, items: &[String], word: &str) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
        }
    }

    /// Spoken ordinal for list positions: "first", "premier".
    pub fn ordinal(self, n: usize) -> String {
        const EN: [&str; 10] = [
            "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
            "tenth",
        ];
        const FR: [&str; 10] = [
            "premier",
            "deuxième",
            "troisième",
            "quatrième",
            "cinquième",
            "sixième",
            "septième",
            "huitième",
            "neuvième",
            "dixième",
        ];
        let table = if self == Self::FrFr { FR } else { EN };
        match n.checked_sub(1).and_then(|i| table.get(i)) {
            Some(word) => (*word).to_string(),
            None => format!("#{n}"),
        }
    }
}

fn weekday_en(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

fn weekday_fr(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "lundi",
        Weekday::Tuesday => "mardi",
        Weekday::Wednesday => "mercredi",
        Weekday::Thursday => "jeudi",
        Weekday::Friday => "vendredi",
        Weekday::Saturday => "samedi",
        Weekday::Sunday => "dimanche",
    }
}

fn month_en(m: i8) -> &'static str {
    const M: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    M.get(usize::try_from(m - 1).unwrap_or(0))
        .copied()
        .unwrap_or("")
}

fn month_fr(m: i8) -> &'static str {
    const M: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    M.get(usize::try_from(m - 1).unwrap_or(0))
        .copied()
        .unwrap_or("")
}

fn ordinal_en(d: i8) -> String {
    let suffix = match (d % 10, d % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{d}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Zoned {
        s.parse().expect("zoned")
    }

    #[test]
    fn tags() {
        assert_eq!(Locale::from_tag(Some("fr-CA")), Locale::FrFr);
        assert_eq!(Locale::from_tag(Some("en-GB")), Locale::EnGb);
        assert_eq!(Locale::from_tag(Some("de-DE")), Locale::EnUs);
        assert_eq!(Locale::from_tag(None), Locale::EnUs);
    }

    #[test]
    fn clocks() {
        let t = at("2026-11-21T21:30:00[Europe/Paris]");
        assert_eq!(Locale::EnUs.clock(&t), "9:30 PM");
        assert_eq!(Locale::EnGb.clock(&t), "9.30 pm");
        assert_eq!(Locale::FrFr.clock(&t), "21 h 30");
        let midnight = at("2026-11-21T00:00:00[Europe/Paris]");
        assert_eq!(Locale::EnUs.clock(&midnight), "12 AM");
        let noon = at("2026-11-21T12:00:00[Europe/Paris]");
        assert_eq!(Locale::EnUs.clock(&noon), "12 PM");
        assert_eq!(Locale::FrFr.clock(&noon), "12 h");
    }

    #[test]
    fn days() {
        let now = at("2026-11-21T10:00:00[America/New_York]");
        let sat = at("2026-11-21T21:00:00[America/New_York]");
        assert_eq!(Locale::EnUs.when(&sat, &now), "tonight at 9 PM");
        assert_eq!(Locale::FrFr.when(&sat, &now), "ce soir à 21 h");
        let tue = at("2026-11-24T09:00:00[America/New_York]");
        assert_eq!(Locale::EnUs.when(&tue, &now), "on Tuesday at 9 AM");
        assert_eq!(Locale::FrFr.when(&tue, &now), "mardi à 9 h");
        let later = at("2026-12-02T20:00:00[America/New_York]");
        assert_eq!(Locale::EnUs.day(&later, &now), "on December 2nd");
        assert_eq!(Locale::EnGb.day(&later, &now), "on 2nd December");
        assert_eq!(Locale::FrFr.day(&later, &now), "le 2 décembre");
    }

    #[test]
    fn card_times() {
        let t = at("2026-11-21T20:05:00[Europe/Paris]");
        assert_eq!(Locale::EnGb.card_time(&t), "Sat 20:05");
        assert_eq!(Locale::FrFr.card_time(&t), "sam. 20:05");
    }

    #[test]
    fn joins() {
        let items = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(Locale::EnUs.join(&items), "a, b and c");
        assert_eq!(Locale::FrFr.join(&items[..2]), "a et b");
    }
}
