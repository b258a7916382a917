//! Playing over HTTP: ICY radio streams, files, and the ways servers fail.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::super::demo_stream::icy_mp3_stream;
use super::super::{play, PlayOptions, PlayerError, TitleCallback};
use super::support::{assert_streams_released, audio, audio_bytes, body, render, Server};

/// A radio station: `/radio` honours `Icy-MetaData`, `/radio-plain` never
/// sends metadata, `/radio-live` is paced. The title changes at every block.
fn station(alive: Arc<()>) -> Router {
    let mp3 = audio_bytes("concert.mp3");
    let blocks = Arc::new(AtomicUsize::new(0));
    let stream = move |headers: HeaderMap, paced: bool| {
        let (marker, blocks) = (alive.clone(), blocks.clone());
        let title = move || {
            let _ = &marker;
            format!("Song {}", blocks.fetch_add(1, Ordering::SeqCst) + 1)
        };
        icy_mp3_stream(&headers, mp3.clone(), 4000, title, paced)
    };
    let (plain, live) = (stream.clone(), stream.clone());
    Router::new()
        .route(
            "/radio",
            get(move |h: HeaderMap| async move { stream(h, false) }),
        )
        .route(
            "/radio-plain",
            get(move || async move { plain(HeaderMap::new(), false) }),
        )
        .route(
            "/radio-live",
            get(move |h: HeaderMap| async move { live(h, true) }),
        )
}

fn collector() -> (Arc<Mutex<Vec<String>>>, TitleCallback) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    let callback = move |title: &str| sink.lock().expect("titles").push(title.to_owned());
    (seen, Box::new(callback))
}

#[test]
fn icy_stream_reports_titles_and_strips_metadata() {
    let alive = Arc::new(());
    let server = Server::start(station(alive.clone()));
    // The router holds copies of the handlers; streams add more while they run.
    let baseline = Arc::strong_count(&alive);

    let (seen, callback) = collector();
    let (result, wav) = render(&server.url("/radio"), Some(3.0), Some(callback));
    let report = result.expect("play ICY stream");
    let wav = wav.expect("WAV");
    assert_eq!(report.format, "MP3");
    assert_eq!((report.sample_rate, report.channels), (22_050, 1));
    assert!((wav.seconds() - 3.0).abs() <= 0.05, "{} s", wav.seconds());
    assert!(wav.rms() > 0.02);

    let seen = seen.lock().expect("titles").clone();
    assert!(
        seen.len() >= 2,
        "titles change every ~1 s of audio: {seen:?}"
    );
    assert_eq!(seen[..2], ["Song 1", "Song 2"]);
    assert_eq!(report.titles, seen, "the report lists what on_title saw");

    // Metadata stripped exactly: the same audio without any metadata in the
    // stream decodes to the very same samples.
    let (plain, plain_wav) = render(&server.url("/radio-plain"), Some(3.0), None);
    assert!(plain.expect("plain stream").titles.is_empty());
    assert_eq!(plain_wav.expect("WAV").samples, wav.samples);

    // Both connections were closed when playback stopped: no stream is left running.
    assert_streams_released(&alive, baseline, "no stream left running");
}

#[test]
fn paced_live_stream_plays_incrementally() {
    let server = Server::start(station(Arc::new(())));
    let (seen, callback) = collector();
    let start = Instant::now();
    let (result, wav) = render(&server.url("/radio-live"), Some(2.5), Some(callback));
    let elapsed = start.elapsed().as_secs_f64();
    let report = result.expect("play paced stream");
    assert!((wav.expect("WAV").seconds() - 2.5).abs() <= 0.05);
    // The server sends 1 s up front, then real time: 2.5 s of audio cannot
    // arrive in much under 1.5 s, and a player waiting for big buffers
    // (32 KiB is 8 s of this stream) would take far longer.
    assert!(
        elapsed > 1.2,
        "faster than the stream is sent? {elapsed:.2} s"
    );
    assert!(elapsed < 6.0, "stalled: {elapsed:.2} s");
    assert_eq!(seen.lock().expect("titles")[0], "Song 1");
    assert_eq!(report.titles[0], "Song 1");
}

