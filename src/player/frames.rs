//! Header parsing for the "packed audio" formats: MPEG audio (MP3) frames,
//! ADTS (AAC) frames and ID3v2 tags.
//!
//! The decoders do the real work; these helpers exist because several places
//! need to know where frames start *without* decoding: content sniffing, the
//! demo stream (which loops an MP3 file and paces it at its bitrate) and HLS
//! (whose packed-audio segments each begin with an ID3 timestamp tag that must
//! be removed before the segments are concatenated into one elementary stream).

/// One parsed MPEG-1/2/2.5 audio frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct MpegFrame {
    /// Frame length in bytes, header included.
    pub len: usize,
    /// PCM frames (samples per channel) this frame decodes to.
    pub samples: u32,
    /// Sample rate in Hz.
    pub sample_rate: u32,
}

/// Bitrates in kbit/s, indexed by the header's 4-bit bitrate index (1..=14).
const BITRATES_V1_L1: [u32; 14] = [
    32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448,
];
const BITRATES_V1_L2: [u32; 14] = [
    32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384,
];
const BITRATES_V1_L3: [u32; 14] = [
    32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
];
const BITRATES_V2_L1: [u32; 14] = [
    32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256,
];
const BITRATES_V2_L23: [u32; 14] = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

/// Parses the MPEG audio frame header at the start of `b`.
///
/// Free-format and reserved values are rejected: they never occur in the
/// streams we serve or sniff, and accepting them would make random binary
/// data look like MP3.
pub(super) fn mpeg_frame(b: &[u8]) -> Option<MpegFrame> {
    let [b0, b1, b2, ..] = *b else { return None };
    if b0 != 0xFF || b1 & 0xE0 != 0xE0 {
        return None;
    }
    let version = (b1 >> 3) & 0b11; // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
    let layer = (b1 >> 1) & 0b11; // 1: III, 2: II, 3: I, 0: reserved
    let bitrate_index = usize::from(b2 >> 4);
    let rate_index = usize::from((b2 >> 2) & 0b11);
    let padding = u32::from((b2 >> 1) & 1);
    if version == 1 || layer == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3 {
        return None;
    }
    let base_rate = [44_100, 48_000, 32_000][rate_index];
    let sample_rate = match version {
        3 => base_rate,
        2 => base_rate / 2,
        _ => base_rate / 4,
    };
    let mpeg1 = version == 3;
    let table = match (mpeg1, layer) {
        (true, 3) => &BITRATES_V1_L1,
        (true, 2) => &BITRATES_V1_L2,
        (true, _) => &BITRATES_V1_L3,
        (false, 3) => &BITRATES_V2_L1,
        (false, _) => &BITRATES_V2_L23,
    };
    let bitrate = table[bitrate_index - 1] * 1000;
    let (len, samples) = match layer {
        3 => ((12 * bitrate / sample_rate + padding) * 4, 384),
        2 => (144 * bitrate / sample_rate + padding, 1152),
        _ if mpeg1 => (144 * bitrate / sample_rate + padding, 1152),
        _ => (72 * bitrate / sample_rate + padding, 576),
    };
    Some(MpegFrame {
        len: usize::try_from(len).ok()?,
        samples,
        sample_rate,
    })
}

/// Length of the ADTS frame at the start of `b`, if `b` starts with an ADTS header.
pub(super) fn adts_frame_len(b: &[u8]) -> Option<usize> {
    let [b0, b1, _, b3, b4, b5, ..] = *b else {
        return None;
    };
    // 12-bit sync word, then MPEG version, and a layer field that is always 0.
    if b0 != 0xFF || b1 & 0xF6 != 0xF0 {
        return None;
    }
    let len = (usize::from(b3 & 0b11) << 11) | (usize::from(b4) << 3) | usize::from(b5 >> 5);
    (len >= 7).then_some(len)
}

/// Total size of the ID3v2 tag at the start of `b` (header, body and footer),
/// or `None` if `b` does not start with a complete ID3v2 header.
pub(super) fn id3v2_len(b: &[u8]) -> Option<usize> {
    let [b'I', b'D', b'3', major, _, flags, s0, s1, s2, s3, ..] = *b else {
        return None;
    };
    if major == 0xFF || [s0, s1, s2, s3].iter().any(|s| s & 0x80 != 0) {
        return None;
    }
    // The size is "syncsafe": 4 bytes of 7 bits each, excluding the 10-byte header.
    let body = (usize::from(s0) << 21) | (usize::from(s1) << 14) | (usize::from(s2) << 7);
    let body = body | usize::from(s3);
    let footer = if flags & 0x10 != 0 { 10 } else { 0 };
    Some(10 + body + footer)
}

