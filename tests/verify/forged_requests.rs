//! Table-driven test: genuine and forged/broken requests, each with its exact reason,
//! and whether the certificate source may have been called for it.

use crate::common::*;
use http::{HeaderMap, HeaderValue};
use jiff::Timestamp;
use serde_json::Value;

#[derive(Clone, Copy, Debug)]
enum Chain {
    Genuine,
    WithRoot,
    ExpiredLeaf,
    FutureLeaf,
    WrongSan,
    UntrustedRoot,
    MissingIntermediate,
    ImpostorIntermediate,
    ExpiredIntermediate,
}

struct Case {
    name: String,
    chain: Chain,
    allow_sha1: bool,
    headers: HeaderMap,
    body: Vec<u8>,
    now: Timestamp,
    expect: Result<(), &'static str>,
}

impl Case {
    fn new(name: impl Into<String>, headers: HeaderMap, body: Vec<u8>) -> Self {
        Self {
            name: name.into(),
            chain: Chain::Genuine,
            allow_sha1: false,
            headers,
            body,
            now: now(),
            expect: Ok(()),
        }
    }
    fn chain(mut self, chain: Chain) -> Self {
        self.chain = chain;
        self
    }
    fn sha1(mut self) -> Self {
        self.allow_sha1 = true;
        self
    }
    fn at(mut self, now: Timestamp) -> Self {
        self.now = now;
        self
    }
    fn rejects(mut self, reason: &'static str) -> Self {
        self.expect = Err(reason);
        self
    }
}

/// Reasons decided before any download: the source must not have been called.
fn decided_before_fetch(expect: Result<(), &'static str>) -> bool {
    match expect {
        Ok(()) => false,
        Err(reason) => {
            reason.starts_with("cert_url_")
                || reason.starts_with("missing_") && reason != "missing_intermediate"
                || [
                    "duplicate_header",
                    "header_not_ascii",
                    "sha1_not_allowed",
                    "body_not_utf8",
                    "malformed_body",
                    "bad_timestamp",
                    "stale_timestamp",
                    "future_timestamp",
                    "unknown_application",
                    "session_application_mismatch",
                    "bad_signature_encoding",
                ]
                .contains(&reason)
        }
    }
}

fn at_offset(seconds: i64) -> Value {
    Value::from(now_plus(seconds).to_string())
}

