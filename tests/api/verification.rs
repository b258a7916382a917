//! The real endpoint with verification on: signed requests from a test CA get in, forged ones
//! get 400 and never reach the skill; and HTTPS served by onair itself.

#[path = "../verify/common.rs"]
mod pki;

use onair::config::Settings;
use onair::store::{SledStore, Store};
use std::sync::Arc;

struct Signed {
    base: String,
    store: Arc<SledStore>,
    stop: tokio::sync::oneshot::Sender<()>,
    pki: pki::Pki,
    _dir: tempfile::TempDir,
}

async fn spawn_verifying() -> Signed {
    let pki = pki::Pki::new();
    let dir = tempfile::tempdir().expect("tmp");
    let store = Arc::new(SledStore::open(dir.path()).expect("store"));
    let verifier = pki::verifier(pki.config(), pki::MemorySource::serving(&pki.genuine));
    let settings = Settings::default();
    let state = onair::service::state_with(
        &settings,
        store.clone(),
        Some(Arc::new(verifier)),
        Arc::new(pki::now),
    )
    .expect("state");
    let running = crate::helpers::serve(state).await;
    let (base, stop) = (running.base, running.stop);
    Signed {
        base,
        store,
        stop,
        pki,
        _dir: dir,
    }
}

/// A signed-style body without `apiAccessToken`, so the skill never calls the Alexa APIs (tests
/// talk to loopback only).
fn local_body(request_type: &str) -> Vec<u8> {
    let raw = pki::body(
        request_type,
        serde_json::json!("2026-01-15T12:00:00Z"),
        pki::SKILL,
        Some(pki::SKILL),
    );
    let mut v: serde_json::Value = serde_json::from_slice(&raw).expect("json");
    if let Some(system) = v["context"]["System"].as_object_mut() {
        system.remove("apiAccessToken");
    }
    serde_json::to_vec(&v).expect("json")
}

async fn post(base: &str, headers: reqwest::header::HeaderMap, body: Vec<u8>) -> (u16, String) {
    let r = reqwest::Client::new()
        .post(format!("{base}/alexa"))
        .headers(headers)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("post");
    (r.status().as_u16(), r.text().await.expect("text"))
}

fn signed(cert_url: &str, signature: &str) -> reqwest::header::HeaderMap {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("SignatureCertChainUrl", cert_url.parse().expect("header"));
    h.insert("Signature-256", signature.parse().expect("header"));
    h
}

#[tokio::test]
async fn genuine_requests_pass_and_forged_ones_never_reach_the_skill() {
    let app = spawn_verifying().await;
    let body = local_body("LaunchRequest");
    let (status, text) = post(
        &app.base,
        signed(pki::CERT_URL, &app.pki.sign(&body)),
        body.clone(),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("Welcome"), "{text}");

    let launch = local_body("LaunchRequest");
    // One byte changed inside a string: still valid JSON, no longer what was signed.
    let tampered = String::from_utf8(launch.clone())
        .expect("utf8")
        .replacen("en-US", "en-GB", 1)
        .into_bytes();
    let cases: Vec<(&str, reqwest::header::HeaderMap, Vec<u8>)> = vec![
        (
            "unsigned",
            reqwest::header::HeaderMap::new(),
            launch.clone(),
        ),
        (
            "tampered",
            signed(pki::CERT_URL, &app.pki.sign(&launch)),
            tampered,
        ),
        (
            "rogue key",
            signed(pki::CERT_URL, &app.pki.sign_rogue(&launch)),
            launch.clone(),
        ),
        (
            "bad url",
            signed(
                "https://notamazon.com/echo.api/x.pem",
                &app.pki.sign(&launch),
            ),
            launch.clone(),
        ),
        (
            "garbage body",
            signed(pki::CERT_URL, &app.pki.sign(b"not json")),
            b"not json".to_vec(),
        ),
    ];
    for (name, headers, body) in cases {
        let (status, text) = post(&app.base, headers, body).await;
        assert_eq!(status, 400, "{name}: {text}");
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        // Generic on the wire; the precise reason goes to the log and metrics only.
        assert_eq!(v["error"], "verification_failed", "{name}");
    }
    let metrics = crate::helpers::metrics(&app.base).await;
    assert!(
        metrics.contains("onair_verification_failures_total{reason=\"missing_signature\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("reason=\"malformed_body\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("reason=\"bad_signature\"} 2"), "{metrics}");
    assert!(metrics.contains("reason=\"cert_url_host\"} 1"), "{metrics}");
    assert_eq!(app.store.event_count().expect("count"), 0);
    let _ = app.stop.send(());
}

#[test]
fn serve_refuses_to_verify_without_a_skill_id() {
    let settings = Settings::default();
    let store: Arc<dyn Store> = Arc::new(SledStore::temporary().expect("store"));
    let err = onair::service::state(&settings, store)
        .err()
        .expect("must refuse");
    let message = err.to_string();
    assert!(message.contains("--skill-id"), "{message}");
}

#[tokio::test]
async fn https_is_served_with_the_given_certificate() {
    let dir = tempfile::tempdir().expect("tmp");
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("cert");
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).expect("write");
    std::fs::write(&key_path, cert.key_pair.serialize_pem()).expect("write");
    let store: Arc<dyn Store> = Arc::new(SledStore::temporary().expect("store"));
    let settings = Settings {
        verify: false,
        ..Settings::default()
    };
    let state = onair::service::state(&settings, store).expect("state");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(onair::server::serve_tls(
        listener,
        state,
        cert_path,
        key_path,
        async {
            let _ = rx.await;
        },
    ));
    let client = reqwest::Client::builder()
        .add_root_certificate(
            reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).expect("root"),
        )
        .build()
        .expect("client");
    let body = crate::helpers::Req::launch().at("2026-11-21T19:04:05Z");
    let response = client
        .post(format!("https://localhost:{port}/alexa"))
        .json(&body)
        .send()
        .await
        .expect("https request");
    assert_eq!(response.status(), 200);
    let v: serde_json::Value = response.json().await.expect("json");
    assert!(crate::helpers::speech(&v).contains("Welcome"));
    // Plain HTTP on the TLS port does not get an answer from the skill.
    let plain = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/alexa"))
        .json(&body)
        .send()
        .await;
    assert!(plain.map(|r| r.status() != 200).unwrap_or(true));
    let _ = stop.send(());
    server.await.expect("join").expect("serve_tls");
}