/// Removes every ID3v2 tag at the start of `data` (HLS packed-audio segments
/// start with one carrying the segment's timestamp; a tag in the middle of an
/// elementary stream would confuse the demuxer).
pub(super) fn strip_leading_id3(mut data: bytes::Bytes) -> bytes::Bytes {
    while let Some(len) = id3v2_len(&data) {
        if len > data.len() {
            return bytes::Bytes::new();
        }
        data = data.slice(len..);
    }
    data
}

/// The MPEG audio frames of an MP3 file, found by walking frame headers.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Mp3Layout {
    /// Byte range of the audio frames (tags and a Xing/Info frame excluded).
    pub audio: std::ops::Range<usize>,
    /// Number of audio frames in `audio`.
    pub frames: usize,
    /// Duration of `audio` in seconds.
    pub seconds: f64,
    /// Sample rate of the first frame.
    pub sample_rate: u32,
}

/// Walks the frames of an MP3 file.
///
/// Used by the demo stream to loop a file seamlessly (the leading tag, the
/// Xing/Info frame and trailing tags must not repeat every loop) and to know
/// its byte rate for pacing. Returns `None` if no run of frames is found.
pub(super) fn mp3_layout(data: &[u8]) -> Option<Mp3Layout> {
    let mut start = id3v2_len(data).unwrap_or(0);
    // Tolerate a little junk before the first frame, but require two
    // consecutive valid headers so that a stray 0xFF does not count.
    let limit = data.len().min(start + 64 * 1024);
    let first = (start..limit).find(|&i| {
        mpeg_frame(&data[i..]).is_some_and(|f| {
            data.get(i + f.len..)
                .is_some_and(|next| next.is_empty() || mpeg_frame(next).is_some())
        })
    })?;
    start = first;
    let frame = mpeg_frame(&data[start..])?;
    let sample_rate = frame.sample_rate;
    let first_frame = data.get(start..start + frame.len)?;
    if contains(first_frame, b"Xing") || contains(first_frame, b"Info") {
        start += frame.len;
    }
    let (mut pos, mut frames, mut samples) = (start, 0usize, 0u64);
    while let Some(f) = data.get(pos..).and_then(mpeg_frame) {
        if pos + f.len > data.len() {
            break;
        }
        pos += f.len;
        frames += 1;
        samples += u64::from(f.samples);
    }
    if frames == 0 {
        return None;
    }
    Some(Mp3Layout {
        audio: start..pos,
        frames,
        seconds: samples as f64 / f64::from(sample_rate),
        sample_rate,
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_mpeg2_layer3_32kbps_header() {
        // MPEG-2 Layer III, 32 kbit/s, 22050 Hz, no padding, mono.
        let f = mpeg_frame(&[0xFF, 0xF3, 0x40, 0xC4]).expect("valid header");
        assert_eq!(f.sample_rate, 22_050);
        assert_eq!(f.samples, 576);
        assert_eq!(f.len, 104);
        assert!(
            mpeg_frame(&[0xFF, 0xF3, 0xF0, 0xC4]).is_none(),
            "bad bitrate"
        );
        assert!(
            mpeg_frame(&[0xFF, 0xF1, 0x50, 0x40]).is_none(),
            "ADTS is not MP3"
        );
    }

    #[test]
    fn id3_tags_are_measured_and_stripped() {
        let mut seg = b"ID3\x04\x00\x00\x00\x00\x00\x05hello".to_vec();
        seg.extend_from_slice(&[0xFF, 0xF1, 0x50]);
        assert_eq!(id3v2_len(&seg), Some(15));
        let stripped = strip_leading_id3(bytes::Bytes::from(seg));
        assert_eq!(&stripped[..], &[0xFF, 0xF1, 0x50]);
        assert_eq!(id3v2_len(b"ID3\x04\x00\x00\x80\x00\x00\x00"), None);
    }

    #[test]
    fn adts_length_is_read_from_header() {
        // Frame length 0x115 = 277 bytes.
        let h = [0xFF, 0xF1, 0x50, 0x40, 0x22, 0xBF, 0xFC];
        assert_eq!(adts_frame_len(&h), Some(277));
        assert_eq!(adts_frame_len(&[0xFF, 0xF3, 0x40, 0xC4, 0, 0]), None);
    }
}
