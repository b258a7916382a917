//! Shared test fixtures: a throw-away PKI built with rcgen at test time from the
//! committed test keys (tests/data), request bodies signed with the leaf key, and
//! in-memory certificate sources that count their calls.
#![allow(dead_code)] // each test crate uses a different part

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use http::{HeaderMap, HeaderValue};
use jiff::Timestamp;
use onair::verify::{CertSource, FetchError, FetchFuture, Verifier, VerifierConfig};
use rcgen::{
    date_time_ymd, BasicConstraints, Certificate, CertificateParams, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256,
};
use ring::rand::SystemRandom;
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use url::Url;

pub const SKILL: &str = "amzn1.ask.skill.11111111-2222-3333-4444-555555555555";
pub const OTHER_SKILL: &str = "amzn1.ask.skill.99999999-8888-7777-6666-555555555555";
pub const CERT_URL: &str = "https://s3.amazonaws.com/echo.api/echo-api-cert-test.pem";

const ROOT_KEY: &str = include_str!("../data/verify/root.key.pem");
const INTERMEDIATE_KEY: &str = include_str!("../data/verify/intermediate.key.pem");
const LEAF_KEY: &str = include_str!("../data/verify/leaf.key.pem");
const ROGUE_KEY: &str = include_str!("../data/verify/rogue.key.pem");
pub const SHA1_BODY: &[u8] = include_bytes!("../data/verify/sha1-body.json");
pub const SHA1_SIGNATURE_B64: &str = include_str!("../data/verify/sha1-body.sig.b64");

/// The fixed "current time" of the tests: inside the genuine leaf's window.
pub fn now() -> Timestamp {
    "2026-01-15T12:00:00Z".parse().expect("fixed time")
}

/// `now()` shifted by `seconds`.
pub fn now_plus(seconds: i64) -> Timestamp {
    Timestamp::from_second(now().as_second() + seconds).expect("in range")
}

fn key(pem: &str) -> KeyPair {
    KeyPair::from_pem_and_sign_algo(pem, &PKCS_RSA_SHA256).expect("test key")
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "onair test PKI");
    dn.push(DnType::CommonName, common_name);
    dn
}

