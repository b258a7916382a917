//! Cardinal and ordinal numbers in words or digits (`AMAZON.NUMBER`, `AMAZON.ORDINAL`), and
//! years, in English and French.
//!
//! Every parser must consume the *whole* token span: a slot capture is only accepted as a
//! number when all of it is one, which is how the matcher picks the right split between
//! adjacent slots. Values are capped (below one billion) so nothing overflows.

use super::Lang;

/// A whole span as a cardinal number: "21", "twenty one", "one hundred and five",
/// "vingt et un", "quatre-vingt-dix", "deux mille vingt-six".
pub(crate) fn parse_cardinal(tokens: &[&str], lang: Lang) -> Option<u64> {
    if let [t] = tokens {
        if let Some(v) = digits(t) {
            return Some(v);
        }
    }
    if tokens.is_empty() {
        return None;
    }
    let w = words(lang);
    // "… thousand …" / "… mille …"
    if let Some(k) = tokens.iter().position(|t| *t == w.thousand) {
        let left = match &tokens[..k] {
            [] => 1,
            ["a"] if lang == Lang::En => 1,
            l => below_1000(l, &w).filter(|v| *v >= 1)?,
        };
        let right = match skip_and(&tokens[k + 1..], lang) {
            [] => 0,
            r => below_1000(r, &w)?,
        };
        return Some(left * 1000 + right);
    }
    below_1000(tokens, &w)
}

/// A whole span as an ordinal, returned as its number: "first" → 1, "21st" → 21,
/// "twenty third" → 23, "premier" / "première" → 1, "deuxième" / "seconde" / "2e" → 2.
pub(crate) fn parse_ordinal(tokens: &[&str], lang: Lang) -> Option<u64> {
    if let [n, suffix] = tokens {
        let ok = match lang {
            Lang::En => ["st", "nd", "rd", "th"].contains(suffix),
            Lang::Fr => [
                "er", "re", "ere", "e", "eme", "ieme", "em", "nd", "nde", "d", "de",
            ]
            .contains(suffix),
        };
        if ok {
            return digits(n).filter(|v| *v >= 1);
        }
    }
    let (last, head) = tokens.split_last()?;
    let base = match lang {
        Lang::En => en_ordinal_to_cardinal(last)?,
        Lang::Fr => {
            if head.is_empty() && ["premier", "premiere", "second", "seconde"].contains(last) {
                return Some(if last.starts_with('p') { 1 } else { 2 });
            }
            fr_ordinal_to_cardinal(last)?
        }
    };
    let mut words: Vec<&str> = head.to_vec();
    words.push(base.as_str());
    parse_cardinal(&words, lang).filter(|v| *v >= 1)
}

/// A year: "2026", "twenty twenty six", "two thousand twenty six", "deux mille vingt-six".
/// Only 1900..=2199 is accepted, which is all a concert schedule needs and keeps
/// "nine eleven" from being read as a year.
pub(crate) fn parse_year(tokens: &[&str], lang: Lang) -> Option<i16> {
    let in_range = |v: u64| (1900..=2199).contains(&v).then_some(v as i16);
    if let Some(v) = parse_cardinal(tokens, lang) {
        return in_range(v);
    }
    if lang == Lang::En {
        // "twenty twenty six", "nineteen ninety", "twenty oh five"
        for k in 1..tokens.len() {
            let (a, b) = tokens.split_at(k);
            let hi = parse_cardinal(a, lang).filter(|v| (19..=21).contains(v));
            let lo = match b {
                ["oh", x] => parse_cardinal(&[x], lang).filter(|v| *v <= 9),
                _ => parse_cardinal(b, lang).filter(|v| (10..=99).contains(v)),
            };
            if let (Some(hi), Some(lo)) = (hi, lo) {
                return in_range(hi * 100 + lo);
            }
        }
    }
    None
}

/// The longest leading run of `tokens` that is a cardinal, with its length.
pub(crate) fn cardinal_prefix(tokens: &[&str], lang: Lang) -> Option<(u64, usize)> {
    let max = tokens.len().min(8);
    (1..=max)
        .rev()
        .find_map(|n| parse_cardinal(&tokens[..n], lang).map(|v| (v, n)))
}

/// A token made only of ASCII digits (at most 9, so the value stays small).
pub(crate) fn digits(t: &str) -> Option<u64> {
    if t.is_empty() || t.len() > 9 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse().ok()
}

struct Words {
    lang: Lang,
    hundred: &'static [&'static str],
    thousand: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::En => Words {
            lang,
            hundred: &["hundred"],
            thousand: "thousand",
        },
        Lang::Fr => Words {
            lang,
            hundred: &["cent", "cents"],
            thousand: "mille",
        },
    }
}

fn skip_and<'a, 'b>(t: &'a [&'b str], lang: Lang) -> &'a [&'b str] {
    match (lang, t) {
        (Lang::En, ["and", rest @ ..]) => rest,
        _ => t,
    }
}

