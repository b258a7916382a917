//! Wiring: from validated settings to a running service.

use crate::config::Settings;
use crate::import::refresh::{spawn_refresh, RefreshStatus};
use crate::import::ImportOptions;
use crate::server::admin::AdminState;
use crate::server::console::{ConsoleParts, ConsoleState};
use crate::server::metrics::Metrics;
use crate::server::{system_clock, AppState, Clock, Limits};
use crate::skill::{Skill, SkillOptions};
use crate::store::{IndexedStore, SledStore, Store, StoreError};
use crate::verify::{Verifier, VerifierConfig};
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

/// The verifier the settings ask for: `None` with `--no-verify`; an error when verification is on
/// without a skill id or with an unreadable root.
pub fn verifier(settings: &Settings) -> Result<Option<Arc<Verifier>>, StartError> {
    if !settings.verify {
        return Ok(None);
    }
    if settings.skill_ids.is_empty() {
        return Err(StartError::Config(
            "request verification needs your skill id: pass --skill-id amzn1.ask.skill.<uuid> (repeatable), set skill_ids = [\"...\"] in the config file or ONAIR_SKILL_IDS='[\"...\"]', or use --no-verify for local development".into(),
        ));
    }
    let mut extra_roots_pem = Vec::new();
    for path in &settings.trusted_roots {
        let pem = std::fs::read(path)
            .map_err(|e| StartError::Config(format!("trusted root {}: {e}", path.display())))?;
        extra_roots_pem.push(pem);
    }
    let config = VerifierConfig {
        extra_roots_pem,
        allow_sha1: settings.allow_sha1_signatures,
        ..VerifierConfig::for_skills(settings.skill_ids.iter().cloned())
    };
    let verifier = Verifier::with_https(config).map_err(|e| StartError::Config(e.to_string()))?;
    Ok(Some(Arc::new(verifier)))
}

/// Builds the shared state over an open store, with the verifier the settings ask for.
pub fn state(settings: &Settings, store: Arc<dyn Store>) -> Result<AppState, StartError> {
    let verifier = verifier(settings)?;
    state_with(settings, store, verifier, system_clock())
}

/// Builds the shared state with a given verifier and clock (tests use a test CA and fixed time).
pub fn state_with(
    settings: &Settings,
    store: Arc<dyn Store>,
    verifier: Option<Arc<Verifier>>,
    clock: Clock,
) -> Result<AppState, StartError> {
    state_custom(settings, store, verifier, clock, http_client())
}

/// Builds the shared state with every dependency given, including the outgoing HTTP client (tests
/// pass one that cannot reach the internet).
pub fn state_custom(
    settings: &Settings,
    store: Arc<dyn Store>,
    verifier: Option<Arc<Verifier>>,
    clock: Clock,
    http: reqwest::Client,
) -> Result<AppState, StartError> {
    // One index-backed store for the skill, the admin API, the console and refreshes alike, so
    // the schedule index follows every change whoever makes it.
    let store: Arc<dyn Store> = IndexedStore::wrap(store)?;
    // One record of refresh outcomes, shown by the admin API and the console alike.
    let refresh = RefreshStatus::default();
    let admin = settings.admin_token.as_deref().map(|token| {
        AdminState::new(
            token,
            settings.admin_upload_limit_bytes,
            store.clone(),
            settings.sources.clone(),
            import_defaults(settings),
            refresh.clone(),
        )
    });
    let options = SkillOptions {
        default_zone: settings.default_timezone.clone(),
        allow_plain_http_streams: settings.demo,
    };
    let skill = Skill::new(store.clone(), http.clone(), options).map_err(|e| match e {
        crate::skill::SkillError::Store(e) => StartError::from(e),
        other => StartError::Config(other.to_string()),
    })?;
    let skill = Arc::new(skill);
    let console = ConsoleState::from_settings(
        settings,
        ConsoleParts {
            skill: skill.clone(),
            store,
            http,
            refresh,
            import_defaults: import_defaults(settings),
        },
    );
    Ok(AppState {
        skill,
        verifier,
        clock,
        metrics: Arc::new(Metrics::new()),
        limits: Limits::from_settings(settings),
        audio_dir: settings.demo.then(audio_dir),
        admin,
        console,
    })
}

/// Seeds the demo schedule for now.
pub fn seed_demo(
    settings: &Settings,
    store: &dyn Store,
) -> Result<crate::store::ImportSummary, StartError> {
    seed_demo_at(settings, store, jiff::Timestamp::now())
}

/// Seeds the demo schedule around `now`. `onair say --at` passes its fixed "now" so the demo's
/// live concert is live at the time the requests claim.
pub fn seed_demo_at(
    settings: &Settings,
    store: &dyn Store,
    now: jiff::Timestamp,
) -> Result<crate::store::ImportSummary, StartError> {
    let zone = jiff::tz::TimeZone::get(&settings.default_timezone)
        .map_err(|e| StartError::Config(e.to_string()))?;
    let batch = crate::demo::schedule(now, &zone, &settings.base_url())
        .map_err(|e| StartError::Config(format!("demo schedule: {e}")))?;
    Ok(store.import(batch, false)?)
}

fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Runs `serve` until a shutdown signal.
pub async fn run(mut settings: Settings) -> Result<(), StartError> {
    if settings.demo && settings.verify && settings.skill_ids.is_empty() {
        // The offline demo is driven by local tools, which cannot sign like Alexa does.
        settings.verify = false;
        tracing::warn!(
            "--demo without --skill-id: request verification is off for this local demo"
        );
    }
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
    let engine: Arc<dyn Store> = Arc::new(SledStore::open_with_cache(
        &settings.data_dir,
        settings.store_cache_mb.saturating_mul(1024 * 1024),
    )?);
    let store = IndexedStore::wrap(engine)?;
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
    if state.console.is_some() {
        tracing::info!(
            url = %format!("{}/console/", settings.base_url()),
            token = settings.admin_token.is_some(),
            "browser console served"
        );
    }

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
            .or_else(|| state.console.as_ref().map(|c| c.refresh().clone()))
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
    match (&settings.tls_cert, &settings.tls_key) {
        (Some(cert), Some(key)) => {
            let listener = std::net::TcpListener::bind(settings.addr)?;
            tracing::info!(addr = %listener.local_addr()?, "onair listening with TLS; POST Alexa requests to /alexa");
            crate::server::serve_tls(listener, state, cert.clone(), key.clone(), shutdown).await?;
        }
        _ => {
            let listener = tokio::net::TcpListener::bind(settings.addr).await?;
            tracing::info!(addr = %listener.local_addr()?, "onair listening; POST Alexa requests to /alexa");
            crate::server::serve(listener, state, shutdown).await?;
        }
    }
    stop_refresh.cancel();
    if refresh.await.is_err() {
        tracing::warn!("a feed refresh task panicked");
    }
    tracing::info!("stopped");
    Ok(())
}
