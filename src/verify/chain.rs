//! Signing-certificate chain: parsing and validation (protocol.md §5.3, §5.4).
//!
//! Parsing (PEM + X.509) happens once per download; the result keeps everything a
//! request needs later (leaf validity, SAN verdict, RSA key) so that the hot path does
//! no parsing. Path validation is done by webpki against the Mozilla roots
//! (webpki-roots) plus configured extra anchors, with the caller's `now`, never the
//! system clock, so tests and replays are deterministic.

use std::time::Duration;

use jiff::Timestamp;
use rustls_pki_types::{CertificateDer, SignatureVerificationAlgorithm, TrustAnchor, UnixTime};
use webpki::{EndEntityCert, KeyUsage};
use x509_parser::asn1_rs::{Any, FromDer};
use x509_parser::certificate::X509Certificate;
use x509_parser::extensions::GeneralName;
use x509_parser::oid_registry::OID_PKCS1_RSAENCRYPTION;

use super::error::{clip, ChainError};

/// DNS name the signing certificate must carry in its SAN extension.
pub const SIGNING_CERT_SAN: &str = "echo-api.amazon.com";

/// Real Amazon files hold four certificates; anything far beyond is not a real chain.
const MAX_CERTS: usize = 8;

/// Certificate-signature algorithms accepted on the path. Listed explicitly (rather
/// than `webpki::ALL_VERIFICATION_ALGS`, which is silently empty without webpki's
/// `ring` feature) so a missing feature is a compile error, not a rejected chain.
static CHAIN_ALGORITHMS: &[&dyn SignatureVerificationAlgorithm] = &[
    webpki::ring::RSA_PKCS1_2048_8192_SHA256,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512,
    webpki::ring::RSA_PKCS1_2048_8192_SHA256_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA384_ABSENT_PARAMS,
    webpki::ring::RSA_PKCS1_2048_8192_SHA512_ABSENT_PARAMS,
    webpki::ring::RSA_PSS_2048_8192_SHA256_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA384_LEGACY_KEY,
    webpki::ring::RSA_PSS_2048_8192_SHA512_LEGACY_KEY,
    webpki::ring::ECDSA_P256_SHA256,
    webpki::ring::ECDSA_P256_SHA384,
    webpki::ring::ECDSA_P384_SHA256,
    webpki::ring::ECDSA_P384_SHA384,
    webpki::ring::ED25519,
];

/// Trust anchors for chain validation: the Mozilla root store plus extra anchors.
#[derive(Debug, Clone)]
pub struct TrustStore {
    anchors: Vec<TrustAnchor<'static>>,
}

impl TrustStore {
    /// The Mozilla root store as shipped in `webpki-roots` (TLS server trust).
    pub fn mozilla() -> Self {
        Self {
            anchors: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        }
    }

    /// Adds every certificate of a PEM file as a trust anchor; returns how many.
    /// Used for test CAs and for pinning a root that Mozilla may drop in future.
    pub fn add_pem(&mut self, pem_bytes: &[u8]) -> Result<usize, String> {
        let blocks = pem::parse_many(pem_bytes).map_err(|e| e.to_string())?;
        let mut added = 0;
        for block in blocks {
            if block.tag() != "CERTIFICATE" {
                return Err(format!("unexpected PEM block {:?}", clip(block.tag())));
            }
            let der = CertificateDer::from(block.contents());
            let anchor = webpki::anchor_from_trusted_cert(&der)
                .map_err(|e| format!("not a usable anchor: {e:?}"))?
                .to_owned();
            self.anchors.push(anchor);
            added += 1;
        }
        if added == 0 {
            return Err("no certificate in PEM".to_owned());
        }
        Ok(added)
    }

    /// Number of anchors.
    pub fn len(&self) -> usize {
        self.anchors.len()
    }

    /// True when there is no anchor at all (every chain would be untrusted).
    pub fn is_empty(&self) -> bool {
        self.anchors.is_empty()
    }

    fn has_subject(&self, name: &[u8]) -> bool {
        self.anchors.iter().any(|a| a.subject.as_ref() == name)
    }
}

impl Default for TrustStore {
    fn default() -> Self {
        Self::mozilla()
    }
}

/// A parsed signing-certificate chain (leaf first), with the facts needed per request.
#[derive(Debug, Clone)]
pub struct SigningChain {
    /// DER certificates in file order; `[0]` is the signing certificate.
    certs: Vec<CertificateDer<'static>>,
    leaf_not_before: Timestamp,
    leaf_not_after: Timestamp,
    leaf_has_san: bool,
    /// DER `RSAPublicKey` of the leaf, ready for ring.
    leaf_rsa_key: Vec<u8>,
    /// Leaf issuer name (contents of the DER SEQUENCE, as webpki compares names).
    leaf_issuer: Vec<u8>,
    /// Whether another certificate of the file has the leaf's issuer as subject.
    leaf_issuer_in_file: bool,
    /// Interval in which every certificate of the file is within its validity
    /// window; a path verdict computed at any instant inside it holds for all of it.
    all_valid_from: Timestamp,
    all_valid_until: Timestamp,
}

