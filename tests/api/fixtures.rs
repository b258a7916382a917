//! Golden fixtures: `tests/fixtures/<case>/request.json` is posted to the real server, and the
//! reply must equal `response.json` as JSON. Stream tokens carry a random nonce; the declared
//! masking rule replaces exactly that nonce with `<nonce>` on both sides, nothing else.
//!
//! Re-record after a reviewed change: `ONAIR_BLESS=1 cargo test --test api fixtures`.

use crate::helpers::{fixtures_dir, spawn_app, AppOptions};
use serde::Deserialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Optional per-case set-up.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Case {
    /// Default (device) time zone of the server.
    #[serde(default)]
    timezone: Option<String>,
    /// Schedule file relative to tests/fixtures, or null for an empty store.
    #[serde(default = "default_schedule")]
    schedule: Option<String>,
    /// Listener state of the request's user before the request.
    #[serde(default)]
    listener: Option<Value>,
    /// What the case shows, for reviewers.
    #[serde(default)]
    #[allow(dead_code)]
    about: Option<String>,
    /// When a recorded case (`onair serve --record`) was received, for reviewers; the request's
    /// own timestamp is the skill's "now".
    #[serde(default)]
    #[allow(dead_code)]
    time: Option<String>,
}

fn default_schedule() -> Option<String> {
    Some("schedule.json".into())
}

/// Replaces the nonce of onair stream tokens (`onair1.<kind>.<16 hex>.<id>`) with `<nonce>`.
pub fn mask(value: &mut Value) {
    match value {
        Value::String(s) => {
            let parts: Vec<&str> = s.splitn(4, '.').collect();
            if let [version, kind, nonce, id] = parts.as_slice() {
                if *version == "onair1"
                    && nonce.len() == 16
                    && nonce.bytes().all(|b| b.is_ascii_hexdigit())
                {
                    *s = format!("{version}.{kind}.<nonce>.{id}");
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        Value::Object(map) => map.values_mut().for_each(mask),
        _ => {}
    }
}

fn cases() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("request.json").is_file())
        .collect();
    dirs.sort();
    dirs
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn run_case(dir: &Path) -> Result<(), String> {
    let case: Case = match std::fs::read_to_string(dir.join("case.json")) {
        Ok(text) => serde_json::from_str(&text).map_err(|e| format!("case.json: {e}"))?,
        Err(_) => Case {
            schedule: default_schedule(),
            ..Case::default()
        },
    };
    let app = spawn_app(AppOptions {
        timezone: case.timezone.clone().unwrap_or_else(|| "UTC".into()),
        schedule: case.schedule.as_ref().map(|s| fixtures_dir().join(s)),
        ..AppOptions::default()
    })
    .await;
    let request = read_json(&dir.join("request.json"));
    if let Some(state) = &case.listener {
        let state: onair::store::ListenerState = serde_json::from_value(state.clone())
            .map_err(|e| format!("case.json listener: {e}"))?;
        let user = request["context"]["System"]["user"]["userId"]
            .as_str()
            .unwrap_or_default();
        let key = onair::privacy::user_key(user);
        onair::store::Store::update_listener(app.store.as_ref(), &key, &mut |s| *s = state.clone())
            .map_err(|e| e.to_string())?;
    }
    let (status, mut actual) = app.post(&request).await;
    app.stop().await;
    if status != 200 {
        return Err(format!("HTTP {status}: {actual}"));
    }
    mask(&mut actual);
    let expected_path = dir.join("response.json");
    if std::env::var_os("ONAIR_BLESS").is_some() {
        let text = serde_json::to_string_pretty(&actual).map_err(|e| e.to_string())? + "\n";
        std::fs::write(&expected_path, text).map_err(|e| e.to_string())?;
        return Ok(());
    }
    if !expected_path.exists() {
        return Err("no response.json; record it with ONAIR_BLESS=1".into());
    }
    let mut expected = read_json(&expected_path);
    mask(&mut expected);
    if expected != actual {
        let e = serde_json::to_string_pretty(&expected).unwrap_or_default();
        let a = serde_json::to_string_pretty(&actual).unwrap_or_default();
        return Err(format!("{}", pretty_assertions::StrComparison::new(&e, &a)));
    }
    Ok(())
}

#[tokio::test]
async fn fixtures_match_their_recorded_responses() {
    let cases = cases();
    assert!(
        cases.len() >= 12,
        "expected the fixture cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for dir in &cases {
        if let Err(diff) = run_case(dir).await {
            let name = dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            failures.push(format!("--- {name} (expected left, actual right)\n{diff}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn masking_touches_only_token_nonces() {
    let mut v = serde_json::json!({
        "token": "onair1.e.0123456789abcdef.ev-1",
        "other": "onair1.e.not-a-nonce.ev-1",
        "list": ["onair1.s.fedcba9876543210.radio.nova"]
    });
    mask(&mut v);
    assert_eq!(v["token"], "onair1.e.<nonce>.ev-1");
    assert_eq!(v["other"], "onair1.e.not-a-nonce.ev-1");
    assert_eq!(v["list"][0], "onair1.s.<nonce>.radio.nova");
}

#[tokio::test]
async fn a_recorded_case_replays_with_this_harness() {
    // What `onair serve --record` writes for a live exchange must be a valid fixture case.
    let source = fixtures_dir().join("play_radiohead_live_en_us");
    let request = read_json(&source.join("request.json"));
    let app = spawn_app(AppOptions::default()).await;
    let (status, answer) = app.post(&request).await;
    app.stop().await;
    assert_eq!(status, 200);
    let body = serde_json::to_vec(&request).expect("bytes");
    let envelope = onair::alexa::RequestEnvelope::from_slice(&body).expect("envelope");
    let response: onair::alexa::ResponseEnvelope =
        serde_json::from_value(answer).expect("response");
    let out = tempfile::tempdir().expect("tmp");
    let recorder = onair::devtools::record::Recorder::new(onair::devtools::record::RecordOptions {
        dir: out.path().to_path_buf(),
        max_cases: 10,
        max_bytes: 1 << 20,
        timezone: "UTC".into(),
    });
    let listener = serde_json::json!({"last_event": "ev-news"});
    let case = recorder
        .prepare(&envelope, &body, &response, Some(listener))
        .expect("recorded");
    case.write().expect("written");
    run_case(&case.dir)
        .await
        .unwrap_or_else(|diff| panic!("the recorded case does not replay:\n{diff}"));
}
