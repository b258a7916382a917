//! Where signing-certificate chains come from.
//!
//! [`CertSource`] is object-safe so the verifier can be driven by an in-memory source
//! in tests and by [`HttpsCertSource`] in production. The verifier adds its own
//! timeout and size cap around any source, so a misbehaving source cannot stall or
//! bloat it; `HttpsCertSource` additionally stops reading the network as soon as
//! the cap is exceeded instead of buffering the whole body first.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use url::Url;

use super::config::VerifierConfig;
use super::error::{ConfigError, FetchError};

/// Boxed future returned by [`CertSource::fetch`].
pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Vec<u8>, FetchError>> + Send + 'a>>;

/// A provider of PEM chain bytes for an already checked certificate URL.
pub trait CertSource: Send + Sync + 'static {
    /// Downloads (or looks up) the PEM bytes behind `url`.
    fn fetch<'a>(&'a self, url: &'a Url) -> FetchFuture<'a>;
}

/// Accumulates a response body and fails as soon as it grows past the cap.
///
/// Separate from the HTTP code so the cap logic is unit-testable without a TLS server.
#[derive(Debug)]
pub struct CappedBody {
    buf: Vec<u8>,
    limit: usize,
}

impl CappedBody {
    /// Starts a body; a declared `Content-Length` above the cap fails immediately.
    pub fn new(limit: usize, declared_len: Option<u64>) -> Result<Self, FetchError> {
        let declared = declared_len.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
        if declared.is_some_and(|n| n > limit) {
            return Err(FetchError::TooLarge { limit });
        }
        // Never trust the declared length for more than the cap.
        let capacity = declared.unwrap_or(0).min(limit);
        Ok(Self {
            buf: Vec::with_capacity(capacity),
            limit,
        })
    }

    /// Appends one chunk, failing once the total exceeds the cap.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), FetchError> {
        if chunk.len() > self.limit - self.buf.len() {
            return Err(FetchError::TooLarge { limit: self.limit });
        }
        self.buf.extend_from_slice(chunk);
        Ok(())
    }

    /// Bytes received so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// True before the first non-empty chunk.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The complete body.
    pub fn into_inner(self) -> Vec<u8> {
        self.buf
    }
}

/// Downloads chains over HTTPS with reqwest (rustls, Mozilla roots).
///
/// https only (also enforced by the client), no redirects (S3 answers the object
/// directly; following a redirect would leave the checked URL), whole-request
/// timeout, and a size cap enforced while streaming.
#[derive(Debug, Clone)]
pub struct HttpsCertSource {
    client: reqwest::Client,
    max_bytes: usize,
}

impl HttpsCertSource {
    /// Builds a source with the given whole-request timeout and body size cap.
    pub fn new(timeout: Duration, max_bytes: usize) -> Result<Self, ConfigError> {
        let client = reqwest::Client::builder()
            .https_only(true)
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("onair-verify/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ConfigError::HttpClient(error_chain(&e)))?;
        Ok(Self { client, max_bytes })
    }

    /// Builds a source from the verifier settings (`fetch_timeout`, `max_chain_bytes`).
    pub fn from_config(config: &VerifierConfig) -> Result<Self, ConfigError> {
        Self::new(config.fetch_timeout, config.max_chain_bytes)
    }

    async fn download(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        // Checked here too so the source is safe on its own, not only behind the
        // verifier's URL rules.
        if url.scheme() != "https" {
            return Err(FetchError::NotHttps);
        }
        let mut response = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(map_reqwest)?;
        let status = response.status();
        if status != reqwest::StatusCode::OK {
            return Err(FetchError::Status(status.as_u16()));
        }
        let mut body = CappedBody::new(self.max_bytes, response.content_length())?;
        while let Some(chunk) = response.chunk().await.map_err(map_reqwest)? {
            body.push(&chunk)?;
        }
        Ok(body.into_inner())
    }
}

impl CertSource for HttpsCertSource {
    fn fetch<'a>(&'a self, url: &'a Url) -> FetchFuture<'a> {
        Box::pin(self.download(url))
    }
}

fn map_reqwest(error: reqwest::Error) -> FetchError {
    if error.is_timeout() {
        FetchError::Timeout
    } else {
        FetchError::Transport(error_chain(&error))
    }
}

/// `Display` of an error and its sources; reqwest's own text omits the cause
/// (e.g. which TLS check failed), which is what an operator needs.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capped_body_accepts_up_to_the_limit_and_not_one_byte_more() {
        let mut body = CappedBody::new(10, None).expect("no declared length");
        body.push(b"12345").expect("fits");
        body.push(b"67890").expect("exactly at the cap");
        assert_eq!(body.len(), 10);
        assert_eq!(body.push(b"x"), Err(FetchError::TooLarge { limit: 10 }));
        assert_eq!(body.into_inner(), b"1234567890");
    }

    #[test]
    fn capped_body_fails_early_on_declared_length_and_on_one_huge_chunk() {
        assert_eq!(
            CappedBody::new(10, Some(11)).map(|_| ()),
            Err(FetchError::TooLarge { limit: 10 })
        );
        let mut body = CappedBody::new(10, None).expect("ok");
        assert!(body.is_empty());
        assert_eq!(body.push(&[0; 64]), Err(FetchError::TooLarge { limit: 10 }));
        // A lying small Content-Length does not bypass the streaming cap.
        let mut liar = CappedBody::new(10, Some(1)).expect("declared small");
        assert_eq!(liar.push(&[0; 11]), Err(FetchError::TooLarge { limit: 10 }));
    }

    #[tokio::test]
    async fn https_source_refuses_plain_http_without_connecting() {
        let source = HttpsCertSource::new(Duration::from_secs(1), 1024).expect("client");
        let url = Url::parse("http://127.0.0.1:9/echo.api/cert").expect("url");
        assert_eq!(source.fetch(&url).await, Err(FetchError::NotHttps));
    }
}
