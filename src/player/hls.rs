//! HLS media playlists with packed-audio segments (ADTS AAC or MP3), followed live.
//!
//! A background task fetches segments in sequence order, strips each
//! segment's leading ID3 timestamp tag and feeds the bytes, as one continuous
//! elementary stream, into the same bounded `stream-download` buffer that
//! plain HTTP streams use — so the decoder never knows it is playing HLS.
//! The task re-polls the playlist about once per target duration (half of it
//! when nothing new appeared, as RFC 8216 §6.3.4 suggests) and ends at
//! `#EXT-X-ENDLIST`, or when the player stops reading.

use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures::Stream;
use stream_download::source::{DecodeError, SourceStream};
use tokio::sync::mpsc;
use url::Url;

use super::frames::strip_leading_id3;
use super::http_stream::{fetch, Net, MAX_READ};
use super::playlist::{self, HlsMedia, Playlist, MAX_PLAYLIST_BYTES};
use super::reader::{ReadSeek, StreamReader};
use super::sniff::PlaylistKind;
use super::PlayerError;

/// Segments are a few seconds of audio; anything this large is not one.
const MAX_SEGMENT_BYTES: usize = 16 * 1024 * 1024;
/// Segments fetched ahead of the decoder.
const SEGMENTS_AHEAD: usize = 3;
/// Consecutive failures (segment or playlist) tolerated before giving up.
const MAX_FAILURES: u32 = 3;

/// Where the follower task leaves the error that ended it, for the player
/// to report once the audio runs out.
pub(super) type ErrorSlot = Arc<Mutex<Option<PlayerError>>>;

/// Takes the follower's error, if it stopped because of one.
pub(super) fn take_error(slot: &ErrorSlot) -> Option<PlayerError> {
    slot.lock().ok().and_then(|mut e| e.take())
}

/// Starts following the media playlist `media` fetched from `url`.
pub(super) fn follow(
    net: &Net,
    url: Url,
    media: HlsMedia,
) -> Result<(StreamReader<Box<dyn ReadSeek>>, ErrorSlot), PlayerError> {
    let (tx, rx) = mpsc::channel(SEGMENTS_AHEAD);
    let slot = ErrorSlot::default();
    let follower = Follower {
        client: net.client().clone(),
        url,
        tx,
    };
    let task_slot = slot.clone();
    net.runtime().spawn(async move {
        let playlist_url = follower.url.to_string();
        if let Err(e) = follower.run(media).await {
            tracing::warn!(url = playlist_url, "HLS follower stopped: {e}");
            if let Ok(mut guard) = task_slot.lock() {
                *guard = Some(e);
            }
        }
    });
    // Generous retry timeout: a gap between segments is normal for live HLS,
    // and there is nothing to reconnect anyway.
    let download = net.download(SegmentStream { rx }, Duration::from_secs(120))?;
    Ok((StreamReader::new(Box::new(download), MAX_READ), slot))
}

/// The sequence number to start a playlist at: the beginning of a finished
/// (VOD) playlist, or the last three segments of a live one, as RFC 8216
/// §6.3.3 recommends, so playback starts close to the live edge.
pub(super) fn start_sequence(media: &HlsMedia) -> u64 {
    let skip = if media.end_list {
        0
    } else {
        media.segments.len().saturating_sub(3)
    };
    media.media_sequence + skip as u64
}

struct Follower {
    client: reqwest::Client,
    url: Url,
    tx: mpsc::Sender<Bytes>,
}

