//! Local audio player for the developer tools: lets a developer *hear* the
//! stream a skill response would hand to an Alexa device.
//!
//! [`play`] takes a file path or an `http(s)` URL and handles what radio and
//! concert streams actually look like in the wild:
//!
//! * MP3, AAC (ADTS and MP4/M4A), Ogg Vorbis, FLAC and WAV, decoded by
//!   rodio's symphonia backend;
//! * endless Icecast/Shoutcast streams, read incrementally through a bounded
//!   buffer, with ICY `StreamTitle` changes reported as they arrive;
//! * PLS and M3U/M3U8 playlists (followed up to [`MAX_PLAYLIST_DEPTH`] deep);
//! * live HLS with packed-audio segments (ADTS AAC or MP3).
//!
//! Output goes to a 16-bit WAV file (works anywhere) or, when built with the
//! `speaker` feature, to the default sound device.
//!
//! [`demo_stream`] is the server side of the same protocol: an endless,
//! optionally paced MP3 stream with ICY metadata for the server's demo mode.

use std::path::PathBuf;

mod decode;
pub mod demo_stream;
mod error;
mod frames;
mod hls;
mod http_stream;
mod icy;
mod output;
mod playlist;
pub mod probe;
mod reader;
mod sniff;
mod source;
mod wav;

#[cfg(test)]
mod tests;

pub use error::PlayerError;
pub use source::MAX_PLAYLIST_DEPTH;

/// Receives each new ICY stream title (see [`PlayOptions::on_title`]).
pub type TitleCallback = Box<dyn FnMut(&str) + Send>;

/// What to do besides opening the target.
#[derive(Default)]
pub struct PlayOptions {
    /// Stop after this many seconds of audio (default: play to the end; an
    /// endless stream then plays until the process is interrupted).
    pub seconds: Option<f64>,
    /// Render to this 16-bit WAV file instead of the sound card.
    pub out_wav: Option<PathBuf>,
    /// Called with each new ICY stream title as it changes.
    pub on_title: Option<TitleCallback>,
}

impl std::fmt::Debug for PlayOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PlayOptions")
            .field("seconds", &self.seconds)
            .field("out_wav", &self.out_wav)
            .field("on_title", &self.on_title.as_ref().map(|_| "<callback>"))
            .finish()
    }
}

/// What was played.
#[derive(Debug, Clone, PartialEq)]
pub struct PlayReport {
    /// Format of the audio, e.g. `"MP3"`, `"AAC (ADTS)"`, `"HLS AAC (ADTS)"`.
    pub format: String,
    /// Sample rate of the decoded audio (also the WAV file's rate).
    pub sample_rate: u32,
    /// Channel count of the decoded audio.
    pub channels: u16,
    /// Seconds of audio produced.
    pub seconds_played: f64,
    /// ICY stream titles in the order they appeared (consecutive repeats removed).
    pub titles: Vec<String>,
}

/// Plays `target` (a file path or an `http(s)` URL) and blocks until done.
///
/// Playback ends at the end of the audio, after `opts.seconds`, or — for HLS
/// — at `#EXT-X-ENDLIST`.
///
/// This function blocks; from async code call it inside
/// `tokio::task::spawn_blocking`. It runs on a thread of its own, so it never
/// collides with a Tokio runtime the caller may be inside of (the player owns
/// a private runtime for its downloads).
pub fn play(target: &str, mut opts: PlayOptions) -> Result<PlayReport, PlayerError> {
    if let Some(seconds) = opts.seconds {
        if !(seconds.is_finite() && seconds > 0.0) {
            return Err(PlayerError::InvalidOptions {
                detail: format!("seconds must be a positive number, not {seconds}"),
            });
        }
    }
    let output = output::Output::choose(opts.out_wav.take())?;
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("onair-player".into())
            .spawn_scoped(scope, move || run(target, opts, output))
            .map_err(|e| PlayerError::Internal {
                detail: format!("cannot start the player thread: {e}"),
            })?;
        worker.join().unwrap_or_else(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            Err(PlayerError::Internal {
                detail: format!("the player thread panicked: {what}"),
            })
        })
    })
}

/// The player thread: open (following playlists), then decode into the output.
fn run(
    target: &str,
    mut opts: PlayOptions,
    output: output::Output,
) -> Result<PlayReport, PlayerError> {
    let mut net = source::LazyNet::default();
    let result = source::open(target, &mut net)
        .and_then(|media| decode::run(media, opts.seconds, &output, opts.on_title.as_mut()));
    // Downloads still blocked on the network are abandoned, not awaited.
    net.shutdown();
    result
}
