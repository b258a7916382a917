//! "What's on now" at 1k, 100k and 1M events: the query must cost O(log n + k), so the time at
//! 1M should stay within 1.5x of the time at 1k. Each schedule has the same density (20 stations
//! with back-to-back one-hour programmes), so k, the number of events live at a time, is the same
//! and only n grows.
#![allow(missing_docs)]

use criterion::{criterion_group, Criterion};
use jiff::{Timestamp, ToSpan};
use onair::schedule::{Event, EventKind, EventSpec, Station, StationSpec};
use onair::store::{ImportBatch, SledStore, Store};
use std::hint::black_box;
use std::time::{Duration, Instant};

const STATIONS: usize = 20;
const SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];

/// Sizes to run: `ONAIR_BENCH_SIZES=1000,100000` narrows the run; the default is all three.
fn sizes() -> Vec<usize> {
    std::env::var("ONAIR_BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .filter(|v: &Vec<usize>| !v.is_empty())
        .unwrap_or_else(|| SIZES.to_vec())
}

/// Peak resident memory of this process so far, in MiB (Linux).
fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn base() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().expect("ts")
}

/// Events per child process when building a store. sled's memory grows with what one process
/// writes (gigabytes for millions of keys) and is returned when the process exits, so the 1M
/// store is written by a series of short-lived children.
const EVENTS_PER_CHILD: usize = 100_000;

fn stations() -> Vec<Station> {
    (0..STATIONS)
        .map(|i| {
            Station::try_from(StationSpec {
                id: format!("st-{i}"),
                name: format!("Station {i}"),
                stream_url: Some(format!("https://example.org/{i}.mp3")),
                ..Default::default()
            })
            .expect("station")
        })
        .collect()
}

fn event(i: usize) -> Event {
    let slot = (i / STATIONS) as i64;
    let start = base().checked_add(slot.hours()).expect("time");
    Event::try_from(EventSpec {
        id: format!("ev-{i}"),
        title: format!("Programme {i}"),
        kind: EventKind::Show,
        performers: vec![format!("Artist {}", i % 5000)],
        station: Some(format!("st-{}", i % STATIONS)),
        genres: vec!["jazz".into()],
        start,
        end: start.checked_add(1.hour()).expect("time"),
        stream_url: None,
        description: None,
        image: None,
        language: None,
    })
    .expect("event")
}

/// Child mode: writes events `from..to` into the store at `dir`, in imports of 20k.
fn build_chunk(dir: &std::path::Path, from: usize, to: usize) {
    let store = SledStore::open(dir).expect("store");
    if from == 0 {
        store
            .import(
                ImportBatch {
                    source: "stations".into(),
                    stations: stations(),
                    ..Default::default()
                },
                false,
            )
            .expect("import");
    }
    let mut i = from;
    while i < to {
        let end = (i + 20_000).min(to);
        let events = (i..end).map(event).collect();
        store
            .import(
                ImportBatch {
                    source: format!("part-{i}"),
                    events,
                    ..Default::default()
                },
                false,
            )
            .expect("import");
        i = end;
    }
    store.flush().expect("flush");
}

/// A store with `n` events, written by child processes.
fn build(n: usize) -> (tempfile::TempDir, SledStore, Timestamp) {
    let dir = tempfile::tempdir().expect("tmp");
    let exe = std::env::current_exe().expect("bench binary");
    let mut from = 0;
    while from < n {
        let to = (from + EVENTS_PER_CHILD).min(n);
        let status = std::process::Command::new(&exe)
            .arg("--build-chunk")
            .arg(dir.path())
            .arg(from.to_string())
            .arg(to.to_string())
            .status()
            .expect("child");
        assert!(status.success(), "building events {from}..{to} failed");
        from = to;
    }
    let store = SledStore::open(dir.path()).expect("store");
    // "Now" in the middle of the schedule.
    let hours = (n / STATIONS / 2) as i64;
    let now = base()
        .checked_add(hours.hours())
        .and_then(|t| t.checked_add(30.minutes()))
        .expect("time");
    (dir, store, now)
}

/// The work of "what's on now": live events, then the next six hours.
fn whats_on(store: &SledStore, now: Timestamp) -> usize {
    let live = store.live_at(now).expect("live");
    let later = store
        .overlapping(now, now.checked_add(6.hours()).expect("time"), 200)
        .expect("overlapping");
    live.len() + later.len()
}

fn median_micros(store: &SledStore, now: Timestamp) -> f64 {
    let mut samples: Vec<Duration> = (0..301)
        .map(|_| {
            let t = Instant::now();
            black_box(whats_on(store, now));
            t.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2].as_secs_f64() * 1e6
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("whats_on_now");
    let mut medians = Vec::new();
    for n in sizes() {
        let started = Instant::now();
        let (_dir, store, now) = build(n);
        eprintln!(
            "built {n} events in {:.1} s (this process's peak RSS so far {:.0} MiB)",
            started.elapsed().as_secs_f64(),
            peak_rss_mib()
        );
        assert_eq!(store.live_at(now).expect("live").len(), STATIONS);
        group.bench_function(format!("{n}_events"), |b| {
            b.iter(|| black_box(whats_on(&store, now)))
        });
        medians.push((n, median_micros(&store, now)));
    }
    group.finish();
    println!("\nwhat's on now (live + next 6 h), median of 301 runs:");
    for (n, us) in &medians {
        println!("  {n:>9} events: {us:8.1} µs");
    }
    if let (Some((_, small)), Some((_, large))) = (medians.first(), medians.last()) {
        println!("  ratio 1M / 1k: {:.2} (target <= 1.5)", large / small);
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(3));
    targets = bench
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(pos) = args.iter().position(|a| a == "--build-chunk") {
        let dir = std::path::PathBuf::from(&args[pos + 1]);
        let from = args[pos + 2].parse().expect("from");
        let to = args[pos + 3].parse().expect("to");
        build_chunk(&dir, from, to);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
