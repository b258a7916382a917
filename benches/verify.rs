//! Per-request cost of `Verifier::verify` with a cached chain (about 2 KB body),
//! and, for comparison, the one-off cost of parsing and validating a chain.
#![allow(missing_docs)] // criterion_group! expands to an undocumented pub fn

#[path = "../tests/verify/common.rs"]
mod common;

use std::hint::black_box;

use common::*;
use criterion::{criterion_group, criterion_main, Criterion};
use onair::verify::{SigningChain, TrustStore};

fn bench_verify(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let pki = Pki::new();
    let source = MemorySource::serving(&pki.genuine);
    let verifier = verifier(pki.config(), source.clone());
    let body = genuine_body();
    let headers = signed_headers(CERT_URL, &pki.sign(&body));
    let at = now();
    // Warm the cache (one fetch, one path validation).
    runtime
        .block_on(verifier.verify(&headers, &body, at))
        .expect("genuine request verifies");
    println!("body size: {} bytes", body.len());

    c.bench_function("verify_cached_chain_2kb_body", |b| {
        b.iter(|| {
            runtime
                .block_on(verifier.verify(black_box(&headers), black_box(&body), at))
                .expect("verifies")
        })
    });
    assert_eq!(source.calls(), 1, "the bench must measure the cached path");

    let trust = {
        let mut store = TrustStore::mozilla();
        store.add_pem(&pki.root_pem).expect("test root");
        store
    };
    c.bench_function("parse_and_validate_chain_uncached", |b| {
        b.iter(|| {
            let chain = SigningChain::parse_pem(black_box(&pki.genuine)).expect("parses");
            chain.validate(&trust, at).expect("valid")
        })
    });
}

criterion_group!(benches, bench_verify);
criterion_main!(benches);
