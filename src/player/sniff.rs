//! Content sniffing: what do the first bytes (and the content-type / file
//! extension) say this is?
//!
//! Radio servers and CDNs routinely mislabel content (`text/plain` playlists,
//! `application/octet-stream` audio, HTML error pages with `200 OK`), so the
//! player trusts magic bytes first and labels second. Sniffing also lets an
//! unsupported body be rejected with a message that names what it is instead
//! of a generic decoder failure.

use super::frames::{adts_frame_len, id3v2_len, mpeg_frame};

/// Audio container/codec families the decoders handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AudioKind {
    Mp3,
    Adts,
    Ogg,
    Flac,
    Wav,
    Mp4,
}

impl AudioKind {
    /// Human-readable label used in [`PlayReport::format`](super::PlayReport).
    pub(super) fn label(self) -> &'static str {
        match self {
            Self::Mp3 => "MP3",
            Self::Adts => "AAC (ADTS)",
            Self::Ogg => "Ogg Vorbis",
            Self::Flac => "FLAC",
            Self::Wav => "WAV",
            Self::Mp4 => "AAC (MP4)",
        }
    }

    /// File-extension hint for the symphonia probe.
    pub(super) fn hint(self) -> &'static str {
        match self {
            Self::Mp3 => "mp3",
            Self::Adts => "aac",
            Self::Ogg => "ogg",
            Self::Flac => "flac",
            Self::Wav => "wav",
            Self::Mp4 => "m4a",
        }
    }

    pub(super) fn from_content_type(ct: &str) -> Option<Self> {
        Some(match ct {
            "audio/mpeg" | "audio/mp3" | "audio/mpeg3" | "audio/x-mpeg" | "audio/x-mp3" => {
                Self::Mp3
            }
            "audio/aac" | "audio/aacp" | "audio/x-aac" | "audio/x-hx-aac-adts" => Self::Adts,
            "audio/ogg" | "application/ogg" | "audio/vorbis" | "audio/x-ogg" => Self::Ogg,
            "audio/flac" | "audio/x-flac" => Self::Flac,
            "audio/wav" | "audio/x-wav" | "audio/wave" | "audio/vnd.wave" => Self::Wav,
            "audio/mp4" | "audio/x-m4a" | "audio/m4a" | "video/mp4" => Self::Mp4,
            _ => return None,
        })
    }

    pub(super) fn from_extension(ext: &str) -> Option<Self> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "mp3" | "mpga" => Self::Mp3,
            "aac" | "adts" => Self::Adts,
            "ogg" | "oga" => Self::Ogg,
            "flac" => Self::Flac,
            "wav" | "wave" => Self::Wav,
            "m4a" | "mp4" | "m4b" => Self::Mp4,
            _ => return None,
        })
    }
}

/// Playlist syntaxes. HLS is an M3U dialect; which one it is gets decided from the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PlaylistKind {
    Pls,
    M3u,
}

impl PlaylistKind {
    pub(super) fn from_content_type(ct: &str) -> Option<Self> {
        Some(match ct {
            "audio/x-scpls" | "audio/scpls" | "application/pls+xml" | "application/pls" => {
                Self::Pls
            }
            "audio/x-mpegurl"
            | "audio/mpegurl"
            | "application/x-mpegurl"
            | "application/mpegurl"
            | "application/vnd.apple.mpegurl"
            | "application/vnd.apple.mpegurl.audio"
            | "vnd.apple.mpegurl" => Self::M3u,
            _ => return None,
        })
    }

    pub(super) fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "pls" => Some(Self::Pls),
            "m3u" | "m3u8" => Some(Self::M3u),
            _ => None,
        }
    }
}

/// What the first bytes of a body look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sniffed {
    Audio(AudioKind),
    Playlist(PlaylistKind),
    /// Readable text that is not recognisably a playlist (could still be a
    /// header-less M3U if the label says so).
    Text,
    /// Something recognisable that is not playable; the string says what.
    NotAudio(&'static str),
    Unknown,
}

