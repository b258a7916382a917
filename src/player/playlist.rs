//! Playlist parsing: PLS, plain M3U/M3U8 and HLS (via `m3u8-rs`).
//!
//! Radio stations publish their streams as `.pls`/`.m3u` files whose entries
//! point at the actual Icecast/Shoutcast URL; HLS playlists instead describe a
//! stream cut into segments. Both look alike at first glance (`.m3u8`,
//! `#EXTM3U`), so [`parse`] decides by the HLS-only tags.

use super::sniff::PlaylistKind;

/// Largest playlist body the player reads; real ones are a few kilobytes and
/// anything bigger is more likely an endless stream mislabelled as text.
pub(super) const MAX_PLAYLIST_BYTES: usize = 1024 * 1024;

/// A parsed playlist.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Playlist {
    /// Entries (URLs or paths, unresolved) in playlist order.
    Entries(Vec<String>),
    /// An HLS master playlist; `variant` is the URI of the chosen variant.
    HlsMaster { variant: String },
    /// An HLS media playlist.
    HlsMedia(HlsMedia),
}

/// The parts of an HLS media playlist the player acts on.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct HlsMedia {
    /// `#EXT-X-TARGETDURATION`, in seconds (at least 1, to keep polling sane).
    pub target_duration: f64,
    /// `#EXT-X-MEDIA-SEQUENCE`: sequence number of `segments[0]`.
    pub media_sequence: u64,
    /// Segments in playlist order.
    pub segments: Vec<HlsSegment>,
    /// `#EXT-X-ENDLIST` was present: no segments will be added.
    pub end_list: bool,
}

/// One HLS media segment.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct HlsSegment {
    /// The URI, unresolved.
    pub uri: String,
    /// `#EXTINF` duration in seconds.
    pub duration: f64,
}

/// Parses a playlist body of the given syntax.
pub(super) fn parse(kind: PlaylistKind, body: &[u8]) -> Result<Playlist, String> {
    let text = String::from_utf8_lossy(body);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match kind {
        PlaylistKind::Pls => Ok(Playlist::Entries(parse_pls(text))),
        PlaylistKind::M3u if is_hls(text) => parse_hls(text.as_bytes()),
        PlaylistKind::M3u => Ok(Playlist::Entries(parse_m3u(text))),
    }
}

/// PLS: an INI section `[playlist]` with `FileN=` entries; N gives the order.
fn parse_pls(text: &str) -> Vec<String> {
    let mut entries: Vec<(u32, String)> = text
        .lines()
        .filter_map(|line| {
            let (key, value) = line.trim().split_once('=')?;
            let index = key
                .trim()
                .to_ascii_lowercase()
                .strip_prefix("file")?
                .parse()
                .ok()?;
            let value = value.trim();
            (!value.is_empty()).then(|| (index, value.to_owned()))
        })
        .collect();
    entries.sort_by_key(|(index, _)| *index);
    entries.into_iter().map(|(_, value)| value).collect()
}