impl SigningChain {
    /// Parses a PEM chain: signing certificate first, then intermediates.
    pub fn parse_pem(pem_bytes: &[u8]) -> Result<Self, ChainError> {
        let blocks =
            pem::parse_many(pem_bytes).map_err(|e| ChainError::Malformed(e.to_string()))?;
        if blocks.is_empty() {
            return Err(ChainError::Empty);
        }
        if blocks.len() > MAX_CERTS {
            return Err(ChainError::TooLong(blocks.len()));
        }
        let mut certs = Vec::with_capacity(blocks.len());
        for block in blocks {
            if block.tag() != "CERTIFICATE" {
                let tag = clip(block.tag());
                return Err(ChainError::Malformed(format!(
                    "unexpected PEM block {tag:?}"
                )));
            }
            certs.push(CertificateDer::from(block.into_contents()));
        }

        let mut parsed = Vec::with_capacity(certs.len());
        for (index, der) in certs.iter().enumerate() {
            let (_, cert) = X509Certificate::from_der(der.as_ref())
                .map_err(|e| ChainError::Malformed(format!("certificate #{index}: {e}")))?;
            parsed.push(cert);
        }
        let Some((leaf, others)) = parsed.split_first() else {
            return Err(ChainError::Empty);
        };

        let spki = leaf.public_key();
        if spki.algorithm.algorithm != OID_PKCS1_RSAENCRYPTION {
            return Err(ChainError::LeafKeyNotRsa);
        }
        let leaf_has_san = match leaf.subject_alternative_name() {
            Ok(Some(san)) => san.value.general_names.iter().any(|name| {
                matches!(name, GeneralName::DNSName(dns) if dns.eq_ignore_ascii_case(SIGNING_CERT_SAN))
            }),
            Ok(None) => false,
            Err(e) => return Err(ChainError::Malformed(format!("SAN extension: {e}"))),
        };
        let leaf_issuer = name_contents(leaf.issuer().as_raw())?;
        let leaf_issuer_in_file = others
            .iter()
            .any(|c| c.subject().as_raw() == leaf.issuer().as_raw());

        let mut all_valid_from = Timestamp::MIN;
        let mut all_valid_until = Timestamp::MAX;
        for cert in &parsed {
            let (from, until) = validity(cert)?;
            all_valid_from = all_valid_from.max(from);
            all_valid_until = all_valid_until.min(until);
        }
        let (leaf_not_before, leaf_not_after) = validity(leaf)?;
        let leaf_rsa_key = spki.subject_public_key.data.to_vec();
        drop(parsed);

        Ok(Self {
            certs,
            leaf_not_before,
            leaf_not_after,
            leaf_has_san,
            leaf_rsa_key,
            leaf_issuer,
            leaf_issuer_in_file,
            all_valid_from,
            all_valid_until,
        })
    }

    /// Full check at `now`: leaf validity window, SAN, and path to a trusted root.
    pub fn validate(&self, trust: &TrustStore, now: Timestamp) -> Result<(), ChainError> {
        self.check_leaf(now)?;
        self.check_path(trust, now)
    }

    /// The cheap per-request part: leaf notBefore/notAfter and the SAN verdict.
    pub fn check_leaf(&self, now: Timestamp) -> Result<(), ChainError> {
        if now < self.leaf_not_before {
            return Err(ChainError::NotYetValid {
                not_before: self.leaf_not_before,
            });
        }
        if now > self.leaf_not_after {
            return Err(ChainError::Expired {
                not_after: self.leaf_not_after,
            });
        }
        if !self.leaf_has_san {
            return Err(ChainError::SanMismatch);
        }
        Ok(())
    }

    /// Path validation with webpki at `now` (the expensive part).
    pub fn check_path(&self, trust: &TrustStore, now: Timestamp) -> Result<(), ChainError> {
        let Some((leaf_der, intermediates)) = self.certs.split_first() else {
            return Err(ChainError::Empty);
        };
        let leaf = EndEntityCert::try_from(leaf_der)
            .map_err(|e| ChainError::Malformed(format!("signing certificate: {e:?}")))?;
        let seconds = u64::try_from(now.as_second()).unwrap_or(0);
        let time = UnixTime::since_unix_epoch(Duration::from_secs(seconds));
        leaf.verify_for_usage(
            CHAIN_ALGORITHMS,
            &trust.anchors,
            intermediates,
            time,
            KeyUsage::server_auth(),
            None,
            None,
        )
        .map(|_| ())
        .map_err(|e| self.classify(e, trust))
    }

