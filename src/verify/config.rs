//! Verifier settings.

use std::time::Duration;

use super::error::ConfigError;

/// Settings of a [`super::Verifier`]. `Default` gives the protocol's values and an
/// empty `skill_ids`, which `Verifier::new` refuses: the allow-list must be set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierConfig {
    /// Allowed application ids (`amzn1.ask.skill.<uuid>`); must be non-empty.
    pub skill_ids: Vec<String>,
    /// PEM bytes of extra trust anchors, added to webpki-roots (Mozilla).
    pub extra_roots_pem: Vec<Vec<u8>>,
    /// Accept the legacy `Signature` header (RSA PKCS#1 v1.5 SHA-1) when
    /// `Signature-256` is absent. Off by default: SHA-1 is collision-prone and Amazon
    /// sends `Signature-256` since 2022.
    pub allow_sha1: bool,
    /// Largest allowed difference between `request.timestamp` and now (150 s).
    pub tolerance: Duration,
    /// Same for `AlexaSkillEvent.*` requests, which Amazon may deliver late (1 h).
    pub skill_event_tolerance: Duration,
    /// Bound on one certificate download, and on waiting for a download slot.
    pub fetch_timeout: Duration,
    /// Size cap on a downloaded PEM chain (real chains are about 7 KB).
    pub max_chain_bytes: usize,
    /// How long a failed download is remembered and answered from memory, so a burst
    /// of requests naming a broken URL causes one download, not one each.
    pub failed_fetch_ttl: Duration,
    /// Bound on simultaneous downloads across all URLs.
    pub max_concurrent_fetches: usize,
    /// Bound on remembered certificate URLs. Amazon uses one URL at a time; the bound
    /// stops a flood of distinct (but rule-conforming) URLs from growing memory.
    pub max_cached_urls: usize,
}

impl Default for VerifierConfig {
    fn default() -> Self {
        Self {
            skill_ids: Vec::new(),
            extra_roots_pem: Vec::new(),
            allow_sha1: false,
            tolerance: Duration::from_secs(150),
            skill_event_tolerance: Duration::from_secs(3600),
            fetch_timeout: Duration::from_secs(3),
            max_chain_bytes: 64 * 1024,
            failed_fetch_ttl: Duration::from_secs(30),
            max_concurrent_fetches: 4,
            max_cached_urls: 64,
        }
    }
}

impl VerifierConfig {
    /// Default settings with the given skill ids.
    pub fn for_skills<I, S>(skill_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            skill_ids: skill_ids.into_iter().map(Into::into).collect(),
            ..Self::default()
        }
    }

    /// Refuses settings that would make verification meaningless or impossible.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.skill_ids.is_empty() {
            return Err(ConfigError::NoSkillIds);
        }
        if let Some(index) = self.skill_ids.iter().position(|id| id.trim().is_empty()) {
            return Err(ConfigError::EmptySkillId(index));
        }
        let zero = [
            (self.fetch_timeout.is_zero(), "fetch_timeout"),
            (self.max_chain_bytes == 0, "max_chain_bytes"),
            (self.max_concurrent_fetches == 0, "max_concurrent_fetches"),
            (self.max_cached_urls == 0, "max_cached_urls"),
        ];
        match zero.iter().find(|(is_zero, _)| *is_zero) {
            Some((_, name)) => Err(ConfigError::Zero(name)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_protocol_and_need_skill_ids() {
        let config = VerifierConfig::default();
        assert_eq!(config.tolerance, Duration::from_secs(150));
        assert_eq!(config.skill_event_tolerance, Duration::from_secs(3600));
        assert!(!config.allow_sha1);
        assert_eq!(config.validate(), Err(ConfigError::NoSkillIds));
        assert_eq!(
            VerifierConfig::for_skills(["amzn1.ask.skill.x"]).validate(),
            Ok(())
        );
    }

    #[test]
    fn refuses_blank_ids_and_zero_limits() {
        let blank = VerifierConfig::for_skills(["a", " "]);
        assert_eq!(blank.validate(), Err(ConfigError::EmptySkillId(1)));
        let zero = VerifierConfig {
            max_concurrent_fetches: 0,
            ..VerifierConfig::for_skills(["a"])
        };
        assert_eq!(
            zero.validate(),
            Err(ConfigError::Zero("max_concurrent_fetches"))
        );
    }
}