fn ca_params(common_name: &str, from: (i32, u8, u8), until: (i32, u8, u8)) -> CertificateParams {
    let mut params = CertificateParams::new(Vec::<String>::new()).expect("params");
    params.distinguished_name = name(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    params.not_before = date_time_ymd(from.0, from.1, from.2);
    params.not_after = date_time_ymd(until.0, until.1, until.2);
    params
}

fn leaf_params(san: &str, from: (i32, u8, u8), until: (i32, u8, u8)) -> CertificateParams {
    let mut params = CertificateParams::new(vec![san.to_owned()]).expect("params");
    params.distinguished_name = name(san);
    params.is_ca = IsCa::NoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![
        ExtendedKeyUsagePurpose::ServerAuth,
        ExtendedKeyUsagePurpose::ClientAuth,
    ];
    params.not_before = date_time_ymd(from.0, from.1, from.2);
    params.not_after = date_time_ymd(until.0, until.1, until.2);
    params
}

const CA_FROM: (i32, u8, u8) = (2024, 1, 1);
const CA_UNTIL: (i32, u8, u8) = (2034, 1, 1);
const LEAF_FROM: (i32, u8, u8) = (2025, 1, 1);
const LEAF_UNTIL: (i32, u8, u8) = (2027, 1, 1);

/// The test PKI and every broken chain variant the tests need, as PEM bytes.
pub struct Pki {
    /// Self-signed test root; add it as an extra trust anchor.
    pub root_pem: Vec<u8>,
    /// leaf + intermediate: the genuine chain.
    pub genuine: Vec<u8>,
    /// Leaf valid 2020-01-01..2021-01-01.
    pub expired_leaf: Vec<u8>,
    /// Leaf valid 2030-01-01..2031-01-01.
    pub future_leaf: Vec<u8>,
    /// Leaf whose only SAN is `echo-api.amazon.com.evil.example`.
    pub wrong_san: Vec<u8>,
    /// Leaf + intermediate issued by a root nobody trusts (root included in the file).
    pub untrusted_root: Vec<u8>,
    /// The genuine leaf alone.
    pub missing_intermediate: Vec<u8>,
    /// Leaf + an intermediate with the genuine intermediate's name but the rogue key.
    pub impostor_intermediate: Vec<u8>,
    /// Leaf + intermediate that expired in 2021.
    pub expired_intermediate: Vec<u8>,
    /// Genuine chain with the (trusted) root appended, as Amazon's files carry roots.
    pub with_root: Vec<u8>,
    leaf_signer: RsaKeyPair,
    rogue_signer: RsaKeyPair,
}

fn pem_of(certs: &[&Certificate]) -> Vec<u8> {
    certs
        .iter()
        .map(|c| c.pem())
        .collect::<String>()
        .into_bytes()
}

impl Pki {
    pub fn new() -> Self {
        let root_key = key(ROOT_KEY);
        let intermediate_key = key(INTERMEDIATE_KEY);
        let leaf_key = key(LEAF_KEY);
        let rogue_key = key(ROGUE_KEY);

        let root = ca_params("onair Test Root", CA_FROM, CA_UNTIL)
            .self_signed(&root_key)
            .expect("root");
        let intermediate = ca_params("onair Test Intermediate", CA_FROM, CA_UNTIL)
            .signed_by(&intermediate_key, &root, &root_key)
            .expect("intermediate");
        let leaf_signed =
            |params: CertificateParams, issuer: &Certificate, issuer_key: &KeyPair| {
                params
                    .signed_by(&leaf_key, issuer, issuer_key)
                    .expect("leaf")
            };
        let leaf = leaf_signed(
            leaf_params("echo-api.amazon.com", LEAF_FROM, LEAF_UNTIL),
            &intermediate,
            &intermediate_key,
        );
        let expired = leaf_signed(
            leaf_params("echo-api.amazon.com", (2020, 1, 1), (2021, 1, 1)),
            &intermediate,
            &intermediate_key,
        );
        let future = leaf_signed(
            leaf_params("echo-api.amazon.com", (2030, 1, 1), (2031, 1, 1)),
            &intermediate,
            &intermediate_key,
        );
        let wrong_san = leaf_signed(
            leaf_params("echo-api.amazon.com.evil.example", LEAF_FROM, LEAF_UNTIL),
            &intermediate,
            &intermediate_key,
        );

        let rogue_root = ca_params("Rogue Root", CA_FROM, CA_UNTIL)
            .self_signed(&rogue_key)
            .expect("rogue root");
        let rogue_intermediate = ca_params("Rogue Intermediate", CA_FROM, CA_UNTIL)
            .signed_by(&intermediate_key, &rogue_root, &rogue_key)
            .expect("rogue intermediate");
        let rogue_leaf = leaf_signed(
            leaf_params("echo-api.amazon.com", LEAF_FROM, LEAF_UNTIL),
            &rogue_intermediate,
            &intermediate_key,
        );

        // Same name as the genuine intermediate and properly issued by the trusted root,
        // but carrying the rogue key: the genuine leaf's signature does not verify under it.
        let impostor = ca_params("onair Test Intermediate", CA_FROM, CA_UNTIL)
            .signed_by(&rogue_key, &root, &root_key)
            .expect("impostor");

        let old_intermediate = ca_params("onair Old Intermediate", (2019, 1, 1), (2021, 1, 1))
            .signed_by(&intermediate_key, &root, &root_key)
            .expect("old intermediate");
        let leaf_under_old = leaf_signed(
            leaf_params("echo-api.amazon.com", LEAF_FROM, LEAF_UNTIL),
            &old_intermediate,
            &intermediate_key,
        );

        let signer = |pem: &str| {
            let der = pem::parse(pem).expect("pem").into_contents();
            RsaKeyPair::from_pkcs8(&der).expect("ring key")
        };
        Self {
            root_pem: pem_of(&[&root]),
            genuine: pem_of(&[&leaf, &intermediate]),
            expired_leaf: pem_of(&[&expired, &intermediate]),
            future_leaf: pem_of(&[&future, &intermediate]),
            wrong_san: pem_of(&[&wrong_san, &intermediate]),
            untrusted_root: pem_of(&[&rogue_leaf, &rogue_intermediate, &rogue_root]),
            missing_intermediate: pem_of(&[&leaf]),
            impostor_intermediate: pem_of(&[&leaf, &impostor]),
            expired_intermediate: pem_of(&[&leaf_under_old, &old_intermediate]),
            with_root: pem_of(&[&leaf, &intermediate, &root]),
            leaf_signer: signer(LEAF_KEY),
            rogue_signer: signer(ROGUE_KEY),
        }
    }

    /// Base64 RSA PKCS#1 v1.5 SHA-256 signature of `body` by the leaf key.
    pub fn sign(&self, body: &[u8]) -> String {
        sign_with(&self.leaf_signer, body)
    }

    /// Same, by a key that is not the leaf's.
    pub fn sign_rogue(&self, body: &[u8]) -> String {
        sign_with(&self.rogue_signer, body)
    }

    /// Default config for the test skill with the test root as extra anchor.
    pub fn config(&self) -> VerifierConfig {
        VerifierConfig {
            extra_roots_pem: vec![self.root_pem.clone()],
            ..VerifierConfig::for_skills([SKILL])
        }
    }
}

fn sign_with(key: &RsaKeyPair, body: &[u8]) -> String {
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        body,
        &mut signature,
    )
    .expect("sign");
    base64::engine::general_purpose::STANDARD.encode(signature)
}

