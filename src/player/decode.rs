//! Decoding with rodio's symphonia backend and pumping PCM into an output.

use rodio::decoder::DecoderError;
use rodio::Source;

use super::hls;
use super::icy::{TitleFeed, TitleTracker};
use super::output::{Output, PcmSink};
use super::source::Media;
use super::{PlayReport, PlayerError, TitleCallback};

/// Samples are handed to the output in blocks of this many milliseconds:
/// small enough that `seconds` and title changes are honoured promptly.
const BLOCK_MS: u32 = 100;

/// Delivers ICY title changes to the caller as they are read.
struct Titles<'a> {
    feed: Option<TitleFeed>,
    tracker: TitleTracker,
    on_title: Option<&'a mut TitleCallback>,
}

impl Titles<'_> {
    fn dispatch(&mut self) {
        let Some(feed) = &self.feed else { return };
        for title in feed.try_iter() {
            if self.tracker.observe(&title) {
                if let Some(callback) = self.on_title.as_mut() {
                    callback(title.trim());
                }
            }
        }
    }
}

/// Decodes `media` into `output` until it ends or `seconds` have been produced.
pub(super) fn run(
    media: Media,
    seconds: Option<f64>,
    output: &Output,
    on_title: Option<&mut TitleCallback>,
) -> Result<PlayReport, PlayerError> {
    let Media {
        reader,
        kind,
        byte_len,
        label,
        origin,
        context,
        titles,
        hls_errors,
    } = media;
    let hls_error = || hls_errors.as_ref().and_then(hls::take_error);

    let mut builder = rodio::Decoder::builder()
        .with_data(reader)
        .with_gapless(true);
    if let Some(kind) = kind {
        builder = builder.with_hint(kind.hint());
    }
    builder = match byte_len {
        Some(len) => builder.with_byte_len(len),
        // Live streams cannot seek; telling symphonia keeps it from trying.
        None => builder.with_seekable(false),
    };
    let mut decoder = builder.build().map_err(|e| {
        if let Some(hls) = hls_error() {
            return hls;
        }
        match e {
            DecoderError::UnrecognizedFormat | DecoderError::NoStreams => {
                let looked_like = kind.map_or(String::new(), |k| {
                    format!(" although it looked like {}", k.label())
                });
                PlayerError::UnsupportedFormat {
                    detail: format!("{origin}: no decodable audio{looked_like} ({context})"),
                }
            }
            DecoderError::IoError(io) => PlayerError::Decode {
                origin: origin.clone(),
                detail: format!(
                    "the data ended before any audio could be decoded ({context}): {io}"
                ),
            },
            other => PlayerError::Decode {
                origin: origin.clone(),
                detail: format!("{other} ({context})"),
            },
        }
    })?;

    let channels = decoder.channels().get();
    let sample_rate = decoder.sample_rate().get();
    let limit = seconds.map(|s| (s * f64::from(sample_rate)).round() as u64);
    let block = (sample_rate * BLOCK_MS / 1000).max(1) as usize * usize::from(channels);
    let mut sink: Box<dyn PcmSink> = output.open(channels, sample_rate)?;
    let mut titles = Titles {
        feed: titles,
        tracker: TitleTracker::default(),
        on_title,
    };

    let mut frames: u64 = 0;
    let mut samples = Vec::with_capacity(block);
    loop {
        titles.dispatch();
        let wanted = match limit {
            Some(limit) => {
                let left = limit.saturating_sub(frames) * u64::from(channels);
                block.min(usize::try_from(left).unwrap_or(usize::MAX))
            }
            None => block,
        };
        if wanted == 0 {
            break;
        }
        samples.clear();
        samples.extend(decoder.by_ref().take(wanted));
        // Keep whole frames only (a cut-off stream can end mid-frame).
        samples.truncate(samples.len() - samples.len() % usize::from(channels));
        if samples.is_empty() {
            break;
        }
        sink.write(&samples)?;
        frames += (samples.len() / usize::from(channels)) as u64;
        if samples.len() < wanted {
            break; // end of stream
        }
    }
    titles.dispatch();
    drop(decoder); // stops the download before waiting for the output to drain
    sink.finish()?;

    if let Some(e) = hls_error() {
        if frames == 0 {
            return Err(e);
        }
        tracing::warn!("HLS stream ended early: {e}");
    }
    Ok(PlayReport {
        format: label,
        sample_rate,
        channels,
        seconds_played: frames as f64 / f64::from(sample_rate),
        titles: titles.tracker.into_titles(),
    })
}
