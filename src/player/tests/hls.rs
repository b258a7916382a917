//! Live HLS with packed-audio segments, served by a playlist that grows.

use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use bytes::Bytes;

use super::super::frames::{adts_frame_len, mp3_layout, mpeg_frame};
use super::super::PlayerError;
use super::support::{audio, audio_bytes, body, render, Server};

/// Splits a stream of frames into segments of `per_segment` frames.
fn segments(
    data: &[u8],
    frame_len: impl Fn(&[u8]) -> Option<usize>,
    per_segment: usize,
) -> Vec<Bytes> {
    let mut frames = Vec::new();
    let mut pos = 0;
    while let Some(len) = frame_len(&data[pos..]).filter(|len| pos + len <= data.len()) {
        frames.push(&data[pos..pos + len]);
        pos += len;
    }
    frames
        .chunks(per_segment)
        .map(|chunk| Bytes::from(chunk.concat()))
        .collect()
}

/// The ID3 tag HLS packed-audio segments start with: a PRIV frame holding
/// the segment's 90 kHz MPEG-TS timestamp.
fn id3_timestamp(pts: u64) -> Vec<u8> {
    let syncsafe = |n: usize| {
        [
            (n >> 21) as u8 & 0x7F,
            (n >> 14) as u8 & 0x7F,
            (n >> 7) as u8 & 0x7F,
            n as u8 & 0x7F,
        ]
    };
    let mut payload = b"com.apple.streaming.transportStreamTimestamp\0".to_vec();
    payload.extend_from_slice(&pts.to_be_bytes());
    let mut frame = b"PRIV".to_vec();
    frame.extend_from_slice(&syncsafe(payload.len()));
    frame.extend_from_slice(&[0, 0]);
    frame.extend_from_slice(&payload);
    let mut tag = b"ID3\x04\x00\x00".to_vec();
    tag.extend_from_slice(&syncsafe(frame.len()));
    tag.extend_from_slice(&frame);
    tag
}

/// A live media playlist: `initial` segments at the first request, one more
/// every `every`; `window` keeps only the newest segments (sliding live
/// window); with `end_list`, `#EXT-X-ENDLIST` appears once all are out.
struct Live {
    segments: Vec<Bytes>,
    seconds: f64,
    ext: &'static str,
    initial: usize,
    every: Duration,
    window: Option<usize>,
    end_list: bool,
    started: OnceLock<Instant>,
}

impl Live {
    fn playlist(&self) -> String {
        let elapsed = self.started.get_or_init(Instant::now).elapsed();
        let grown = self.initial + (elapsed.as_secs_f64() / self.every.as_secs_f64()) as usize;
        let published = if self.end_list {
            grown.min(self.segments.len())
        } else {
            grown
        };
        let first = self.window.map_or(0, |w| published.saturating_sub(w));
        let mut text = format!(
            "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:{first}\n"
        );
        for seq in first..published {
            text += &format!("#EXTINF:{:.3},\nseg{seq}.{}\n", self.seconds, self.ext);
        }
        if self.end_list && published == self.segments.len() {
            text += "#EXT-X-ENDLIST\n";
        }
        text
    }

    fn segment(&self, name: &str) -> axum::response::Response {
        let seq: Option<usize> = name
            .strip_prefix("seg")
            .and_then(|rest| rest.strip_suffix(self.ext))
            .and_then(|n| n.trim_end_matches('.').parse().ok());
        let Some(seq) = seq else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let mut data = id3_timestamp(seq as u64 * 90_000);
        data.extend_from_slice(&self.segments[seq % self.segments.len()]);
        body("audio/aac", data)
    }
}

fn routes(prefix: &str, live: Live) -> Router {
    let live = Arc::new(live);
    let playlist = live.clone();
    Router::new()
        .route(
            &format!("{prefix}/index.m3u8"),
            get(move || async move { body("application/vnd.apple.mpegurl", playlist.playlist()) }),
        )
        .route(
            &format!("{prefix}/{{name}}"),
            get(move |name: Path<String>| async move { live.segment(&name) }),
        )
}

fn segment_requests(server: &Server, prefix: &str) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter(|p| p.starts_with(prefix) && !p.ends_with(".m3u8"))
        .collect()
}

