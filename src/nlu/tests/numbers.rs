//! `AMAZON.NUMBER` / `AMAZON.ORDINAL` parsing, including every number from 0 to 100 written
//! out by an independent speller below.

use pretty_assertions::assert_eq;

use super::super::number::{parse_cardinal, parse_ordinal, parse_year};
use super::super::Lang::{self, En, Fr};
use super::words;

fn cardinal(s: &str, lang: Lang) -> Option<u64> {
    let w = words(s, lang);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    parse_cardinal(&w, lang)
}

fn ordinal(s: &str, lang: Lang) -> Option<u64> {
    let w = words(s, lang);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    parse_ordinal(&w, lang)
}

fn year(s: &str, lang: Lang) -> Option<i16> {
    let w = words(s, lang);
    let w: Vec<&str> = w.iter().map(String::as_str).collect();
    parse_year(&w, lang)
}

const EN_SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const EN_TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn spell_en(n: u64) -> String {
    match n {
        0..=19 => EN_SMALL[n as usize].to_string(),
        20..=99 if n.is_multiple_of(10) => EN_TENS[(n / 10) as usize].to_string(),
        20..=99 => format!(
            "{}-{}",
            EN_TENS[(n / 10) as usize],
            EN_SMALL[(n % 10) as usize]
        ),
        _ => "one hundred".to_string(),
    }
}

const FR_SMALL: [&str; 17] = [
    "zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];

fn spell_fr(n: u64) -> String {
    let tens = [
        "",
        "dix",
        "vingt",
        "trente",
        "quarante",
        "cinquante",
        "soixante",
    ];
    match n {
        0..=16 => FR_SMALL[n as usize].to_string(),
        17..=19 => format!("dix-{}", FR_SMALL[(n - 10) as usize]),
        20..=69 => {
            let (t, u) = (tens[(n / 10) as usize], n % 10);
            match u {
                0 => t.to_string(),
                1 => format!("{t} et un"),
                _ => format!("{t}-{}", FR_SMALL[u as usize]),
            }
        }
        70 => "soixante-dix".to_string(),
        71 => "soixante et onze".to_string(),
        72..=79 => format!("soixante-{}", spell_fr(n - 60)),
        80 => "quatre-vingts".to_string(),
        81..=99 => format!("quatre-vingt-{}", spell_fr(n - 80)),
        _ => "cent".to_string(),
    }
}

#[test]
fn every_number_up_to_100_in_words_and_digits() {
    for n in 0..=100 {
        assert_eq!(cardinal(&spell_en(n), En), Some(n), "{}", spell_en(n));
        assert_eq!(cardinal(&spell_fr(n), Fr), Some(n), "{}", spell_fr(n));
        assert_eq!(cardinal(&n.to_string(), En), Some(n));
        assert_eq!(cardinal(&n.to_string(), Fr), Some(n));
    }
}

#[test]
fn larger_numbers() {
    for (s, n) in [
        ("a hundred", 100),
        ("one hundred and five", 105),
        ("hundred and five", 105),
        ("two hundred twenty two", 222),
        ("nineteen hundred", 1900),
        ("a thousand", 1000),
        ("two thousand twenty six", 2026),
        ("two thousand and twenty six", 2026),
        ("123456", 123_456),
    ] {
        assert_eq!(cardinal(s, En), Some(n), "{s:?}");
    }
    for (s, n) in [
        ("cent un", 101),
        ("deux cents", 200),
        ("trois cent quatre-vingt-dix-neuf", 399),
        ("mille", 1000),
        ("deux mille vingt-six", 2026),
        ("septante", 70),
        ("nonante-neuf", 99),
        ("quatre-vingt-onze", 91),
    ] {
        assert_eq!(cardinal(s, Fr), Some(n), "{s:?}");
    }
}

#[test]
fn malformed_numbers_are_rejected() {
    for s in [
        "",
        "one two",
        "twenty twenty",
        "nine ninety",
        "hundred hundred",
        "blah",
        "1234567890123",
    ] {
        assert_eq!(cardinal(s, En), None, "{s:?}");
    }
    for s in [
        "vingt vingt",
        "dix dix",
        "un cent",
        "quatre-vingt-vingt",
        "trente et onze",
    ] {
        assert_eq!(cardinal(s, Fr), None, "{s:?}");
    }
}

#[test]
fn english_ordinals() {
    let words = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
        "thirteenth",
    ];
    for (i, w) in words.iter().enumerate() {
        assert_eq!(ordinal(w, En), Some(i as u64 + 1), "{w}");
    }
    for (s, n) in [
        ("twentieth", 20),
        ("twenty first", 21),
        ("twenty-second", 22),
        ("thirty first", 31),
        ("ninetieth", 90),
        ("hundredth", 100),
        ("1st", 1),
        ("2nd", 2),
        ("3rd", 3),
        ("4th", 4),
        ("22nd", 22),
    ] {
        assert_eq!(ordinal(s, En), Some(n), "{s:?}");
    }
    for s in ["last", "one", "0th", "month", "blah", "2"] {
        assert_eq!(ordinal(s, En), None, "{s:?}");
    }
}

#[test]
fn french_ordinals() {
    for (s, n) in [
        ("premier", 1),
        ("première", 1),
        ("1er", 1),
        ("1re", 1),
        ("1ère", 1),
        ("deuxième", 2),
        ("second", 2),
        ("seconde", 2),
        ("2e", 2),
        ("2ème", 2),
        ("2nd", 2),
        ("troisième", 3),
        ("quatrième", 4),
        ("cinquième", 5),
        ("sixième", 6),
        ("septième", 7),
        ("huitième", 8),
        ("neuvième", 9),
        ("dixième", 10),
        ("onzième", 11),
        ("vingtième", 20),
        ("vingt et unième", 21),
        ("trente-deuxième", 32),
        ("centième", 100),
        ("3e", 3),
    ] {
        assert_eq!(ordinal(s, Fr), Some(n), "{s:?}");
    }
    for s in ["dernier", "deux", "bof", "0e"] {
        assert_eq!(ordinal(s, Fr), None, "{s:?}");
    }
}

#[test]
fn years() {
    assert_eq!(year("2026", En), Some(2026));
    assert_eq!(year("twenty twenty six", En), Some(2026));
    assert_eq!(year("twenty oh five", En), Some(2005));
    assert_eq!(year("nineteen ninety nine", En), Some(1999));
    assert_eq!(year("two thousand twenty seven", En), Some(2027));
    assert_eq!(year("deux mille vingt-sept", Fr), Some(2027));
    assert_eq!(year("nine eleven", En), None);
    assert_eq!(year("twenty six", En), None);
}
