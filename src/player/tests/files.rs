//! Local files: every sample format, WAV rendering, limits and bad input.

use super::super::{play, PlayOptions, PlayerError};
use super::support::{audio, render};

/// Plays a sample file to WAV and checks it against `audio/README.md`.
fn check_sample(name: &str, format: &str, seconds: f64, rate: u32, channels: u16) {
    let path = audio(name);
    let (result, wav) = render(path.to_str().expect("utf-8 path"), None, None);
    let report = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(report.format, format, "{name}");
    assert_eq!(report.sample_rate, rate, "{name}: sample rate");
    assert_eq!(report.channels, channels, "{name}: channels");
    assert!(
        (report.seconds_played - seconds).abs() <= 0.1,
        "{name}: decoded {:.3} s, README says {seconds} s",
        report.seconds_played
    );
    let wav = wav.expect("WAV written");
    assert_eq!(wav.spec.sample_rate, rate, "{name}: WAV rate");
    assert_eq!(wav.spec.channels, channels, "{name}: WAV channels");
    assert_eq!(wav.spec.bits_per_sample, 16);
    assert!(
        (wav.seconds() - report.seconds_played).abs() < 1e-9,
        "{name}: WAV length"
    );
    assert!(wav.rms() > 0.01, "{name}: silent? rms {}", wav.rms());
}

#[test]
fn jingle_mp3() {
    check_sample("jingle.mp3", "MP3", 3.03, 44_100, 2);
}

#[test]
fn jingle_ogg() {
    check_sample("jingle.ogg", "Ogg Vorbis", 3.00, 44_100, 2);
}

#[test]
fn concert_mp3() {
    check_sample("concert.mp3", "MP3", 60.06, 22_050, 1);
}

#[test]
fn concert_ogg() {
    check_sample("concert.ogg", "Ogg Vorbis", 60.00, 22_050, 1);
}

#[test]
fn sample_flac() {
    check_sample("sample.flac", "FLAC", 2.00, 44_100, 1);
}

#[test]
fn sample_wav() {
    check_sample("sample.wav", "WAV", 1.00, 8_000, 1);
}

#[test]
fn sample_aac_adts() {
    check_sample("sample.aac", "AAC (ADTS)", 2.04, 44_100, 1);
}

#[test]
fn sample_m4a() {
    check_sample("sample.m4a", "AAC (MP4)", 2.00, 44_100, 2);
}

#[test]
fn concert_renders_two_seconds_of_sound() {
    let (result, wav) = render(
        audio("concert.mp3").to_str().expect("path"),
        Some(2.0),
        None,
    );
    let report = result.expect("play");
    let wav = wav.expect("WAV written");
    assert_eq!(wav.spec.sample_rate, 22_050, "WAV keeps the source rate");
    assert_eq!(wav.spec.channels, 1);
    assert!((wav.seconds() - 2.0).abs() <= 0.05, "{} s", wav.seconds());
    assert!((report.seconds_played - 2.0).abs() <= 0.05);
    assert!(
        wav.rms() > 0.02,
        "the concert is not silent: rms {}",
        wav.rms()
    );
}

#[test]
fn truncated_mp3_plays_what_is_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = std::fs::read(audio("concert.mp3")).expect("sample");
    // 10 000 bytes is ~2.5 s at 32 kbit/s and ends in the middle of a frame.
    let cut = dir.path().join("cut.mp3");
    std::fs::write(&cut, &data[..10_000]).expect("write");
    let (result, wav) = render(cut.to_str().expect("path"), None, None);
    let report = result.expect("a truncated file plays up to the cut");
    assert!(
        (report.seconds_played - 2.5).abs() < 0.15,
        "{}",
        report.seconds_played
    );
    assert!(wav.expect("WAV").rms() > 0.02);

    // Cut inside the first frame's header: nothing decodable, a clear error, no panic.
    let stub = dir.path().join("stub.mp3");
    std::fs::write(&stub, &data[..2]).expect("write");
    let (result, wav) = render(stub.to_str().expect("path"), None, None);
    match result {
        Err(PlayerError::Decode { origin, detail }) => {
            assert!(origin.ends_with("stub.mp3"), "{origin}");
            assert!(detail.contains("ended before any audio"), "{detail}");
            assert!(detail.contains("ff f3"), "names the bytes found: {detail}");
        }
        other => panic!("expected a Decode error, got {other:?}"),
    }
    assert!(wav.is_none(), "no WAV file when nothing decoded");
}

#[test]
fn text_and_empty_files_are_named_in_the_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes.mp3");
    std::fs::write(&notes, "Setlist for tonight:\n1. Intro\n2. Encore\n").expect("write");
    let err = play(notes.to_str().expect("path"), wav_opts(dir.path())).expect_err("text");
    let msg = err.to_string();
    assert!(
        matches!(err, PlayerError::UnsupportedFormat { .. }),
        "{msg}"
    );
    assert!(
        msg.contains("plain text") && msg.contains("Setlist"),
        "{msg}"
    );

    let empty = dir.path().join("empty.ogg");
    std::fs::write(&empty, b"").expect("write");
    let err = play(empty.to_str().expect("path"), wav_opts(dir.path())).expect_err("empty");
    assert!(err.to_string().contains("is empty"), "{err}");
}

#[test]
fn missing_file_and_bad_targets_are_reported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = play("/no/such/concert.mp3", wav_opts(dir.path())).expect_err("missing");
    assert!(matches!(err, PlayerError::File { .. }), "{err:?}");
    assert!(err.to_string().contains("/no/such/concert.mp3"), "{err}");

    let err = play("rtsp://camera.local/stream", wav_opts(dir.path())).expect_err("scheme");
    assert!(
        err.to_string().contains("unsupported scheme rtsp://"),
        "{err}"
    );

    let opts = PlayOptions {
        seconds: Some(-1.0),
        ..wav_opts(dir.path())
    };
    let err = play(audio("jingle.mp3").to_str().expect("path"), opts).expect_err("seconds");
    assert!(matches!(err, PlayerError::InvalidOptions { .. }), "{err:?}");
    assert!(
        !dir.path().join("out.wav").exists(),
        "no output for a refused request"
    );
}

#[cfg(not(feature = "speaker"))]
#[test]
fn without_speaker_feature_the_error_explains_the_alternatives() {
    let err = play(
        audio("jingle.mp3").to_str().expect("path"),
        PlayOptions::default(),
    )
    .expect_err("no speaker in this build");
    assert!(matches!(err, PlayerError::NoSpeaker));
    let msg = err.to_string();
    assert!(msg.contains("--features speaker"), "{msg}");
    assert!(msg.contains("libasound2-dev"), "{msg}");
    assert!(msg.contains("--out FILE.wav"), "{msg}");
}

fn wav_opts(dir: &std::path::Path) -> PlayOptions {
    PlayOptions {
        out_wav: Some(dir.join("out.wav")),
        ..PlayOptions::default()
    }
}
