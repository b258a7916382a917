//! Settings: defaults, then a TOML file, then `ONAIR_*` environment variables, then flags.
//! Everything is validated once at start, so a bad value stops `serve` with a clear message
//! instead of surfacing at the first request.

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// A feed refreshed in the background by `serve`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// File path or http(s) URL.
    pub location: String,
    /// Format name; detected from content when absent.
    #[serde(default)]
    pub format: Option<String>,
    /// Station id for formats without one (iCalendar).
    #[serde(default)]
    pub station: Option<String>,
    /// Refresh interval, e.g. "15m", "1h".
    #[serde(default = "default_refresh")]
    pub refresh: String,
}

fn default_refresh() -> String {
    "1h".into()
}

/// Every setting of `onair serve`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Listen address.
    pub addr: SocketAddr,
    /// Data directory (sled database).
    pub data_dir: PathBuf,
    /// Log format.
    pub log_format: LogFormat,
    /// IANA zone used when a device's zone is unknown.
    pub default_timezone: String,
    /// Verify Alexa signatures (on unless `--no-verify`).
    pub verify: bool,
    /// Allowed application ids.
    pub skill_ids: Vec<String>,
    /// Extra trusted root certificates (PEM files).
    pub trusted_roots: Vec<PathBuf>,
    /// Accept the legacy SHA-1 `Signature` header.
    pub allow_sha1_signatures: bool,
    /// Allow `--no-verify` on a non-loopback address.
    pub allow_insecure_public: bool,
    /// Seed and serve the offline demo.
    pub demo: bool,
    /// Serve the browser console under `/console/` (always on with `demo`).
    pub console: bool,
    /// Base URL the demo's audio URLs use (defaults to `http://<addr>`).
    pub public_url: Option<String>,
    /// Bearer token for `/admin`; the admin API is off without it.
    pub admin_token: Option<String>,
    /// TLS certificate chain (PEM).
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    pub tls_key: Option<PathBuf>,
    /// Largest accepted request body on `/alexa`.
    pub body_limit_bytes: usize,
    /// Largest admin upload.
    pub admin_upload_limit_bytes: usize,
    /// Per-request time limit in milliseconds.
    pub request_timeout_ms: u64,
    /// Requests handled at once; more wait.
    pub max_concurrent_requests: usize,
    /// Skill requests worked on at once, off the async workers; more wait their turn.
    pub skill_workers: usize,
    /// Milliseconds a request head may take to arrive, counted from the connection opening or
    /// the previous response: slow and idle keep-alive connections are closed after it.
    pub header_timeout_ms: u64,
    /// Open connections at most; lowered to fit the open-files limit.
    pub max_connections: usize,
    /// Milliseconds requests in flight get to finish at shutdown before they are abandoned.
    pub shutdown_grace_ms: u64,
    /// Milliseconds an admin upload body may take to arrive.
    pub admin_body_timeout_ms: u64,
    /// How many times the upload limit a compressed upload may expand to.
    pub decompressed_ratio: u64,
    /// Feeds refreshed in the background.
    pub sources: Vec<SourceConfig>,
    /// sled page cache, in MiB.
    pub store_cache_mb: u64,
    /// Write each request that reached the skill, with its response, as a fixture folder here
    /// (`serve --record DIR`); off when absent.
    pub record_dir: Option<PathBuf>,
    /// Most cases `--record` writes.
    pub record_max_cases: usize,
    /// Most bytes `--record` writes.
    pub record_max_bytes: u64,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The admin token never reaches a log line, even through Debug.
        f.debug_struct("Settings")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("verify", &self.verify)
            .field("skill_ids", &self.skill_ids.len())
            .field("demo", &self.demo)
            .field("admin_token", &self.admin_token.as_ref().map(|_| "<set>"))
            .field("tls", &self.tls_cert.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("onair-data"),
            log_format: LogFormat::Text,
            default_timezone: "UTC".into(),
            verify: true,
            skill_ids: Vec::new(),
            trusted_roots: Vec::new(),
            allow_sha1_signatures: false,
            allow_insecure_public: false,
            demo: false,
            console: false,
            public_url: None,
            admin_token: None,
            tls_cert: None,
            tls_key: None,
            body_limit_bytes: 256 * 1024,
            admin_upload_limit_bytes: 64 * 1024 * 1024,
            request_timeout_ms: 7_000,
            max_concurrent_requests: 512,
            skill_workers: 64,
            header_timeout_ms: 10_000,
            max_connections: 10_000,
            shutdown_grace_ms: 5_000,
            admin_body_timeout_ms: 60_000,
            decompressed_ratio: 4,
            sources: Vec::new(),
            store_cache_mb: 16,
            record_dir: None,
            record_max_cases: 1000,
            record_max_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Why the settings are unusable.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file, an env var or a flag has a bad value.
    #[error("configuration: {0}")]
    Load(String),
    /// A value is out of range or inconsistent.
    #[error("configuration: {0}")]
    Invalid(String),
}

