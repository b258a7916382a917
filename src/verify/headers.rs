//! Extraction of the signature headers (protocol.md §5.1).
//!
//! `http::HeaderMap` stores names in lower case, so lookups are case-insensitive as
//! the protocol requires (proxies and HTTP/2 lower-case them). A header that occurs
//! twice is refused rather than picking one: which copy a proxy forwards first is
//! not something a security check should depend on.

use http::HeaderMap;

use super::error::VerifyError;

/// Header carrying the certificate chain URL.
pub const CERT_URL_HEADER: &str = "SignatureCertChainUrl";
/// Header carrying the base64 RSA PKCS#1 v1.5 SHA-256 signature.
pub const SIGNATURE_256_HEADER: &str = "Signature-256";
/// Legacy header carrying the base64 RSA PKCS#1 v1.5 SHA-1 signature.
pub const SIGNATURE_SHA1_HEADER: &str = "Signature";

/// Digest the request signature was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    /// `Signature-256`: RSA PKCS#1 v1.5 with SHA-256.
    Sha256,
    /// Legacy `Signature`: RSA PKCS#1 v1.5 with SHA-1 (only when allowed).
    Sha1,
}

/// The raw header values needed for verification, borrowed from the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct SignatureHeaders<'a> {
    pub(super) cert_url: &'a str,
    pub(super) signature: &'a str,
    pub(super) algorithm: SignatureAlgorithm,
}

/// Returns the single ASCII value of `name`, `None` when absent.
fn single<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<Option<&'a str>, VerifyError> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(VerifyError::DuplicateHeader(name));
    }
    // `to_str` accepts only visible ASCII (plus space/tab).
    first
        .to_str()
        .map(Some)
        .map_err(|_| VerifyError::HeaderNotAscii(name))
}

/// Picks the signature and the certificate URL.
///
/// `Signature-256` wins when present. Without it, the legacy `Signature` header is
/// used only if `allow_sha1`; otherwise its presence yields the more telling
/// `Sha1NotAllowed` instead of `MissingSignature`.
pub(super) fn extract(
    headers: &HeaderMap,
    allow_sha1: bool,
) -> Result<SignatureHeaders<'_>, VerifyError> {
    let (signature, algorithm) = match single(headers, SIGNATURE_256_HEADER)? {
        Some(value) => (value, SignatureAlgorithm::Sha256),
        None => match single(headers, SIGNATURE_SHA1_HEADER)? {
            Some(value) if allow_sha1 => (value, SignatureAlgorithm::Sha1),
            Some(_) => return Err(VerifyError::Sha1NotAllowed),
            None => return Err(VerifyError::MissingSignature),
        },
    };
    let cert_url = single(headers, CERT_URL_HEADER)?.ok_or(VerifyError::MissingCertUrl)?;
    Ok(SignatureHeaders {
        cert_url,
        signature,
        algorithm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn map(pairs: &[(&'static str, &[u8])]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            let value = HeaderValue::from_bytes(value).expect("test header value");
            headers.append(*name, value);
        }
        headers
    }

    #[test]
    fn names_match_case_insensitively() {
        let headers = map(&[("signaturecertchainurl", b"u"), ("SIGNATURE-256", b"s")]);
        let got = extract(&headers, false).expect("headers found");
        assert_eq!(got.cert_url, "u");
        assert_eq!(got.signature, "s");
        assert_eq!(got.algorithm, SignatureAlgorithm::Sha256);
    }

    #[test]
    fn sha256_preferred_and_sha1_only_when_allowed() {
        let both = map(&[
            ("SignatureCertChainUrl", b"u"),
            ("Signature", b"old"),
            ("Signature-256", b"new"),
        ]);
        assert_eq!(extract(&both, true).expect("ok").signature, "new");
        let sha1 = map(&[("SignatureCertChainUrl", b"u"), ("Signature", b"old")]);
        assert_eq!(extract(&sha1, false), Err(VerifyError::Sha1NotAllowed));
        let got = extract(&sha1, true).expect("sha1 allowed");
        assert_eq!(got.algorithm, SignatureAlgorithm::Sha1);
    }

    #[test]
    fn missing_duplicate_and_non_ascii_are_refused() {
        let none = map(&[("SignatureCertChainUrl", b"u")]);
        assert_eq!(extract(&none, true), Err(VerifyError::MissingSignature));
        let no_url = map(&[("Signature-256", b"s")]);
        assert_eq!(extract(&no_url, false), Err(VerifyError::MissingCertUrl));
        let dup = map(&[
            ("SignatureCertChainUrl", b"u"),
            ("Signature-256", b"a"),
            ("signature-256", b"b"),
        ]);
        assert_eq!(
            extract(&dup, false),
            Err(VerifyError::DuplicateHeader(SIGNATURE_256_HEADER))
        );
        let dup_url = map(&[
            ("SignatureCertChainUrl", b"u"),
            ("SignatureCertChainUrl", b"v"),
            ("Signature-256", b"a"),
        ]);
        assert_eq!(
            extract(&dup_url, false),
            Err(VerifyError::DuplicateHeader(CERT_URL_HEADER))
        );
        let non_ascii = map(&[
            (
                "SignatureCertChainUrl",
                "https://s3.amazonaws.com/echo.api/é".as_bytes(),
            ),
            ("Signature-256", b"a"),
        ]);
        assert_eq!(
            extract(&non_ascii, false),
            Err(VerifyError::HeaderNotAscii(CERT_URL_HEADER))
        );
    }
}
