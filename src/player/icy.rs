//! ICY (Shoutcast/Icecast) metadata, both directions.
//!
//! * Client: `icy-metadata` strips the metadata blocks and parses them on the
//!   thread that reads the stream; titles travel through a channel to the
//!   playing thread, which reports *changes* to the caller's `on_title`.
//! * Server: the demo stream builds the blocks itself (one length byte in
//!   16-byte units, then `StreamTitle='...';` padded with NULs).

use std::sync::mpsc;

use axum::http::HeaderMap;
use bytes::{BufMut, Bytes, BytesMut};
use icy_metadata::error::MetadataParseError;
use icy_metadata::IcyMetadata;

/// Receiving end of the titles parsed out of a stream.
pub(super) type TitleFeed = mpsc::Receiver<String>;

/// Builds the callback handed to `IcyMetadataReader` and the feed it fills.
pub(super) fn title_callback() -> (
    impl Fn(Result<IcyMetadata, MetadataParseError>) + Send + Sync + 'static,
    TitleFeed,
) {
    let (tx, rx) = mpsc::channel();
    let callback = move |parsed: Result<IcyMetadata, MetadataParseError>| match parsed {
        Ok(meta) => {
            if let Some(title) = meta.stream_title() {
                // The receiver is gone only once playback ended.
                let _ = tx.send(title.to_owned());
            }
        }
        Err(e) => tracing::debug!("ignoring unparseable ICY metadata: {e}"),
    };
    (callback, rx)
}

/// Turns the stream of parsed titles into the list of *changes*.
#[derive(Default)]
pub(super) struct TitleTracker {
    titles: Vec<String>,
}

impl TitleTracker {
    /// Records `title` if it differs from the previous one; returns whether it did.
    pub(super) fn observe(&mut self, title: &str) -> bool {
        let title = title.trim();
        if title.is_empty() || self.titles.last().is_some_and(|last| last == title) {
            return false;
        }
        self.titles.push(title.to_owned());
        true
    }

    pub(super) fn into_titles(self) -> Vec<String> {
        self.titles
    }
}

/// Whether a request asked for interleaved metadata (`Icy-MetaData: 1`).
pub(super) fn wants_metadata(headers: &HeaderMap) -> bool {
    headers
        .get("icy-metadata")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim() == "1")
}

/// Largest metadata payload: the length byte counts 16-byte units.
const MAX_METADATA: usize = 255 * 16;

/// Encodes one metadata block. `None` (title unchanged) is the single zero
/// byte servers send between changes.
pub(super) fn metadata_block(title: Option<&str>) -> Bytes {
    let Some(title) = title else {
        return Bytes::from_static(&[0]);
    };
    // Clients find the end of the value at `';`, so that sequence and control
    // characters cannot appear inside it.
    let clean: String = title
        .replace("';", "' ;")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let mut text = format!("StreamTitle='{clean}';");
    if text.len() > MAX_METADATA {
        let mut cut = MAX_METADATA - 2;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("';");
    }
    let units = text.len().div_ceil(16);
    let mut block = BytesMut::with_capacity(1 + units * 16);
    // `units <= 255` because `text.len() <= MAX_METADATA`.
    block.put_u8(u8::try_from(units).unwrap_or(u8::MAX));
    block.put_slice(text.as_bytes());
    block.resize(1 + units * 16, 0);
    block.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_blocks_are_padded_and_length_prefixed() {
        let block = metadata_block(Some("Band - Song"));
        // "StreamTitle='Band - Song';" is 26 bytes -> 2 units of 16.
        assert_eq!(block[0], 2);
        assert_eq!(block.len(), 33);
        assert!(block[1..].starts_with(b"StreamTitle='Band - Song';"));
        assert!(block[27..].iter().all(|b| *b == 0));
        assert_eq!(&metadata_block(None)[..], &[0]);
        let long = metadata_block(Some(&"x".repeat(5000)));
        assert_eq!(long[0], 255);
        assert!(
            long.ends_with(b"';"),
            "a truncated title is still terminated"
        );
    }

    #[test]
    fn tracker_reports_only_changes() {
        let mut t = TitleTracker::default();
        assert!(t.observe("A"));
        assert!(!t.observe("A"));
        assert!(!t.observe(" "));
        assert!(t.observe("B"));
        assert!(t.observe("A"));
        assert_eq!(t.into_titles(), ["A", "B", "A"]);
    }

    #[test]
    fn client_parses_what_the_server_encodes() {
        let (callback, feed) = title_callback();
        let block = metadata_block(Some("Don't Stop - Live"));
        let text = String::from_utf8_lossy(&block[1..]);
        callback(
            text.trim_end_matches('\0')
                .parse::<IcyMetadata>()
                .map_err(MetadataParseError::Empty),
        );
        assert_eq!(feed.try_recv().ok().as_deref(), Some("Don't Stop - Live"));
    }
}