impl From<figment::Error> for ConfigError {
    fn from(e: figment::Error) -> Self {
        Self::Load(e.to_string())
    }
}

impl Settings {
    /// Loads defaults, then `file` (if given), then `ONAIR_*` variables, then `overrides`
    /// (command-line flags that were actually given).
    pub fn load(file: Option<&Path>, overrides: impl Serialize) -> Result<Self, ConfigError> {
        let mut fig = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = file {
            if !path.exists() {
                return Err(ConfigError::Load(format!(
                    "config file {} does not exist",
                    path.display()
                )));
            }
            fig = fig.merge(Toml::file(path));
        }
        // Other tools share the ONAIR_ prefix (ONAIR_CONFORMANCE_DIR for tests, ONAIR_BLESS), so
        // only variables naming a setting are read; the config file stays strict.
        let known: Vec<String> = serde_json::to_value(Settings::default())
            .ok()
            .and_then(|v| v.as_object().map(|o| o.keys().cloned().collect()))
            .unwrap_or_default();
        let settings: Settings = fig
            .merge(
                Env::prefixed("ONAIR_")
                    .filter(move |key| known.iter().any(|k| key.as_str().eq_ignore_ascii_case(k))),
            )
            .merge(Serialized::defaults(overrides))
            .extract()?;
        settings.validate()?;
        Ok(settings)
    }

