//! Verification of requests from Alexa (protocol.md §5).
//!
//! Every request to the skill endpoint must pass [`Verifier::verify`] before any
//! business logic; any error maps to HTTP 400. The checks run cheapest first, so a
//! forged request is refused without touching the network:
//!
//! 1. signature headers present, single, ASCII (`headers.rs`);
//! 2. body is UTF-8 JSON with the checked fields (`envelope.rs`);
//! 3. certificate URL rules ([`check_cert_url`]);
//! 4. timestamp within tolerance (`timestamp.rs`);
//! 5. application id allowed (`application.rs`);
//! 6. signature header is valid base64 (`signature.rs`);
//! 7. chain from cache or a single-flight download (`cache.rs`, [`CertSource`]);
//! 8. chain checks: leaf window, SAN `echo-api.amazon.com`, path to a trusted root
//!    (`chain.rs`);
//! 9. RSA PKCS#1 v1.5 signature over the raw body (`signature.rs`).
//!
//! The module depends only on external crates, so it can move between crates as is.

mod application;
mod cache;
mod cert_source;
mod cert_url;
mod chain;
mod config;
mod envelope;
mod error;
mod headers;
mod signature;
mod timestamp;

use std::sync::Arc;

use http::HeaderMap;
use jiff::Timestamp;

pub use self::cert_source::{CappedBody, CertSource, FetchFuture, HttpsCertSource};
pub use self::cert_url::{check_cert_url, CERT_URL_HOST, CERT_URL_PATH_PREFIX};
pub use self::chain::{SigningChain, TrustStore, SIGNING_CERT_SAN};
pub use self::config::VerifierConfig;
pub use self::error::{CertUrlError, ChainError, ConfigError, FetchError, VerifyError};
pub use self::headers::{
    SignatureAlgorithm, CERT_URL_HEADER, SIGNATURE_256_HEADER, SIGNATURE_SHA1_HEADER,
};
pub use self::timestamp::SKILL_EVENT_PREFIX;

use self::cache::{CacheLimits, ChainCache};

/// Verifies Alexa requests. Build once and share through an `Arc`; it caches
/// downloaded certificate chains internally.
#[derive(Debug)]
pub struct Verifier {
    config: VerifierConfig,
    trust: TrustStore,
    cache: ChainCache,
}

impl Verifier {
    /// Builds a verifier that takes chains from `source`.
    ///
    /// Fails on an empty skill allow-list, zero limits, or unusable extra roots, so a
    /// misconfiguration shows at startup instead of as rejected requests.
    pub fn new(config: VerifierConfig, source: Arc<dyn CertSource>) -> Result<Self, ConfigError> {
        config.validate()?;
        let mut trust = TrustStore::mozilla();
        for (index, pem) in config.extra_roots_pem.iter().enumerate() {
            trust
                .add_pem(pem)
                .map_err(|reason| ConfigError::ExtraRoot { index, reason })?;
        }
        let limits = CacheLimits {
            fetch_timeout: config.fetch_timeout,
            max_chain_bytes: config.max_chain_bytes,
            failed_ttl: config.failed_fetch_ttl,
            max_concurrent_fetches: config.max_concurrent_fetches,
            max_entries: config.max_cached_urls,
        };
        Ok(Self {
            cache: ChainCache::new(source, limits),
            config,
            trust,
        })
    }

    /// Builds a verifier that downloads chains with [`HttpsCertSource`].
    pub fn with_https(config: VerifierConfig) -> Result<Self, ConfigError> {
        let source = HttpsCertSource::from_config(&config)?;
        Self::new(config, Arc::new(source))
    }

    /// Checks everything, cheap checks first (see the module docs for the order).
    ///
    /// `body` must be the raw bytes as received; `now` is injected so that callers
    /// decide the clock (tests use fixed times).
    pub async fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: Timestamp,
    ) -> Result<(), VerifyError> {
        let signature_headers = headers::extract(headers, self.config.allow_sha1)?;
        let fields = envelope::parse(body)?;
        let url = check_cert_url(signature_headers.cert_url)?;

        let sent = timestamp::parse(fields.timestamp.as_ref())?;
        let tolerance = timestamp::tolerance_for(
            fields.request_type.as_deref(),
            self.config.tolerance,
            self.config.skill_event_tolerance,
        );
        timestamp::check_freshness(sent, now, tolerance)?;

        application::check(
            fields.context_application_id.as_deref(),
            fields
                .session_application_id
                .as_ref()
                .map(|id| id.as_deref()),
            &self.config.skill_ids,
        )?;

        let signature = signature::decode(signature_headers.signature)?;

        // Only now may the network be touched.
        let cached = self.cache.get(&url, now).await?;
        cached.check(&self.trust, now)?;
        signature::verify(
            cached.chain.leaf_rsa_public_key(),
            signature_headers.algorithm,
            body,
            &signature,
        )
    }

    /// The settings this verifier was built with.
    pub fn config(&self) -> &VerifierConfig {
        &self.config
    }

    /// The trust anchors chains are validated against.
    pub fn trust_store(&self) -> &TrustStore {
        &self.trust
    }

    /// How many certificate URLs are remembered (chains and failures); for metrics.
    pub fn cached_urls(&self) -> usize {
        self.cache.len()
    }
}
