//! `AMAZON.TIME` parsing.

use pretty_assertions::assert_eq;

use super::super::time::parse_time;
use super::super::Lang::{self, En, Fr};
use super::words;

fn time(s: &str, lang: Lang) -> Option<String> {
    let w = words(s, lang);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    parse_time(&w, lang).map(|t| t.value)
}

fn check(lang: Lang, cases: &[(&str, &str)]) {
    for (input, want) in cases {
        assert_eq!(time(input, lang).as_deref(), Some(*want), "{input:?}");
    }
}

#[test]
fn english_clock_times() {
    check(
        En,
        &[
            ("nine pm", "21:00"),
            ("9 pm", "21:00"),
            ("9pm", "21:00"),
            ("9 p.m.", "21:00"),
            ("at 9 PM", "21:00"),
            ("nine o'clock", "09:00"),
            ("nine o clock", "09:00"),
            ("nine o'clock in the evening", "21:00"),
            ("half past eight", "08:30"),
            ("half past eight pm", "20:30"),
            ("quarter to ten", "09:45"),
            ("a quarter past seven pm", "19:15"),
            ("ten to nine", "08:50"),
            ("twenty five minutes past six", "06:25"),
            ("half nine", "09:30"),
            ("noon", "12:00"),
            ("midday", "12:00"),
            ("midnight", "00:00"),
            ("21:30", "21:30"),
            ("9:05 pm", "21:05"),
            ("nine oh five", "09:05"),
            ("nine thirty", "09:30"),
            ("twenty one thirty", "21:30"),
            ("twelve am", "00:00"),
            ("twelve pm", "12:00"),
            ("nine at night", "21:00"),
            ("twelve at night", "00:00"),
            ("seven in the morning", "07:00"),
            ("at 8", "08:00"),
            ("eleven fifty nine pm", "23:59"),
        ],
    );
}

#[test]
fn english_parts_of_the_day() {
    check(
        En,
        &[
            ("in the morning", "MO"),
            ("morning", "MO"),
            ("this afternoon", "AF"),
            ("afternoon", "AF"),
            ("evening", "EV"),
            ("in the evening", "EV"),
            ("night", "NI"),
            ("at night", "NI"),
            ("tonight", "NI"),
        ],
    );
}

#[test]
fn french_clock_times() {
    check(
        Fr,
        &[
            ("21 heures", "21:00"),
            ("vingt et une heures", "21:00"),
            ("21h30", "21:30"),
            ("21 h 30", "21:30"),
            ("21 h", "21:00"),
            ("21h", "21:00"),
            ("à 20h", "20:00"),
            ("neuf heures du soir", "21:00"),
            ("neuf heures du matin", "09:00"),
            ("neuf heures", "09:00"),
            ("deux heures de l'après-midi", "14:00"),
            ("une heure du matin", "01:00"),
            ("dix heures de la nuit", "22:00"),
            ("deux heures de la nuit", "02:00"),
            ("huit heures et demie", "08:30"),
            ("huit heures et quart", "08:15"),
            ("neuf heures moins le quart", "08:45"),
            ("neuf heures moins dix", "08:50"),
            ("vingt heures quarante-cinq", "20:45"),
            ("21 heures du soir", "21:00"),
            ("midi", "12:00"),
            ("midi et demi", "12:30"),
            ("minuit", "00:00"),
            ("minuit moins cinq", "23:55"),
            ("vers 22 heures", "22:00"),
        ],
    );
}

#[test]
fn french_parts_of_the_day() {
    check(
        Fr,
        &[
            ("le matin", "MO"),
            ("matin", "MO"),
            ("l'après-midi", "AF"),
            ("l'apres midi", "AF"),
            ("cet après-midi", "AF"),
            ("le soir", "EV"),
            ("ce soir", "EV"),
            ("en soirée", "EV"),
            ("la nuit", "NI"),
            ("cette nuit", "NI"),
        ],
    );
}

#[test]
fn bare_hours_are_flagged_and_shifted_by_the_day_part() {
    use super::super::time::{shift_bare_time, Period};
    let bare = |s: &str, lang| {
        let w = words(s, lang);
        let w: Vec<&str> = w.iter().map(String::as_str).collect();
        parse_time(&w, lang).map(|t| t.bare)
    };
    assert_eq!(bare("at nine", En), Some(true));
    assert_eq!(bare("half past eight", En), Some(true));
    assert_eq!(bare("nine pm", En), Some(false));
    assert_eq!(bare("noon", En), Some(false));
    assert_eq!(bare("21:30", En), Some(true));
    assert_eq!(bare("neuf heures", Fr), Some(true));
    assert_eq!(bare("neuf heures du matin", Fr), Some(false));
    assert_eq!(bare("le soir", Fr), Some(false));
    let shift = |v: &str, p| shift_bare_time(v, p);
    assert_eq!(shift("09:00", Period::Night).as_deref(), Some("21:00"));
    assert_eq!(shift("02:00", Period::Night).as_deref(), Some("02:00"));
    assert_eq!(shift("08:30", Period::Evening).as_deref(), Some("20:30"));
    assert_eq!(shift("03:00", Period::Afternoon).as_deref(), Some("15:00"));
    assert_eq!(shift("09:00", Period::Morning).as_deref(), Some("09:00"));
    assert_eq!(shift("21:30", Period::Evening).as_deref(), Some("21:30"));
    assert_eq!(shift("12:00", Period::Evening).as_deref(), Some("12:00"));
}

#[test]
fn rejects_non_times() {
    for s in [
        "",
        "blah",
        "nova",
        "twenty five o'clock",
        "nine seventy",
        "thirteen am",
        "at",
    ] {
        assert_eq!(time(s, En), None, "{s:?}");
    }
    for s in [
        "",
        "bof",
        "25 heures",
        "neuf",
        "midi et des poussières",
        "21h75",
    ] {
        assert_eq!(time(s, Fr), None, "{s:?}");
    }
}