    /// Maps a webpki error onto the most precise reason available.
    ///
    /// webpki reports both "intermediate left out" and "root not trusted" as
    /// `UnknownIssuer`. They are told apart by the leaf's issuer: if neither the file
    /// nor the trust store holds a certificate with that subject, the file is missing
    /// the intermediate; otherwise the path reached something untrusted.
    fn classify(&self, error: webpki::Error, trust: &TrustStore) -> ChainError {
        use webpki::Error as E;
        match error {
            E::UnknownIssuer
                if !self.leaf_issuer_in_file && !trust.has_subject(&self.leaf_issuer) =>
            {
                ChainError::MissingIntermediate
            }
            E::UnknownIssuer | E::CertDistrusted => ChainError::Untrusted,
            // The leaf's own window is checked before webpki runs, so these concern
            // an intermediate on the path.
            E::CertExpired { .. } => ChainError::IntermediateExpired,
            E::CertNotValidYet { .. } => ChainError::IntermediateNotYetValid,
            E::InvalidSignatureForPublicKey | E::SignatureAlgorithmMismatch => {
                ChainError::BadChainSignature
            }
            // (The context-less variants are deprecated and no longer produced.)
            E::UnsupportedSignatureAlgorithmContext(_)
            | E::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => {
                ChainError::UnsupportedAlgorithm
            }
            E::RequiredEkuNotFoundContext(_) => ChainError::WrongUsage,
            other => ChainError::Invalid(format!("{other:?}")),
        }
    }

    /// DER `RSAPublicKey` of the signing certificate.
    pub fn leaf_rsa_public_key(&self) -> &[u8] {
        &self.leaf_rsa_key
    }

    /// notBefore of the signing certificate.
    pub fn leaf_not_before(&self) -> Timestamp {
        self.leaf_not_before
    }

    /// notAfter of the signing certificate; the cache keeps the chain until then.
    pub fn leaf_not_after(&self) -> Timestamp {
        self.leaf_not_after
    }

    /// Number of certificates in the file.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Always false for a parsed chain (parsing refuses empty files); for clippy's sake.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// True if every certificate of the file is inside its validity window at `now`,
    /// so a path verdict reached at one such instant holds at any other.
    pub(super) fn all_valid_at(&self, now: Timestamp) -> bool {
        self.all_valid_from <= now && now <= self.all_valid_until
    }
}

/// Validity window of one certificate as jiff timestamps.
fn validity(cert: &X509Certificate<'_>) -> Result<(Timestamp, Timestamp), ChainError> {
    let v = cert.validity();
    let convert = |seconds: i64| {
        Timestamp::from_second(seconds)
            .map_err(|e| ChainError::Malformed(format!("validity out of range: {e}")))
    };
    Ok((
        convert(v.not_before.timestamp())?,
        convert(v.not_after.timestamp())?,
    ))
}

/// Strips the outer SEQUENCE header of a DER Name, the form webpki compares.
fn name_contents(raw: &[u8]) -> Result<Vec<u8>, ChainError> {
    Any::from_der(raw)
        .map(|(_, any)| any.data.to_vec())
        .map_err(|e| ChainError::Malformed(format!("issuer name: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mozilla_store_is_not_empty_and_holds_amazon_root_ca_1() {
        let store = TrustStore::mozilla();
        assert!(store.len() > 100);
        // Subject "C=US, O=Amazon, CN=Amazon Root CA 1" as webpki stores it.
        let amazon_root_ca_1: &[u8] = b"1\x0b0\t\x06\x03U\x04\x06\x13\x02US1\x0f0\r\x06\x03U\x04\n\x13\x06Amazon1\x190\x17\x06\x03U\x04\x03\x13\x10Amazon Root CA 1";
        assert!(store.has_subject(amazon_root_ca_1));
    }

    #[test]
    fn garbage_is_malformed_or_empty() {
        assert_eq!(
            SigningChain::parse_pem(b"").map(|_| ()),
            Err(ChainError::Empty)
        );
        let not_cert = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let got = SigningChain::parse_pem(not_cert).map(|_| ());
        assert_eq!(got.map_err(|e| e.reason()), Err("chain_malformed"));
        let bad_der = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        let got = SigningChain::parse_pem(bad_der).map(|_| ());
        assert_eq!(got.map_err(|e| e.reason()), Err("chain_malformed"));
    }

    #[test]
    fn extra_root_must_be_a_certificate() {
        let mut store = TrustStore::mozilla();
        assert!(store.add_pem(b"nothing here").is_err());
        assert!(store
            .add_pem(b"-----BEGIN X-----\nAAAA\n-----END X-----\n")
            .is_err());
    }
}
