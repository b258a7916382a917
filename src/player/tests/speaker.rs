//! Sound-card output (feature `speaker`), against ALSA's `null` device so it
//! runs on machines without audio hardware.
//!
//! ALSA reads `~/.asoundrc`, so the outer test re-runs this test binary with
//! `HOME` pointing at a temp dir whose `.asoundrc` makes the default PCM a
//! null sink. A child process keeps the environment change away from the
//! other tests running in parallel.

use std::process::Command;
use std::time::{Duration, Instant};

use super::super::{play, PlayOptions};
use super::support::audio;

const MARKER: &str = "ONAIR_PLAYER_SPEAKER_CHILD";

#[test]
fn plays_one_second_of_jingle_to_alsa_null_device() {
    let home = tempfile::tempdir().expect("temp HOME");
    std::fs::write(
        home.path().join(".asoundrc"),
        "pcm.!default { type null }\n",
    )
    .expect("write .asoundrc");
    let exe = std::env::current_exe().expect("test binary");
    // Test names are module paths without the crate name.
    let module = module_path!().split_once("::").map_or("", |(_, rest)| rest);
    let inner = format!("{module}::inner_plays_to_default_device");
    let output = Command::new(exe)
        .args([
            inner.as_str(),
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("HOME", home.path())
        .env(MARKER, "1")
        .output()
        .expect("run child test");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("1 passed"),
        "child did not run the test:\n{stdout}"
    );
}

#[test]
#[ignore = "run by plays_one_second_of_jingle_to_alsa_null_device with a null ALSA config"]
fn inner_plays_to_default_device() {
    assert!(
        std::env::var_os(MARKER).is_some(),
        "run through the outer test"
    );
    let start = Instant::now();
    let opts = PlayOptions {
        seconds: Some(1.0),
        ..PlayOptions::default()
    };
    let report = play(audio("jingle.mp3").to_str().expect("path"), opts).expect("play to speaker");
    let elapsed = start.elapsed();
    println!("played {report:?} in {elapsed:?}");
    assert_eq!(report.format, "MP3");
    assert!((report.seconds_played - 1.0).abs() < 1e-9);
    assert!(elapsed < Duration::from_secs(10));
}
