//! From raw bytes to a UTF-8 reader of a known format: peek at the head, undo gzip, byte-order
//! marks and declared XML encodings, cap the size, count lines. Everything here streams: no
//! buffer grows with the input.

use super::{charset, detect, Format, ImportError};
use std::io::{self, BufRead, Cursor, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Largest decompressed size accepted from a gzip input (a bomb stops here).
pub const MAX_DECOMPRESSED_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Any readable input.
pub type DynRead = Box<dyn Read + Send>;

/// Reads up to `n` bytes (fewer only at end of input) and returns them with the rest.
fn peek(mut reader: DynRead, n: usize) -> io::Result<(Vec<u8>, DynRead)> {
    let mut head = Vec::with_capacity(n);
    (&mut reader).take(n as u64).read_to_end(&mut head)?;
    Ok((head, reader))
}

/// Puts a peeked head back in front of the rest, minus its first `skip` bytes.
fn rejoin(mut head: Vec<u8>, skip: usize, rest: DynRead) -> DynRead {
    head.drain(..skip.min(head.len()));
    Box::new(Cursor::new(head).chain(rest))
}

/// A ready-to-parse input.
pub struct Opened {
    /// The format, given or detected.
    pub format: Format,
    /// UTF-8 content with line counting.
    pub reader: LineCounter<DynRead>,
}

fn read_err(e: io::Error) -> ImportError {
    ImportError::Read {
        path: "input".into(),
        detail: e.to_string(),
    }
}

/// Prepares `reader` for parsing as `format` (detected from the content when `None`).
pub fn open(reader: DynRead, format: Option<Format>) -> Result<Opened, ImportError> {
    let (mut head, mut rest) = peek(reader, detect::HEAD_BYTES).map_err(read_err)?;
    if detect::is_gzip(&head) {
        let gz = flate2::read::MultiGzDecoder::new(rejoin(head, 0, rest));
        let capped = Limited::new(Box::new(gz), MAX_DECOMPRESSED_BYTES);
        (head, rest) = peek(Box::new(capped), detect::HEAD_BYTES).map_err(read_err)?;
    }
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(&head) {
        if enc == encoding_rs::UTF_8 {
            rest = rejoin(head, bom, rest);
        } else {
            let utf8 = charset::Transcoder::new(rejoin(head, 0, rest), enc);
            (head, rest) = peek(Box::new(utf8), detect::HEAD_BYTES).map_err(read_err)?;
            rest = rejoin(head, 0, rest);
        }
        (head, rest) = peek(rest, detect::HEAD_BYTES).map_err(read_err)?;
    }
    let format = match format {
        Some(f) => f,
        None => detect::detect(&head).ok_or_else(|| {
            ImportError::UnknownFormat(
                "the content is not XMLTV, iCalendar, M3U, PLS, XSPF, ASX, podcast RSS or onair JSON; \
                 use --format to say which"
                    .into(),
            )
        })?,
    };
    let xml_encoding = match format {
        Format::Xmltv | Format::Rss | Format::Xspf | Format::Asx => charset::sniff_xml(&head),
        _ => None,
    };
    let joined = rejoin(head, 0, rest);
    let reader: DynRead = match xml_encoding {
        Some(enc) => Box::new(charset::Transcoder::new(joined, enc)),
        None => joined,
    };
    Ok(Opened {
        format,
        reader: LineCounter::new(reader),
    })
}

/// Stops a reader after `limit` bytes with an error, and remembers that it did, so the caller
/// can answer "too large" rather than "malformed".
pub struct Limited<R> {
    inner: R,
    left: u64,
    limit: u64,
    tripped: Arc<AtomicBool>,
}

impl<R> Limited<R> {
    /// Wraps `inner`.
    pub fn new(inner: R, limit: u64) -> Self {
        Self {
            inner,
            left: limit,
            limit,
            tripped: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A flag set once the limit was hit.
    pub fn tripped(&self) -> Arc<AtomicBool> {
        self.tripped.clone()
    }
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.left == 0 {
            // One more byte decides between "exactly at the limit" and "over it".
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.tripped.store(true, Ordering::SeqCst);
            return Err(io::Error::other(format!(
                "input is larger than {} bytes",
                self.limit
            )));
        }
        let max = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..max])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// A buffered reader that counts the lines it has handed out, so parsers can say "line 345"
/// without keeping the text.
pub struct LineCounter<R> {
    inner: R,
    buf: Box<[u8]>,
    pos: usize,
    filled: usize,
    newlines: usize,
}

impl<R: Read> LineCounter<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: vec![0; 64 * 1024].into_boxed_slice(),
            pos: 0,
            filled: 0,
            newlines: 0,
        }
    }

    /// The 1-based line of the next unread byte.
    pub fn line(&self) -> usize {
        self.newlines + 1
    }
}

impl<R: Read> BufRead for LineCounter<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pos >= self.filled {
            self.filled = self.inner.read(&mut self.buf)?;
            self.pos = 0;
        }
        Ok(&self.buf[self.pos..self.filled])
    }

    fn consume(&mut self, amt: usize) {
        let end = (self.pos + amt).min(self.filled);
        self.newlines += self.buf[self.pos..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.pos = end;
    }
}

impl<R: Read> Read for LineCounter<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