fn cases(pki: &Pki) -> Vec<Case> {
    let genuine = genuine_body();
    let sig = pki.sign(&genuine);
    let ok_headers = || signed_headers(CERT_URL, &sig);
    let mut cases = Vec::new();

    // Genuine request, also with lower-case header names as HTTP/2 delivers them.
    cases.push(Case::new("genuine", ok_headers(), genuine.clone()));
    cases.push(Case::new(
        "genuine, lower-case header names",
        headers(&[("signaturecertchainurl", CERT_URL), ("signature-256", &sig)]),
        genuine.clone(),
    ));
    cases.push(
        Case::new(
            "genuine, root included in file",
            ok_headers(),
            genuine.clone(),
        )
        .chain(Chain::WithRoot),
    );

    // Every row of cert-url-cases.md, through the whole verifier.
    let accepted_urls = [
        "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/echo-api-cert-8.pem",
        "https://s3.amazonaws.com/echo.api/cert",
        "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com:443/echo.api/cert",
        "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
        "https://s3.amazonaws.com/echo.api/../echo.api/cert",
    ];
    for url in accepted_urls {
        cases.push(Case::new(
            format!("url accepted: {url}"),
            signed_headers(url, &sig),
            genuine.clone(),
        ));
    }
    let rejected_urls = [
        (
            "http://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "cert_url_scheme",
        ),
        ("http://abc.com", "cert_url_scheme"),
        ("badUrl", "cert_url_invalid"),
        (
            "https://notamazon.com/echo.api/echo-api-cert.pem",
            "cert_url_host",
        ),
        ("https://very.bad/echo.api/cert", "cert_url_host"),
        (
            "https://s3.amazonaws.com:563/echo.api/echo-api-cert.pem",
            "cert_url_port",
        ),
        (
            "https://s3.amazonaws.com:563/echo.api/cert",
            "cert_url_port",
        ),
        (
            "https://s3.amazonaws.com/EcHo.aPi/echo-api-cert.pem",
            "cert_url_path",
        ),
        ("https://s3.amazonaws.com/ECHO.API/cert", "cert_url_path"),
        (
            "https://s3.amazonaws.com/invalid.path/echo-api-cert.pem",
            "cert_url_path",
        ),
        ("https://s3.amazonaws.com/cert", "cert_url_path"),
        ("https://s3.amazonaws.com/echo.api/../cert", "cert_url_path"),
        // Beyond the table.
        (
            "https://s3.amazonaws.com@evil.example/echo.api/x",
            "cert_url_host",
        ),
        (
            "https://s3.amazonaws.com.evil.example/echo.api/x",
            "cert_url_host",
        ),
        (
            "https://user@s3.amazonaws.com/echo.api/x",
            "cert_url_userinfo",
        ),
        (
            "https://s3.amazonaws.com/echo.api/x?versionId=1",
            "cert_url_query",
        ),
    ];
    for (url, reason) in rejected_urls {
        cases.push(
            Case::new(
                format!("url rejected: {url}"),
                signed_headers(url, &sig),
                genuine.clone(),
            )
            .rejects(reason),
        );
    }

    // Certificate chain problems.
    for (chain, reason) in [
        (Chain::ExpiredLeaf, "cert_expired"),
        (Chain::FutureLeaf, "cert_not_yet_valid"),
        (Chain::WrongSan, "san_mismatch"),
        (Chain::UntrustedRoot, "untrusted_chain"),
        (Chain::MissingIntermediate, "missing_intermediate"),
        (Chain::ImpostorIntermediate, "chain_bad_signature"),
        (Chain::ExpiredIntermediate, "intermediate_expired"),
    ] {
        cases.push(
            Case::new(format!("chain: {chain:?}"), ok_headers(), genuine.clone())
                .chain(chain)
                .rejects(reason),
        );
    }

    // The genuine chain seen from a clock outside the leaf's window (body timestamps
    // follow the clock so only the certificate check can fail).
    for (when, reason) in [
        ("2027-06-01T00:00:00Z", "cert_expired"),
        ("2024-06-01T00:00:00Z", "cert_not_yet_valid"),
    ] {
        let b = body("IntentRequest", Value::from(when), SKILL, Some(SKILL));
        let at: Timestamp = when.parse().expect("time");
        cases.push(
            Case::new(
                format!("genuine chain at {when}"),
                signed_headers(CERT_URL, &pki.sign(&b)),
                b,
            )
            .at(at)
            .rejects(reason),
        );
    }

    // Signature problems.
    let mut tampered = genuine.clone();
    let at = tampered
        .windows(8)
        .position(|w| w == b"ea2d2b70")
        .expect("requestId in body");
    tampered[at] = b'f'; // still valid JSON, same checked fields, one byte different
    cases.push(
        Case::new("body tampered by one byte", ok_headers(), tampered).rejects("bad_signature"),
    );
    let other_body = body("LaunchRequest", at_offset(0), SKILL, Some(SKILL));
    cases.push(
        Case::new(
            "signature of another body",
            signed_headers(CERT_URL, &pki.sign(&other_body)),
            genuine.clone(),
        )
        .rejects("bad_signature"),
    );
    cases.push(
        Case::new(
            "signed by another key",
            signed_headers(CERT_URL, &pki.sign_rogue(&genuine)),
            genuine.clone(),
        )
        .rejects("bad_signature"),
    );
    cases.push(
        Case::new(
            "signature not base64",
            signed_headers(CERT_URL, "%%%not-base64%%%"),
            genuine.clone(),
        )
        .rejects("bad_signature_encoding"),
    );
    let truncated = &sig[..sig.len() - 8];
    cases.push(
        Case::new(
            "signature truncated",
            signed_headers(CERT_URL, truncated),
            genuine.clone(),
        )
        .rejects("bad_signature"),
    );

    // Legacy SHA-1.
    let sha1_headers = || {
        headers(&[
            ("SignatureCertChainUrl", CERT_URL),
            ("Signature", SHA1_SIGNATURE_B64.trim()),
        ])
    };
    cases.push(
        Case::new("SHA-1 only, SHA-1 off", sha1_headers(), SHA1_BODY.to_vec())
            .rejects("sha1_not_allowed"),
    );
    cases.push(Case::new("SHA-1 only, SHA-1 on", sha1_headers(), SHA1_BODY.to_vec()).sha1());
    let mut sha1_tampered = SHA1_BODY.to_vec();
    let at = sha1_tampered
        .windows(4)
        .position(|w| w == b"sha1")
        .expect("requestId in sha1 body");
    sha1_tampered[at] = b'S';
    cases.push(
        Case::new("SHA-1 on, body tampered", sha1_headers(), sha1_tampered)
            .sha1()
            .rejects("bad_signature"),
    );
    cases.push(
        Case::new(
            "SHA-1 signature sent as Signature-256",
            signed_headers(CERT_URL, SHA1_SIGNATURE_B64.trim()),
            SHA1_BODY.to_vec(),
        )
        .sha1()
        .rejects("bad_signature"),
    );

    // Timestamps.
    let timed = |kind: &str, ts: Value| {
        let b = body(kind, ts, SKILL, Some(SKILL));
        (signed_headers(CERT_URL, &pki.sign(&b)), b)
    };
    let (h, b) = timed("IntentRequest", at_offset(-151));
    cases.push(Case::new("timestamp 151 s old", h, b).rejects("stale_timestamp"));
    let (h, b) = timed("IntentRequest", at_offset(151));
    cases.push(Case::new("timestamp 151 s ahead", h, b).rejects("future_timestamp"));
    let (h, b) = timed("IntentRequest", at_offset(-150));
    cases.push(Case::new("timestamp 150 s old", h, b));
    let (h, b) = timed("AlexaSkillEvent.SkillEnabled", at_offset(-3000));
    cases.push(Case::new("skill event 3000 s old", h, b));
    let (h, b) = timed("AlexaSkillEvent.SkillEnabled", at_offset(-3601));
    cases.push(Case::new("skill event 3601 s old", h, b).rejects("stale_timestamp"));
    let (h, b) = timed("IntentRequest", Value::from(now().as_millisecond()));
    cases.push(Case::new("epoch-millis timestamp", h, b));
    let (h, b) = timed("IntentRequest", Value::from("string"));
    cases.push(Case::new("timestamp not a time", h, b).rejects("bad_timestamp"));
    let (h, b) = timed("IntentRequest", Value::Null);
    cases.push(Case::new("timestamp missing", h, b).rejects("missing_timestamp"));

    // Application ids.
    let with_apps = |context: &str, session: Option<&str>| {
        let b = body("IntentRequest", at_offset(0), context, session);
        (signed_headers(CERT_URL, &pki.sign(&b)), b)
    };
    let (h, b) = with_apps(SKILL, Some(OTHER_SKILL));
    cases.push(
        Case::new("wrong application id in session", h, b).rejects("session_application_mismatch"),
    );
    let (h, b) = with_apps(OTHER_SKILL, Some(SKILL));
    cases.push(Case::new("wrong application id in context", h, b).rejects("unknown_application"));
    let (h, b) = with_apps(OTHER_SKILL, None);
    cases.push(Case::new("wrong application id, no session", h, b).rejects("unknown_application"));
    let (h, b) = with_apps(SKILL, None);
    cases.push(Case::new("no session (AudioPlayer-style)", h, b));

    // Headers.
    cases.push(
        Case::new(
            "missing Signature-256",
            headers(&[("SignatureCertChainUrl", CERT_URL)]),
            genuine.clone(),
        )
        .rejects("missing_signature"),
    );
    cases.push(
        Case::new(
            "missing SignatureCertChainUrl",
            headers(&[("Signature-256", &sig)]),
            genuine.clone(),
        )
        .rejects("missing_cert_url"),
    );
    cases.push(
        Case::new(
            "duplicate Signature-256",
            headers(&[
                ("SignatureCertChainUrl", CERT_URL),
                ("Signature-256", &sig),
                ("signature-256", &sig),
            ]),
            genuine.clone(),
        )
        .rejects("duplicate_header"),
    );
    cases.push(
        Case::new(
            "duplicate SignatureCertChainUrl",
            headers(&[
                ("SignatureCertChainUrl", CERT_URL),
                ("SignatureCertChainUrl", CERT_URL),
                ("Signature-256", &sig),
            ]),
            genuine.clone(),
        )
        .rejects("duplicate_header"),
    );
    let mut non_ascii = ok_headers();
    non_ascii.insert(
        "SignatureCertChainUrl",
        HeaderValue::from_bytes(b"https://s3.amazonaws.com/echo.api/\xe9").expect("obs-text value"),
    );
    cases.push(
        Case::new("non-ASCII header value", non_ascii, genuine.clone()).rejects("header_not_ascii"),
    );

    // Bodies.
    let mut not_utf8 = genuine.clone();
    let pos = not_utf8
        .windows(8)
        .position(|w| w == b"ea2d2b70")
        .expect("requestId");
    not_utf8[pos] = 0xff;
    cases.push(
        Case::new(
            "body not UTF-8",
            signed_headers(CERT_URL, &pki.sign(&not_utf8)),
            not_utf8,
        )
        .rejects("body_not_utf8"),
    );
    let not_json = b"<xml/>".to_vec();
    cases.push(
        Case::new(
            "body not JSON",
            signed_headers(CERT_URL, &pki.sign(&not_json)),
            not_json,
        )
        .rejects("malformed_body"),
    );

    cases
}

