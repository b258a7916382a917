//! Request-signature check (protocol.md §5.5).
//!
//! The signature is RSA PKCS#1 v1.5 over the exact raw body bytes, with SHA-256
//! (`Signature-256`) or, only when explicitly allowed, SHA-1 (legacy `Signature`).
//! ring is used directly with the leaf key extracted once when the chain was cached,
//! so a cached verification does no PEM/X.509 work. The `rsa` crate is avoided on
//! purpose (RUSTSEC-2023-0071, Marvin timing attack).

use base64::Engine as _;
use ring::signature::{
    UnparsedPublicKey, VerificationAlgorithm, RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
    RSA_PKCS1_2048_8192_SHA256,
};

use super::error::VerifyError;
use super::headers::SignatureAlgorithm;

/// Largest RSA signature ring accepts here: 8192-bit modulus = 1024 bytes.
const MAX_SIGNATURE_BYTES: usize = 1024;
/// Base64 length of `MAX_SIGNATURE_BYTES` (with padding); longer input is refused
/// before decoding.
const MAX_SIGNATURE_B64: usize = MAX_SIGNATURE_BYTES.div_ceil(3) * 4;

/// Decodes the standard-alphabet, padded base64 header value.
pub(super) fn decode(b64: &str) -> Result<Vec<u8>, VerifyError> {
    if b64.is_empty() || b64.len() > MAX_SIGNATURE_B64 {
        return Err(VerifyError::BadSignatureEncoding);
    }
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| VerifyError::BadSignatureEncoding)
}

/// Verifies `signature` over `body` with the leaf's RSA public key.
///
/// `rsa_public_key` is the DER `RSAPublicKey` (the SPKI bit-string contents). Key
/// sizes outside 2048..=8192 bits fail here as `BadSignature`.
pub(super) fn verify(
    rsa_public_key: &[u8],
    algorithm: SignatureAlgorithm,
    body: &[u8],
    signature: &[u8],
) -> Result<(), VerifyError> {
    let params: &'static dyn VerificationAlgorithm = match algorithm {
        SignatureAlgorithm::Sha256 => &RSA_PKCS1_2048_8192_SHA256,
        SignatureAlgorithm::Sha1 => &RSA_PKCS1_2048_8192_SHA1_FOR_LEGACY_USE_ONLY,
    };
    UnparsedPublicKey::new(params, rsa_public_key)
        .verify(body, signature)
        .map_err(|_| VerifyError::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_refuses_bad_base64_and_absurd_lengths() {
        assert_eq!(decode("AQID"), Ok(vec![1, 2, 3]));
        for bad in [
            "",
            "not base64!",
            "AQI",
            "AQID\n",
            &"A".repeat(MAX_SIGNATURE_B64 + 4),
        ] {
            assert_eq!(
                decode(bad),
                Err(VerifyError::BadSignatureEncoding),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn garbage_key_or_signature_is_a_bad_signature_not_a_panic() {
        let got = verify(b"not a key", SignatureAlgorithm::Sha256, b"{}", &[0; 256]);
        assert_eq!(got, Err(VerifyError::BadSignature));
    }
}
