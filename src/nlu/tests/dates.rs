//! `AMAZON.DATE` parsing, relative to fixed days (month, year and ISO-week boundaries).

use jiff::civil::Date;
use pretty_assertions::assert_eq;

use super::super::date::parse_date;
use super::super::time::Period;
use super::super::Lang::{self, En, Fr};
use super::{day, words};

fn date(s: &str, lang: Lang, today: Date) -> Option<String> {
    let w = words(s, lang);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    parse_date(&w, lang, today).map(|d| d.value)
}

fn period(s: &str, lang: Lang, today: Date) -> Option<Period> {
    let w = words(s, lang);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    parse_date(&w, lang, today).and_then(|d| d.period)
}

fn check(lang: Lang, today: Date, cases: &[(&str, &str)]) {
    for (input, want) in cases {
        assert_eq!(
            date(input, lang, today).as_deref(),
            Some(*want),
            "{input:?} from {today}"
        );
    }
}

#[test]
fn english_relative_to_saturday_2026_11_21() {
    let sat = day(2026, 11, 21);
    check(
        En,
        sat,
        &[
            ("today", "2026-11-21"),
            ("tonight", "2026-11-21"),
            ("tomorrow", "2026-11-22"),
            ("tomorrow night", "2026-11-22"),
            ("yesterday", "2026-11-20"),
            ("the day after tomorrow", "2026-11-23"),
            ("saturday", "2026-11-21"),
            ("on saturday", "2026-11-21"),
            ("this saturday", "2026-11-21"),
            ("next saturday", "2026-11-28"),
            ("last saturday", "2026-11-14"),
            ("sunday", "2026-11-22"),
            ("friday", "2026-11-27"),
            ("last friday", "2026-11-20"),
            ("saturday night", "2026-11-21"),
            ("this weekend", "2026-W47-WE"),
            ("the weekend", "2026-W47-WE"),
            ("next weekend", "2026-W48-WE"),
            ("this week", "2026-W47"),
            ("next week", "2026-W48"),
            ("last week", "2026-W46"),
            ("this month", "2026-11"),
            ("next month", "2026-12"),
            ("november", "2026-11"),
            ("in december", "2026-12"),
            ("october", "2027-10"),
            ("november twenty twenty seven", "2027-11"),
            ("this year", "2026"),
            ("next year", "2027"),
            ("this decade", "202X"),
            ("this winter", "2026-WI"),
            ("now", "PRESENT_REF"),
            ("right now", "PRESENT_REF"),
            ("november twenty first", "2026-11-21"),
            ("november twenty first twenty twenty six", "2026-11-21"),
            ("november 21", "2026-11-21"),
            ("november 21st", "2026-11-21"),
            ("Nov. 22nd", "2026-11-22"),
            ("the twenty first of november", "2026-11-21"),
            ("21st november", "2026-11-21"),
            ("november twentieth", "2027-11-20"),
            ("december thirty first", "2026-12-31"),
            ("saturday the 28th", "2026-11-28"),
            ("the 21st", "2026-11-21"),
            ("the 20th", "2026-12-20"),
            ("in three days", "2026-11-24"),
            ("in two weeks", "2026-W49"),
            ("2026-12-25", "2026-12-25"),
        ],
    );
}

#[test]
fn english_rejects_non_dates() {
    let sat = day(2026, 11, 21);
    for s in [
        "",
        "blah",
        "twenty one",
        "february thirtieth",
        "nova",
        "tomorrow at nine pm",
        "in 999999999 days",
    ] {
        assert_eq!(date(s, En, sat), None, "{s:?}");
    }
}

#[test]
fn implied_parts_of_the_day() {
    let sat = day(2026, 11, 21);
    assert_eq!(period("tonight", En, sat), Some(Period::Night));
    assert_eq!(period("tomorrow night", En, sat), Some(Period::Night));
    assert_eq!(period("tomorrow evening", En, sat), Some(Period::Evening));
    assert_eq!(period("this morning", En, sat), Some(Period::Morning));
    assert_eq!(period("today", En, sat), None);
    assert_eq!(period("ce soir", Fr, sat), Some(Period::Evening));
    assert_eq!(period("demain soir", Fr, sat), Some(Period::Evening));
    assert_eq!(period("cette nuit", Fr, sat), Some(Period::Night));
    assert_eq!(
        period("samedi après-midi", Fr, sat),
        Some(Period::Afternoon)
    );
}

#[test]
fn year_end_and_iso_week_53() {
    // 2026-12-31 is a Thursday in ISO week 2026-W53; 2027-01-01 (Friday) is still in it.
    let eve = day(2026, 12, 31);
    check(
        En,
        eve,
        &[
            ("today", "2026-12-31"),
            ("tomorrow", "2027-01-01"),
            ("this week", "2026-W53"),
            ("this weekend", "2026-W53-WE"),
            ("next week", "2027-W01"),
            ("next month", "2027-01"),
            ("january", "2027-01"),
            ("december", "2026-12"),
            ("the 31st", "2026-12-31"),
            ("the 1st", "2027-01-01"),
            ("january first", "2027-01-01"),
            ("next year", "2027"),
        ],
    );
    let new_year = day(2027, 1, 1);
    check(
        En,
        new_year,
        &[
            ("this week", "2026-W53"),
            ("yesterday", "2026-12-31"),
            ("this year", "2027"),
            ("last month", "2026-12"),
            ("this winter", "2026-WI"),
        ],
    );
    check(
        Fr,
        new_year,
        &[
            ("cette semaine", "2026-W53"),
            ("la semaine prochaine", "2027-W01"),
        ],
    );
}

