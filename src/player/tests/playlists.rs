//! PLS and M3U playlists, remote and local, and their limits.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use super::super::{play, PlayOptions, PlayerError, MAX_PLAYLIST_DEPTH};
use super::support::{audio, audio_bytes, body, render, Server};

/// `/deep/N.m3u` points at `/deep/(N-1).m3u`; `/deep/1.m3u` at the jingle.
fn playlist_server() -> Server {
    let app = Router::new()
        .route(
            "/media/jingle.mp3",
            get(|| async { body("audio/mpeg", audio_bytes("jingle.mp3")) }),
        )
        .route(
            "/media/jingle.ogg",
            get(|| async { body("audio/ogg", audio_bytes("jingle.ogg")) }),
        )
        .route(
            "/chain/a.pls",
            get(|| async {
                body(
                    "audio/x-scpls",
                    "[playlist]\nNumberOfEntries=1\nFile1=b.m3u\nTitle1=Chain\n",
                )
            }),
        )
        .route(
            "/chain/b.m3u",
            get(|| async {
                body(
                    "audio/x-mpegurl",
                    "#EXTM3U\n#EXTINF:-1,Jingle\n/media/jingle.mp3\n",
                )
            }),
        )
        .route(
            "/deep/{file}",
            get(|file: Path<String>| async move {
                let n: u32 = file.trim_end_matches(".m3u").parse().unwrap_or(1);
                let next = if n <= 1 {
                    "/media/jingle.mp3".to_owned()
                } else {
                    format!("/deep/{}.m3u", n - 1)
                };
                body("audio/x-mpegurl", format!("#EXTM3U\n{next}\n"))
            }),
        )
        .route(
            "/loop.m3u",
            get(|| async { body("audio/x-mpegurl", "loop.m3u\n") }),
        )
        // No extension, generic content-type: only the body says "playlist".
        .route(
            "/station",
            get(|| async { body("text/plain", "[playlist]\nfile1=/media/jingle.ogg\n") }),
        )
        .route(
            "/fallback.m3u",
            get(|| async { body("audio/x-mpegurl", "/media/missing.mp3\n/media/jingle.ogg\n") }),
        )
        .route(
            "/broken.m3u",
            get(|| async {
                body(
                    "audio/x-mpegurl",
                    "/media/missing.mp3\n/media/also-missing.mp3\n",
                )
            }),
        )
        .route(
            "/local.m3u",
            get(|| async { body("audio/x-mpegurl", "file:///etc/passwd\n") }),
        )
        .route(
            "/media/{missing}",
            get(|| async { StatusCode::NOT_FOUND.into_response() }),
        );
    Server::start(app)
}

#[test]
fn pls_to_m3u_to_file_chain_resolves() {
    let server = playlist_server();
    let (result, wav) = render(&server.url("/chain/a.pls"), None, None);
    let report = result.expect("chain resolves");
    assert_eq!(report.format, "MP3");
    assert!((report.seconds_played - 3.0).abs() < 0.1);
    assert!(wav.expect("WAV").rms() > 0.01);
    assert_eq!(
        server.requests(),
        ["/chain/a.pls", "/chain/b.m3u", "/media/jingle.mp3"]
    );
}

#[test]
fn nesting_is_limited_to_five_playlists() {
    assert_eq!(MAX_PLAYLIST_DEPTH, 5);
    let server = playlist_server();
    let (result, _) = render(&server.url("/deep/5.m3u"), None, None);
    assert_eq!(result.expect("five levels are fine").format, "MP3");

    let (result, _) = render(&server.url("/deep/6.m3u"), None, None);
    let err = result.expect_err("six levels are too many");
    let PlayerError::PlaylistDepth { limit, chain } = &err else {
        panic!("expected PlaylistDepth, got {err:?}");
    };
    assert_eq!(*limit, 5);
    let expected: Vec<String> = (1..=6)
        .rev()
        .map(|n| server.url(&format!("/deep/{n}.m3u")))
        .collect();
    assert_eq!(*chain, expected);
    let msg = err.to_string();
    assert!(
        msg.starts_with("playlists nested more than 5 levels deep: "),
        "{msg}"
    );
    assert!(
        msg.contains("/deep/6.m3u -> ") && msg.ends_with("/deep/1.m3u"),
        "{msg}"
    );
    let media_fetches = server
        .requests()
        .iter()
        .filter(|p| p.starts_with("/media/"))
        .count();
    assert_eq!(
        media_fetches, 1,
        "the too-deep chain never reached the audio"
    );

    // A playlist that lists itself hits the same limit instead of looping.
    let (result, _) = render(&server.url("/loop.m3u"), None, None);
    assert!(
        matches!(result, Err(PlayerError::PlaylistDepth { .. })),
        "{result:?}"
    );
}

#[test]
fn playlists_are_recognised_by_content_and_skip_dead_entries() {
    let server = playlist_server();
    let (result, _) = render(&server.url("/station"), None, None);
    assert_eq!(result.expect("sniffed PLS").format, "Ogg Vorbis");

    let (result, _) = render(&server.url("/fallback.m3u"), None, None);
    assert_eq!(result.expect("second entry plays").format, "Ogg Vorbis");
    let log = server.requests();
    let tail = &log[log.len() - 3..];
    assert_eq!(
        tail,
        ["/fallback.m3u", "/media/missing.mp3", "/media/jingle.ogg"]
    );

    let (result, _) = render(&server.url("/broken.m3u"), None, None);
    let err = result.expect_err("nothing playable");
    let msg = err.to_string();
    assert!(matches!(err, PlayerError::Playlist { .. }), "{msg}");
    assert!(
        msg.contains("no playable entry") && msg.contains("HTTP 404"),
        "{msg}"
    );

    // A remote playlist cannot make the player open local files.
    let (result, _) = render(&server.url("/local.m3u"), None, None);
    let err = result.expect_err("file:// entry ignored");
    assert!(err.to_string().contains("lists no entries"), "{err}");
}

#[test]
fn local_playlists_resolve_relative_paths() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::copy(audio("sample.wav"), dir.path().join("tone.wav")).expect("copy");
    let list = dir.path().join("show.m3u8");
    std::fs::write(&list, "#EXTM3U\n#EXTINF:1,Tone\ntone.wav\n").expect("write");
    let (result, _) = render(list.to_str().expect("path"), None, None);
    let report = result.expect("relative entry");
    assert_eq!((report.format.as_str(), report.sample_rate), ("WAV", 8_000));

    let pls = dir.path().join("radio.pls");
    std::fs::write(&pls, "[playlist]\nFile1=missing.flac\n").expect("write");
    let err = play(
        pls.to_str().expect("path"),
        PlayOptions {
            out_wav: Some(dir.path().join("out.wav")),
            ..PlayOptions::default()
        },
    )
    .expect_err("missing entry");
    let msg = err.to_string();
    assert!(
        msg.contains("radio.pls") && msg.contains("missing.flac"),
        "{msg}"
    );
}
