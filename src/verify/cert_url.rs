//! The `SignatureCertChainUrl` check (protocol.md §5.2, cert-url-cases.md).
//!
//! The URL is parsed with the WHATWG parser of the `url` crate, which is also what
//! `reqwest` uses to fetch it. That matters: the URL we check is exactly the URL we
//! download, so no parser-differential trick can pass the check and fetch elsewhere.
//! Parsing already normalises what the rules ask for: `.`/`..` segments (also their
//! percent-encoded forms `%2e`) are resolved, scheme and host are lower-cased,
//! backslashes become slashes and the default port 443 is dropped.
//!
//! Stricter than the SDKs (documented decisions):
//! - user information (`https://user@s3.amazonaws.com/...`) is refused, even with the
//!   right host; with a wrong host (`https://s3.amazonaws.com@evil.example/...`) the
//!   host rule fires first;
//! - a query or fragment is refused. Amazon never sends one; allowing them would let
//!   anyone create unlimited distinct cache keys (one download each) or ask S3 for
//!   other object versions;
//! - the path must name something below `/echo.api/`, not the bare prefix.

use url::Url;

use super::error::{clip, CertUrlError};

/// The only host allowed to serve signing-certificate chains.
pub const CERT_URL_HOST: &str = "s3.amazonaws.com";
/// Case-sensitive prefix the normalised path must start with.
pub const CERT_URL_PATH_PREFIX: &str = "/echo.api/";

/// Parses, normalises and checks a `SignatureCertChainUrl` header value.
///
/// Returns the normalised URL, which is both the URL to download and the cache key.
pub fn check_cert_url(raw: &str) -> Result<Url, CertUrlError> {
    let url = Url::parse(raw).map_err(|_| CertUrlError::Invalid(clip(raw)))?;

    if url.scheme() != "https" {
        return Err(CertUrlError::Scheme(clip(url.scheme())));
    }
    // `host_str` is already lower-case for https URLs; an exact comparison rejects
    // look-alikes such as `s3.amazonaws.com.evil.example`, a trailing dot, IP
    // addresses and IDN homographs (which arrive as `xn--` punycode).
    match url.host_str() {
        Some(host) if host == CERT_URL_HOST => {}
        other => return Err(CertUrlError::Host(clip(other.unwrap_or("")))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(CertUrlError::UserInfo);
    }
    // `port()` is `None` both without a port and with the scheme default (443).
    if let Some(port) = url.port() {
        if port != 443 {
            return Err(CertUrlError::Port(port));
        }
    }
    let path = url.path();
    if !path.starts_with(CERT_URL_PATH_PREFIX) || path.len() == CERT_URL_PATH_PREFIX.len() {
        return Err(CertUrlError::Path(clip(path)));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(CertUrlError::QueryOrFragment);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of cert-url-cases.md, in table order.
    const ACCEPTED: &[(&str, &str)] = &[
        (
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        ),
        (
            "https://s3.amazonaws.com/echo.api/echo-api-cert-8.pem",
            "https://s3.amazonaws.com/echo.api/echo-api-cert-8.pem",
        ),
        (
            "https://s3.amazonaws.com/echo.api/cert",
            "https://s3.amazonaws.com/echo.api/cert",
        ),
        (
            "HTTPS://s3.amazonaws.com/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        ),
        (
            "https://S3.AMAZONAWS.COM/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        ),
        (
            "https://s3.amazonaws.com:443/echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        ),
        (
            "https://s3.amazonaws.com:443/echo.api/cert",
            "https://s3.amazonaws.com/echo.api/cert",
        ),
        (
            "https://s3.amazonaws.com/echo.api/../echo.api/echo-api-cert.pem",
            "https://s3.amazonaws.com/echo.api/echo-api-cert.pem",
        ),
        (
            "https://s3.amazonaws.com/echo.api/../echo.api/cert",
            "https://s3.amazonaws.com/echo.api/cert",
        ),
    ];

    const REJECTED: &[(&str, &str)] = &[
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
    ];

    /// Cases beyond the table: look-alikes, user info, encodings, query/fragment.
    const EXTRA_REJECTED: &[(&str, &str)] = &[
        (
            "https://s3.amazonaws.com@evil.example/echo.api/x",
            "cert_url_host",
        ),
        (
            "https://s3.amazonaws.com.evil.example/echo.api/x",
            "cert_url_host",
        ),
        ("https://s3.amazonaws.com./echo.api/x", "cert_url_host"),
        ("https://s3-amazonaws.com/echo.api/x", "cert_url_host"),
        ("https://evil.s3.amazonaws.com/echo.api/x", "cert_url_host"),
        (
            "https://s3.amazonaws.c\u{03bf}m/echo.api/x",
            "cert_url_host",
        ),
        ("https://52.216.0.1/echo.api/x", "cert_url_host"),
        (
            "https://user@s3.amazonaws.com/echo.api/x",
            "cert_url_userinfo",
        ),
        (
            "https://:pw@s3.amazonaws.com/echo.api/x",
            "cert_url_userinfo",
        ),
        (
            "https://s3.amazonaws.com/echo.api/%2e%2e/cert",
            "cert_url_path",
        ),
        ("https://s3.amazonaws.com/echo.api%2Fcert", "cert_url_path"),
        ("https://s3.amazonaws.com/echo.api/", "cert_url_path"),
        (
            "https://s3.amazonaws.com/echo.api/x?versionId=1",
            "cert_url_query",
        ),
        ("https://s3.amazonaws.com/echo.api/x?", "cert_url_query"),
        ("https://s3.amazonaws.com/echo.api/x#frag", "cert_url_query"),
        ("ftp://s3.amazonaws.com/echo.api/x", "cert_url_scheme"),
        ("", "cert_url_invalid"),
        ("/echo.api/x", "cert_url_invalid"),
    ];

    #[test]
    fn table_accepts_and_normalises() {
        for (raw, normalised) in ACCEPTED {
            let url = check_cert_url(raw).unwrap_or_else(|e| panic!("{raw}: {e}"));
            assert_eq!(url.as_str(), *normalised, "{raw}");
        }
    }

    #[test]
    fn table_rejects_with_exact_reason() {
        for (raw, reason) in REJECTED.iter().chain(EXTRA_REJECTED) {
            match check_cert_url(raw) {
                Ok(url) => panic!("{raw} was accepted as {url}"),
                Err(e) => assert_eq!(e.reason(), *reason, "{raw}: {e}"),
            }
        }
    }

    #[test]
    fn backslashes_and_encoded_dots_normalise_to_what_is_fetched() {
        let url = check_cert_url("https://s3.amazonaws.com\\echo.api\\cert").expect("accepted");
        assert_eq!(url.as_str(), "https://s3.amazonaws.com/echo.api/cert");
        let url = check_cert_url("https://s3.amazonaws.com/echo.api/x/%2E%2E/cert").expect("ok");
        assert_eq!(url.as_str(), "https://s3.amazonaws.com/echo.api/cert");
    }
}
