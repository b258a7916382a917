//! iCalendar content lines (RFC 5545 §3.1): unfolding, `NAME;PARAM=V:value` splitting and
//! text unescaping.

use super::super::charset::decode_line;
use super::super::input::TextLines;
use super::super::ImportError;
use std::io::BufRead;

/// Longest unfolded property accepted; a longer one is cut (and will most likely be rejected
/// by the field it belongs to).
const MAX_PROPERTY_BYTES: usize = 1024 * 1024;

/// One property.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// Upper-case name.
    pub name: String,
    /// Parameters: upper-case name, value without quotes.
    pub params: Vec<(String, String)>,
    /// The raw value (still escaped for TEXT values).
    pub value: String,
    /// Line of its first physical line.
    pub line: usize,
}

impl Property {
    /// A parameter value.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value as text, unescaped.
    pub fn text(&self) -> String {
        unescape(&self.value)
    }
}

/// Unfolded properties, one at a time.
pub struct ContentLines<R> {
    lines: TextLines<R>,
    /// The physical line read ahead to see whether it continues the previous one.
    ahead: Option<(usize, Vec<u8>)>,
}

impl<R: BufRead> ContentLines<R> {
    /// Wraps a line reader.
    pub fn new(lines: TextLines<R>) -> Self {
        Self { lines, ahead: None }
    }

    fn physical(&mut self) -> Result<Option<(usize, Vec<u8>)>, ImportError> {
        if let Some(l) = self.ahead.take() {
            return Ok(Some(l));
        }
        Ok(self
            .lines
            .next_raw()?
            .map(|n| (n, self.lines.raw().to_vec())))
    }

    /// The next property; lines that are not `NAME:value` are returned as `Err` with their line
    /// so the caller can report them and go on.
    pub fn next_property(&mut self) -> Result<Option<Result<Property, usize>>, ImportError> {
        loop {
            let Some((line, mut bytes)) = self.physical()? else {
                return Ok(None);
            };
            // Continuations: a line starting with one space or tab, joined as bytes first so a
            // character split by folding comes back whole.
            while let Some(n) = self.lines.next_raw()? {
                let raw = self.lines.raw();
                if matches!(raw.first(), Some(b' ' | b'\t')) {
                    if bytes.len() < MAX_PROPERTY_BYTES {
                        bytes.extend_from_slice(&raw[1..]);
                    }
                } else {
                    self.ahead = Some((n, raw.to_vec()));
                    break;
                }
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some(parse_property(&decode_line(&bytes), line).ok_or(line)));
        }
    }
}

/// Splits `NAME;P=V;Q="a;b":value`.
pub fn parse_property(text: &str, line: usize) -> Option<Property> {
    let name_end = text.find([';', ':'])?;
    let name = text[..name_end].trim().to_ascii_uppercase();
    if name.is_empty() {
        return None;
    }
    let mut params = Vec::new();
    let mut rest = &text[name_end..];
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after.find('=')?;
        let key = after[..eq].trim().to_ascii_uppercase();
        let mut value = String::new();
        let mut in_quotes = false;
        let mut end = after.len();
        for (i, c) in after[eq + 1..].char_indices() {
            match c {
                '"' => in_quotes = !in_quotes,
                ';' | ':' if !in_quotes => {
                    end = eq + 1 + i;
                    break;
                }
                c => value.push(c),
            }
        }
        params.push((key, value));
        rest = &after[end..];
    }
    let value = rest.strip_prefix(':')?;
    Some(Property {
        name,
        params,
        value: value.to_string(),
        line,
    })
}

/// TEXT unescaping: `\\`, `\;`, `\,`, `\n` / `\N`.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A comma-separated TEXT list (CATEGORIES), split on unescaped commas, each unescaped.
pub fn split_list(raw: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in raw.chars() {
        if escaped {
            current.push('\\');
            current.push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if c == ',' {
            items.push(unescape(&std::mem::take(&mut current)));
        } else {
            current.push(c);
        }
    }
    items.push(unescape(&current));
    items
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn unfolds_and_splits() {
        let text: &[u8] = b"SUMMARY;LANGUAGE=fr:Concert d\r\n \xc3\r\n \xa9t\xc3\xa9\r\nDTSTART;TZID=\"Europe/Paris\":20261121T200000\r\n";
        let mut lines = ContentLines::new(TextLines::new(Cursor::new(text.to_vec())));
        let p = lines
            .next_property()
            .expect("io")
            .expect("some")
            .expect("valid");
        assert_eq!(p.name, "SUMMARY");
        assert_eq!(p.param("LANGUAGE"), Some("fr"));
        assert_eq!(p.value, "Concert d\u{e9}t\u{e9}");
        let p = lines
            .next_property()
            .expect("io")
            .expect("some")
            .expect("valid");
        assert_eq!((p.param("TZID"), p.line), (Some("Europe/Paris"), 4));
        assert!(lines.next_property().expect("io").is_none());
    }

    #[test]
    fn quoted_params_may_hold_separators() {
        let p = parse_property("ATTENDEE;CN=\"Doe; Jane: MC\";ROLE=CHAIR:mailto:j@x", 1)
            .expect("valid");
        assert_eq!(p.param("CN"), Some("Doe; Jane: MC"));
        assert_eq!(p.value, "mailto:j@x");
        assert!(parse_property("no colon here", 1).is_none());
    }

    #[test]
    fn escapes() {
        assert_eq!(
            unescape(r"Rock\, Pop\; Jazz\nNext \\ line"),
            "Rock, Pop; Jazz\nNext \\ line"
        );
        assert_eq!(
            split_list(r"Jazz,Rock\, Roll, Live"),
            vec!["Jazz", "Rock, Roll", "Live"]
        );
    }
}
