//! Real Amazon signing chains from the shared conformance corpus, validated with the
//! chain function directly (no signatures: the matching private keys are Amazon's).
//!
//! The folder comes from `ONAIR_CONFORMANCE_DIR` (its `certs/` subfolder). Unset: the
//! test says it skipped and passes. Set but missing: the test fails.
//!
//! Validity windows (openssl x509 -dates) and the times used:
//! - echo-api-cert-7.pem  2019-05-22 .. 2020-05-15 12:00  inside 2019-11-01
//! - echo-api-cert-8.pem  2020-03-19 .. 2021-03-10 12:00  inside 2020-09-01
//! - echo-api-cert-12.cer 2023-03-16 .. 2023-12-23 23:59:59 inside 2023-06-01
//! - cert-expired.pem     2015-01-31 .. 2015-10-31 23:59:59 (VeriSign, SHA-1)
//! - cert-latest.pem      2017-10-03 .. 2018-07-03 23:59:59 (Symantec)

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use onair::verify::{SigningChain, TrustStore};

/// `Some(certs dir)`, `None` when the variable is unset (skip); panics when it is set
/// but the folder is missing, because then the corpus silently not running would
/// hide regressions.
fn certs_dir() -> Option<PathBuf> {
    let Some(root) = std::env::var_os("ONAIR_CONFORMANCE_DIR") else {
        eprintln!("skipped: ONAIR_CONFORMANCE_DIR not set");
        return None;
    };
    let dir = PathBuf::from(root).join("certs");
    assert!(
        dir.is_dir(),
        "ONAIR_CONFORMANCE_DIR is set but {} is not a folder",
        dir.display()
    );
    Some(dir)
}

fn at(text: &str) -> Timestamp {
    text.parse().expect("test time")
}

fn load(dir: &Path, file: &str) -> SigningChain {
    let path = dir.join(file);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    SigningChain::parse_pem(&bytes).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn check(chain: &SigningChain, when: &str) -> Result<(), &'static str> {
    chain
        .validate(&TrustStore::mozilla(), at(when))
        .map_err(|e| e.reason())
}

#[test]
fn amazon_ca_chains_validate_inside_their_window_only() {
    let Some(dir) = certs_dir() else { return };
    let cases = [
        // file, inside, before notBefore, after notAfter
        (
            "echo-api-cert-7.pem",
            "2019-11-01T00:00:00Z",
            "2019-05-01T00:00:00Z",
            "2020-06-01T00:00:00Z",
        ),
        (
            "echo-api-cert-8.pem",
            "2020-09-01T00:00:00Z",
            "2019-11-01T00:00:00Z",
            "2021-06-01T00:00:00Z",
        ),
        (
            "echo-api-cert-12.cer",
            "2023-06-01T00:00:00Z",
            "2023-01-01T00:00:00Z",
            "2024-06-01T00:00:00Z",
        ),
    ];
    for (file, inside, before, after) in cases {
        let chain = load(&dir, file);
        assert_eq!(chain.len(), 4, "{file}");
        assert_eq!(check(&chain, inside), Ok(()), "{file} at {inside}");
        assert_eq!(
            check(&chain, before),
            Err("cert_not_yet_valid"),
            "{file} at {before}"
        );
        assert_eq!(
            check(&chain, after),
            Err("cert_expired"),
            "{file} at {after}"
        );
    }
}

#[test]
fn amazon_chain_edges_are_inclusive() {
    let Some(dir) = certs_dir() else { return };
    let chain = load(&dir, "echo-api-cert-12.cer");
    assert_eq!(check(&chain, "2023-03-16T00:00:00Z"), Ok(()));
    assert_eq!(check(&chain, "2023-12-23T23:59:59Z"), Ok(()));
    assert_eq!(
        check(&chain, "2023-03-15T23:59:59Z"),
        Err("cert_not_yet_valid")
    );
    assert_eq!(check(&chain, "2023-12-24T00:00:00Z"), Err("cert_expired"));
}

#[test]
fn symantec_era_chains_fail_with_todays_roots() {
    let Some(dir) = certs_dir() else { return };
    // Both lead to "VeriSign Class 3 Public Primary Certification Authority - G5",
    // which Mozilla removed after the 2018 Symantec distrust; webpki-roots does not
    // carry it, so even inside the leaf's window the chain is untrusted. (SOURCES.md
    // records the same outcome with openssl.) The leaf checks themselves pass: the
    // SAN is right and the key is RSA.
    for (file, inside) in [
        ("cert-expired.pem", "2015-06-01T00:00:00Z"),
        ("cert-latest.pem", "2018-01-01T00:00:00Z"),
    ] {
        let chain = load(&dir, file);
        assert_eq!(chain.check_leaf(at(inside)), Ok(()), "{file}");
        assert_eq!(
            check(&chain, inside),
            Err("untrusted_chain"),
            "{file} at {inside}"
        );
    }
    // Outside the window the (cheaper, earlier) leaf check reports the date.
    assert_eq!(
        check(&load(&dir, "cert-expired.pem"), "2016-01-01T00:00:00Z"),
        Err("cert_expired")
    );
    assert_eq!(
        check(&load(&dir, "cert-latest.pem"), "2017-01-01T00:00:00Z"),
        Err("cert_not_yet_valid")
    );
}
