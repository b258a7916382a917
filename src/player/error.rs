//! The player's error type.
//!
//! Every variant carries enough context (path, URL, what was found) for the CLI
//! to print it verbatim: the developer hearing a skill's stream needs to know
//! *why* it does not play, not just that it failed.

use std::path::PathBuf;

/// Why [`play`](super::play) could not play (or finish playing) a target.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlayerError {
    /// The target is neither an existing file path nor an `http(s)://` URL.
    #[error("invalid target {target:?}: {detail}")]
    InvalidTarget {
        /// The target as given.
        target: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The options make no sense (e.g. a negative duration).
    #[error("invalid options: {detail}")]
    InvalidOptions {
        /// What is wrong.
        detail: String,
    },
    /// A local file could not be opened or read.
    #[error("cannot read {}: {source}", path.display())]
    File {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The request could not be sent or the connection failed.
    #[error("HTTP request to {url} failed: {detail}")]
    Http {
        /// The requested URL.
        url: String,
        /// Transport-level reason (connection refused, timeout, TLS, ...).
        detail: String,
    },
    /// The server answered with a non-success status.
    #[error("{url} answered HTTP {status}{}", if reason.is_empty() { String::new() } else { format!(" {reason}") })]
    HttpStatus {
        /// The requested URL.
        url: String,
        /// The HTTP status code.
        status: u16,
        /// The status' canonical reason phrase, if any.
        reason: String,
    },
    /// The content is not audio this player can decode.
    #[error("unsupported format: {detail}")]
    UnsupportedFormat {
        /// What was found: content-type and/or what the first bytes look like.
        detail: String,
    },
    /// A playlist had no entry that could be played.
    #[error("playlist {location}: {detail}")]
    Playlist {
        /// Where the playlist came from.
        location: String,
        /// Why none of its entries played.
        detail: String,
    },
    /// Playlists pointed at playlists more than `limit` levels deep (or in a loop).
    #[error("playlists nested more than {limit} levels deep: {}", chain.join(" -> "))]
    PlaylistDepth {
        /// The maximum nesting depth.
        limit: usize,
        /// The playlists followed, outermost first.
        chain: Vec<String>,
    },
    /// An HLS stream could not be followed.
    #[error("HLS stream {url}: {detail}")]
    Hls {
        /// The media playlist's URL.
        url: String,
        /// What went wrong.
        detail: String,
    },
    /// The data looked like audio but decoding failed.
    #[error("cannot decode {origin}: {detail}")]
    Decode {
        /// The file or URL.
        origin: String,
        /// The decoder's complaint.
        detail: String,
    },
    /// The WAV file could not be written.
    #[error("cannot write WAV file {}: {detail}", path.display())]
    WavOutput {
        /// The output file.
        path: PathBuf,
        /// The underlying error.
        detail: String,
    },
    /// Playing to the sound card was requested but this build has no speaker support.
    #[error(
        "no speaker output in this build: rebuild with `--features speaker` \
         (Linux needs the ALSA headers: `apt-get install libasound2-dev pkg-config`) \
         or render to a file with `--out FILE.wav`"
    )]
    NoSpeaker,
    /// The sound card could not be opened or failed while playing.
    #[error("audio output device: {detail}")]
    Speaker {
        /// The device error.
        detail: String,
    },
    /// An internal resource (thread, async runtime) could not be set up.
    #[error("player internal error: {detail}")]
    Internal {
        /// What failed.
        detail: String,
    },
}
