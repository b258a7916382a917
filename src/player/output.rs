//! Where decoded audio goes: a WAV file, or — with the `speaker` feature —
//! the default sound device through rodio's playback API (cpal/ALSA).
//!
//! The speaker is optional because it needs the ALSA development headers to
//! build on Linux, which a server or CI image usually does not have; WAV
//! output works everywhere.

use std::path::PathBuf;

use super::wav::WavSink;
use super::PlayerError;

/// A consumer of interleaved PCM samples.
pub(super) trait PcmSink {
    /// Takes the next block of interleaved samples (whole frames).
    fn write(&mut self, samples: &[rodio::Sample]) -> Result<(), PlayerError>;
    /// Flushes (WAV) or waits until everything has been heard (speaker).
    fn finish(self: Box<Self>) -> Result<(), PlayerError>;
}

/// The output chosen for a play request.
pub(super) enum Output {
    Wav(PathBuf),
    #[cfg(feature = "speaker")]
    Speaker,
}

impl Output {
    /// Chosen before anything is opened, so a build without speaker support
    /// fails immediately instead of after connecting to a stream.
    pub(super) fn choose(out_wav: Option<PathBuf>) -> Result<Self, PlayerError> {
        match out_wav {
            Some(path) => Ok(Self::Wav(path)),
            #[cfg(feature = "speaker")]
            None => Ok(Self::Speaker),
            #[cfg(not(feature = "speaker"))]
            None => Err(PlayerError::NoSpeaker),
        }
    }

    /// Opens the output for audio of the given shape.
    pub(super) fn open(
        &self,
        channels: u16,
        sample_rate: u32,
    ) -> Result<Box<dyn PcmSink>, PlayerError> {
        match self {
            Self::Wav(path) => Ok(Box::new(WavSink::create(path, channels, sample_rate)?)),
            #[cfg(feature = "speaker")]
            Self::Speaker => Ok(Box::new(speaker::SpeakerSink::open(channels, sample_rate)?)),
        }
    }
}

#[cfg(feature = "speaker")]
mod speaker {
    use std::num::NonZero;
    use std::time::Duration;

    use rodio::buffer::SamplesBuffer;
    use rodio::{DeviceSinkBuilder, MixerDeviceSink, Player};

    use super::{PcmSink, PlayerError};

    /// Blocks queued in the player before `write` waits; with the decoder's
    /// 100 ms blocks this keeps about a second of audio buffered — enough to
    /// ride out network hiccups, little enough to stop promptly.
    const MAX_QUEUED: usize = 10;

    /// Plays through rodio 0.23's `Player` on the default device's mixer.
    ///
    /// Decoding happens on the player thread and finished blocks are queued
    /// here, so a slow network read never runs inside the audio callback.
    pub(super) struct SpeakerSink {
        player: Player,
        channels: NonZero<u16>,
        sample_rate: NonZero<u32>,
        // Dropping the device sink stops playback: keep it for the sink's lifetime.
        _device: MixerDeviceSink,
    }

    impl SpeakerSink {
        pub(super) fn open(channels: u16, sample_rate: u32) -> Result<Self, PlayerError> {
            let invalid = || PlayerError::Speaker {
                detail: format!("invalid audio shape: {channels} channels at {sample_rate} Hz"),
            };
            let channels = NonZero::new(channels).ok_or_else(invalid)?;
            let sample_rate = NonZero::new(sample_rate).ok_or_else(invalid)?;
            let mut device =
                DeviceSinkBuilder::open_default_sink().map_err(|e| PlayerError::Speaker {
                    detail: format!("cannot open the default output device: {e}"),
                })?;
            // Otherwise rodio prints a notice to stderr when playback ends.
            device.log_on_drop(false);
            let player = Player::connect_new(device.mixer());
            Ok(Self {
                player,
                channels,
                sample_rate,
                _device: device,
            })
        }
    }

    impl PcmSink for SpeakerSink {
        fn write(&mut self, samples: &[rodio::Sample]) -> Result<(), PlayerError> {
            while self.player.len() >= MAX_QUEUED {
                std::thread::sleep(Duration::from_millis(10));
            }
            self.player.append(SamplesBuffer::new(
                self.channels,
                self.sample_rate,
                samples.to_vec(),
            ));
            Ok(())
        }

        fn finish(self: Box<Self>) -> Result<(), PlayerError> {
            self.player.sleep_until_end();
            Ok(())
        }
    }
}
