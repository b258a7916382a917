//! `onair import` as a user runs it: idempotent, all-or-nothing, and safe to kill.

use std::path::Path;
use std::process::Command;

fn onair() -> Command {
    Command::new(env!("CARGO_BIN_EXE_onair"))
}

fn schedule() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schedule.json")
}

fn run(args: &[&str]) -> (bool, String) {
    let out = onair().args(args).output().expect("run onair");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

fn event_count(dir: &Path) -> usize {
    use onair::store::Store;
    onair::store::SledStore::open(dir)
        .expect("open")
        .event_count()
        .expect("count")
}

#[test]
fn importing_the_same_file_twice_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let file = schedule();
    let (ok, first) = run(&[
        "import",
        file.to_str().expect("path"),
        "--data-dir",
        data.to_str().expect("path"),
    ]);
    assert!(ok, "{first}");
    assert!(
        first.contains("22 added, 0 updated, 0 unchanged, 0 removed, 0 rejected"),
        "{first}"
    );
    let (ok, second) = run(&[
        "import",
        file.to_str().expect("path"),
        "--data-dir",
        data.to_str().expect("path"),
    ]);
    assert!(ok, "{second}");
    assert!(
        second.contains("0 added, 0 updated, 22 unchanged, 0 removed"),
        "{second}"
    );
}

#[test]
fn one_bad_record_imports_nothing_and_names_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let text = std::fs::read_to_string(schedule()).expect("read");
    let bad = text.replacen(
        "\"start\": \"2026-11-22T20:00:00Z\", \"end\": \"2026-11-22T22:00:00Z\"",
        "\"start\": \"2026-11-22T20:00:00Z\", \"end\": \"2026-11-22T19:00:00Z\"",
        1,
    );
    assert_ne!(bad, text, "the fixture changed; update this test");
    let file = dir.path().join("bad.json");
    std::fs::write(&file, bad).expect("write");
    let (ok, out) = run(&[
        "import",
        file.to_str().expect("path"),
        "--data-dir",
        data.to_str().expect("path"),
    ]);
    assert!(!ok, "{out}");
    assert!(out.contains("events[7] (id \"ev-beyonce\")"), "{out}");
    assert!(out.contains("ends"), "{out}");
    assert_eq!(event_count(&data), 0);
}

#[test]
fn unknown_field_and_missing_file_are_clear_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let file = dir.path().join("typo.json");
    std::fs::write(&file, r#"{"events": [], "stattions": []}"#).expect("write");
    let (ok, out) = run(&[
        "import",
        file.to_str().expect("path"),
        "--data-dir",
        data.to_str().expect("path"),
    ]);
    assert!(!ok);
    assert!(out.contains("stattions"), "{out}");
    let (ok, out) = run(&[
        "import",
        "/nonexistent/schedule.json",
        "--data-dir",
        data.to_str().expect("path"),
    ]);
    assert!(!ok);
    assert!(out.contains("/nonexistent/schedule.json"), "{out}");
}

/// A schedule big enough that an import takes a noticeable time.
fn big_schedule(path: &Path, n: usize, title: &str) {
    let mut out = String::from("{\"events\": [\n");
    for i in 0..n {
        let h = i % 1000;
        out.push_str(&format!(
            "{{\"id\": \"ev-{i}\", \"title\": \"{title} {i}\", \"start\": \"2026-12-{:02}T{:02}:00:00Z\", \"end\": \"2026-12-{:02}T{:02}:30:00Z\", \"performers\": [\"Artist {h}\"]}}{}\n",
            1 + (i / 24) % 28, i % 24, 1 + (i / 24) % 28, i % 24,
            if i + 1 < n { "," } else { "" }
        ));
    }
    out.push_str("]}\n");
    std::fs::write(path, out).expect("write");
}

#[test]
fn killing_an_import_leaves_the_old_data() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("data");
    let file = dir.path().join("feed.json");
    big_schedule(&file, 2_000, "Old");
    let (ok, out) = run(&[
        "import",
        file.to_str().expect("path"),
        "--data-dir",
        data.to_str().expect("path"),
    ]);
    assert!(ok, "{out}");
    // The same source, now with more and renamed events: an import that takes a while.
    big_schedule(&file, 60_000, "New");
    let mut child = onair()
        .args([
            "import",
            file.to_str().expect("path"),
            "--data-dir",
            data.to_str().expect("path"),
        ])
        .spawn()
        .expect("spawn");
    std::thread::sleep(std::time::Duration::from_millis(700));
    let finished_before_kill = child.try_wait().expect("wait").is_some();
    let _ = child.kill();
    let _ = child.wait();
    let count = event_count(&data);
    // Old or new, never a mixture.
    assert!(
        count == 2_000 || count == 60_000,
        "store holds {count} events after a kill"
    );
    if !finished_before_kill {
        eprintln!("killed mid-import; store kept {count} events");
    }
    use onair::store::Store;
    let store = onair::store::SledStore::open(&data).expect("open");
    let sample = store.event("ev-1").expect("read").expect("present");
    let expected = if count == 2_000 { "Old 1" } else { "New 1" };
    assert_eq!(sample.title, expected);
}