/// Classifies the start of a body. `head` should hold at least a few hundred
/// bytes when the body is that long.
pub(super) fn sniff(head: &[u8]) -> Sniffed {
    if let Some(tag) = id3v2_len(head) {
        // An ID3v2 tag precedes MP3 (and sometimes ADTS) audio; look past it
        // if we can, otherwise assume MP3, by far the most common case.
        return match head.get(tag..).map(sniff_binary) {
            Some(Sniffed::Audio(kind)) => Sniffed::Audio(kind),
            _ => Sniffed::Audio(AudioKind::Mp3),
        };
    }
    match sniff_binary(head) {
        Sniffed::Unknown => sniff_text(head),
        found => found,
    }
}

fn sniff_binary(b: &[u8]) -> Sniffed {
    let starts = |magic: &[u8]| b.starts_with(magic);
    if starts(b"OggS") {
        Sniffed::Audio(AudioKind::Ogg)
    } else if starts(b"fLaC") {
        Sniffed::Audio(AudioKind::Flac)
    } else if starts(b"RIFF") && b.get(8..12) == Some(b"WAVE") {
        Sniffed::Audio(AudioKind::Wav)
    } else if b.get(4..8) == Some(b"ftyp") {
        Sniffed::Audio(AudioKind::Mp4)
    } else if adts_frame_len(b).is_some() {
        Sniffed::Audio(AudioKind::Adts)
    } else if mpeg_frame(b).is_some() {
        Sniffed::Audio(AudioKind::Mp3)
    } else if starts(b"%PDF") {
        Sniffed::NotAudio("looks like a PDF document")
    } else if starts(b"\x89PNG") || starts(b"GIF8") || starts(&[0xFF, 0xD8, 0xFF]) {
        Sniffed::NotAudio("looks like an image")
    } else if starts(b"PK\x03\x04") || starts(&[0x1F, 0x8B]) {
        Sniffed::NotAudio("looks like a compressed archive")
    } else if starts(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Sniffed::NotAudio("looks like Matroska/WebM, which is not supported")
    } else if b.first() == Some(&0x47) && b.get(188) == Some(&0x47) {
        Sniffed::NotAudio("looks like an MPEG transport stream, which is not supported")
    } else if starts(b"\x7FELF") || starts(b"MZ") {
        Sniffed::NotAudio("looks like an executable")
    } else {
        Sniffed::Unknown
    }
}

fn sniff_text(b: &[u8]) -> Sniffed {
    let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
    // Judge only complete UTF-8: the head may end inside a multi-byte character.
    let text = match std::str::from_utf8(b) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() && e.valid_up_to() > 0 => {
            std::str::from_utf8(&b[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return Sniffed::Unknown,
    };
    if text.is_empty()
        || text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Sniffed::Unknown;
    }
    let trimmed = text.trim_start();
    let lower: String = trimmed
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if lower.starts_with("[playlist]") {
        Sniffed::Playlist(PlaylistKind::Pls)
    } else if lower.starts_with("#extm3u") {
        Sniffed::Playlist(PlaylistKind::M3u)
    } else if lower.starts_with("<!doctype html") || lower.contains("<html") {
        Sniffed::NotAudio("looks like HTML")
    } else if lower.starts_with("<?xml") || lower.starts_with('<') {
        Sniffed::NotAudio("looks like XML (XSPF/ASX playlists are not supported)")
    } else if lower.starts_with('{') || lower.starts_with('[') {
        Sniffed::NotAudio("looks like JSON")
    } else if first_entry_is_url(trimmed) {
        // A header-less M3U: just a list of stream URLs.
        Sniffed::Playlist(PlaylistKind::M3u)
    } else {
        Sniffed::Text
    }
}

fn first_entry_is_url(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .is_some_and(|l| {
            let l = l.to_ascii_lowercase();
            l.starts_with("http://") || l.starts_with("https://")
        })
}

/// Describes the first bytes for an error message: printable text is quoted,
/// anything else is shown as hex.
pub(super) fn describe_head(head: &[u8]) -> String {
    let head = &head[..head.len().min(16)];
    if head.is_empty() {
        return "is empty".to_owned();
    }
    if head.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        format!("starts with {:?}", String::from_utf8_lossy(head))
    } else {
        let hex: Vec<String> = head.iter().map(|b| format!("{b:02x}")).collect();
        format!("starts with bytes {}", hex.join(" "))
    }
}

/// What a body turned out to be.
pub(super) enum Class {
    Audio(Option<AudioKind>),
    Playlist(PlaylistKind),
}

