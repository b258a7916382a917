//! `onair play`: rendering to WAV, and clear refusals.

use super::helpers::{path, root, run, wav_seconds};

#[test]
fn one_second_of_the_jingle_into_a_wav_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let wav = dir.path().join("x.wav");
    let jingle = root().join("audio/jingle.mp3");
    let out = run(&["play", path(&jingle), "--out", path(&wav), "--seconds", "1"])
        .ok()
        .stdout;
    for expected in [
        "format      MP3",
        "sample rate 44100 Hz",
        "channels    2",
        "played      1.00 s",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    assert!((wav_seconds(&wav) - 1.0).abs() < 0.01);
}

#[test]
fn a_text_file_is_refused_naming_what_it_is() {
    let dir = tempfile::tempdir().expect("tmp");
    let text = dir.path().join("notes.mp3");
    std::fs::write(&text, "These are notes, not audio.\n").expect("write");
    let out = run(&[
        "play",
        path(&text),
        "--out",
        path(&dir.path().join("x.wav")),
    ]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("unsupported format"), "{}", out.stderr);
    assert!(out.stderr.contains("plain text"), "{}", out.stderr);
}

#[cfg(not(feature = "speaker"))]
#[test]
fn without_the_speaker_feature_it_says_how_to_get_it() {
    let jingle = root().join("audio/jingle.mp3");
    let out = run(&["play", path(&jingle)]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("--features speaker"), "{}", out.stderr);
    assert!(out.stderr.contains("libasound2-dev"), "{}", out.stderr);
    assert!(out.stderr.contains("--out"), "{}", out.stderr);
}