impl Follower {
    async fn run(&self, mut media: HlsMedia) -> Result<(), PlayerError> {
        let mut base = self.url.clone();
        let mut next = start_sequence(&media);
        let mut failures = 0;
        loop {
            if next < media.media_sequence {
                tracing::warn!(
                    missed = media.media_sequence - next,
                    "HLS: fell behind the live window, skipping segments"
                );
                next = media.media_sequence;
            }
            let mut got_new = false;
            for (seq, segment) in (media.media_sequence..).zip(&media.segments) {
                if seq < next {
                    continue;
                }
                next = seq + 1;
                got_new = true;
                let seg_url = base
                    .join(&segment.uri)
                    .map_err(|e| self.error(format!("bad segment URI {:?}: {e}", segment.uri)))?;
                match fetch(&self.client, &seg_url, MAX_SEGMENT_BYTES).await {
                    Ok(fetched) => {
                        failures = 0;
                        tracing::debug!(seq, url = %seg_url, "HLS segment");
                        if self.tx.send(strip_leading_id3(fetched.body)).await.is_err() {
                            return Ok(()); // the player stopped reading
                        }
                    }
                    Err(e) => {
                        failures += 1;
                        tracing::warn!(seq, "skipping HLS segment: {e}");
                        if failures >= MAX_FAILURES {
                            return Err(e);
                        }
                    }
                }
            }
            if media.end_list {
                return Ok(());
            }
            let target = Duration::from_secs_f64(media.target_duration);
            let wait = if got_new { target } else { target / 2 };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.tx.closed() => return Ok(()),
            }
            match self.reload().await {
                Ok((url, reloaded)) => {
                    failures = 0;
                    base = url;
                    media = reloaded;
                }
                Err(e) => {
                    failures += 1;
                    tracing::warn!("cannot reload HLS playlist: {e}");
                    if failures >= MAX_FAILURES {
                        return Err(e);
                    }
                }
            }
        }
    }

    async fn reload(&self) -> Result<(Url, HlsMedia), PlayerError> {
        let fetched = fetch(&self.client, &self.url, MAX_PLAYLIST_BYTES).await?;
        match playlist::parse(PlaylistKind::M3u, &fetched.body) {
            Ok(Playlist::HlsMedia(media)) => Ok((fetched.url, media)),
            Ok(_) => Err(self.error("playlist stopped being an HLS media playlist".into())),
            Err(detail) => Err(self.error(detail)),
        }
    }

    fn error(&self, detail: String) -> PlayerError {
        PlayerError::Hls {
            url: self.url.to_string(),
            detail,
        }
    }
}

/// The concatenated segments, as a `stream-download` source.
struct SegmentStream {
    rx: mpsc::Receiver<Bytes>,
}

impl Stream for SegmentStream {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx).map(|segment| segment.map(Ok))
    }
}

/// [`SegmentStream`] is only ever built from a running follower; this is the
/// error for the (unused) "create from parameters" path.
#[derive(Debug, thiserror::Error)]
#[error("HLS segment streams are created by the follower task")]
struct NotCreatable;

impl DecodeError for NotCreatable {}

impl SourceStream for SegmentStream {
    type Params = ();
    type StreamCreationError = NotCreatable;

    async fn create(_params: ()) -> Result<Self, NotCreatable> {
        Err(NotCreatable)
    }

    fn content_length(&self) -> Option<u64> {
        None
    }

    async fn seek_range(&mut self, _start: u64, _end: Option<u64>) -> io::Result<()> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "a live HLS stream cannot seek",
        ))
    }

    async fn reconnect(&mut self, _current_position: u64) -> io::Result<()> {
        // Segments keep coming through the channel; nothing to reconnect.
        Ok(())
    }

    fn supports_seek(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::super::playlist::HlsSegment;
    use super::*;

    fn media(first: u64, n: usize, end_list: bool) -> HlsMedia {
        HlsMedia {
            target_duration: 2.0,
            media_sequence: first,
            segments: (0..n)
                .map(|i| HlsSegment {
                    uri: format!("s{i}.aac"),
                    duration: 2.0,
                })
                .collect(),
            end_list,
        }
    }

    #[test]
    fn live_playlists_start_near_the_edge_and_vod_at_the_start() {
        assert_eq!(start_sequence(&media(10, 8, false)), 15);
        assert_eq!(start_sequence(&media(10, 2, false)), 10);
        assert_eq!(start_sequence(&media(10, 8, true)), 10);
    }
}
