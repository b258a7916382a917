//! Rendering to a 16-bit PCM WAV file (with `hound`), so a stream can be
//! checked on a machine without a sound card — CI, a container, a server.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::output::PcmSink;
use super::PlayerError;

/// Writes decoded samples to a WAV file at the source's rate and channel count.
pub(super) struct WavSink {
    path: PathBuf,
    writer: hound::WavWriter<BufWriter<File>>,
}

impl WavSink {
    pub(super) fn create(
        path: &Path,
        channels: u16,
        sample_rate: u32,
    ) -> Result<Self, PlayerError> {
        let spec = hound::WavSpec {
            channels,
            sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let writer = hound::WavWriter::create(path, spec).map_err(|e| PlayerError::WavOutput {
            path: path.to_owned(),
            detail: e.to_string(),
        })?;
        Ok(Self {
            path: path.to_owned(),
            writer,
        })
    }

    fn error(&self, e: &hound::Error) -> PlayerError {
        PlayerError::WavOutput {
            path: self.path.clone(),
            detail: e.to_string(),
        }
    }
}

/// Converts a float sample in [-1, 1] to 16-bit PCM, clipping out-of-range values.
pub(super) fn to_i16(sample: rodio::Sample) -> i16 {
    let scaled = (f64::from(sample).clamp(-1.0, 1.0) * f64::from(i16::MAX)).round();
    // In range after the clamp; `as` saturates anyway.
    scaled as i16
}

impl PcmSink for WavSink {
    fn write(&mut self, samples: &[rodio::Sample]) -> Result<(), PlayerError> {
        for &s in samples {
            if let Err(e) = self.writer.write_sample(to_i16(s)) {
                return Err(self.error(&e));
            }
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> Result<(), PlayerError> {
        let path = self.path;
        self.writer.finalize().map_err(|e| PlayerError::WavOutput {
            path,
            detail: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn samples_are_scaled_and_clipped() {
        assert_eq!(super::to_i16(0.0), 0);
        assert_eq!(super::to_i16(1.0), i16::MAX);
        assert_eq!(super::to_i16(-2.0), -i16::MAX);
        assert_eq!(super::to_i16(0.5), 16384);
    }
}
