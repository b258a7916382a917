//! The formats onair reads, and how one is told from a name, a media type or the content.

use super::detect;
use serde::Serialize;
use std::io::Read;

/// Formats onair reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// onair's own JSON schedule.
    Json,
    /// XMLTV programme guide.
    Xmltv,
    /// iCalendar (RFC 5545) event feed.
    Ical,
    /// M3U or M3U8 playlist, plain or extended.
    M3u,
    /// PLS playlist.
    Pls,
    /// Podcast RSS 2.0 with iTunes tags.
    Rss,
    /// XSPF ("spiff") XML playlist.
    Xspf,
    /// ASX (Windows Media) XML playlist.
    Asx,
}

impl Format {
    /// Guesses the format from the content (a gzip stream is looked into).
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        if detect::is_gzip(bytes) {
            let mut head = Vec::new();
            let gz = flate2::read::MultiGzDecoder::new(bytes);
            // A truncated head still shows the start of the document.
            let _ = gz.take(detect::HEAD_BYTES as u64).read_to_end(&mut head);
            return detect::detect(&head);
        }
        detect::detect(bytes)
    }

    /// The lower-case name used on the command line and in the admin API.
    pub fn name(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Xmltv => "xmltv",
            Self::Ical => "ical",
            Self::M3u => "m3u",
            Self::Pls => "pls",
            Self::Rss => "rss",
            Self::Xspf => "xspf",
            Self::Asx => "asx",
        }
    }

    /// Parses a name (as printed by [`Format::name`], plus common aliases).
    pub fn from_name(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            "xmltv" => Some(Self::Xmltv),
            "ical" | "ics" | "icalendar" => Some(Self::Ical),
            "m3u" | "m3u8" => Some(Self::M3u),
            "pls" => Some(Self::Pls),
            "rss" | "podcast" => Some(Self::Rss),
            "xspf" => Some(Self::Xspf),
            "asx" | "wax" | "wvx" => Some(Self::Asx),
            _ => None,
        }
    }

    /// The format a media type names; generic XML and text types return `None` so the
    /// content decides.
    pub fn from_content_type(raw: &str) -> Option<Self> {
        let essence = raw
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/json" => Some(Self::Json),
            "text/calendar" => Some(Self::Ical),
            "application/rss+xml" => Some(Self::Rss),
            "audio/x-scpls" => Some(Self::Pls),
            "audio/x-mpegurl"
            | "audio/mpegurl"
            | "application/x-mpegurl"
            | "application/vnd.apple.mpegurl" => Some(Self::M3u),
            "application/xmltv+xml" => Some(Self::Xmltv),
            "application/xspf+xml" => Some(Self::Xspf),
            "video/x-ms-asf" | "video/x-ms-asx" | "audio/x-ms-wax" => Some(Self::Asx),
            _ => None,
        }
    }

    /// Whether one bad record rejects the whole file.
    pub fn all_or_nothing(self) -> bool {
        self == Self::Json
    }
}
