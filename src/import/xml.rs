//! A small pull layer over quick-xml for the XML formats (XMLTV, RSS, XSPF, ASX): owned nodes, entity
//! references resolved, text that is not UTF-8 read as Windows-1252, and line numbers for
//! rejections. Input has already been transcoded to UTF-8 by [`super::input`].

use super::charset::decode_text;
use super::input::LineCounter;
use super::ImportError;
use quick_xml::events::{BytesRef, Event};
use quick_xml::XmlVersion;
use std::io::Read;

/// An element start: its qualified name (`itunes:image`) and attributes.
#[derive(Debug, Clone)]
pub struct Element {
    /// Qualified name as written.
    pub name: String,
    attrs: Vec<(String, String)>,
}

impl Element {
    /// An attribute value by qualified name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// An attribute value whatever the case of its name (ASX writes `HREF` or `href`).
    pub fn attr_ci(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The name without its namespace prefix.
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// Whether the name has a namespace prefix (`itunes:image` vs `image`).
    pub fn prefixed(&self) -> bool {
        self.name.contains(':')
    }
}

/// One pulled node.
#[derive(Debug)]
pub enum Node {
    /// `<a ...>`.
    Start(Element),
    /// `<a .../>`.
    Empty(Element),
    /// `</a>`.
    End,
    /// Text, CDATA or a resolved reference.
    Text(String),
    /// End of input.
    Eof,
}

/// The pull reader.
pub struct XmlPull<R: Read> {
    reader: quick_xml::Reader<LineCounter<R>>,
    buf: Vec<u8>,
}

impl<R: Read> XmlPull<R> {
    /// Wraps a UTF-8 input. Stray `&` (common in hand-made feeds) is taken literally.
    pub fn new(input: LineCounter<R>) -> Self {
        let mut reader = quick_xml::Reader::from_reader(input);
        reader.config_mut().allow_dangling_amp = true;
        Self {
            reader,
            buf: Vec::with_capacity(4096),
        }
    }

    /// The current line, for rejections.
    pub fn line(&self) -> usize {
        self.reader.get_ref().line()
    }

    fn malformed(&self, e: quick_xml::Error) -> ImportError {
        match e {
            quick_xml::Error::Io(io) => ImportError::Read {
                path: "input".into(),
                detail: io.to_string(),
            },
            other => ImportError::Invalid {
                location: format!("line {}", self.line()),
                reason: format!("malformed XML: {other}"),
            },
        }
    }

    /// The next node.
    pub fn next(&mut self) -> Result<Node, ImportError> {
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(ev) => ev,
                Err(e) => {
                    let err = e;
                    return Err(self.malformed(err));
                }
            };
            return Ok(match event {
                Event::Start(e) => Node::Start(element(&e)),
                Event::Empty(e) => Node::Empty(element(&e)),
                Event::End(_) => Node::End,
                Event::Text(t) => Node::Text(decode_text(&t)),
                Event::CData(t) => Node::Text(decode_text(&t)),
                Event::GeneralRef(r) => Node::Text(reference(&r)),
                Event::Eof => Node::Eof,
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => continue,
            });
        }
    }

    /// The text inside the element just started, up to its end (text of nested elements
    /// included), whitespace-trimmed.
    pub fn text(&mut self) -> Result<String, ImportError> {
        let mut out = String::new();
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Node::Text(t) => out.push_str(&t),
                Node::Start(_) => depth += 1,
                Node::Empty(_) => {}
                Node::End if depth == 0 => break,
                Node::End => depth -= 1,
                Node::Eof => return Err(self.truncated()),
            }
        }
        Ok(out.trim().to_string())
    }

    /// Skips the rest of the element just started.
    pub fn skip(&mut self) -> Result<(), ImportError> {
        let mut depth = 0usize;
        loop {
            match self.next()? {
                Node::Start(_) => depth += 1,
                Node::End if depth == 0 => return Ok(()),
                Node::End => depth -= 1,
                Node::Eof => return Err(self.truncated()),
                Node::Text(_) | Node::Empty(_) => {}
            }
        }
    }

    /// The error for a document that stops inside an element.
    pub fn truncated(&self) -> ImportError {
        ImportError::Invalid {
            location: format!("line {}", self.line()),
            reason: "the document ends inside an element (truncated file?)".into(),
        }
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Element {
    let attrs = e
        .attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| decode_text(&a.value));
            (key, value)
        })
        .collect();
    Element {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        attrs,
    }
}

/// `&amp;`, `&#233;` and the like; an unknown entity stays as written.
fn reference(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name = decode_text(r);
    match name.as_str() {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        "nbsp" => "\u{a0}".into(),
        _ => format!("&{name};"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pull(s: &str) -> XmlPull<std::io::Cursor<Vec<u8>>> {
        XmlPull::new(LineCounter::new(std::io::Cursor::new(
            s.as_bytes().to_vec(),
        )))
    }

    #[test]
    fn text_resolves_references_and_cdata() {
        let mut p = pull("<a>Rock &amp; Roll &#233;t&eacute; <![CDATA[<b>]]></a>");
        assert!(matches!(p.next().expect("node"), Node::Start(_)));
        assert_eq!(p.text().expect("text"), "Rock & Roll ét&eacute; <b>");
    }

    #[test]
    fn attributes_and_names() {
        let mut p = pull("<itunes:image href=\"https://x/a.jpg?a=1&amp;b=2\"/>");
        let Node::Empty(e) = p.next().expect("node") else {
            panic!("expected an empty element")
        };
        assert_eq!(e.local(), "image");
        assert!(e.prefixed());
        assert_eq!(e.attr("href"), Some("https://x/a.jpg?a=1&b=2"));
    }

    #[test]
    fn malformed_xml_names_the_line() {
        let mut p = pull("<tv>\n<a></b>\n</tv>");
        let err = loop {
            match p.next() {
                Ok(Node::Eof) => panic!("should fail"),
                Ok(_) => continue,
                Err(e) => break e,
            }
        };
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