    /// Checks values that types alone cannot.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let bad = |m: String| Err(ConfigError::Invalid(m));
        if jiff::tz::TimeZone::get(&self.default_timezone).is_err() {
            return bad(format!(
                "default_timezone {:?} is not an IANA time zone (e.g. Europe/Paris)",
                self.default_timezone
            ));
        }
        if self.body_limit_bytes < 1024 {
            return bad("body_limit_bytes must be at least 1024".into());
        }
        if self.store_cache_mb < 4 {
            return bad("store_cache_mb must be at least 4".into());
        }
        if self.max_concurrent_requests == 0 || self.request_timeout_ms == 0 {
            return bad("max_concurrent_requests and request_timeout_ms must be positive".into());
        }
        if self.record_max_cases == 0 || self.record_max_bytes == 0 {
            return bad("record_max_cases and record_max_bytes must be positive".into());
        }
        if self.skill_workers == 0 || self.max_connections == 0 {
            return bad("skill_workers and max_connections must be positive".into());
        }
        if self.header_timeout_ms < 100 || self.admin_body_timeout_ms < 100 {
            return bad("header_timeout_ms and admin_body_timeout_ms must be at least 100".into());
        }
        if self.decompressed_ratio == 0 {
            return bad("decompressed_ratio must be at least 1".into());
        }
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return bad("--tls-cert and --tls-key go together".into());
        }
        if self.admin_token.as_deref().is_some_and(|t| t.len() < 16) {
            return bad("admin_token must be at least 16 characters".into());
        }
        for source in &self.sources {
            if let Some(format) = &source.format {
                if crate::import::Format::from_name(format).is_none() {
                    return bad(format!(
                        "source {:?}: unknown format {format:?}",
                        source.location
                    ));
                }
            }
            if let Err(e) = crate::import::refresh::interval(source) {
                return bad(format!("source {:?}: {e}", source.location));
            }
        }
        if let Some(url) = &self.public_url {
            if url::Url::parse(url).is_err() {
                return bad(format!("public_url {url:?} is not a URL"));
            }
        }
        Ok(())
    }

    /// The base URL of this server as devices reach it.
    pub fn base_url(&self) -> String {
        match &self.public_url {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => {
                let scheme = if self.tls_cert.is_some() {
                    "https"
                } else {
                    "http"
                };
                format!("{scheme}://{}", self.addr)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::result_large_err)] // figment's Jail closures return its own (large) error type
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct NoFlags {}

    #[test]
    fn defaults_validate() {
        assert!(Settings::default().validate().is_ok());
    }

    // Tests that read the environment run inside figment's Jail, which serialises them and
    // restores the environment afterwards.
    #[test]
    fn file_then_flags() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "onair.toml",
                "addr = \"127.0.0.1:9000\"\ndefault_timezone = \"Europe/Paris\"\n",
            )?;
            #[derive(Serialize)]
            struct Flags {
                addr: &'static str,
            }
            let s = Settings::load(
                Some(Path::new("onair.toml")),
                Flags {
                    addr: "127.0.0.1:9001",
                },
            )
            .map_err(|e| e.to_string())?;
            assert_eq!(s.addr.port(), 9001);
            assert_eq!(s.default_timezone, "Europe/Paris");
            Ok(())
        });
    }

    #[test]
    fn unknown_key_in_file_is_an_error() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("onair.toml", "adress = \"x\"\n")?;
            let err =
                Settings::load(Some(Path::new("onair.toml")), NoFlags {}).expect_err("must fail");
            assert!(err.to_string().contains("adress"), "{err}");
            Ok(())
        });
    }

    #[test]
    fn environment_is_read_and_foreign_onair_variables_are_ignored() {
        figment::Jail::expect_with(|jail| {
            jail.set_env("ONAIR_DEFAULT_TIMEZONE", "Asia/Tokyo");
            jail.set_env("ONAIR_CONFORMANCE_DIR", "/somewhere");
            let s = Settings::load(None, NoFlags {}).map_err(|e| e.to_string())?;
            assert_eq!(s.default_timezone, "Asia/Tokyo");
            Ok(())
        });
    }

    #[test]
    fn bad_zone_is_refused() {
        let s = Settings {
            default_timezone: "Mars/Olympus".into(),
            ..Settings::default()
        };
        assert!(s.validate().is_err());
    }

    #[test]
    fn missing_file_is_named() {
        let err = Settings::load(Some(Path::new("/nonexistent/onair.toml")), NoFlags {})
            .expect_err("fail");
        assert!(err.to_string().contains("does not exist"));
    }

    #[test]
    fn bad_sources_are_refused() {
        let source = SourceConfig {
            location: "https://feeds.example/guide.xml".into(),
            format: Some("xmltv".into()),
            station: None,
            refresh: "15m".into(),
        };
        let ok = Settings {
            sources: vec![source.clone()],
            ..Settings::default()
        };
        assert!(ok.validate().is_ok());
        for bad in [
            SourceConfig {
                format: Some("csv".into()),
                ..source.clone()
            },
            SourceConfig {
                refresh: "often".into(),
                ..source.clone()
            },
        ] {
            let s = Settings {
                sources: vec![bad],
                ..Settings::default()
            };
            assert!(s.validate().is_err());
        }
    }

    #[test]
    fn debug_hides_the_admin_token() {
        let s = Settings {
            admin_token: Some("super-secret-token-123".into()),
            ..Settings::default()
        };
        assert!(!format!("{s:?}").contains("super-secret"));
    }
}