#[test]
fn files_over_http_decode_like_local_files() {
    let app = Router::new()
        .route(
            "/jingle.ogg",
            get(|| async { body("audio/ogg", audio_bytes("jingle.ogg")) }),
        )
        .route(
            "/m4a",
            get(|| async { body("audio/mp4", audio_bytes("sample.m4a")) }),
        )
        // Mislabelled: the bytes decide.
        .route(
            "/download",
            get(|| async { body("application/octet-stream", audio_bytes("sample.flac")) }),
        )
        .route(
            "/aac",
            get(|| async { body("audio/aacp", audio_bytes("sample.aac")) }),
        );
    let server = Server::start(app);
    for (path, file, format) in [
        ("/jingle.ogg", "jingle.ogg", "Ogg Vorbis"),
        ("/m4a", "sample.m4a", "AAC (MP4)"),
        ("/download", "sample.flac", "FLAC"),
        ("/aac", "sample.aac", "AAC (ADTS)"),
    ] {
        let (remote, remote_wav) = render(&server.url(path), None, None);
        let remote = remote.unwrap_or_else(|e| panic!("{path}: {e}"));
        let (local, local_wav) = render(audio(file).to_str().expect("path"), None, None);
        let local = local.expect("local file");
        assert_eq!(remote.format, format, "{path}");
        assert_eq!(remote, local, "{path}: same report as the local file");
        assert_eq!(
            remote_wav.expect("WAV").samples,
            local_wav.expect("WAV").samples,
            "{path}: same samples"
        );
    }
}

#[test]
fn truncated_mp3_over_http_plays_what_arrived() {
    let mp3 = audio_bytes("concert.mp3").slice(..10_000);
    let app = Router::new().route(
        "/cut.mp3",
        get(move || async move { body("audio/mpeg", mp3) }),
    );
    let server = Server::start(app);
    let (result, _) = render(&server.url("/cut.mp3"), None, None);
    let report = result.expect("plays up to the cut");
    assert!(
        (report.seconds_played - 2.5).abs() < 0.15,
        "{}",
        report.seconds_played
    );
}

#[test]
fn http_failures_are_named() {
    let app = Router::new()
        .route(
            "/gone.mp3",
            get(|| async { (StatusCode::NOT_FOUND, "no such stream").into_response() }),
        )
        .route(
            "/page",
            get(|| async {
                body(
                    "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><body>Log in</body></html>",
                )
            }),
        )
        .route(
            "/doc.mp3",
            get(|| async { body("audio/mpeg", "%PDF-1.7\n%\u{e2}\u{e3}\n1 0 obj") }),
        )
        .route(
            "/api",
            get(|| async { body("application/json", "{\"stream\": null}") }),
        );
    let server = Server::start(app);
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = || PlayOptions {
        out_wav: Some(dir.path().join("out.wav")),
        ..PlayOptions::default()
    };

    let err = play(&server.url("/gone.mp3"), opts()).expect_err("404");
    assert!(
        matches!(err, PlayerError::HttpStatus { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        format!("{} answered HTTP 404 Not Found", server.url("/gone.mp3"))
    );

    for (path, expected) in [
        ("/page", ["content-type text/html", "looks like HTML"]),
        (
            "/doc.mp3",
            ["content-type audio/mpeg", "looks like a PDF document"],
        ),
        ("/api", ["content-type application/json", "looks like JSON"]),
    ] {
        let err = play(&server.url(path), opts()).expect_err(path);
        let msg = err.to_string();
        assert!(
            matches!(err, PlayerError::UnsupportedFormat { .. }),
            "{path}: {msg}"
        );
        for part in expected {
            assert!(msg.contains(part), "{path}: {msg:?} lacks {part:?}");
        }
    }
    assert!(
        !dir.path().join("out.wav").exists(),
        "nothing rendered for failures"
    );

    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let err = play(&format!("http://127.0.0.1:{port}/live"), opts()).expect_err("refused");
    assert!(matches!(err, PlayerError::Http { .. }), "{err:?}");
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
}
