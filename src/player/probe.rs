//! What the first bytes of a stream say about it, for a quick check without decoding: the
//! codec from the magic bytes (the label second, as in the player), and for MP3 the bitrate and
//! sample rate from the first frame header that a second one confirms.

use super::frames::{id3v2_len, mpeg_frame};
use super::sniff::{sniff, AudioKind, PlaylistKind, Sniffed};

/// What a stream's head tells.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct StreamFormat {
    /// "MP3", "AAC (ADTS)", "Ogg Vorbis", …, or a playlist kind; `None` when not recognised.
    pub codec: Option<String>,
    /// Whether the body is audio the player can decode (a playlist is not, by itself).
    pub audio: bool,
    /// Bitrate of the first frame, in kbit/s (MP3 only).
    pub bitrate_kbps: Option<u32>,
    /// Sample rate in Hz (MP3 only).
    pub sample_rate: Option<u32>,
    /// What the body is when it is not audio (an HTML page, plain text, …).
    pub note: Option<String>,
}

/// Describes a body from its first bytes and its content type.
pub fn describe(head: &[u8], content_type: Option<&str>) -> StreamFormat {
    let kind = match sniff(head) {
        Sniffed::Audio(kind) => kind,
        Sniffed::Playlist(kind) => return playlist(kind),
        Sniffed::Text => {
            let labelled = content_type.and_then(PlaylistKind::from_content_type);
            return match labelled {
                Some(kind) => playlist(kind),
                None => not_audio("plain text"),
            };
        }
        Sniffed::NotAudio(what) => return not_audio(what),
        Sniffed::Unknown => match content_type.and_then(AudioKind::from_content_type) {
            Some(kind) => kind,
            None if head.is_empty() => return not_audio("empty"),
            None => return StreamFormat::default(),
        },
    };
    let mut format = StreamFormat {
        codec: Some(kind.label().to_string()),
        audio: true,
        ..StreamFormat::default()
    };
    if kind == AudioKind::Mp3 {
        if let Some((bitrate, rate)) = mp3_rate(head) {
            format.bitrate_kbps = Some(bitrate);
            format.sample_rate = Some(rate);
        }
    }
    format
}

fn playlist(kind: PlaylistKind) -> StreamFormat {
    let name = match kind {
        PlaylistKind::Pls => "PLS playlist",
        PlaylistKind::M3u => "M3U playlist",
    };
    StreamFormat {
        codec: Some(name.into()),
        ..StreamFormat::default()
    }
}

fn not_audio(what: &str) -> StreamFormat {
    StreamFormat {
        note: Some(what.to_string()),
        ..StreamFormat::default()
    }
}

/// Bitrate (kbit/s) and sample rate of the first MP3 frame that is followed by another.
fn mp3_rate(head: &[u8]) -> Option<(u32, u32)> {
    let start = id3v2_len(head).unwrap_or(0);
    let body = head.get(start..)?;
    (0..body.len()).find_map(|i| {
        let frame = mpeg_frame(&body[i..])?;
        let next = body.get(i + frame.len..)?;
        mpeg_frame(next)?;
        let bits = u64::try_from(frame.len).ok()? * 8 * u64::from(frame.sample_rate);
        let kbps = (bits + u64::from(frame.samples) * 500) / (u64::from(frame.samples) * 1000);
        Some((u32::try_from(kbps).ok()?, frame.sample_rate))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An MPEG-1 Layer III frame header at 128 kbit/s, 44.1 kHz, no padding.
    fn mp3_frames(count: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..count {
            let mut frame = vec![0u8; 417];
            frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x90, 0x00]);
            out.extend(frame);
        }
        out
    }

    #[test]
    fn mp3_bitrate_and_rate_come_from_the_frames() {
        let f = describe(&mp3_frames(3), Some("audio/mpeg"));
        assert_eq!(f.codec.as_deref(), Some("MP3"));
        assert!(f.audio);
        assert_eq!(f.bitrate_kbps, Some(128));
        assert_eq!(f.sample_rate, Some(44_100));
    }

    #[test]
    fn the_shipped_sample_is_described() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("audio/concert.mp3");
        let bytes = std::fs::read(dir).expect("sample audio");
        let f = describe(&bytes[..bytes.len().min(16 * 1024)], None);
        assert_eq!(f.codec.as_deref(), Some("MP3"));
        assert!(f.bitrate_kbps.is_some_and(|b| (8..=320).contains(&b)));
    }

    #[test]
    fn pages_and_playlists_are_not_audio() {
        let html = describe(
            b"<!DOCTYPE html><html><body>404</body></html>",
            Some("text/html"),
        );
        assert!(!html.audio);
        assert!(html.note.is_some());
        let pls = describe(b"[playlist]\nFile1=http://x/a.mp3\n", None);
        assert_eq!(pls.codec.as_deref(), Some("PLS playlist"));
        assert!(!pls.audio);
        assert_eq!(describe(b"", None).note.as_deref(), Some("empty"));
    }
}