/// Decides from the first bytes, the content-type and the extension; on
/// failure returns what was found, for the error message.
pub(super) fn classify(
    head: &[u8],
    content_type: Option<&str>,
    ext: Option<&str>,
) -> Result<Class, String> {
    let labelled_playlist = content_type
        .and_then(PlaylistKind::from_content_type)
        .or_else(|| ext.and_then(PlaylistKind::from_extension));
    let labelled_audio = content_type
        .and_then(AudioKind::from_content_type)
        .or_else(|| ext.and_then(AudioKind::from_extension));
    let what = match sniff(head) {
        Sniffed::Audio(kind) => return Ok(Class::Audio(Some(kind))),
        Sniffed::Playlist(kind) => return Ok(Class::Playlist(kind)),
        Sniffed::Text => match labelled_playlist {
            Some(kind) => return Ok(Class::Playlist(kind)),
            None => "looks like plain text",
        },
        Sniffed::NotAudio(what) => what,
        Sniffed::Unknown if head.is_empty() => "is empty",
        // Not recognised, but maybe the decoder knows better; it will say if not.
        Sniffed::Unknown => return Ok(Class::Audio(labelled_audio)),
    };
    Err(match content_type {
        Some(ct) => format!("content-type {ct}; body {what} ({})", describe_head(head)),
        None => format!("{what} ({})", describe_head(head)),
    })
}

/// Content-type and first bytes, for error messages about data that failed to decode.
pub(super) fn context(content_type: Option<&str>, head: &[u8]) -> String {
    match content_type {
        Some(ct) => format!("content-type {ct}; data {}", describe_head(head)),
        None => format!("data {}", describe_head(head)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_audio_magic() {
        assert_eq!(sniff(b"OggS\0\x02"), Sniffed::Audio(AudioKind::Ogg));
        assert_eq!(sniff(b"fLaC\0\0\0\x22"), Sniffed::Audio(AudioKind::Flac));
        assert_eq!(
            sniff(b"RIFF\x24\0\0\0WAVEfmt "),
            Sniffed::Audio(AudioKind::Wav)
        );
        assert_eq!(sniff(b"\0\0\0\x20ftypM4A "), Sniffed::Audio(AudioKind::Mp4));
        assert_eq!(
            sniff(&[0xFF, 0xF1, 0x50, 0x40, 0x22, 0xBF, 0xFC]),
            Sniffed::Audio(AudioKind::Adts)
        );
        assert_eq!(
            sniff(&[0xFF, 0xF3, 0x40, 0xC4]),
            Sniffed::Audio(AudioKind::Mp3)
        );
        assert_eq!(
            sniff(b"ID3\x04\0\0\0\0\0\x01x\xFF\xF1\x50\x40\x22\xBF"),
            Sniffed::Audio(AudioKind::Adts)
        );
    }

    #[test]
    fn recognises_playlists_and_junk() {
        assert_eq!(
            sniff(b"\xEF\xBB\xBF[Playlist]\nFile1=x"),
            Sniffed::Playlist(PlaylistKind::Pls)
        );
        assert_eq!(
            sniff(b"#EXTM3U\n#EXTINF:-1,x\nhttp://a/b"),
            Sniffed::Playlist(PlaylistKind::M3u)
        );
        assert_eq!(
            sniff(b"\n# radio\nhttps://radio.example/live\n"),
            Sniffed::Playlist(PlaylistKind::M3u)
        );
        assert_eq!(
            sniff(b"<!DOCTYPE html><html>"),
            Sniffed::NotAudio("looks like HTML")
        );
        assert_eq!(
            sniff(b"%PDF-1.7\n%\xE2\xE3"),
            Sniffed::NotAudio("looks like a PDF document")
        );
        assert_eq!(sniff(b"just some notes\nabout a concert\n"), Sniffed::Text);
        assert_eq!(sniff(&[0x00, 0x01, 0x02, 0x03]), Sniffed::Unknown);
    }

    #[test]
    fn describes_heads() {
        assert_eq!(describe_head(b"%PDF-1.7"), "starts with \"%PDF-1.7\"");
        assert_eq!(describe_head(&[0, 1]), "starts with bytes 00 01");
        assert_eq!(describe_head(b""), "is empty");
    }
}
