//! Wiring: from validated settings to a running service.

use crate::config::Settings;
use crate::import::refresh::{spawn_refresh, RefreshStatus};
use crate::import::ImportOptions;
use crate::server::admin::AdminState;
use crate::server::metrics::Metrics;
use crate::server::{AppState, Limits};
use crate::skill::{Skill, SkillOptions};
use crate::store::{SledStore, Store, StoreError};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Why the service could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The store could not be opened.
    #[error("opening the data directory: {0}")]
    Store(#[from] StoreError),
    /// A setting is unusable.
    #[error("{0}")]
    Config(String),
    /// Binding or serving failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// The outgoing HTTP client: bounded timeouts, rustls, no redirects to other schemes.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!("onair/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// The directory of the sample audio shipped with onair.
pub fn audio_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("audio")
}

/// Import defaults from the settings: the default zone for floating times; English titles
/// preferred; recurrences expanded 30 days ahead.
pub fn import_defaults(settings: &Settings) -> ImportOptions {
    ImportOptions {
        default_zone: settings.default_timezone.clone(),
        ..ImportOptions::default()
    }
}

/// Builds the shared state over an open store.
pub fn state(settings: &Settings, store: Arc<dyn Store>) -> Result<AppState, StartError> {
    let admin = settings.admin_token.as_deref().map(|token| {
        AdminState::new(
            token,
            settings.admin_upload_limit_bytes,
            store.clone(),
            settings.sources.clone(),
            import_defaults(settings),
            RefreshStatus::default(),
        )
    });
    let options = SkillOptions {
        default_zone: settings.default_timezone.clone(),
        allow_plain_http_streams: settings.demo,
    };
    let skill = Skill::new(store, http_client(), options)
        .map_err(|e| StartError::Config(format!("default_timezone: {e}")))?;
    Ok(AppState {
        skill: Arc::new(skill),
        metrics: Arc::new(Metrics::new()),
        limits: Limits {
            body_bytes: settings.body_limit_bytes,
            timeout: Duration::from_millis(settings.request_timeout_ms),
            concurrency: settings.max_concurrent_requests,
        },
        audio_dir: settings.demo.then(audio_dir),
        admin,
    })
}

/// Seeds the demo schedule for now.
pub fn seed_demo(
    settings: &Settings,
    store: &dyn Store,
) -> Result<crate::store::ImportSummary, StartError> {
    let zone = jiff::tz::TimeZone::get(&settings.default_timezone)
        .map_err(|e| StartError::Config(e.to_string()))?;
    let batch = crate::demo::schedule(jiff::Timestamp::now(), &zone, &settings.base_url())
        .map_err(|e| StartError::Config(format!("demo schedule: {e}")))?;
    Ok(store.import(batch, false)?)
}

fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Runs `serve` until a shutdown signal.
pub async fn run(settings: Settings) -> Result<(), StartError> {
    if !settings.verify {
        if !is_loopback(&settings.addr) && !settings.allow_insecure_public {
            return Err(StartError::Config(format!(
                "--no-verify on {} would accept forged requests from the network; use a loopback address, or add --allow-insecure-public if you really mean it",
                settings.addr
            )));
        }
        tracing::warn!(
            "request verification is OFF: anyone who can reach this port can impersonate Alexa"
        );
    }
    let store = Arc::new(SledStore::open(&settings.data_dir)?);
    if settings.demo {
        let summary = seed_demo(&settings, store.as_ref())?;
        tracing::info!(
            added = summary.added,
            updated = summary.updated,
            removed = summary.removed,
            "demo schedule seeded; sample audio is served over plain HTTP on this address, which only local tools can play (devices need HTTPS)"
        );
    }
    let state = state(&settings, store.clone())?;
    let listener = tokio::net::TcpListener::bind(settings.addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "onair listening; POST Alexa requests to /alexa");

    // Feeds refreshed in the background; their outcomes show in GET /admin/sources.
    let stop_refresh = tokio_util::sync::CancellationToken::new();
    let refresh = spawn_refresh(
        settings.sources.clone(),
        import_defaults(&settings),
        store,
        crate::import::fetch::feed_client(),
        state
            .admin
            .as_ref()
            .map(|a| a.refresh.clone())
            .unwrap_or_default(),
        stop_refresh.clone(),
    );
    let shutdown = {
        let stop = stop_refresh.clone();
        async move {
            crate::server::shutdown::signal().await;
            stop.cancel();
        }
    };

    crate::server::serve(listener, state, shutdown).await?;
    stop_refresh.cancel();
    if refresh.await.is_err() {
        tracing::warn!("a feed refresh task panicked");
    }
    tracing::info!("stopped");
    Ok(())
}
