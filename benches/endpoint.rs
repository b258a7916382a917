//! Throughput of `POST /alexa` with and without signature verification (cached chain), through
//! the real router with no socket, so the figure is onair's own cost. Target: with verification
//! at least 80 % of the throughput without.
#![allow(missing_docs)]

#[path = "../tests/verify/common.rs"]
mod pki;

use axum::body::Body;
use axum::http::Request;
use jiff::ToSpan;
use onair::config::Settings;
use onair::schedule::{Event, EventKind, EventSpec, Station, StationSpec};
use onair::store::ImportBatch;
use onair::store::{SledStore, Store};
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

const REQUESTS: usize = 4_000;

/// A signed-style body; `intent` turns the LaunchRequest into that IntentRequest.
fn body(intent: Option<&str>) -> Vec<u8> {
    let kind = if intent.is_some() {
        "IntentRequest"
    } else {
        "LaunchRequest"
    };
    let raw = pki::body(
        kind,
        serde_json::json!("2026-01-15T12:00:00Z"),
        pki::SKILL,
        Some(pki::SKILL),
    );
    let mut v: serde_json::Value = serde_json::from_slice(&raw).expect("json");
    if let Some(name) = intent {
        v["request"]["intent"] =
            serde_json::json!({"name": name, "confirmationStatus": "NONE", "slots": {}});
    }
    // No API token: the benchmark measures onair, not a Settings API round trip.
    if let Some(system) = v["context"]["System"].as_object_mut() {
        system.remove("apiAccessToken");
    }
    serde_json::to_vec(&v).expect("json")
}

/// 20 stations with hour-long programmes around the requests' timestamp.
fn schedule() -> ImportBatch {
    let base: jiff::Timestamp = "2026-01-15T00:00:00Z".parse().expect("ts");
    let stations = (0..20)
        .map(|i| {
            Station::try_from(StationSpec {
                id: format!("st-{i}"),
                name: format!("Station {i}"),
                stream_url: Some(format!("https://example.org/{i}.mp3")),
                ..Default::default()
            })
            .expect("station")
        })
        .collect();
    let events = (0..20 * 48)
        .map(|i: i64| {
            let start = base.checked_add((i / 20).hours()).expect("time");
            Event::try_from(EventSpec {
                id: format!("ev-{i}"),
                title: format!("Programme {i}"),
                kind: EventKind::Concert,
                performers: vec![format!("Artist {}", i % 50)],
                station: Some(format!("st-{}", i % 20)),
                genres: vec!["jazz".into()],
                start,
                end: start.checked_add(1.hour()).expect("time"),
                stream_url: None,
                description: None,
                image: None,
                language: None,
            })
            .expect("event")
        })
        .collect();
    ImportBatch {
        source: "bench".into(),
        stations,
        events,
        ..Default::default()
    }
}

async fn run(router: axum::Router, body: &[u8], headers: &[(&str, String)]) -> f64 {
    let started = Instant::now();
    for _ in 0..REQUESTS {
        let mut req = Request::post("/alexa").header("content-type", "application/json");
        for (k, v) in headers {
            req = req.header(*k, v);
        }
        let response = router
            .clone()
            .oneshot(req.body(Body::from(body.to_vec())).expect("request"))
            .await
            .expect("response");
        assert_eq!(response.status(), 200);
    }
    REQUESTS as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let pki = pki::Pki::new();
        let store: Arc<dyn Store> = Arc::new(SledStore::temporary().expect("store"));
        store.import(schedule(), false).expect("schedule");
        let settings = Settings::default();
        let verifier = Arc::new(pki::verifier(pki.config(), pki::MemorySource::serving(&pki.genuine)));
        let with = onair::server::app(
            onair::service::state_with(&settings, store.clone(), Some(verifier), Arc::new(pki::now)).expect("state"),
        );
        let without = onair::server::app(
            onair::service::state_with(&settings, store, None, Arc::new(pki::now)).expect("state"),
        );
        // A trivial request (the worst case for the ratio) and a typical one that reads the
        // schedule ("what's on": live events and the next hours on 20 stations).
        for (label, body) in [("LaunchRequest", body(None)), ("WhatsOnIntent", body(Some("WhatsOnIntent")))] {
            let headers = vec![
                ("SignatureCertChainUrl", pki::CERT_URL.to_string()),
                ("Signature-256", pki.sign(&body)),
            ];
            // Warm-up: fills the chain cache and the allocator.
            run(with.clone(), &body, &headers).await;
            run(without.clone(), &body, &[]).await;
            let mut ratios = Vec::new();
            for round in 1..=3 {
                let plain = run(without.clone(), &body, &[]).await;
                let verified = run(with.clone(), &body, &headers).await;
                println!("{label} round {round}: without verification {plain:8.0} req/s, with {verified:8.0} req/s, ratio {:.2}", verified / plain);
                ratios.push(verified / plain);
            }
            ratios.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            println!("{label}: median ratio with/without verification {:.2} (target >= 0.80)", ratios[1]);
        }
    });
}
