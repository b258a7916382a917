//! Hostile admin traffic: compression bombs and oversized uploads refused before the import
//! starts, slow uploads that neither hold the import lock nor outlive their timeout, ids that
//! are not ids, and a shutdown during a stuck request.

use crate::hostile::start_with;
use bytes::Bytes;
use onair::store::Store;
use std::io::Write;
use std::time::{Duration, Instant};

const TOKEN: &str = "admin-token-0123456789";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data).expect("gzip");
    gz.finish().expect("gzip")
}

/// A body sent in `chunks` pieces of `size` bytes, one every `pause`.
fn trickle(chunks: usize, size: usize, pause: Duration) -> reqwest::Body {
    let stream = futures::stream::unfold(0usize, move |sent| async move {
        if sent == chunks {
            return None;
        }
        tokio::time::sleep(pause).await;
        Some((
            Ok::<_, std::io::Error>(Bytes::from(vec![b' '; size])),
            sent + 1,
        ))
    });
    reqwest::Body::wrap_stream(stream)
}

#[tokio::test]
async fn a_gzip_bomb_and_an_oversized_upload_are_413_quickly() {
    let (server, store, _dir) = start_with(|s| {
        s.admin_token = Some(TOKEN.into());
        s.admin_upload_limit_bytes = 1024 * 1024;
    })
    .await;
    let before = store.stations().expect("stations").len();
    let client = reqwest::Client::new();
    let url = format!("{}/admin/import?format=json", server.base);
    // 64 MiB of zeros in about 64 KiB: past 4 × the upload limit once expanded.
    let bomb = gzip(&vec![0u8; 64 * 1024 * 1024]);
    assert!(bomb.len() < 1024 * 1024);
    let started = Instant::now();
    let r = client
        .post(&url)
        .bearer_auth(TOKEN)
        .body(bomb)
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["connection"], "close");
    let body: serde_json::Value = r.json().await.expect("json");
    assert_eq!(body["error"], "expands_too_large");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // Garbage streamed without a length, past the limit.
    let r = client
        .post(&url)
        .bearer_auth(TOKEN)
        .body(trickle(40, 64 * 1024, Duration::ZERO))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 413);
    assert_eq!(r.headers()["connection"], "close");
    assert_eq!(
        store.stations().expect("stations").len(),
        before,
        "nothing changed"
    );
    let _ = server.stop.send(());
}

#[tokio::test]
async fn a_slow_upload_neither_blocks_edits_nor_outlives_its_timeout() {
    let (server, _store, _dir) = start_with(|s| {
        s.admin_token = Some(TOKEN.into());
        s.admin_body_timeout_ms = 1_500;
    })
    .await;
    let client = reqwest::Client::new();
    let upload = {
        let client = client.clone();
        let url = format!("{}/admin/import?format=json", server.base);
        tokio::spawn(async move {
            client
                .post(url)
                .bearer_auth(TOKEN)
                .body(trickle(40, 16, Duration::from_millis(100)))
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    };
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let r = client
        .put(format!("{}/admin/stations/night-owl", server.base))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({"name": "Night Owl"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the edit waited {:?}",
        started.elapsed()
    );
    let status = upload.await.expect("upload task");
    // The server ends the trickle at its body timeout: a 408, or the connection closed.
    assert!(status.as_ref().map_or(true, |s| *s == 408), "{status:?}");
    let _ = server.stop.send(());
}

#[tokio::test]
async fn admin_ids_outside_the_documented_set_are_422() {
    let (server, _store, _dir) = start_with(|s| s.admin_token = Some(TOKEN.into())).await;
    let client = reqwest::Client::new();
    for id in [
        "..%2F..%2Fetc%2Fpasswd",
        "*",
        "%2F",
        "nova%E2%80%AE",
        "a%20b",
        ".hidden",
    ] {
        let r = client
            .put(format!("{}/admin/stations/{id}", server.base))
            .bearer_auth(TOKEN)
            .json(&serde_json::json!({"name": "X"}))
            .send()
            .await
            .expect("put");
        assert_eq!(r.status(), 422, "{id}");
        let r = client
            .delete(format!("{}/admin/events/{id}", server.base))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("delete");
        assert_eq!(r.status(), 422, "{id}");
    }
    let r = client
        .put(format!("{}/admin/stations/radio-nova-2", server.base))
        .bearer_auth(TOKEN)
        .json(&serde_json::json!({"name": "Radio Nova 2"}))
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    let _ = server.stop.send(());
}

#[tokio::test]
async fn shutdown_during_a_stuck_request_ends_within_the_grace_period() {
    let (server, store, _dir) = start_with(|s| {
        s.admin_token = Some(TOKEN.into());
        s.shutdown_grace_ms = 500;
    })
    .await;
    let url = format!("{}/admin/import?format=json", server.base);
    let stuck = tokio::spawn(async move {
        let _ = reqwest::Client::new()
            .post(url)
            .bearer_auth(TOKEN)
            .body(trickle(600, 1, Duration::from_millis(100)))
            .send()
            .await;
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let _ = server.stop.send(());
    let result = tokio::time::timeout(Duration::from_secs(10), server.handle)
        .await
        .expect("the server stops within 10 s")
        .expect("serve task");
    assert!(result.is_ok(), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(!store.stations().expect("store intact").is_empty());
    stuck.abort();
}
