//! Error types of the verification module.
//!
//! Every rejection carries one precise reason so that logs and metrics can tell a
//! forged request (bad signature, wrong application) from an operational problem
//! (certificate download failed). [`VerifyError::reason`] gives a stable snake_case
//! label for each; the `Display` text adds detail for humans. All errors map to
//! HTTP 400 at the endpoint (protocol.md §5.8), so callers need not match on them.

use jiff::Timestamp;
use thiserror::Error;

/// Longest slice of attacker-controlled text copied into an error message, so a
/// hostile header cannot flood the logs.
const MAX_ECHOED_CHARS: usize = 120;

/// Shortens untrusted text before it is stored in an error.
pub(super) fn clip(text: &str) -> String {
    match text.char_indices().nth(MAX_ECHOED_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Why a `SignatureCertChainUrl` value was refused (rules in cert-url-cases.md).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CertUrlError {
    /// Not an absolute URL (e.g. `badUrl`).
    #[error("certificate URL is not an absolute URL: {0:?}")]
    Invalid(String),
    /// Scheme other than `https`.
    #[error("certificate URL scheme must be https, got {0:?}")]
    Scheme(String),
    /// Host other than `s3.amazonaws.com` (look-alikes and user-info tricks land here).
    #[error("certificate URL host must be s3.amazonaws.com, got {0:?}")]
    Host(String),
    /// User name or password present even though the host is right: Amazon never
    /// sends one and it only serves to confuse naive parsers.
    #[error("certificate URL must not carry user information")]
    UserInfo,
    /// Explicit port other than 443.
    #[error("certificate URL port must be 443, got {0}")]
    Port(u16),
    /// Normalised path does not start with the case-sensitive `/echo.api/` prefix.
    #[error("certificate URL path must begin with /echo.api/, got {0:?}")]
    Path(String),
    /// Query string or fragment present. Amazon never sends one; refusing them keeps
    /// attackers from varying the cache key (one download per variant) or from
    /// selecting other S3 object versions.
    #[error("certificate URL must not carry a query or fragment")]
    QueryOrFragment,
}

impl CertUrlError {
    /// Stable snake_case label for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Invalid(_) => "cert_url_invalid",
            Self::Scheme(_) => "cert_url_scheme",
            Self::Host(_) => "cert_url_host",
            Self::UserInfo => "cert_url_userinfo",
            Self::Port(_) => "cert_url_port",
            Self::Path(_) => "cert_url_path",
            Self::QueryOrFragment => "cert_url_query",
        }
    }
}

/// Why downloading the certificate chain failed.
///
/// `Clone` because a failure is remembered and handed to every request that asks
/// for the same URL during `failed_fetch_ttl`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FetchError {
    /// The URL is not `https`; the source refuses to fetch over plain text.
    #[error("refusing to fetch a certificate chain over a non-https URL")]
    NotHttps,
    /// The download did not finish within the configured timeout.
    #[error("certificate chain download timed out")]
    Timeout,
    /// The body exceeded the size cap (checked while streaming, not after).
    #[error("certificate chain is larger than {limit} bytes")]
    TooLarge {
        /// The configured cap in bytes.
        limit: usize,
    },
    /// The server answered with a status other than 200.
    #[error("certificate chain download answered HTTP {0}")]
    Status(u16),
    /// Connection, TLS or protocol failure.
    #[error("certificate chain download failed: {0}")]
    Transport(String),
    /// No download slot became free in time (too many simultaneous downloads).
    /// Not remembered as a failure: it says nothing about the URL.
    #[error("too many certificate downloads in progress")]
    Busy,
}

impl FetchError {
    /// Stable snake_case label for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::NotHttps => "fetch_not_https",
            Self::Timeout => "fetch_timeout",
            Self::TooLarge { .. } => "fetch_too_large",
            Self::Status(_) => "fetch_status",
            Self::Transport(_) => "fetch_failed",
            Self::Busy => "fetch_busy",
        }
    }
}

