//! `HttpsCertSource` against local loopback servers (no outside network).
//!
//! A TLS server with a certificate the client trusts would need a TLS server crate
//! that the project does not depend on, so the size cap is unit-tested on
//! `CappedBody` (the reader the source streams into) and through the verifier; here
//! the https-only rule, the timeout and transport failures are tested end to end.

use std::time::{Duration, Instant};

use onair::verify::{CappedBody, CertSource, FetchError, HttpsCertSource};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use url::Url;

async fn listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    (listener, port)
}

fn url(port: u16) -> Url {
    Url::parse(&format!("https://127.0.0.1:{port}/echo.api/cert")).expect("url")
}

#[tokio::test]
async fn refuses_non_https_urls_before_connecting() {
    let (listener, port) = listener().await;
    let source = HttpsCertSource::new(Duration::from_secs(2), 64 * 1024).expect("client");
    let plain = Url::parse(&format!("http://127.0.0.1:{port}/echo.api/cert")).expect("url");
    assert_eq!(source.fetch(&plain).await, Err(FetchError::NotHttps));
    // Nothing connected.
    let accepted = tokio::time::timeout(Duration::from_millis(100), listener.accept()).await;
    assert!(accepted.is_err(), "the source connected over plain http");
}

#[tokio::test]
async fn silent_server_hits_the_timeout() {
    let (listener, port) = listener().await;
    // Accept and hold connections without ever answering the TLS handshake.
    let server = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let source = HttpsCertSource::new(Duration::from_millis(300), 64 * 1024).expect("client");
    let started = Instant::now();
    let got = source.fetch(&url(port)).await;
    let took = started.elapsed();
    assert_eq!(got, Err(FetchError::Timeout));
    assert!(
        took < Duration::from_secs(2),
        "timeout not enforced: {took:?}"
    );
    server.abort();
}

#[tokio::test]
async fn plain_http_server_on_an_https_url_is_a_transport_failure() {
    let (listener, port) = listener().await;
    let server = tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi")
                .await;
        }
    });
    let source = HttpsCertSource::new(Duration::from_secs(2), 64 * 1024).expect("client");
    let got = source.fetch(&url(port)).await;
    match got {
        Err(FetchError::Transport(detail)) => assert!(!detail.is_empty()),
        other => panic!("expected a transport failure, got {other:?}"),
    }
    server.abort();
}

#[tokio::test]
async fn closed_port_is_a_transport_failure() {
    let (listener, port) = listener().await;
    drop(listener);
    let source = HttpsCertSource::new(Duration::from_secs(2), 64 * 1024).expect("client");
    let got = source.fetch(&url(port)).await.map_err(|e| e.reason());
    assert_eq!(got, Err("fetch_failed"));
}

#[test]
fn capped_body_stops_a_stream_that_exceeds_the_cap() {
    // Simulates the streaming loop of the source: 1 KiB chunks against a 64 KiB cap.
    let mut body = CappedBody::new(64 * 1024, None).expect("no declared length");
    let chunk = [b'A'; 1024];
    let mut pushed = 0;
    let result = loop {
        match body.push(&chunk) {
            Ok(()) => pushed += 1,
            Err(e) => break e,
        }
        assert!(pushed <= 64, "cap not enforced");
    };
    assert_eq!(pushed, 64);
    assert_eq!(result, FetchError::TooLarge { limit: 64 * 1024 });
    assert_eq!(body.len(), 64 * 1024, "nothing beyond the cap was kept");
}
