//! What's on, play-artist and name resolution at 1k / 100k / 1M events on schedules as dense as
//! the peer harness's (hundreds to thousands of events live at once), plus a directory-sized
//! variant with 5,000 stations. Every figure goes through the real router and the index-backed
//! store, as `onair serve` answers. The answers must cost O(log n + page): the 1M figure should
//! stay within 1.1x of the 1k figure.
//!
//! Stores are built once by child processes (sled's memory grows with what one process writes)
//! and kept under `target/bench-stores/`; delete that folder to rebuild them.
//! `ONAIR_BENCH_SIZES=1000,100000` narrows the sizes, `ONAIR_BENCH_VARIANTS=dense` the variants.
#![allow(missing_docs)]

#[path = "support/dense.rs"]
mod dense;

use axum::body::Body;
use axum::http::Request;
use criterion::{criterion_group, Criterion};
use onair::config::Settings;
use onair::store::{IndexedStore, NameKind, SledStore, Store};
use serde_json::{json, Value};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];
/// Events per child process when building a store.
const EVENTS_PER_CHILD: usize = 100_000;
/// Events per import (one source each).
const EVENTS_PER_IMPORT: usize = 25_000;

/// A schedule shape: how many stations the events spread over.
#[derive(Clone, Copy)]
struct Variant {
    name: &'static str,
    stations: usize,
}

const VARIANTS: [Variant; 2] = [
    Variant {
        name: "dense",
        stations: 20,
    },
    Variant {
        name: "stations",
        stations: 5_000,
    },
];

fn list_from_env<T: std::str::FromStr>(var: &str) -> Option<Vec<T>> {
    std::env::var(var)
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<T>| !v.is_empty())
}

fn sizes() -> Vec<usize> {
    list_from_env("ONAIR_BENCH_SIZES").unwrap_or_else(|| SIZES.to_vec())
}

fn variants() -> Vec<Variant> {
    let wanted: Option<Vec<String>> = list_from_env("ONAIR_BENCH_VARIANTS");
    VARIANTS
        .into_iter()
        .filter(|v| {
            wanted
                .as_ref()
                .is_none_or(|w| w.iter().any(|n| n == v.name))
        })
        .collect()
}

/// `VmHWM` / `VmRSS` of this process, in MiB.
fn memory_mib(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Child mode: writes events `from..to` of a schedule over `stations` stations into `dir`.
fn build_chunk(dir: &Path, from: usize, to: usize, stations: usize) {
    let store = SledStore::open(dir).expect("store");
    if from == 0 {
        let mut import = store.begin_import("stations", false).expect("import");
        for station in dense::stations(stations) {
            import.station(station).expect("stage");
        }
        import.commit().expect("commit");
    }
    let mut i = from;
    while i < to {
        let end = (i + EVENTS_PER_IMPORT).min(to);
        let mut import = store
            .begin_import(&format!("part-{i}"), false)
            .expect("import");
        for n in i..end {
            import.event(dense::event(n, stations)).expect("stage");
        }
        import.commit().expect("commit");
        i = end;
    }
    store.flush().expect("flush");
}

/// The cached store of `n` events of `variant`, built if missing.
fn store_dir(variant: Variant, n: usize) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-stores");
    let dir = root.join(format!("{}-v1-{}st-{n}", variant.name, variant.stations));
    let done = dir.join("built");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("store dir");
    let started = Instant::now();
    let exe = std::env::current_exe().expect("bench binary");
    let mut from = 0;
    while from < n {
        let to = (from + EVENTS_PER_CHILD).min(n);
        let status = std::process::Command::new(&exe)
            .arg("--build-chunk")
            .arg(&dir)
            .args([
                from.to_string(),
                to.to_string(),
                variant.stations.to_string(),
            ])
            .status()
            .expect("child");
        assert!(status.success(), "building events {from}..{to} failed");
        from = to;
    }
    std::fs::write(&done, b"").expect("marker");
    eprintln!(
        "built {} store of {n} events in {:.1} s",
        variant.name,
        started.elapsed().as_secs_f64()
    );
    dir
}