/// Why the downloaded certificate chain is unusable.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ChainError {
    /// The bytes are not PEM, a block is not a certificate, or a certificate is not valid X.509.
    #[error("certificate chain is malformed: {0}")]
    Malformed(String),
    /// The PEM contained no certificate at all.
    #[error("certificate chain is empty")]
    Empty,
    /// More certificates than any real chain has; refused to bound path building.
    #[error("certificate chain has {0} certificates, more than allowed")]
    TooLong(usize),
    /// The signing certificate's key is not RSA, so it cannot have made an
    /// RSA PKCS#1 v1.5 request signature.
    #[error("signing certificate key is not RSA")]
    LeafKeyNotRsa,
    /// The signing certificate's notAfter lies before the verification time.
    #[error("signing certificate expired at {not_after}")]
    Expired {
        /// The certificate's notAfter.
        not_after: Timestamp,
    },
    /// The signing certificate's notBefore lies after the verification time.
    #[error("signing certificate is not valid before {not_before}")]
    NotYetValid {
        /// The certificate's notBefore.
        not_before: Timestamp,
    },
    /// The signing certificate's SAN list lacks the DNS name `echo-api.amazon.com`.
    #[error("signing certificate is not issued to echo-api.amazon.com")]
    SanMismatch,
    /// The file lacks the certificate that issued the signing certificate, and that
    /// issuer is not a trust anchor either.
    #[error("certificate chain lacks the intermediate that issued the signing certificate")]
    MissingIntermediate,
    /// The chain does not lead to a trusted root (or leads to a distrusted one).
    #[error("certificate chain does not lead to a trusted root")]
    Untrusted,
    /// An intermediate on the path has expired.
    #[error("an intermediate certificate of the chain has expired")]
    IntermediateExpired,
    /// An intermediate on the path is not valid yet.
    #[error("an intermediate certificate of the chain is not yet valid")]
    IntermediateNotYetValid,
    /// A certificate on the path is not signed by the key of its issuer (forged chain).
    #[error("a certificate of the chain carries an invalid signature")]
    BadChainSignature,
    /// A certificate on the path uses a signature algorithm that is not accepted
    /// (e.g. SHA-1 based certificate signatures).
    #[error("a certificate of the chain uses an unsupported signature algorithm")]
    UnsupportedAlgorithm,
    /// The signing certificate's extended key usage does not allow TLS server use.
    #[error("signing certificate lacks the serverAuth extended key usage")]
    WrongUsage,
    /// Any other path-validation failure reported by webpki.
    #[error("certificate chain is invalid: {0}")]
    Invalid(String),
}

impl ChainError {
    /// Stable snake_case label for logs and metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "chain_malformed",
            Self::Empty => "chain_empty",
            Self::TooLong(_) => "chain_too_long",
            Self::LeafKeyNotRsa => "leaf_key_not_rsa",
            Self::Expired { .. } => "cert_expired",
            Self::NotYetValid { .. } => "cert_not_yet_valid",
            Self::SanMismatch => "san_mismatch",
            Self::MissingIntermediate => "missing_intermediate",
            Self::Untrusted => "untrusted_chain",
            Self::IntermediateExpired => "intermediate_expired",
            Self::IntermediateNotYetValid => "intermediate_not_yet_valid",
            Self::BadChainSignature => "chain_bad_signature",
            Self::UnsupportedAlgorithm => "chain_unsupported_algorithm",
            Self::WrongUsage => "leaf_wrong_usage",
            Self::Invalid(_) => "chain_invalid",
        }
    }
}