#[test]
fn month_ends_and_leap_days() {
    let jan31 = day(2026, 1, 31);
    check(
        En,
        jan31,
        &[
            ("tomorrow", "2026-02-01"),
            ("next month", "2026-02"),
            // January 30th has passed and February has none.
            ("the 30th", "2026-03-30"),
            ("the 31st", "2026-01-31"),
        ],
    );
    check(
        En,
        day(2026, 3, 1),
        &[("february twenty ninth", "2028-02-29")],
    );
    check(
        En,
        day(2028, 2, 28),
        &[
            ("tomorrow", "2028-02-29"),
            ("february twenty ninth", "2028-02-29"),
        ],
    );
    check(
        Fr,
        day(2026, 2, 28),
        &[("demain", "2026-03-01"), ("le mois prochain", "2026-03")],
    );
}

#[test]
fn sunday_still_belongs_to_this_weekend() {
    let sun = day(2026, 11, 22);
    check(
        En,
        sun,
        &[
            ("this weekend", "2026-W47-WE"),
            ("next weekend", "2026-W48-WE"),
            ("saturday", "2026-11-28"),
            ("sunday", "2026-11-22"),
            ("next sunday", "2026-11-29"),
        ],
    );
}

#[test]
fn dates_follow_the_listener_zone_not_utc() {
    // 00:30 in Paris on the night DST starts is still 23:30 UTC the day before: the date
    // must come from the zoned time, which is what callers pass as `now`.
    let now = jiff::civil::date(2026, 3, 29)
        .at(0, 30, 0, 0)
        .in_tz("Europe/Paris")
        .expect("valid zoned time");
    assert_eq!(
        now.with_time_zone(jiff::tz::TimeZone::UTC).date(),
        day(2026, 3, 28)
    );
    check(
        Fr,
        now.date(),
        &[
            ("aujourd'hui", "2026-03-29"),
            ("demain", "2026-03-30"),
            ("cette semaine", "2026-W13"),
        ],
    );
    let autumn = jiff::civil::date(2026, 10, 25)
        .at(2, 30, 0, 0)
        .in_tz("Europe/Paris")
        .expect("valid zoned time");
    check(
        Fr,
        autumn.date(),
        &[
            ("hier", "2026-10-24"),
            ("demain", "2026-10-26"),
            ("ce week-end", "2026-W43-WE"),
        ],
    );
}

#[test]
fn french_relative_to_saturday_2026_11_21() {
    let sat = day(2026, 11, 21);
    check(
        Fr,
        sat,
        &[
            ("aujourd'hui", "2026-11-21"),
            ("aujourdhui", "2026-11-21"),
            ("ce soir", "2026-11-21"),
            ("demain", "2026-11-22"),
            ("demain soir", "2026-11-22"),
            ("hier", "2026-11-20"),
            ("après-demain", "2026-11-23"),
            ("samedi", "2026-11-21"),
            ("ce samedi", "2026-11-21"),
            ("samedi prochain", "2026-11-28"),
            ("vendredi", "2026-11-27"),
            ("vendredi dernier", "2026-11-20"),
            ("ce week-end", "2026-W47-WE"),
            ("ce weekend", "2026-W47-WE"),
            ("le week-end prochain", "2026-W48-WE"),
            ("le weekend prochain", "2026-W48-WE"),
            ("cette semaine", "2026-W47"),
            ("la semaine prochaine", "2026-W48"),
            ("ce mois-ci", "2026-11"),
            ("le mois prochain", "2026-12"),
            ("l'année prochaine", "2027"),
            ("novembre", "2026-11"),
            ("en janvier", "2027-01"),
            ("le vingt et un novembre", "2026-11-21"),
            ("le 21 novembre", "2026-11-21"),
            ("21 novembre 2027", "2027-11-21"),
            ("le premier décembre", "2026-12-01"),
            ("le 1er décembre", "2026-12-01"),
            ("samedi 28 novembre", "2026-11-28"),
            ("le 21", "2026-11-21"),
            ("le 20", "2026-12-20"),
            ("le trente et un décembre", "2026-12-31"),
            ("maintenant", "PRESENT_REF"),
            ("en ce moment", "PRESENT_REF"),
            ("dans trois jours", "2026-11-24"),
        ],
    );
    for s in ["", "bof", "vingt et un", "le trente février", "nova"] {
        assert_eq!(date(s, Fr, sat), None, "{s:?}");
    }
}