/// An IntentRequest envelope at the harness's "now".
fn intent(name: &str, slots: Value) -> Vec<u8> {
    let env = json!({
        "version": "1.0",
        "session": {"new": false, "sessionId": "amzn1.echo-api.session.bench",
            "application": {"applicationId": "amzn1.ask.skill.bench"}, "attributes": {},
            "user": {"userId": "amzn1.ask.account.BENCHUSER0001"}},
        "context": {"AudioPlayer": {"playerActivity": "IDLE"}, "System": {
            "application": {"applicationId": "amzn1.ask.skill.bench"},
            "user": {"userId": "amzn1.ask.account.BENCHUSER0001"},
            "device": {"deviceId": "amzn1.ask.device.BENCHDEVICE0001",
                "supportedInterfaces": {"AudioPlayer": {}}},
            "apiEndpoint": "https://api.amazonalexa.com"}},
        "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.bench",
            "timestamp": dense::NOW, "locale": "en-US",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots}}
    });
    serde_json::to_vec(&env).expect("json")
}

fn slot(name: &str, value: &str) -> Value {
    json!({name: {"name": name, "value": value, "confirmationStatus": "NONE"}})
}

/// A slot Alexa resolved to a catalogue id ("station 17" alone is near "station 1" and
/// "station 7", which the skill asks back about).
fn resolved(name: &str, value: &str, id: &str) -> Value {
    json!({name: {"name": name, "value": value, "confirmationStatus": "NONE",
        "resolutions": {"resolutionsPerAuthority": [{
            "authority": format!("amzn1.er-authority.echo-sdk.amzn1.ask.skill.bench.{name}"),
            "status": {"code": "ER_SUCCESS_MATCH"},
            "values": [{"value": {"name": value, "id": id}}]}]}}})
}

/// One loaded schedule: the router over it and the index-backed store.
struct Loaded {
    router: axum::Router,
    store: Arc<IndexedStore>,
    runtime: tokio::runtime::Runtime,
}

impl Loaded {
    fn open(dir: &Path) -> (Self, Duration) {
        let engine: Arc<dyn Store> = Arc::new(SledStore::open(dir).expect("store"));
        let started = Instant::now();
        let store = IndexedStore::wrap(engine).expect("index");
        let indexed = started.elapsed();
        let now: jiff::Timestamp = dense::NOW.parse().expect("now");
        let state = onair::service::state_with(
            &Settings::default(),
            store.clone(),
            None,
            Arc::new(move || now),
        )
        .expect("state");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let loaded = Self {
            router: onair::server::app(state),
            store,
            runtime,
        };
        (loaded, indexed)
    }

    /// Posts `body`; returns the response's length (the answer must be a 200).
    fn post(&self, body: &[u8]) -> usize {
        self.runtime.block_on(async {
            let request = Request::post("/alexa")
                .header("content-type", "application/json")
                .body(Body::from(body.to_vec()))
                .expect("request");
            let response = self
                .router
                .clone()
                .oneshot(request)
                .await
                .expect("response");
            assert_eq!(response.status(), 200);
            axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("body")
                .len()
        })
    }

    fn speech(&self, body: &[u8]) -> String {
        let bytes = self.runtime.block_on(async {
            let request = Request::post("/alexa")
                .header("content-type", "application/json")
                .body(Body::from(body.to_vec()))
                .expect("request");
            let response = self
                .router
                .clone()
                .oneshot(request)
                .await
                .expect("response");
            axum::body::to_bytes(response.into_body(), 1 << 20)
                .await
                .expect("body")
        });
        let v: Value = serde_json::from_slice(&bytes).expect("json");
        let speech = &v["response"]["outputSpeech"];
        speech["ssml"]
            .as_str()
            .or(speech["text"].as_str())
            .unwrap_or_default()
            .chars()
            .take(160)
            .collect()
    }

