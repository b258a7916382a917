//! `onair skill-package` writes a deployable ASK CLI project; `onair serve --record` turns
//! real traffic into fixture folders with hashed ids, within its limits.

use super::helpers::{onair, path, root, run};
use serde_json::Value;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

fn read(p: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn skill_package_fills_in_the_endpoint() {
    let out = tempfile::tempdir().expect("tmp");
    let run = run(&[
        "skill-package",
        "--endpoint",
        "https://onair.example.net/alexa",
        "--out",
        path(out.path()),
        "--certificate-type",
        "Wildcard",
        "--skill-id",
        "amzn1.ask.skill.11111111-2222-3333-4444-555555555555",
    ])
    .ok();
    assert!(run.stdout.contains("ask deploy"), "{}", run.stdout);
    let manifest = read(&out.path().join("skill-package/skill.json"));
    let endpoint = &manifest["manifest"]["apis"]["custom"]["endpoint"];
    assert_eq!(endpoint["uri"], "https://onair.example.net/alexa");
    assert_eq!(endpoint["sslCertificateType"], "Wildcard");
    let original = read(&root().join("skill-manifest/skill.json"));
    assert_eq!(
        manifest["manifest"]["publishingInformation"],
        original["manifest"]["publishingInformation"]
    );
    for locale in ["en-US", "en-GB", "fr-FR"] {
        let copy = read(&out.path().join(format!(
            "skill-package/interactionModels/custom/{locale}.json"
        )));
        let source = read(&root().join(format!(
            "skill-manifest/interactionModels/custom/{locale}.json"
        )));
        assert_eq!(copy, source, "{locale}");
    }
    let resources = read(&out.path().join("ask-resources.json"));
    assert_eq!(
        resources["profiles"]["default"]["skillMetadata"]["src"],
        "./skill-package"
    );
    let states = read(&out.path().join(".ask/ask-states.json"));
    assert_eq!(
        states["profiles"]["default"]["skillId"],
        "amzn1.ask.skill.11111111-2222-3333-4444-555555555555"
    );
}

#[test]
fn skill_package_refuses_plain_http_and_bad_ids() {
    let out = tempfile::tempdir().expect("tmp");
    let http = run(&[
        "skill-package",
        "--endpoint",
        "http://onair.example.net/alexa",
        "--out",
        path(out.path()),
    ]);
    assert_eq!(http.code, 2, "{}", http.stderr);
    assert!(
        http.stderr.contains("only calls https://"),
        "{}",
        http.stderr
    );
    let id = run(&[
        "skill-package",
        "--endpoint",
        "https://onair.example.net/alexa",
        "--out",
        path(out.path()),
        "--skill-id",
        "my-skill",
    ]);
    assert_eq!(id.code, 2, "{}", id.stderr);
    assert!(
        !out.path().join("skill-package").exists(),
        "nothing written on bad input"
    );
}

#[test]
fn the_repository_has_an_ask_resources_file() {
    let resources = read(&root().join("ask-resources.json"));
    assert_eq!(
        resources["profiles"]["default"]["skillMetadata"]["src"],
        "./skill-manifest"
    );
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(data: &std::path::Path, extra: &[&str]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut cmd = onair();
    cmd.args([
        "serve",
        "--no-verify",
        "--addr",
        &addr,
        "--data-dir",
        path(data),
    ])
    .args(["--tz", "Europe/Paris"])
    .args(extra)
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    let child = cmd.spawn().expect("spawn serve");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(&addr).is_err() {
        assert!(Instant::now() < deadline, "serve did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Server {
        child,
        base: format!("http://{addr}"),
    }
}

fn post(base: &str, body: &Value) -> Value {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        reqwest::Client::new()
            .post(format!("{base}/alexa"))
            .json(body)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json answer")
    })
}

fn recorded(dir: &std::path::Path, count: usize) -> Vec<std::path::PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut cases: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        cases.retain(|c: &std::path::PathBuf| c.join("case.json").is_file());
        cases.sort();
        if cases.len() >= count || Instant::now() > deadline {
            return cases;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_record_writes_replayable_fixtures_without_raw_ids() {
    let data = super::helpers::seeded_data_dir();
    let record = tempfile::tempdir().expect("tmp");
    let server = serve(
        data.path(),
        &["--record", path(record.path()), "--record-max-cases", "2"],
    );
    let request = read(&root().join("tests/fixtures/play_radiohead_live_en_us/request.json"));
    let answer = post(&server.base, &request);
    let launch = read(&root().join("tests/fixtures/launch_en_us/request.json"));
    post(&server.base, &launch);
    post(&server.base, &launch);
    let cases = recorded(record.path(), 2);
    std::thread::sleep(Duration::from_millis(300));
    drop(server);
    let cases_after = recorded(record.path(), 3);
    assert_eq!(cases.len(), 2, "bounded by --record-max-cases: {cases:?}");
    assert_eq!(cases_after.len(), 2, "the third request is not recorded");
    let first = &cases[0];
    let req_text = std::fs::read_to_string(first.join("request.json")).expect("request");
    assert!(!req_text.contains("FIXTUREUSER"), "{req_text}");
    assert!(!req_text.contains("FIXTUREDEVICE"), "{req_text}");
    assert!(
        req_text.contains("amzn1.ask.account.RECORDED"),
        "{req_text}"
    );
    assert_eq!(read(&first.join("response.json")), answer);
    let case = read(&first.join("case.json"));
    assert_eq!(case["timezone"], "Europe/Paris");
    assert_eq!(case["time"], "2026-11-21T19:04:05Z");
    assert!(
        case.get("listener").is_none(),
        "a new listener has no stored state"
    );
    // The launch came after the Play: its case holds the listener's state (what was played).
    let second = read(&cases[1].join("case.json"));
    assert_eq!(second["listener"]["last_event"], "ev-radiohead", "{second}");
    // Replays: the recorded request gets the recorded answer from the same schedule.
    let replay = run(&[
        "simulate",
        path(&first.join("request.json")),
        "--data-dir",
        path(data.path()),
        "--tz",
        "Europe/Paris",
    ])
    .ok();
    let replayed: Value = serde_json::from_str(&replay.stdout).expect("JSON");
    let speech = |v: &Value| v["response"]["outputSpeech"].clone();
    assert_eq!(speech(&replayed), speech(&answer));
}

#[test]
fn conversation_scripts_run_against_a_server() {
    let data = tempfile::tempdir().expect("tmp");
    let schedule = root().join("examples/schedule.json");
    run(&["import", path(&schedule), "--data-dir", path(data.path())]).ok();
    let server = serve(data.path(), &[]);
    let out = run(&[
        "test",
        "examples/whats-on-then-play.yaml",
        "--server",
        &server.base,
    ]);
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(out.stdout.contains("are not applied"), "{}", out.stdout);
    assert!(out.stdout.contains("2 passed, 0 failed"), "{}", out.stdout);
}
