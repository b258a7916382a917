//! Character sets. Every parser reads UTF-8; this module gets other encodings there.
//!
//! - XML (XMLTV, RSS) declares its encoding (`<?xml ... encoding="ISO-8859-1"?>`) or starts with a
//!   byte-order mark; [`Transcoder`] converts such a stream to UTF-8 as it is read, so a 1 GB
//!   Latin-1 guide never sits in memory.
//! - Line formats (M3U, PLS, iCalendar) declare nothing and are often Latin-1 in the wild:
//!   [`decode_line`] keeps a line that is valid UTF-8 and reads any other line as Windows-1252
//!   (the superset of ISO-8859-1 that browsers also use for that label). Deciding per line keeps
//!   the readers streaming; a file mixing both is rare and still comes out readable.
//!
//! Labels are resolved by `encoding_rs`, which follows the WHATWG Encoding Standard.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::io::{self, BufRead, Read};

/// How many bytes of a document are searched for an XML declaration.
const DECL_WINDOW: usize = 512;

/// The encoding an XML document's first bytes ask for, when it is not UTF-8.
///
/// A byte-order mark wins over the declaration, as XML 1.0 appendix F says.
pub fn sniff_xml(head: &[u8]) -> Option<&'static Encoding> {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        return (enc != UTF_8).then_some(enc);
    }
    let window = &head[..head.len().min(DECL_WINDOW)];
    let start = find(window, b"<?xml")?;
    let decl = &window[start..];
    let decl = &decl[..find(decl, b"?>")?];
    let at = find(decl, b"encoding")? + b"encoding".len();
    let rest = decl[at..].trim_ascii_start().strip_prefix(b"=")?;
    let rest = rest.trim_ascii_start();
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let value = &rest[1..];
    let label = &value[..value.iter().position(|b| *b == quote)?];
    let enc = Encoding::for_label(label)?;
    // A declaration saying UTF-16 on a stream without a BOM is already readable ASCII here, so
    // it is really UTF-8 (or mislabelled); keep it as is.
    (enc != UTF_8 && enc.is_ascii_compatible()).then_some(enc)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A line of a text format as UTF-8: as is when it is valid UTF-8, else read as Windows-1252.
pub fn decode_line(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Text content of an XML element: UTF-8 when valid, else Windows-1252, so one stray Latin-1
/// byte in an undeclared file costs an accent, not the record.
pub fn decode_text(bytes: &[u8]) -> String {
    decode_line(bytes)
}

/// A reader converting `inner` from a legacy encoding (or UTF-16) to UTF-8 on the fly.
/// Memory use is two fixed buffers, whatever the input size.
pub struct Transcoder<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Box<[u8]>,
    in_pos: usize,
    in_len: usize,
    output: Box<[u8]>,
    out_pos: usize,
    out_len: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Transcoder<R> {
    /// Wraps `inner`, which is in `encoding` (a byte-order mark, if any, is removed).
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        Self {
            inner,
            decoder: encoding.new_decoder_with_bom_removal(),
            input: vec![0; 16 * 1024].into_boxed_slice(),
            in_pos: 0,
            in_len: 0,
            output: vec![0; 32 * 1024].into_boxed_slice(),
            out_pos: 0,
            out_len: 0,
            eof: false,
            done: false,
        }
    }
}

impl<R: Read> BufRead for Transcoder<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.out_pos >= self.out_len && !self.done {
            if self.in_pos >= self.in_len && !self.eof {
                self.in_len = self.inner.read(&mut self.input)?;
                self.in_pos = 0;
                self.eof = self.in_len == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.input[self.in_pos..self.in_len],
                &mut self.output,
                self.eof,
            );
            self.in_pos += read;
            self.out_pos = 0;
            self.out_len = written;
            // With `last = true` and all input taken, the decoder has flushed its state; it
            // must not be called again.
            self.done = self.eof && result == encoding_rs::CoderResult::InputEmpty;
        }
        Ok(&self.output[self.out_pos..self.out_len])
    }

    fn consume(&mut self, amt: usize) {
        self.out_pos = (self.out_pos + amt).min(self.out_len);
    }
}

impl<R: Read> Read for Transcoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declared_latin1_is_found() {
        let head = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<tv>";
        assert_eq!(sniff_xml(head), Some(WINDOWS_1252));
        assert_eq!(
            sniff_xml(b"<?xml version='1.0' encoding = 'utf-8'?><tv>"),
            None
        );
        assert_eq!(sniff_xml(b"<tv>"), None);
    }

    #[test]
    fn bom_wins() {
        let mut head = vec![0xFF, 0xFE];
        head.extend_from_slice(b"<\0t\0v\0>\0");
        assert_eq!(sniff_xml(&head), Some(encoding_rs::UTF_16LE));
    }

    #[test]
    fn transcodes_latin1_across_small_reads() {
        let latin1: Vec<u8> = b"Caf\xe9 \xe0 la cr\xe8me ".repeat(5000);
        let mut out = String::new();
        Transcoder::new(&latin1[..], WINDOWS_1252)
            .read_to_string(&mut out)
            .expect("read");
        assert!(out.starts_with("Café à la crème "));
        assert_eq!(
            out.chars().count(),
            "Café à la crème ".chars().count() * 5000
        );
    }

    #[test]
    fn transcodes_utf16() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Élodie".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let mut out = String::new();
        Transcoder::new(&bytes[..], encoding_rs::UTF_16LE)
            .read_to_string(&mut out)
            .expect("read");
        assert_eq!(out, "Élodie");
    }

    #[test]
    fn lines_fall_back_to_windows_1252() {
        assert_eq!(decode_line("Radio Énergie".as_bytes()), "Radio Énergie");
        assert_eq!(decode_line(b"Radio \xc9nergie"), "Radio Énergie");
        assert_eq!(decode_line(b"\x93quoted\x94"), "\u{201c}quoted\u{201d}");
    }
}
