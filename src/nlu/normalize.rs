//! Turning text (utterances, samples, slot values) into comparable tokens.
//!
//! Matching needs a canonical form — lower case, ASCII, no punctuation, no "um" — but slot
//! values must keep the user's own words, so every token remembers the byte span of the
//! original text it came from. Samples, slot values and utterances all go through the same
//! functions, which is what makes "what's" = "whats" = "what s" hold on both sides.
//!
//! Work is bounded whatever the input: at most [`MAX_INPUT_BYTES`] are scanned, at most
//! [`MAX_TOKENS`] tokens kept and each token is cut at [`MAX_TOKEN_CHARS`] characters (edit
//! distances are quadratic in token length).

use super::Lang;

/// Tokens kept per utterance; nobody says more than this to a smart speaker.
pub(crate) const MAX_TOKENS: usize = 64;
/// Bytes of input looked at; the rest is ignored.
pub(crate) const MAX_INPUT_BYTES: usize = 8 * 1024;
/// Characters kept per token.
pub(crate) const MAX_TOKEN_CHARS: usize = 40;
/// Raw tokens collected before fillers are removed (some will disappear).
const MAX_RAW_TOKENS: usize = MAX_TOKENS * 2;

/// A normalised word and where it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    /// Lower-case ASCII letters, or digits (never both), or a `{slot}` sentinel in samples.
    pub text: String,
    /// Byte offset of the first original character.
    pub start: usize,
    /// Byte offset just past the last original character.
    pub end: usize,
}

impl Token {
    /// Sentinel tokens stand for `{slot}` references while a sample is normalised; they
    /// contain braces, which real tokens never do, so no rule can merge or drop them.
    pub(crate) fn is_sentinel(&self) -> bool {
        self.text.starts_with('{')
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Alpha,
    Digit,
}

/// Split `input` into raw tokens: words of ASCII letters or of digits ("9pm" → "9" "pm",
/// "21h30" → "21" "h" "30"), accents transliterated, everything else a separator.
///
/// English keeps a word together across an apostrophe ("what's" → "whats", "o'clock" →
/// "oclock"); French splits there, since its apostrophes mark elision ("l'après-midi" →
/// "l" "apres" "midi"). `&` becomes a word ("R&B" = "R and B").
pub(crate) fn tokenize(input: &str, lang: Lang) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = Current::default();
    for (i, c) in input.char_indices() {
        if i >= MAX_INPUT_BYTES || out.len() >= MAX_RAW_TOKENS {
            break;
        }
        let end = i + c.len_utf8();
        if is_combining_mark(c) {
            // Decomposed accents ("e" + U+0301): part of the word, nothing to add.
            if !cur.text.is_empty() {
                cur.end = end;
            }
            continue;
        }
        if is_apostrophe(c) {
            if lang == Lang::Fr {
                cur.flush(&mut out);
            }
            continue;
        }
        if c == '&' {
            cur.flush(&mut out);
            let word = if lang == Lang::Fr { "et" } else { "and" };
            out.push(Token {
                text: word.to_string(),
                start: i,
                end,
            });
            continue;
        }
        if !c.is_alphanumeric() {
            cur.flush(&mut out);
            continue;
        }
        let mut buf = [0u8; 4];
        let ascii: &str = if c.is_ascii() {
            c.encode_utf8(&mut buf)
        } else {
            deunicode::deunicode_char(c).unwrap_or("")
        };
        for a in ascii.chars() {
            let kind = if a.is_ascii_digit() {
                Kind::Digit
            } else if a.is_ascii_alphabetic() {
                Kind::Alpha
            } else {
                cur.flush(&mut out);
                continue;
            };
            if cur.kind != Some(kind) {
                cur.flush(&mut out);
            }
            if cur.text.is_empty() {
                cur.start = i;
                cur.kind = Some(kind);
            }
            if cur.chars < MAX_TOKEN_CHARS {
                cur.text.push(a.to_ascii_lowercase());
                cur.chars += 1;
            }
            cur.end = end;
        }
    }
    cur.flush(&mut out);
    out
}

#[derive(Default)]
struct Current {
    text: String,
    chars: usize,
    start: usize,
    end: usize,
    kind: Option<Kind>,
}

impl Current {
    fn flush(&mut self, out: &mut Vec<Token>) {
        if !self.text.is_empty() {
            out.push(Token {
                text: std::mem::take(&mut self.text),
                start: self.start,
                end: self.end,
            });
        }
        self.chars = 0;
        self.kind = None;
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}'
    )
}

/// Combining diacritical marks (the blocks used by decomposed Latin text).
fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// English contraction tails typed as separate words ("what s on", "don t"): glued back so
/// they equal "what's" / "whats". ("d" is left out: "a c d c" must stay four letters.)
const EN_CLITICS: &[&str] = &["s", "t", "re", "ll", "ve", "m"];