#[test]
fn live_aac_playlist_is_followed_to_endlist() {
    let aac = audio_bytes("sample.aac");
    let segs = segments(&aac, adts_frame_len, 16); // 16 frames = 0.37 s
    let count = segs.len();
    assert_eq!(count, 6, "sample.aac is 88 frames");
    let live = Live {
        segments: segs,
        seconds: 16.0 * 1024.0 / 44_100.0,
        ext: "aac",
        initial: 3,
        every: Duration::from_millis(300),
        window: None,
        end_list: true,
        started: OnceLock::new(),
    };
    let master = "#EXTM3U\n\
        #EXT-X-STREAM-INF:BANDWIDTH=128000,CODECS=\"mp4a.40.2\"\nhi/index.m3u8\n\
        #EXT-X-STREAM-INF:BANDWIDTH=64000,CODECS=\"mp4a.40.2\"\nlo/index.m3u8\n";
    let app = routes("/hls/lo", live).route(
        "/hls/master.m3u8",
        get(move || async move { body("application/vnd.apple.mpegurl", master) }),
    );
    let server = Server::start(app);

    let (result, wav) = render(&server.url("/hls/master.m3u8"), None, None);
    let report = result.expect("HLS plays");
    assert_eq!(report.format, "HLS AAC (ADTS)");
    assert_eq!((report.sample_rate, report.channels), (44_100, 1));

    let expected: Vec<String> = (0..count).map(|n| format!("/hls/lo/seg{n}.aac")).collect();
    assert_eq!(
        segment_requests(&server, "/hls/lo/"),
        expected,
        "every segment once, in order"
    );
    let log = server.requests();
    assert_eq!(
        log[..2],
        ["/hls/master.m3u8", "/hls/lo/index.m3u8"],
        "lowest bandwidth variant"
    );
    let reloads = log.iter().filter(|p| *p == "/hls/lo/index.m3u8").count();
    assert!(reloads >= 2, "the growing playlist was re-polled: {log:?}");
    assert!(!log.iter().any(|p| p.starts_with("/hls/hi/")));

    // Segments minus their ID3 tags, in order, are the original file.
    let (local, local_wav) = render(audio("sample.aac").to_str().expect("path"), None, None);
    assert!((report.seconds_played - local.expect("local").seconds_played).abs() < 1e-9);
    assert_eq!(wav.expect("WAV").samples, local_wav.expect("WAV").samples);
}

#[test]
fn endless_mp3_playlist_stops_after_the_requested_seconds() {
    let mp3 = audio_bytes("concert.mp3");
    let layout = mp3_layout(&mp3).expect("frames");
    let frames = |b: &[u8]| mpeg_frame(b).map(|f| f.len);
    let segs = segments(&mp3[layout.audio.clone()], frames, 38); // ~0.99 s each
    let live = Live {
        segments: segs.clone(),
        seconds: 38.0 * 576.0 / 22_050.0,
        ext: "mp3",
        initial: 4,
        every: Duration::from_secs(1),
        window: Some(4),
        end_list: false,
        started: OnceLock::new(),
    };
    let server = Server::start(routes("/live", live));
    let start = Instant::now();
    let (result, wav) = render(&server.url("/live/index.m3u8"), Some(2.5), None);
    let report = result.expect("HLS plays");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "an endless playlist must not hang"
    );
    assert_eq!(report.format, "HLS MP3");
    assert!((report.seconds_played - 2.5).abs() < 1e-6);

    // Live start: the last three of the four published segments (1, 2, 3),
    // then possibly a few more fetched ahead, always consecutive.
    let fetched = segment_requests(&server, "/live/");
    assert!((3..=7).contains(&fetched.len()), "{fetched:?}");
    for (i, path) in fetched.iter().enumerate() {
        assert_eq!(*path, format!("/live/seg{}.mp3", i + 1));
    }

    // The audio is those segments' frames, decoded in order.
    let dir = tempfile::tempdir().expect("temp dir");
    let joined = dir.path().join("joined.mp3");
    std::fs::write(&joined, [&segs[1][..], &segs[2][..], &segs[3][..]].concat()).expect("write");
    let (_, local_wav) = render(joined.to_str().expect("path"), Some(2.5), None);
    assert_eq!(wav.expect("WAV").samples, local_wav.expect("WAV").samples);
}

#[test]
fn unsupported_or_dead_segments_fail_clearly() {
    let ts_packet = {
        let mut p = vec![0u8; 188];
        p[0] = 0x47;
        p
    };
    let ts = Bytes::from([&ts_packet[..], &ts_packet[..]].concat());
    let app = Router::new()
        .route("/ts/index.m3u8", get(|| async {
            body("application/vnd.apple.mpegurl", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.ts\n#EXT-X-ENDLIST\n")
        }))
        .route("/ts/a.ts", get(move || async move { body("video/mp2t", ts) }))
        .route("/dead/index.m3u8", get(|| async {
            body("application/vnd.apple.mpegurl", "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\na.aac\n#EXTINF:2,\nb.aac\n#EXTINF:2,\nc.aac\n#EXT-X-ENDLIST\n")
        }));
    let server = Server::start(app);

    let (result, _) = render(&server.url("/ts/index.m3u8"), None, None);
    let err = result.expect_err("MPEG-TS segments");
    let msg = err.to_string();
    assert!(
        matches!(err, PlayerError::UnsupportedFormat { .. }),
        "{msg}"
    );
    assert!(
        msg.contains("MPEG transport stream") && msg.contains("packed audio"),
        "{msg}"
    );

    let (result, _) = render(&server.url("/dead/index.m3u8"), None, None);
    let err = result.expect_err("all segments 404");
    assert!(
        matches!(err, PlayerError::HttpStatus { status: 404, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("/dead/c.aac"), "{err}");
}