#[tokio::test]
async fn every_case_gets_its_exact_reason() {
    let pki = Pki::new();
    let all = cases(&pki);
    assert!(all.len() >= 30, "only {} cases", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let pem = match case.chain {
            Chain::Genuine => &pki.genuine,
            Chain::WithRoot => &pki.with_root,
            Chain::ExpiredLeaf => &pki.expired_leaf,
            Chain::FutureLeaf => &pki.future_leaf,
            Chain::WrongSan => &pki.wrong_san,
            Chain::UntrustedRoot => &pki.untrusted_root,
            Chain::MissingIntermediate => &pki.missing_intermediate,
            Chain::ImpostorIntermediate => &pki.impostor_intermediate,
            Chain::ExpiredIntermediate => &pki.expired_intermediate,
        };
        let source = MemorySource::serving(pem);
        let mut config = pki.config();
        config.allow_sha1 = case.allow_sha1;
        let verifier = verifier(config, source.clone());
        let got = verifier
            .verify(&case.headers, &case.body, case.now)
            .await
            .map_err(|e| e.reason());
        if got != case.expect {
            failures.push(format!(
                "{}: expected {:?}, got {:?}",
                case.name, case.expect, got
            ));
        }
        let expected_calls = usize::from(!decided_before_fetch(case.expect));
        if source.calls() != expected_calls {
            failures.push(format!(
                "{}: source called {} times, expected {}",
                case.name,
                source.calls(),
                expected_calls
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
    eprintln!("{} cases passed", all.len());
}
