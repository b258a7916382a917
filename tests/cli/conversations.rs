//! `onair test`: the shipped example conversations pass, a wrong expectation prints where and
//! what differs, bad scripts fail with one clear error naming file and line, JUnit for CI.

use super::helpers::{path, root, run};
use std::io::Write;

fn script(dir: &tempfile::TempDir, name: &str, text: &str) -> std::path::PathBuf {
    let file = dir.path().join(name);
    let mut f = std::fs::File::create(&file).expect("create script");
    f.write_all(text.as_bytes()).expect("write script");
    file
}

fn schedule() -> String {
    root().join("examples/schedule.json").display().to_string()
}

#[test]
fn the_examples_pass() {
    let out = run(&["test", "examples/"]);
    assert_eq!(
        out.code, 0,
        "stdout:\n{}\nstderr:\n{}",
        out.stdout, out.stderr
    );
    assert!(
        out.stdout.contains(" 0 failed, 0 unreadable"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("FAIL"), "{}", out.stdout);
    let passes = out.stdout.matches("PASS  examples/").count();
    assert!(
        passes >= 10,
        "expected every example to run:\n{}",
        out.stdout
    );
}

#[test]
fn a_wrong_expectation_names_file_turn_and_field() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = script(
        &dir,
        "wrong.yaml",
        &format!(
            "name: wrong on purpose\nat: 2026-11-21T19:04:05Z\nschedule: {}\nturns:\n  - say: open on air\n  - say: play radio nova\n    expect:\n      speech: {{contains: Absolutely not this}}\n      directives:\n        - type: Play\n          offset_ms: 5\n",
            schedule()
        ),
    );
    let junit = dir.path().join("report.xml");
    let out = run(&["test", path(&file), "--junit", path(&junit)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let at = format!("{}:6: turn 2 (say \"play radio nova\")", file.display());
    assert!(
        out.stdout.contains(&format!("{at}, speech:")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("expected: contains \"Absolutely not this\""),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("actual:   \"Here's Radio Nova"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains(&format!("{at}, directives[0].offset_ms:")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("0 passed, 1 failed"), "{}", out.stdout);
    let xml = std::fs::read_to_string(&junit).expect("junit written");
    assert!(
        xml.contains("<testsuite name=\"onair test\" tests=\"1\" failures=\"1\""),
        "{xml}"
    );
    assert!(xml.contains("<failure message="), "{xml}");
    assert!(xml.contains("wrong on purpose [en-US]"), "{xml}");
}

#[test]
fn malformed_yaml_is_one_error_with_its_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = script(
        &dir,
        "broken.yaml",
        "turns:\n  - say: open on air\n  - say: [unclosed\n",
    );
    let out = run(&["test", path(&file)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let errors: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("ERROR"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stdout);
    assert!(
        errors[0].contains(&format!("{}:", file.display())),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("malformed YAML"), "{}", errors[0]);
    assert!(out.stdout.contains("1 unreadable"), "{}", out.stdout);
}

#[test]
fn an_unknown_assertion_key_is_named_with_its_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = script(
        &dir,
        "typo.yaml",
        "turns:\n  - say: open on air\n    expect:\n      speach: Welcome\n",
    );
    let out = run(&["test", path(&file)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let line = out
        .stdout
        .lines()
        .find(|l| l.starts_with("ERROR"))
        .unwrap_or_else(|| panic!("no error line:\n{}", out.stdout));
    assert!(line.contains(&format!("{}:4:", file.display())), "{line}");
    assert!(line.contains("speach"), "{line}");
}

#[test]
fn an_event_with_no_player_is_an_error_naming_the_turn() {
    let dir = tempfile::tempdir().expect("tmp");
    let file = script(
        &dir,
        "noplayer.yaml",
        "turns:\n  - say: open on air\n  - event: finished\n",
    );
    let out = run(&["test", path(&file)]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let expected = format!(
        "{}:3: turn 2 (event AudioPlayer.PlaybackFinished): cannot send AudioPlayer.PlaybackFinished: the device's player holds nothing",
        file.display()
    );
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
}

#[test]
fn a_turn_that_times_out_names_its_line() {
    // A server that accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let hold = std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(2) {
            held.push(stream);
            std::thread::sleep(std::time::Duration::from_secs(3));
        }
    });
    let dir = tempfile::tempdir().expect("tmp");
    let file = script(
        &dir,
        "slow.yaml",
        "turns:\n  - say: open on air\n    timeout: 300ms\n",
    );
    let out = run(&["test", path(&file), "--server", &url]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let expected = format!(
        "{}:2: turn 1 (say \"open on air\"): timed out after 300ms",
        file.display()
    );
    assert!(out.stdout.contains(&expected), "{}", out.stdout);
    drop(hold);
}

#[test]
fn usage_errors_exit_2() {
    let out = run(&["test", "no/such/folder"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("no/such/folder: no such file or folder"),
        "{}",
        out.stderr
    );
}
