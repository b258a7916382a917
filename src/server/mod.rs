//! The HTTP service: router, state, and serving with graceful shutdown.

pub mod admin;
mod alexa;
mod audio;
pub mod conn;
pub mod console;
pub mod error;
pub mod metrics;
pub mod shutdown;

use crate::skill::Skill;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use metrics::Metrics;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

/// "Now", injected so tests can verify requests signed at a fixed time.
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// The real clock.
pub fn system_clock() -> Clock {
    Arc::new(jiff::Timestamp::now)
}

/// Cheap handles shared by every request.
#[derive(Clone)]
pub struct AppState {
    /// The skill.
    pub skill: Arc<Skill>,
    /// Request verification; `None` only with `--no-verify`.
    pub verifier: Option<Arc<crate::verify::Verifier>>,
    /// The clock verification compares timestamps with.
    pub clock: Clock,
    /// Counters.
    pub metrics: Arc<Metrics>,
    /// Limits and switches the handlers read.
    pub limits: Limits,
    /// Directory served under `/audio` (demo mode), if any.
    pub audio_dir: Option<PathBuf>,
    /// The admin API's state; `None` (no token configured) leaves `/admin` unrouted.
    pub admin: Option<admin::AdminState>,
    /// The browser console's state; `None` (off) leaves `/console` unrouted.
    pub console: Option<console::ConsoleState>,
}

/// HTTP limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest `/alexa` body.
    pub body_bytes: usize,
    /// Per-request time limit.
    pub timeout: Duration,
    /// Requests handled at once.
    pub concurrency: usize,
    /// Skill requests run at once on the blocking pool; the rest wait (within their timeout).
    pub skill_workers: Arc<tokio::sync::Semaphore>,
    /// Time for a request head to arrive, from the connection opening or the previous response.
    pub header_timeout: Duration,
    /// Open connections at most (lowered further to fit the open-files limit).
    pub max_connections: usize,
    /// Time requests in flight get to finish once shutdown is asked.
    pub shutdown_grace: Duration,
    /// Time an admin upload body may take to arrive.
    pub admin_body_timeout: Duration,
    /// How many times the upload limit a compressed upload may expand to.
    pub decompressed_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self::from_settings(&crate::config::Settings::default())
    }
}

impl Limits {
    /// The limits the settings ask for.
    pub fn from_settings(settings: &crate::config::Settings) -> Self {
        Self {
            body_bytes: settings.body_limit_bytes,
            timeout: Duration::from_millis(settings.request_timeout_ms),
            concurrency: settings.max_concurrent_requests,
            skill_workers: Arc::new(tokio::sync::Semaphore::new(settings.skill_workers)),
            header_timeout: Duration::from_millis(settings.header_timeout_ms),
            max_connections: settings.max_connections,
            shutdown_grace: Duration::from_millis(settings.shutdown_grace_ms),
            admin_body_timeout: Duration::from_millis(settings.admin_body_timeout_ms),
            decompressed_ratio: settings.decompressed_ratio,
        }
    }
}

/// The router, without a socket, so tests can drive it directly.
pub fn app(state: AppState) -> Router {
    let limits = state.limits.clone();
    let mut router = Router::new()
        .route("/alexa", post(alexa::endpoint))
        .route("/healthz", get(health))
        .route("/metrics", get(metrics_text));
    if state.audio_dir.is_some() {
        router = router
            .route("/audio/live.mp3", get(audio::live))
            .route("/audio/{file}", get(audio::file));
    }
    let router = router
        // The endpoint reads the body itself to answer 413 in the JSON error format; this
        // layer's limit sits above it so that check is the one that fires.
        .layer(DefaultBodyLimit::max(limits.body_bytes.saturating_mul(2)))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
            limits.concurrency,
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.timeout,
        ))
        .layer(CatchPanicLayer::custom(
            |_panic: Box<dyn std::any::Any + Send>| {
                tracing::error!("a request handler panicked");
                error::HttpError::Internal.into_response()
            },
        ));
    // Merged after the layers above, so admin routes keep their own body limit and timeout.
    let router = match &state.admin {
        Some(_) => router.merge(admin::router(&state).layer(CatchPanicLayer::custom(
            |_panic: Box<dyn std::any::Any + Send>| {
                tracing::error!("an admin handler panicked");
                error::HttpError::Internal.into_response()
            },
        ))),
        None => router,
    };
    // The console has its own limits, like the admin routes.
    let router = match &state.console {
        Some(console) => router.merge(console::router(console.clone()).layer(
            CatchPanicLayer::custom(|_panic: Box<dyn std::any::Any + Send>| {
                tracing::error!("a console handler panicked");
                error::HttpError::Internal.into_response()
            }),
        )),
        None => router,
    };
    router
        .layer(axum::middleware::map_response(close_after_unread_body))
        .with_state(state)
}

/// Answers that leave a request body unread (413) or end a request early (408) close the
/// connection; saying so lets the client read the answer instead of seeing a reset and retrying.
async fn close_after_unread_body(
    mut response: axum::response::Response,
) -> axum::response::Response {
    if matches!(
        response.status(),
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT
    ) {
        response.headers_mut().insert(
            axum::http::header::CONNECTION,
            axum::http::HeaderValue::from_static("close"),
        );
    }
    response
}

async fn health() -> &'static str {
    "ok"
}

async fn metrics_text(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl IntoResponse {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
}

/// Serves plain HTTP on an already bound listener until `shutdown` resolves, lets in-flight
/// requests finish (within the shutdown grace period), then flushes the store.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let skill = state.skill.clone();
    let limits = state.limits.clone();
    let metrics = state.metrics.clone();
    let result = conn::run(listener, app(state), &limits, metrics, shutdown).await;
    flush(&skill);
    result
}

/// Serves HTTPS with rustls on an already bound listener. The certificate and key are re-read on
/// SIGHUP, so a renewed certificate needs no restart.
pub async fn serve_tls(
    listener: std::net::TcpListener,
    state: AppState,
    cert: PathBuf,
    key: PathBuf,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // ring is the one crypto provider compiled in; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key).await?;
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(Duration::from_secs(10)));
    });
    #[cfg(unix)]
    {
        let reload = config.clone();
        tokio::spawn(async move {
            let Ok(mut hup) =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
            else {
                return;
            };
            while hup.recv().await.is_some() {
                match reload.reload_from_pem_file(&cert, &key).await {
                    Ok(()) => tracing::info!("TLS certificate reloaded"),
                    Err(e) => {
                        tracing::error!(error = %e, "TLS certificate reload failed; keeping the old one")
                    }
                }
            }
        });
    }
    listener.set_nonblocking(true)?;
    // The open-files limit is raised here too; the header timeout and the connection limit
    // belong to the plain-HTTP accept loop.
    let _ = conn::connection_cap(state.limits.max_connections);
    let skill = state.skill.clone();
    let result = axum_server::from_tcp_rustls(listener, config)
        .handle(handle)
        .serve(app(state).into_make_service())
        .await;
    flush(&skill);
    result
}

fn flush(skill: &Skill) {
    match skill.store().flush() {
        Ok(()) => tracing::info!("store flushed"),
        Err(e) => tracing::error!(error = %e, "store flush failed at shutdown"),
    }
}
