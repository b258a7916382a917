//! [`StreamReader`]: the `Read + Seek` adapter between a network download and
//! the decoder.

use std::io::{self, Read, Seek, SeekFrom};

/// Anything the decoder can read from. `Send + Sync` because rodio's decoder
/// requires it of its input.
pub(super) trait ReadSeek: Read + Seek + Send + Sync {}
impl<T: Read + Seek + Send + Sync> ReadSeek for T {}

/// Replays a sniffed prefix and caps the size of each read.
///
/// * Sniffing has to look at the first bytes before deciding what the body is,
///   but a live stream cannot be rewound (the bounded download buffer may
///   already have reused that memory), so the prefix is kept here instead.
/// * `stream-download` blocks a read until the *whole* requested length has
///   arrived; symphonia asks for up to 32 KiB at a time, which on a 32 kbit/s
///   radio stream is an 8-second stall. Small reads keep latency low.
pub(super) struct StreamReader<R> {
    inner: R,
    head: Vec<u8>,
    /// Logical position of the next byte handed out.
    pos: u64,
    /// Position of `inner` (always `>= head.len()`).
    inner_pos: u64,
    max_read: usize,
}

impl<R: Read + Seek> StreamReader<R> {
    /// Wraps `inner`, which must be positioned at its start.
    pub(super) fn new(inner: R, max_read: usize) -> Self {
        Self {
            inner,
            head: Vec::new(),
            pos: 0,
            inner_pos: 0,
            max_read: max_read.max(1),
        }
    }

    /// Reads up to `len` bytes from the start (fewer only at end of stream)
    /// without consuming them: later reads start again from byte 0.
    pub(super) fn peek(&mut self, len: usize) -> io::Result<&[u8]> {
        while self.head.len() < len {
            let mut chunk = vec![0; (len - self.head.len()).min(self.max_read)];
            let n = read_retrying(&mut self.inner, &mut chunk)?;
            if n == 0 {
                break;
            }
            self.head.extend_from_slice(&chunk[..n]);
            self.inner_pos += n as u64;
        }
        Ok(&self.head)
    }

    /// Reads the whole remaining body, failing if it exceeds `limit` bytes.
    pub(super) fn read_all(&mut self, limit: usize) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        let mut chunk = vec![0; self.max_read];
        loop {
            let n = read_retrying(self, &mut chunk)?;
            if n == 0 {
                return Ok(body);
            }
            body.extend_from_slice(&chunk[..n]);
            if body.len() > limit {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("body is larger than {limit} bytes"),
                ));
            }
        }
    }
}

fn read_retrying(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match r.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other,
        }
    }
}

impl<R: Read + Seek> Read for StreamReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let head_len = self.head.len() as u64;
        if self.pos < head_len {
            // `pos < head.len()`, so the conversion cannot truncate.
            let start = usize::try_from(self.pos).unwrap_or(usize::MAX);
            let n = buf.len().min(self.head.len() - start);
            buf[..n].copy_from_slice(&self.head[start..start + n]);
            self.pos += n as u64;
            return Ok(n);
        }
        if self.inner_pos != self.pos {
            self.inner_pos = self.inner.seek(SeekFrom::Start(self.pos))?;
        }
        let len = buf.len().min(self.max_read);
        let n = self.inner.read(&mut buf[..len])?;
        self.pos += n as u64;
        self.inner_pos += n as u64;
        Ok(n)
    }
}

impl<R: Read + Seek> Seek for StreamReader<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(p) => p,
            SeekFrom::Current(delta) => self.pos.checked_add_signed(delta).ok_or_else(|| {
                io::Error::new(io::ErrorKind::InvalidInput, "seek before start of stream")
            })?,
            SeekFrom::End(_) => {
                let p = self.inner.seek(to)?;
                self.inner_pos = p;
                p
            }
        };
        // Inside the replayed prefix nothing needs to move; beyond it the
        // inner reader is repositioned lazily on the next read.
        self.pos = target;
        Ok(target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A reader that hands out at most 3 bytes per call and refuses to seek,
    /// like a live stream.
    struct Trickle(Cursor<Vec<u8>>);
    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let len = buf.len().min(3);
            self.0.read(&mut buf[..len])
        }
    }
    impl Seek for Trickle {
        fn seek(&mut self, _: SeekFrom) -> io::Result<u64> {
            Err(io::Error::new(io::ErrorKind::Unsupported, "live"))
        }
    }

    #[test]
    fn peeked_bytes_are_replayed_without_seeking_the_stream() {
        let data: Vec<u8> = (0..=255).collect();
        let mut r = StreamReader::new(Trickle(Cursor::new(data.clone())), 8);
        assert_eq!(r.peek(10).expect("peek"), &data[..10]);
        let mut out = Vec::new();
        r.read_to_end(&mut out).expect("read");
        assert_eq!(out, data);
    }

    #[test]
    fn reads_are_capped_and_seeks_within_prefix_work() {
        let data: Vec<u8> = (0..100).collect();
        let mut r = StreamReader::new(Cursor::new(data.clone()), 4);
        r.peek(20).expect("peek");
        let mut buf = [0u8; 64];
        assert_eq!(r.read(&mut buf).expect("read"), 20, "whole prefix at once");
        assert_eq!(r.read(&mut buf).expect("read"), 4, "capped");
        assert_eq!(r.seek(SeekFrom::Start(5)).expect("seek"), 5);
        assert_eq!(r.read(&mut buf[..2]).expect("read"), 2);
        assert_eq!(&buf[..2], &[5, 6]);
        r.seek(SeekFrom::Current(50)).expect("seek");
        assert_eq!(r.read(&mut buf[..1]).expect("read"), 1);
        assert_eq!(
            buf[0], 57,
            "seek past the prefix repositions the inner reader"
        );
        assert_eq!(r.seek(SeekFrom::End(-1)).expect("seek"), 99);
    }
}