/// A realistic request body of about 2 KB.
pub fn body(
    request_type: &str,
    timestamp: serde_json::Value,
    context_app: &str,
    session_app: Option<&str>,
) -> Vec<u8> {
    let token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.".repeat(20);
    let mut envelope = serde_json::json!({
        "version": "1.0",
        "context": {
            "System": {
                "application": { "applicationId": context_app },
                "user": { "userId": "amzn1.ask.account.AHT5VCB7TV7OFC37NI36O455PN5M65RDNQYF7I2UZFHIVGYL32CYNKUFGJKPRZP4YLIZ2COLBATRRAQI76NRRENEMCT4SZK5YX3XCWADQ" },
                "device": {
                    "deviceId": "amzn1.ask.device.AHCPKG3JQM63IHPZ22ERML2U37KY622FUV6ZQDHCYBHDTJOO3H432LNSREB3TBJVICYKHSG",
                    "supportedInterfaces": { "AudioPlayer": {} }
                },
                "apiEndpoint": "https://api.amazonalexa.com",
                "apiAccessToken": token
            },
            "AudioPlayer": { "playerActivity": "IDLE" }
        },
        "request": {
            "type": request_type,
            "requestId": "amzn1.echo-api.request.ea2d2b70-7b8e-4b18-9cfa-37c55c7464d5",
            "timestamp": timestamp,
            "locale": "en-US"
        }
    });
    if let Some(app) = session_app {
        envelope["session"] = serde_json::json!({
            "new": true,
            "sessionId": "amzn1.echo-api.session.59072b44-48d0-4d0f-9ecc-d18c662abc4e",
            "application": { "applicationId": app },
            "attributes": {},
            "user": { "userId": "amzn1.ask.account.AHT5VCB7TV7OFC37NI36O455PN5M65RDNQYF7" }
        });
    }
    serde_json::to_vec(&envelope).expect("json")
}

/// The standard genuine body: an IntentRequest at `now()` with session.
pub fn genuine_body() -> Vec<u8> {
    body(
        "IntentRequest",
        serde_json::Value::from("2026-01-15T12:00:00Z"),
        SKILL,
        Some(SKILL),
    )
}

/// Headers with the given (name, value) pairs, appended in order.
pub fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_str(value).expect("header"));
    }
    map
}

/// The usual two headers.
pub fn signed_headers(cert_url: &str, signature: &str) -> HeaderMap {
    headers(&[
        ("SignatureCertChainUrl", cert_url),
        ("Signature-256", signature),
    ])
}

/// In-memory chain source: serves fixed bytes (or a fixed error) for any URL,
/// optionally after a delay, and counts calls and peak concurrency.
pub struct MemorySource {
    answer: Result<Vec<u8>, FetchError>,
    delay: Duration,
    calls: AtomicUsize,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

impl MemorySource {
    pub fn serving(pem: &[u8]) -> Arc<Self> {
        Self::new(Ok(pem.to_vec()), Duration::ZERO)
    }

    pub fn failing(error: FetchError) -> Arc<Self> {
        Self::new(Err(error), Duration::ZERO)
    }

    pub fn new(answer: Result<Vec<u8>, FetchError>, delay: Duration) -> Arc<Self> {
        Arc::new(Self {
            answer,
            delay,
            calls: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        })
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    pub fn peak_concurrency(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

impl CertSource for MemorySource {
    fn fetch<'a>(&'a self, _url: &'a Url) -> FetchFuture<'a> {
        Box::pin(async move {
            self.calls.fetch_add(1, Ordering::SeqCst);
            let running = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            self.peak.fetch_max(running, Ordering::SeqCst);
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            self.in_flight.fetch_sub(1, Ordering::SeqCst);
            self.answer.clone()
        })
    }
}

/// A verifier over `source` with `config`.
pub fn verifier(config: VerifierConfig, source: Arc<MemorySource>) -> Verifier {
    Verifier::new(config, source).expect("valid config")
}
