//! Format detection from the first bytes of a (decompressed) input, so operators can import a
//! file without saying what it is. Only the head is looked at, which keeps it streaming.

use super::Format;

/// How much of the input detection looks at.
pub const HEAD_BYTES: usize = 8 * 1024;

/// The gzip magic number.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// Guesses the format from the head of a document, or `None` when nothing matches.
pub fn detect(head: &[u8]) -> Option<Format> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace())?;
    let text = &head[start..];
    let upper: Vec<u8> = text
        .iter()
        .take(64)
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if text.starts_with(b"{") {
        return Some(Format::Json);
    }
    if upper.starts_with(b"[PLAYLIST]") {
        return Some(Format::Pls);
    }
    if upper.starts_with(b"BEGIN:VCALENDAR") || upper.starts_with(b"BEGIN:VEVENT") {
        return Some(Format::Ical);
    }
    if upper.starts_with(b"#EXTM3U") || upper.starts_with(b"#EXTINF") {
        return Some(Format::M3u);
    }
    if text.starts_with(b"<") {
        return xml_root(text);
    }
    // A plain M3U is just URLs, one per line (comments allowed).
    let first_line = text
        .split(|b| *b == b'\n')
        .map(|l| l.trim_ascii())
        .find(|l| !l.is_empty() && !l.starts_with(b"#"))?;
    let lower = first_line.to_ascii_lowercase();
    (lower.starts_with(b"http://") || lower.starts_with(b"https://")).then_some(Format::M3u)
}

/// The root element of an XML document: skips the declaration, comments and the doctype.
fn xml_root(text: &[u8]) -> Option<Format> {
    let mut rest = text;
    loop {
        rest = rest.trim_ascii_start();
        if rest.starts_with(b"<?") {
            rest = after(rest, b"?>")?;
        } else if rest.starts_with(b"<!--") {
            rest = after(rest, b"-->")?;
        } else if rest.starts_with(b"<!") {
            rest = after(rest, b">")?;
        } else if rest.starts_with(b"<") {
            let name: Vec<u8> = rest[1..]
                .iter()
                .take_while(|b| !b.is_ascii_whitespace() && **b != b'>' && **b != b'/')
                .map(|b| b.to_ascii_lowercase())
                .collect();
            return match name.as_slice() {
                b"tv" => Some(Format::Xmltv),
                b"rss" => Some(Format::Rss),
                b"playlist" => Some(Format::Xspf),
                b"asx" => Some(Format::Asx),
                _ => None,
            };
        } else {
            return None;
        }
    }
}

fn after<'a>(hay: &'a [u8], needle: &[u8]) -> Option<&'a [u8]> {
    let at = hay.windows(needle.len()).position(|w| w == needle)?;
    Some(&hay[at + needle.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_recognised() {
        let cases: &[(&[u8], Format)] = &[
            (b"  {\"events\": []}", Format::Json),
            (
                b"<?xml version=\"1.0\"?>\n<!DOCTYPE tv SYSTEM \"xmltv.dtd\">\n<tv>",
                Format::Xmltv,
            ),
            (b"<tv generator-info-name=\"x\">", Format::Xmltv),
            (
                b"\xEF\xBB\xBF<?xml version=\"1.0\"?><!-- c --><rss version=\"2.0\">",
                Format::Rss,
            ),
            (b"BEGIN:VCALENDAR\r\nVERSION:2.0", Format::Ical),
            (b"#EXTM3U\n#EXTINF:-1,Radio\nhttp://x/y", Format::M3u),
            (b"# my list\nhttps://radio.example/live.mp3\n", Format::M3u),
            (b"[playlist]\nFile1=http://x/y", Format::Pls),
            (b"[Playlist]\r\nNumberOfEntries=1", Format::Pls),
            (b"BEGIN:VEVENT\r\nUID:x", Format::Ical),
            (
                b"<?xml version=\"1.0\"?><playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\">",
                Format::Xspf,
            ),
            (b"<ASX version=\"3.0\">", Format::Asx),
        ];
        for (head, want) in cases {
            assert_eq!(
                detect(head),
                Some(*want),
                "{}",
                String::from_utf8_lossy(head)
            );
        }
    }

    #[test]
    fn unknown_content_is_none() {
        assert_eq!(detect(b""), None);
        assert_eq!(detect(b"<html><body>"), None);
        assert_eq!(detect(b"hello world"), None);
    }

    #[test]
    fn gzip_magic() {
        assert!(is_gzip(&[0x1f, 0x8b, 8, 0]));
        assert!(!is_gzip(b"<tv>"));
    }
}
