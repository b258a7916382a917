//! The `onair import` command, run as the built binary.

use crate::helpers::data;
use onair::store::{SledStore, Store};
use std::process::{Command, Output};

fn onair(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_onair"))
        .args(args)
        .env_remove("ONAIR_DATA_DIR")
        .output()
        .expect("run onair")
}

fn path(p: &std::path::Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn import_prints_a_summary_with_each_rejection() {
    let dir = tempfile::tempdir().expect("tmp");
    let guide = data("guide.xml");
    let out = onair(&[
        "import",
        path(&guide),
        "--data-dir",
        path(dir.path()),
        "--tz",
        "Europe/Paris",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(": 10 added, 0 updated, 0 unchanged, 0 removed, 3 rejected"),
        "{stdout}"
    );
    assert!(stdout.contains("rejected programme #9 (line "), "{stdout}");
    // Not a terminal: no progress bar escape codes.
    assert!(!stdout.contains('\u{1b}'));
    let store = SledStore::open(dir.path()).expect("open");
    assert_eq!(store.event_count().expect("count"), 7);
}

#[test]
fn dry_run_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = onair(&[
        "import",
        path(&data("events.ics")),
        "--data-dir",
        path(dir.path()),
        "--dry-run",
        "--horizon",
        "10",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.starts_with("dry run, nothing written."), "{stdout}");
    let store = SledStore::open(dir.path()).expect("open");
    assert_eq!(store.event_count().expect("count"), 0);
}

#[test]
fn nothing_usable_exits_non_zero_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.m3u");
    std::fs::write(
        &bad,
        "#EXTM3U\n#EXTINF:-1,Only FTP\nftp://x.example/a.mp3\n",
    )
    .expect("write");
    let out = onair(&[
        "import",
        path(&bad),
        "--data-dir",
        path(&dir.path().join("d")),
    ]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("nothing usable"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("rejected line 3"));

    let unknown = dir.path().join("notes.txt");
    std::fs::write(&unknown, "just some notes\n").expect("write");
    let out = onair(&[
        "import",
        path(&unknown),
        "--data-dir",
        path(&dir.path().join("d")),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unrecognised format"));
}

#[tokio::test]
async fn imports_from_a_url() {
    let guide = std::fs::read(data("guide.xml")).expect("read");
    let app = axum::Router::new().route(
        "/feeds/guide.xml",
        axum::routing::get(move || {
            let body = guide.clone();
            async move { body }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    let dir = tempfile::tempdir().expect("tmp");
    let url = format!("http://{addr}/feeds/guide.xml");
    let data_dir = dir.path().to_path_buf();
    let out = tokio::task::spawn_blocking(move || {
        onair(&[
            "import",
            &url,
            "--data-dir",
            path(&data_dir),
            "--format",
            "xmltv",
        ])
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("10 added"), "{stdout}");
    let store = SledStore::open(dir.path()).expect("open");
    let source = format!("http://{addr}/feeds/guide.xml");
    assert_eq!(store.source_counts(&source).expect("counts"), (3, 7, 0));
}