fn below_1000(tokens: &[&str], w: &Words) -> Option<u64> {
    if let [t] = tokens {
        if let Some(v) = digits(t).filter(|v| *v < 1000) {
            return Some(v);
        }
    }
    if let Some(k) = tokens.iter().position(|t| w.hundred.contains(t)) {
        let left = match (&tokens[..k], w.lang) {
            ([], _) | (["a"], Lang::En) => 1,
            (l, Lang::En) => below_100(l, w.lang).filter(|v| (1..=99).contains(v))?,
            (l, Lang::Fr) => below_100(l, w.lang).filter(|v| (2..=9).contains(v))?,
        };
        let right = match skip_and(&tokens[k + 1..], w.lang) {
            [] => 0,
            r => below_100(r, w.lang)?,
        };
        return Some(left * 100 + right);
    }
    below_100(tokens, w.lang)
}

fn below_100(t: &[&str], lang: Lang) -> Option<u64> {
    match lang {
        Lang::En => en_below_100(t),
        Lang::Fr => fr_below_100(t),
    }
}

const EN_UNITS: [&str; 20] = [
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
const EN_TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn index_of(list: &[&str], w: &str) -> Option<u64> {
    list.iter().position(|x| *x == w).map(|i| i as u64)
}

fn en_below_100(t: &[&str]) -> Option<u64> {
    let unit = |w: &str| index_of(&EN_UNITS, w);
    let tens = |w: &str| index_of(&EN_TENS, w).map(|i| 20 + 10 * i);
    match t {
        [a] => digits(a)
            .filter(|v| *v < 100)
            .or_else(|| unit(a))
            .or_else(|| tens(a)),
        [a, b] => Some(tens(a)? + unit(b).filter(|u| (1..=9).contains(u))?),
        _ => None,
    }
}

const FR_UNITS: [&str; 17] = [
    "zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize",
];

fn fr_below_20(t: &[&str]) -> Option<u64> {
    match t {
        ["une"] => Some(1),
        [a] => index_of(&FR_UNITS, a),
        ["dix", b] => index_of(&FR_UNITS, b)
            .filter(|u| (7..=9).contains(u))
            .map(|u| 10 + u),
        _ => None,
    }
}

fn fr_tens(w: &str) -> Option<u64> {
    Some(match w {
        "vingt" => 20,
        "trente" => 30,
        "quarante" => 40,
        "cinquante" => 50,
        "soixante" => 60,
        "septante" => 70,
        "octante" | "huitante" => 80,
        "nonante" => 90,
        _ => return None,
    })
}

fn fr_below_100(t: &[&str]) -> Option<u64> {
    if let [a] = t {
        if let Some(v) = digits(a).filter(|v| *v < 100) {
            return Some(v);
        }
    }
    if let Some(v) = fr_below_20(t) {
        return Some(v);
    }
    // Base and the numbers that may follow it: 60 and 80 take 1..=19 ("soixante-douze",
    // "quatre-vingt-dix-sept"), the others 1..=9.
    let (base, rest, max_rest) = match t {
        ["quatre", "vingt" | "vingts", rest @ ..] => (80, rest, 19),
        [a, rest @ ..] => {
            let b = fr_tens(a)?;
            (b, rest, if b == 60 { 19 } else { 9 })
        }
        [] => return None,
    };
    let rest = match rest {
        ["et", r @ ..] => r,
        r => r,
    };
    if rest.is_empty() {
        return Some(base);
    }
    let v = fr_below_20(rest).filter(|v| (1..=max_rest).contains(v))?;
    Some(base + v)
}

fn en_ordinal_to_cardinal(w: &str) -> Option<String> {
    let irregular = match w {
        "first" => Some("one"),
        "second" => Some("two"),
        "third" => Some("three"),
        "fifth" => Some("five"),
        "eighth" => Some("eight"),
        "ninth" => Some("nine"),
        "twelfth" => Some("twelve"),
        _ => None,
    };
    if let Some(c) = irregular {
        return Some(c.to_string());
    }
    if let Some(stem) = w.strip_suffix("ieth") {
        return Some(format!("{stem}y"));
    }
    w.strip_suffix("th")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn fr_ordinal_to_cardinal(w: &str) -> Option<String> {
    let stem = w.strip_suffix("ieme")?;
    let special = match stem {
        "cinqu" => Some("cinq"),
        "neuv" => Some("neuf"),
        "un" => Some("un"),
        _ => None,
    };
    if let Some(s) = special {
        return Some(s.to_string());
    }
    // "deux-ième" keeps the stem, "quatr-ième" / "onz-ième" / "trent-ième" drop an e.
    [stem.to_string(), format!("{stem}e")]
        .into_iter()
        .find(|c| fr_below_100(&[c.as_str()]).is_some() || c == "cent" || c == "mille")
}
