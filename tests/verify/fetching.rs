//! Download behaviour: single flight, remembered failures, global bound, timeout,
//! size cap, expiry refetch, and "cheap checks never touch the source".

use std::sync::Arc;
use std::time::Duration;

use crate::common::*;
use onair::verify::{FetchError, Verifier, VerifierConfig};

fn genuine_request(pki: &Pki) -> (http::HeaderMap, Vec<u8>) {
    let body = genuine_body();
    (signed_headers(CERT_URL, &pki.sign(&body)), body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_concurrent_verifications_cause_exactly_one_fetch() {
    let pki = Pki::new();
    let source = MemorySource::new(Ok(pki.genuine.clone()), Duration::from_millis(300));
    let verifier = Arc::new(verifier(pki.config(), source.clone()));
    let (headers, body) = genuine_request(&pki);

    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (verifier, headers, body) = (verifier.clone(), headers.clone(), body.clone());
            tokio::spawn(async move { verifier.verify(&headers, &body, now()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("task"), Ok(()));
    }
    assert_eq!(source.calls(), 1);
    // And later requests are served from the cache too.
    assert_eq!(verifier.verify(&headers, &body, now()).await, Ok(()));
    assert_eq!(source.calls(), 1);
    assert_eq!(verifier.cached_urls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_source_is_called_once_within_failed_fetch_ttl() {
    let pki = Pki::new();
    let source = MemorySource::new(Err(FetchError::Status(404)), Duration::from_millis(100));
    let config = VerifierConfig {
        failed_fetch_ttl: Duration::from_millis(400),
        ..pki.config()
    };
    let verifier = Arc::new(verifier(config, source.clone()));
    let (headers, body) = genuine_request(&pki);

    // A concurrent burst and then sequential retries: one call in total.
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (verifier, headers, body) = (verifier.clone(), headers.clone(), body.clone());
            tokio::spawn(async move { verifier.verify(&headers, &body, now()).await })
        })
        .collect();
    for task in tasks {
        let got = task.await.expect("task").map_err(|e| e.reason());
        assert_eq!(got, Err("fetch_status"));
    }
    for _ in 0..20 {
        let got = verifier.verify(&headers, &body, now()).await;
        assert_eq!(got.map_err(|e| e.reason()), Err("fetch_status"));
    }
    assert_eq!(source.calls(), 1);

    // After the TTL the URL is tried again, once.
    tokio::time::sleep(Duration::from_millis(500)).await;
    for _ in 0..5 {
        let got = verifier.verify(&headers, &body, now()).await;
        assert_eq!(got.map_err(|e| e.reason()), Err("fetch_status"));
    }
    assert_eq!(source.calls(), 2);
}

#[tokio::test]
async fn unparsable_chain_is_remembered_like_a_failed_fetch() {
    let pki = Pki::new();
    let source = MemorySource::serving(b"<html>Access Denied</html>");
    let verifier = verifier(pki.config(), source.clone());
    let (headers, body) = genuine_request(&pki);
    for _ in 0..3 {
        let got = verifier.verify(&headers, &body, now()).await;
        assert_eq!(got.map_err(|e| e.reason()), Err("chain_empty"));
    }
    assert_eq!(source.calls(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn global_semaphore_bounds_simultaneous_downloads() {
    let pki = Pki::new();
    let source = MemorySource::new(Ok(pki.genuine.clone()), Duration::from_millis(150));
    let config = VerifierConfig {
        max_concurrent_fetches: 2,
        ..pki.config()
    };
    let verifier = Arc::new(verifier(config, source.clone()));
    let body = genuine_body();
    let signature = pki.sign(&body);

    let tasks: Vec<_> = (0..6)
        .map(|i| {
            let url = format!("https://s3.amazonaws.com/echo.api/cert-{i}.pem");
            let headers = signed_headers(&url, &signature);
            let (verifier, body) = (verifier.clone(), body.clone());
            tokio::spawn(async move { verifier.verify(&headers, &body, now()).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.expect("task"), Ok(()));
    }
    assert_eq!(source.calls(), 6);
    assert_eq!(source.peak_concurrency(), 2);
}

#[tokio::test]
async fn slow_source_times_out_and_the_timeout_is_remembered() {
    let pki = Pki::new();
    let source = MemorySource::new(Ok(pki.genuine.clone()), Duration::from_secs(5));
    let config = VerifierConfig {
        fetch_timeout: Duration::from_millis(100),
        ..pki.config()
    };
    let verifier = verifier(config, source.clone());
    let (headers, body) = genuine_request(&pki);
    for _ in 0..3 {
        let got = verifier.verify(&headers, &body, now()).await;
        assert_eq!(got.map_err(|e| e.reason()), Err("fetch_timeout"));
    }
    assert_eq!(source.calls(), 1);
}

#[tokio::test]
async fn oversized_chain_is_refused_whatever_the_source() {
    let pki = Pki::new();
    let mut big = pki.genuine.clone();
    big.resize(70 * 1024, b'\n');
    let source = MemorySource::serving(&big);
    let verifier = verifier(pki.config(), source.clone());
    let (headers, body) = genuine_request(&pki);
    let got = verifier.verify(&headers, &body, now()).await;
    assert_eq!(got.map_err(|e| e.reason()), Err("fetch_too_large"));
}

#[tokio::test]
async fn expired_cached_chain_is_refetched_at_most_once_per_ttl() {
    let pki = Pki::new();
    let source = MemorySource::serving(&pki.genuine);
    let config = VerifierConfig {
        failed_fetch_ttl: Duration::from_millis(200),
        ..pki.config()
    };
    let verifier = verifier(config, source.clone());
    let (headers, body) = genuine_request(&pki);
    assert_eq!(verifier.verify(&headers, &body, now()).await, Ok(()));
    assert_eq!(source.calls(), 1);

    // Same chain, clock past the leaf's notAfter (2027-01-01). The body is re-made at
    // that time so only the certificate can fail.
    let late: jiff::Timestamp = "2027-02-01T00:00:00Z".parse().expect("time");
    let late_body = body_at(&late);
    let late_headers = signed_headers(CERT_URL, &pki.sign(&late_body));
    // The cached entry is older than the TTL only after a while; right away it is
    // answered from memory.
    tokio::time::sleep(Duration::from_millis(250)).await;
    for _ in 0..3 {
        let got = verifier.verify(&late_headers, &late_body, late).await;
        assert_eq!(got.map_err(|e| e.reason()), Err("cert_expired"));
    }
    assert_eq!(
        source.calls(),
        2,
        "one refetch for the expired chain, not one per request"
    );
}

fn body_at(at: &jiff::Timestamp) -> Vec<u8> {
    body(
        "IntentRequest",
        serde_json::Value::from(at.to_string()),
        SKILL,
        Some(SKILL),
    )
}

#[tokio::test]
async fn cheap_checks_never_call_the_source() {
    let pki = Pki::new();
    let source = MemorySource::serving(&pki.genuine);
    let verifier = verifier(pki.config(), source.clone());
    let good = genuine_body();
    let sig = pki.sign(&good);

    let stale = body_at(&now_plus(-3600));
    let wrong_app = body(
        "IntentRequest",
        serde_json::Value::from(now().to_string()),
        OTHER_SKILL,
        None,
    );
    let requests = [
        (
            signed_headers("https://evil.example/echo.api/x", &sig),
            good.clone(),
            "cert_url_host",
        ),
        (
            signed_headers("http://s3.amazonaws.com/echo.api/x", &sig),
            good.clone(),
            "cert_url_scheme",
        ),
        (
            signed_headers(CERT_URL, &pki.sign(&stale)),
            stale,
            "stale_timestamp",
        ),
        (
            signed_headers(CERT_URL, &pki.sign(&wrong_app)),
            wrong_app,
            "unknown_application",
        ),
        (
            signed_headers(CERT_URL, "!!"),
            good.clone(),
            "bad_signature_encoding",
        ),
        (
            headers(&[("SignatureCertChainUrl", CERT_URL)]),
            good.clone(),
            "missing_signature",
        ),
    ];
    for (headers, body, reason) in requests {
        let got = verifier.verify(&headers, &body, now()).await;
        assert_eq!(got.map_err(|e| e.reason()), Err(reason));
    }
    assert_eq!(source.calls(), 0);
    assert_eq!(verifier.cached_urls(), 0);
}

#[tokio::test]
async fn many_distinct_urls_do_not_grow_the_cache_without_bound() {
    let pki = Pki::new();
    let source = MemorySource::failing(FetchError::Status(403));
    let config = VerifierConfig {
        max_cached_urls: 8,
        ..pki.config()
    };
    let verifier = verifier(config, source.clone());
    let body = genuine_body();
    let sig = pki.sign(&body);
    for i in 0..50 {
        let url = format!("https://s3.amazonaws.com/echo.api/random-{i}");
        let got = verifier
            .verify(&signed_headers(&url, &sig), &body, now())
            .await;
        assert_eq!(got.map_err(|e| e.reason()), Err("fetch_status"));
        assert!(
            verifier.cached_urls() <= 8,
            "cache grew to {}",
            verifier.cached_urls()
        );
    }
}

#[test]
fn config_errors_show_at_construction() {
    let pki = Pki::new();
    let source = MemorySource::serving(&pki.genuine);
    let no_skills = VerifierConfig {
        skill_ids: vec![],
        ..pki.config()
    };
    assert!(Verifier::new(no_skills, source.clone()).is_err());
    let bad_root = VerifierConfig {
        extra_roots_pem: vec![b"not a pem".to_vec()],
        ..pki.config()
    };
    let err = Verifier::new(bad_root, source).expect_err("bad root refused");
    assert!(err.to_string().contains("extra root #0"), "{err}");
}