/// Multi-word spellings folded into one canonical spelling, per language.
const EN_REWRITES: &[(&[&str], &[&str])] = &[
    (&["o", "clock"], &["oclock"]),
    (&["week", "end"], &["weekend"]),
    (&["what", "is"], &["whats"]),
    (&["who", "is"], &["whos"]),
    (&["that", "is"], &["thats"]),
    (&["it", "is"], &["its"]),
    (&["i", "am"], &["im"]),
    (&["do", "not"], &["dont"]),
    (&["let", "us"], &["lets"]),
    (&["a", "m"], &["am"]),
    (&["p", "m"], &["pm"]),
];
const FR_REWRITES: &[(&[&str], &[&str])] = &[
    (&["aujourdhui"], &["aujourd", "hui"]),
    (&["weekend"], &["week", "end"]),
    (&["apresmidi"], &["apres", "midi"]),
];

/// Hesitations and politeness that never change the meaning, removed anywhere.
const EN_FILLERS: &[&[&str]] = &[
    &["please"],
    &["um"],
    &["umm"],
    &["uh"],
    &["uhm"],
    &["erm"],
    &["hmm"],
];
const FR_FILLERS: &[&[&str]] = &[
    &["s", "il", "te", "plait"],
    &["s", "il", "vous", "plait"],
    &["stp"],
    &["svp"],
    &["euh"],
    &["heu"],
    &["hum"],
    &["um"],
    &["uh"],
    &["please"],
];

/// Indirect requests, removed only at the start ("can you play fip"), because in the middle
/// they may belong to a title ("play can you feel it").
const EN_LEADING: &[&[&str]] = &[
    &["can", "you"],
    &["could", "you"],
    &["would", "you"],
    &["will", "you"],
    &["can", "u"],
];
const FR_LEADING: &[&[&str]] = &[
    &["est", "ce", "que", "tu", "peux"],
    &["est", "ce", "que", "vous", "pouvez"],
    &["est", "ce", "que", "tu", "pourrais"],
    &["peux", "tu"],
    &["tu", "peux"],
    &["pourrais", "tu"],
    &["tu", "pourrais"],
    &["pouvez", "vous"],
    &["vous", "pouvez"],
    &["pourriez", "vous"],
];

/// Canonical token sequence: contraction tails glued (English), multi-word spellings
/// folded, filler words removed, capped at [`MAX_TOKENS`].
pub(crate) fn canonicalize(tokens: Vec<Token>, lang: Lang) -> Vec<Token> {
    let mut merged: Vec<Token> = Vec::with_capacity(tokens.len());
    for tok in tokens {
        if lang == Lang::En && EN_CLITICS.contains(&tok.text.as_str()) {
            if let Some(prev) = merged.last_mut() {
                if !prev.is_sentinel() && prev.text.bytes().all(|b| b.is_ascii_alphabetic()) {
                    prev.text.push_str(&tok.text);
                    prev.end = tok.end;
                    continue;
                }
            }
        }
        merged.push(tok);
    }
    let (rewrites, fillers) = match lang {
        Lang::En => (EN_REWRITES, EN_FILLERS),
        Lang::Fr => (FR_REWRITES, FR_FILLERS),
    };
    let mut out: Vec<Token> = Vec::with_capacity(merged.len());
    let mut i = 0;
    'scan: while i < merged.len() {
        for filler in fillers {
            if starts_with(&merged[i..], filler) {
                i += filler.len();
                continue 'scan;
            }
        }
        for (from, to) in rewrites {
            if starts_with(&merged[i..], from) {
                let start = merged[i].start;
                let end = merged[i + from.len() - 1].end;
                out.extend(to.iter().map(|t| Token {
                    text: (*t).to_string(),
                    start,
                    end,
                }));
                i += from.len();
                continue 'scan;
            }
        }
        out.push(merged[i].clone());
        i += 1;
    }
    out.truncate(MAX_TOKENS);
    out
}

/// Number of tokens at the start that are indirect-request words ("can you", "peux-tu").
pub(crate) fn leading_politeness_len(tokens: &[Token], lang: Lang) -> usize {
    let phrases = match lang {
        Lang::En => EN_LEADING,
        Lang::Fr => FR_LEADING,
    };
    phrases
        .iter()
        .find(|p| starts_with(tokens, p))
        .map_or(0, |p| p.len())
}

/// Full normalisation of free text (utterances, slot values).
pub(crate) fn normalize(input: &str, lang: Lang) -> Vec<Token> {
    canonicalize(tokenize(input, lang), lang)
}

/// Whether `tokens` begins with the words of `phrase`.
pub(crate) fn starts_with(tokens: &[Token], phrase: &[&str]) -> bool {
    tokens.len() >= phrase.len() && tokens.iter().zip(phrase).all(|(t, p)| t.text == *p)
}

/// Token texts, for the parsers that only need words.
pub(crate) fn texts(tokens: &[Token]) -> Vec<&str> {
    tokens.iter().map(|t| t.text.as_str()).collect()
}

/// Words run together, so "a c d c", "AC/DC" and "acdc" compare equal.
pub(crate) fn compact<S: AsRef<str>>(words: &[S]) -> String {
    words.iter().map(AsRef::as_ref).collect()
}