    /// "Play the quiet orchards" resolved against the name dictionary (a near match).
    fn resolve(&self) -> usize {
        self.store
            .find_names("quiet orchard", &[NameKind::Performer], 0.6, 5)
            .expect("names")
            .len()
    }
}

/// The operations measured, by name.
fn operations() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("whats_on", intent("WhatsOnIntent", json!({}))),
        (
            "whats_on_station",
            intent(
                "WhatsOnIntent",
                resolved("station", "station 17", &dense::station_id(16)),
            ),
        ),
        (
            "play_artist",
            intent("PlayLiveIntent", slot("performer", "the quiet orchards")),
        ),
    ]
}

fn median_micros(mut run: impl FnMut()) -> f64 {
    let mut samples: Vec<Duration> = (0..201)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e6
}

fn bench(c: &mut Criterion) {
    let mut table: Vec<(String, usize, &'static str, f64)> = Vec::new();
    for variant in variants() {
        let mut group = c.benchmark_group(format!("schedule_{}", variant.name));
        for n in sizes() {
            if n < variant.stations {
                continue;
            }
            let dir = store_dir(variant, n);
            let (loaded, indexed) = Loaded::open(&dir);
            let snap = loaded.store.snapshot();
            let now: jiff::Timestamp = dense::NOW.parse().expect("now");
            eprintln!(
                "{} {n}: index built in {:.0} ms, {} events, {} live at now, index heap {:.1} MiB, process RSS {:.0} MiB (peak {:.0})",
                variant.name,
                indexed.as_secs_f64() * 1e3,
                snap.index.len(),
                snap.index.live_count(onair::schedule::index::Scope::All, now),
                snap.index.heap_bytes() as f64 / (1024.0 * 1024.0),
                memory_mib("VmRSS:"),
                memory_mib("VmHWM:"),
            );
            drop(snap);
            for (label, body) in operations() {
                eprintln!("  {label}: {}", loaded.speech(&body));
                group.bench_function(format!("{label}/{n}"), |b| {
                    b.iter(|| black_box(loaded.post(&body)))
                });
                let us = median_micros(|| {
                    black_box(loaded.post(&body));
                });
                table.push((variant.name.to_string(), n, label, us));
            }
            group.bench_function(format!("resolve_name/{n}"), |b| {
                b.iter(|| black_box(loaded.resolve()))
            });
            let us = median_micros(|| {
                black_box(loaded.resolve());
            });
            table.push((variant.name.to_string(), n, "resolve_name", us));
        }
        group.finish();
    }
    print_table(&table);
}

/// Medians per operation and the ratio of the largest size to the smallest.
fn print_table(table: &[(String, usize, &'static str, f64)]) {
    println!("\nmedian of 201 runs (µs), ratio = largest / smallest size (target <= 1.1):");
    let mut keys: Vec<(&str, &str)> = table.iter().map(|r| (r.0.as_str(), r.2)).collect();
    keys.dedup();
    keys.sort();
    keys.dedup();
    for (variant, op) in keys {
        let rows: Vec<_> = table
            .iter()
            .filter(|r| r.0 == variant && r.2 == op)
            .collect();
        let cells: Vec<String> = rows
            .iter()
            .map(|r| format!("{}: {:.1}", r.1, r.3))
            .collect();
        let ratio = match (rows.first(), rows.last()) {
            (Some(a), Some(b)) if rows.len() > 1 => {
                format!("ratio {}/{}: {:.2}", b.1, a.1, b.3 / a.3)
            }
            _ => String::new(),
        };
        println!("  {variant:>8} {op:<17} {}  {ratio}", cells.join("  "));
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));
    targets = bench
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--build-chunk") {
        let dir = PathBuf::from(&args[pos + 1]);
        let from = args[pos + 2].parse().expect("from");
        let to = args[pos + 3].parse().expect("to");
        let stations = args[pos + 4].parse().expect("stations");
        build_chunk(&dir, from, to, stations);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