/// Plain M3U: one entry per line, `#` lines are comments/directives.
fn parse_m3u(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// HLS playlists carry tags a plain M3U never has.
fn is_hls(text: &str) -> bool {
    [
        "#EXT-X-TARGETDURATION",
        "#EXT-X-STREAM-INF",
        "#EXT-X-MEDIA-SEQUENCE",
    ]
    .iter()
    .any(|tag| text.contains(tag))
}

fn parse_hls(body: &[u8]) -> Result<Playlist, String> {
    match m3u8_rs::parse_playlist_res(body) {
        Ok(m3u8_rs::Playlist::MasterPlaylist(master)) => {
            // Lowest bandwidth first: a developer checking what a skill plays
            // wants it to start quickly; ties keep playlist order.
            let variant = master
                .variants
                .iter()
                .filter(|v| !v.is_i_frame && !v.uri.is_empty())
                .min_by_key(|v| v.bandwidth)
                .ok_or("HLS master playlist lists no variant streams")?;
            Ok(Playlist::HlsMaster {
                variant: variant.uri.clone(),
            })
        }
        Ok(m3u8_rs::Playlist::MediaPlaylist(media)) => {
            if let Some(seg) = media.segments.iter().find(|s| {
                s.key
                    .as_ref()
                    .is_some_and(|k| k.method != m3u8_rs::KeyMethod::None)
            }) {
                return Err(format!(
                    "encrypted HLS segments ({}) are not supported",
                    seg.key
                        .as_ref()
                        .map_or_else(String::new, |k| k.method.to_string())
                ));
            }
            if media.segments.iter().any(|s| s.map.is_some()) {
                return Err(
                    "fragmented-MP4 HLS segments (#EXT-X-MAP) are not supported; \
                     only packed audio (ADTS AAC or MP3) segments are"
                        .to_owned(),
                );
            }
            Ok(Playlist::HlsMedia(HlsMedia {
                target_duration: (media.target_duration as f64).max(1.0),
                media_sequence: media.media_sequence,
                segments: media
                    .segments
                    .iter()
                    .map(|s| HlsSegment {
                        uri: s.uri.clone(),
                        duration: f64::from(s.duration),
                    })
                    .collect(),
                end_list: media.end_list,
            }))
        }
        Err(e) => Err(format!("malformed HLS playlist: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pls_entries_follow_their_numbers() {
        let body = "[playlist]\nNumberOfEntries=2\nfile2=http://b/\nTitle1=One\nFile1 = http://a/ \nLength1=-1\nVersion=2\n";
        assert_eq!(
            parse(PlaylistKind::Pls, body.as_bytes()),
            Ok(Playlist::Entries(vec![
                "http://a/".into(),
                "http://b/".into()
            ]))
        );
    }

    #[test]
    fn m3u_skips_comments_and_blank_lines() {
        let body = "\u{feff}#EXTM3U\r\n#EXTINF:-1,Radio\r\n\r\nhttp://radio.example/live\r\nrelative.mp3\r\n";
        assert_eq!(
            parse(PlaylistKind::M3u, body.as_bytes()),
            Ok(Playlist::Entries(vec![
                "http://radio.example/live".into(),
                "relative.mp3".into()
            ]))
        );
    }

    #[test]
    fn hls_master_picks_lowest_bandwidth_variant() {
        let body = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"mp4a.40.2\"\nhi/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\nlo/index.m3u8\n";
        assert_eq!(
            parse(PlaylistKind::M3u, body.as_bytes()),
            Ok(Playlist::HlsMaster {
                variant: "lo/index.m3u8".into()
            })
        );
    }

    #[test]
    fn hls_media_playlist_is_parsed() {
        let body = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:7\n#EXTINF:2.0,\nseg7.aac\n#EXTINF:1.5,\nseg8.aac\n#EXT-X-ENDLIST\n";
        let Ok(Playlist::HlsMedia(media)) = parse(PlaylistKind::M3u, body.as_bytes()) else {
            panic!("not a media playlist");
        };
        assert_eq!(media.media_sequence, 7);
        assert_eq!(media.target_duration, 2.0);
        assert!(media.end_list);
        let uris: Vec<&str> = media.segments.iter().map(|s| s.uri.as_str()).collect();
        assert_eq!(uris, ["seg7.aac", "seg8.aac"]);
        assert_eq!(media.segments[1].duration, 1.5);
    }

    #[test]
    fn encrypted_and_fmp4_hls_are_rejected_clearly() {
        let aes = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"k\"\n#EXTINF:2,\na.aac\n";
        let err = parse(PlaylistKind::M3u, aes.as_bytes()).expect_err("AES must be rejected");
        assert!(err.contains("encrypted"), "{err}");
        let fmp4 =
            "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:2,\na.m4s\n";
        let err = parse(PlaylistKind::M3u, fmp4.as_bytes()).expect_err("fMP4 must be rejected");
        assert!(err.contains("EXT-X-MAP"), "{err}");
    }
}