/// Longest line the text formats accept; longer lines are cut there (the rest is skipped), so
/// a file without newlines cannot exhaust memory.
pub const MAX_LINE_BYTES: usize = 1024 * 1024;

/// Lines of a text format (M3U, PLS, iCalendar) as UTF-8, numbered, one at a time.
pub struct TextLines<R> {
    inner: R,
    number: usize,
    buf: Vec<u8>,
}

impl<R: BufRead> TextLines<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            number: 0,
            buf: Vec::new(),
        }
    }

    /// The next line (without its line ending) and its 1-based number; `None` at the end.
    pub fn next_line(&mut self) -> Result<Option<(usize, String)>, ImportError> {
        Ok(self
            .next_raw()?
            .map(|n| (n, charset::decode_line(&self.buf))))
    }

    /// Like [`TextLines::next_line`] but leaves the bytes undecoded in [`TextLines::raw`], for
    /// formats that join lines before decoding (iCalendar folding may split a character).
    pub fn next_raw(&mut self) -> Result<Option<usize>, ImportError> {
        self.buf.clear();
        let limit = MAX_LINE_BYTES as u64 + 1;
        let n = (&mut self.inner)
            .take(limit)
            .read_until(b'\n', &mut self.buf)
            .map_err(read_err)?;
        if n == 0 {
            return Ok(None);
        }
        self.number += 1;
        if self.buf.len() > MAX_LINE_BYTES && !self.buf.ends_with(b"\n") {
            self.skip_rest()?;
            self.buf.truncate(MAX_LINE_BYTES);
        }
        while matches!(self.buf.last(), Some(b'\n' | b'\r')) {
            self.buf.pop();
        }
        Ok(Some(self.number))
    }

    /// The bytes of the line [`TextLines::next_raw`] returned.
    pub fn raw(&self) -> &[u8] {
        &self.buf
    }

    fn skip_rest(&mut self) -> Result<(), ImportError> {
        loop {
            let chunk = self.inner.fill_buf().map_err(read_err)?;
            if chunk.is_empty() {
                return Ok(());
            }
            match chunk.iter().position(|b| *b == b'\n') {
                Some(at) => {
                    self.inner.consume(at + 1);
                    return Ok(());
                }
                None => {
                    let len = chunk.len();
                    self.inner.consume(len);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn text(opened: Opened) -> String {
        let mut s = String::new();
        let mut r = opened.reader;
        r.read_to_string(&mut s).expect("read");
        s
    }

    #[test]
    fn gzip_is_undone_then_detected() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"<tv><channel id=\"a\"/></tv>").expect("gz");
        let bytes = gz.finish().expect("gz");
        let opened = open(Box::new(Cursor::new(bytes)), None).expect("open");
        assert_eq!(opened.format, Format::Xmltv);
        assert_eq!(text(opened), "<tv><channel id=\"a\"/></tv>");
    }

    #[test]
    fn declared_latin1_xml_becomes_utf8() {
        let bytes = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><tv>\xc9t\xe9</tv>".to_vec();
        let opened = open(Box::new(Cursor::new(bytes)), None).expect("open");
        assert!(text(opened).ends_with("<tv>Été</tv>"));
    }

    #[test]
    fn utf8_bom_is_dropped() {
        let bytes = b"\xEF\xBB\xBF#EXTM3U\nhttp://x/y\n".to_vec();
        let opened = open(Box::new(Cursor::new(bytes)), None).expect("open");
        assert_eq!(opened.format, Format::M3u);
        assert_eq!(text(opened), "#EXTM3U\nhttp://x/y\n");
    }

    #[test]
    fn unknown_content_is_refused() {
        let err = open(Box::new(Cursor::new(b"hello".to_vec())), None).err();
        assert!(matches!(err, Some(ImportError::UnknownFormat(_))));
    }

    #[test]
    fn limit_trips() {
        let mut l = Limited::new(Cursor::new(vec![0u8; 10]), 4);
        let flag = l.tripped();
        let mut out = Vec::new();
        assert!(l.read_to_end(&mut out).is_err());
        assert!(flag.load(Ordering::SeqCst));
        let mut exact = Limited::new(Cursor::new(vec![0u8; 4]), 4);
        assert!(exact.read_to_end(&mut Vec::new()).is_ok());
    }

    #[test]
    fn text_lines_are_numbered_trimmed_and_bounded() {
        let mut long = vec![b'x'; MAX_LINE_BYTES + 10];
        long.extend_from_slice(b"\nlast");
        let mut input = b"one\r\ncaf\xe9\n".to_vec();
        input.extend_from_slice(&long);
        let mut lines = TextLines::new(Cursor::new(input));
        assert_eq!(lines.next_line().expect("l"), Some((1, "one".into())));
        assert_eq!(lines.next_line().expect("l"), Some((2, "café".into())));
        let (n, cut) = lines.next_line().expect("l").expect("line");
        assert_eq!((n, cut.len()), (3, MAX_LINE_BYTES));
        assert_eq!(lines.next_line().expect("l"), Some((4, "last".into())));
        assert_eq!(lines.next_line().expect("l"), None);
    }

    #[test]
    fn lines_are_counted() {
        let mut r = LineCounter::new(Cursor::new(b"a\nb\nc".to_vec()));
        let mut line = String::new();
        r.read_line(&mut line).expect("read");
        assert_eq!(r.line(), 2);
    }
}