/// Why a request was rejected. One variant per precise reason; see [`VerifyError::reason`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VerifyError {
    /// No `SignatureCertChainUrl` header.
    #[error("missing SignatureCertChainUrl header")]
    MissingCertUrl,
    /// Neither `Signature-256` nor (when SHA-1 is allowed) `Signature`.
    #[error("missing Signature-256 header")]
    MissingSignature,
    /// Only the legacy SHA-1 `Signature` header is present and SHA-1 is disabled.
    #[error("only a legacy SHA-1 Signature header was sent and SHA-1 is not allowed")]
    Sha1NotAllowed,
    /// A signature-related header occurs more than once; which one to trust would be
    /// ambiguous, and proxies may order them differently.
    #[error("header {0} occurs more than once")]
    DuplicateHeader(&'static str),
    /// A signature-related header value is not visible ASCII.
    #[error("header {0} is not ASCII")]
    HeaderNotAscii(&'static str),
    /// The body is not UTF-8 (Alexa always sends UTF-8 JSON).
    #[error("request body is not UTF-8")]
    BodyNotUtf8,
    /// The body is not JSON, or a checked field has the wrong JSON type.
    #[error("request body is not a valid request envelope: {0}")]
    MalformedBody(String),
    /// `request.timestamp` is absent or null.
    #[error("request.timestamp is missing")]
    MissingTimestamp,
    /// `request.timestamp` is neither an ISO-8601 string nor epoch milliseconds.
    #[error("request.timestamp is not a valid time: {0}")]
    BadTimestamp(String),
    /// The timestamp lies further in the past than the tolerance (replay protection).
    #[error("request.timestamp is {skew_secs} s in the past")]
    StaleTimestamp {
        /// How far in the past, in whole seconds.
        skew_secs: i64,
    },
    /// The timestamp lies further in the future than the tolerance.
    #[error("request.timestamp is {skew_secs} s in the future")]
    FutureTimestamp {
        /// How far in the future, in whole seconds.
        skew_secs: i64,
    },
    /// `context.System.application.applicationId` (or the session's, when a
    /// session is present) is absent.
    #[error("applicationId is missing")]
    MissingApplicationId,
    /// `context.System.application.applicationId` is not one of the configured skills.
    #[error("applicationId {0:?} is not an allowed skill")]
    UnknownApplication(String),
    /// `session.application.applicationId` is not allowed or differs from the context's.
    #[error("session applicationId {0:?} does not match")]
    SessionApplicationMismatch(String),
    /// The certificate URL breaks a rule.
    #[error(transparent)]
    CertUrl(#[from] CertUrlError),
    /// The certificate chain could not be downloaded.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The certificate chain is unusable at the verification time.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// The signature header is not valid base64 (or decodes to nothing / too much).
    #[error("signature header is not valid base64")]
    BadSignatureEncoding,
    /// The signature does not match the body under the signing certificate's key.
    #[error("signature does not match the request body")]
    BadSignature,
}

impl VerifyError {
    /// Stable snake_case label for logs and metrics; nested errors report their own
    /// label (e.g. `cert_url_scheme`, `fetch_timeout`, `cert_expired`).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::MissingCertUrl => "missing_cert_url",
            Self::MissingSignature => "missing_signature",
            Self::Sha1NotAllowed => "sha1_not_allowed",
            Self::DuplicateHeader(_) => "duplicate_header",
            Self::HeaderNotAscii(_) => "header_not_ascii",
            Self::BodyNotUtf8 => "body_not_utf8",
            Self::MalformedBody(_) => "malformed_body",
            Self::MissingTimestamp => "missing_timestamp",
            Self::BadTimestamp(_) => "bad_timestamp",
            Self::StaleTimestamp { .. } => "stale_timestamp",
            Self::FutureTimestamp { .. } => "future_timestamp",
            Self::MissingApplicationId => "missing_application_id",
            Self::UnknownApplication(_) => "unknown_application",
            Self::SessionApplicationMismatch(_) => "session_application_mismatch",
            Self::CertUrl(e) => e.reason(),
            Self::Fetch(e) => e.reason(),
            Self::Chain(e) => e.reason(),
            Self::BadSignatureEncoding => "bad_signature_encoding",
            Self::BadSignature => "bad_signature",
        }
    }
}

/// Why a [`super::VerifierConfig`] cannot build a [`super::Verifier`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// `skill_ids` is empty: every request would be rejected, which is a deployment mistake.
    #[error("no skill ids configured")]
    NoSkillIds,
    /// A skill id is empty or only whitespace.
    #[error("skill id #{0} is empty")]
    EmptySkillId(usize),
    /// An entry of `extra_roots_pem` is not a usable trust anchor.
    #[error("extra root #{index} is unusable: {reason}")]
    ExtraRoot {
        /// Position in `extra_roots_pem`.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A numeric setting is zero where that would disable verification or fetching.
    #[error("{0} must be greater than zero")]
    Zero(&'static str),
    /// The HTTPS client could not be built.
    #[error("cannot build the HTTPS client: {0}")]
    HttpClient(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_keeps_short_text_and_cuts_long_text_on_char_boundary() {
        assert_eq!(clip("abc"), "abc");
        let long = "é".repeat(500);
        let clipped = clip(&long);
        assert!(clipped.ends_with("..."));
        assert_eq!(clipped.chars().count(), MAX_ECHOED_CHARS + 3);
    }

    #[test]
    fn nested_reasons_are_forwarded() {
        assert_eq!(
            VerifyError::from(CertUrlError::Port(563)).reason(),
            "cert_url_port"
        );
        assert_eq!(
            VerifyError::from(FetchError::Timeout).reason(),
            "fetch_timeout"
        );
        assert_eq!(
            VerifyError::from(ChainError::SanMismatch).reason(),
            "san_mismatch"
        );
    }
}
