//! `onair simulate`: fixture requests in, response JSON out; bad input refused with exit 2.

use super::helpers::{path, root, run, run_with_stdin, seeded_data_dir};
use serde_json::Value;

fn fixture(case: &str, file: &str) -> std::path::PathBuf {
    root().join("tests/fixtures").join(case).join(file)
}

#[test]
fn a_fixture_request_gives_its_golden_response() {
    let data = seeded_data_dir();
    let request = fixture("whats_on_tonight_en_us", "request.json");
    let out = run(&[
        "simulate",
        path(&request),
        "--data-dir",
        path(data.path()),
        "--tz",
        "America/New_York",
    ])
    .ok()
    .stdout;
    let got: Value = serde_json::from_str(&out).expect("response JSON");
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("whats_on_tonight_en_us", "response.json"))
            .expect("golden file"),
    )
    .expect("golden JSON");
    assert_eq!(got, want);
}

#[test]
fn standard_input_works_too() {
    let data = seeded_data_dir();
    let body = std::fs::read_to_string(fixture("play_live_concert_en_us", "request.json"))
        .expect("fixture");
    let out = run_with_stdin(&["simulate", "-", "--data-dir", path(data.path())], &body)
        .ok()
        .stdout;
    let got: Value = serde_json::from_str(&out).expect("response JSON");
    let stream = &got["response"]["directives"][0]["audioItem"]["stream"];
    assert_eq!(stream["url"], "https://streams.example.org/radiohead.mp3");
}

#[test]
fn a_body_that_is_not_an_envelope_exits_2_naming_the_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = dir.path().join("bad.json");
    std::fs::write(
        &file,
        r#"{"version": "1.0", "request": {"type": "IntentRequest", "timestamp": "2026-11-21T19:04:05Z"}}"#,
    )
    .expect("write");
    let data = dir.path().join("data");
    let out = run(&["simulate", path(&file), "--data-dir", path(&data)]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("not a request envelope"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("requestId"), "{}", out.stderr);
    assert!(
        !data.exists(),
        "a refused file must not create a data directory"
    );

    std::fs::write(&file, "this is not JSON").expect("write");
    let out = run(&["simulate", path(&file), "--data-dir", path(&data)]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("not valid JSON"), "{}", out.stderr);

    std::fs::write(&file, r#"{"version": "1.0", "context": {"System": {"device": {"supportedInterfaces": "AudioPlayer"}}}, "request": {"type": "LaunchRequest", "requestId": "r", "timestamp": "2026-11-21T19:04:05Z"}}"#).expect("write");
    let out = run(&["simulate", path(&file), "--data-dir", path(&data)]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("context.System.device.supportedInterfaces"),
        "{}",
        out.stderr
    );
}
