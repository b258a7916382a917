//! The browser console under `/console/`: talk to the skill, read the JSON, hear the stream,
//! look at the schedule, the feeds and a listener's data.
//!
//! - Off unless `--console` (or `--demo`). With an admin token configured, every console route
//!   needs it (see [`auth`]); without one the console is only served when the server listens on
//!   a loopback address, so nobody on the network reaches it.
//! - The page is plain HTML, CSS and one script, compiled into the binary (see `assets`): no
//!   build step, nothing fetched from elsewhere at run time.
//! - The Talk panel never posts to `/alexa`: its API builds the envelope a device would send
//!   ([`crate::devtools::envelope`]) from the offline NLU's resolution and hands it to
//!   [`crate::skill::Skill::handle`] in-process, so request verification on `/alexa` stays as
//!   strict as configured.
//! - Errors use the service's JSON error body, `{"error": ..., "detail": ...}`.

mod assets;
mod auth;
mod device;
mod listeners;
mod schedule;
mod sources;
mod streams;
mod talk;

use super::error::HttpError;
use crate::config::{Settings, SourceConfig};
use crate::import::refresh::RefreshStatus;
use crate::import::ImportOptions;
use crate::nlu::{InteractionModel, Nlu};
use crate::skill::Skill;
use crate::store::Store;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

/// `userId` of the console's simulated speaker; its listener view is one click away.
pub const CONSOLE_USER_ID: &str = "amzn1.ask.account.ONAIRCONSOLE";
/// `deviceId` of the console's simulated speaker.
pub const CONSOLE_DEVICE_ID: &str = "amzn1.ask.device.ONAIRCONSOLE";
/// Largest JSON body of a console API call (uploads have their own limit).
const JSON_BODY_LIMIT: usize = 64 * 1024;
/// Time limit of a console request (an upload of a large guide takes a while).
const CONSOLE_TIMEOUT: Duration = Duration::from_secs(600);

/// What the console routes share.
#[derive(Clone)]
pub struct ConsoleState {
    access: Arc<auth::Access>,
    skill: Arc<Skill>,
    store: Arc<dyn Store>,
    models: Arc<Models>,
    conversations: Arc<talk::Conversations>,
    rejections: Arc<sources::UploadRejections>,
    http: reqwest::Client,
    sources: Arc<Vec<SourceConfig>>,
    refresh: RefreshStatus,
    import_defaults: ImportOptions,
    upload_limit: usize,
    default_zone: String,
}

impl std::fmt::Debug for ConsoleState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConsoleState")
            .field("token_required", &self.access.token_required())
            .field("default_zone", &self.default_zone)
            .finish_non_exhaustive()
    }
}

/// Everything [`ConsoleState::from_settings`] needs besides the settings.
pub struct ConsoleParts {
    /// The skill the Talk panel runs in-process.
    pub skill: Arc<Skill>,
    /// The store the panels read.
    pub store: Arc<dyn Store>,
    /// Client of the stream checks.
    pub http: reqwest::Client,
    /// Refresh outcomes of the configured feeds, shared with the refresh tasks.
    pub refresh: RefreshStatus,
    /// Defaults of uploads.
    pub import_defaults: ImportOptions,
}

impl ConsoleState {
    /// The console the settings ask for: `None` when it is off, and when no admin token is
    /// configured and the listen address is not loopback (it would be open to the network).
    pub fn from_settings(settings: &Settings, parts: ConsoleParts) -> Option<Self> {
        if !(settings.console || settings.demo) {
            return None;
        }
        if settings.admin_token.is_none() && !settings.addr.ip().is_loopback() {
            tracing::warn!(
                addr = %settings.addr,
                "console not served: without an admin token it is only served on a loopback address"
            );
            return None;
        }
        Some(Self {
            access: Arc::new(auth::Access::new(
                settings.admin_token.as_deref(),
                settings.tls_cert.is_some(),
            )),
            skill: parts.skill,
            store: parts.store,
            models: Arc::new(Models::new(crate::devtools::default_manifest_dir())),
            conversations: Arc::new(talk::Conversations::default()),
            rejections: Arc::new(sources::UploadRejections::default()),
            http: parts.http,
            sources: Arc::new(settings.sources.clone()),
            refresh: parts.refresh,
            import_defaults: parts.import_defaults,
            upload_limit: settings.admin_upload_limit_bytes,
            default_zone: settings.default_timezone.clone(),
        })
    }
}

impl ConsoleState {
    /// Refresh outcomes the Sources panel shows; the refresh tasks record into the same.
    pub fn refresh(&self) -> &RefreshStatus {
        &self.refresh
    }
}

/// The interaction models of the skill package, loaded on first use per locale.
struct Models {
    dir: PathBuf,
    locales: Vec<String>,
    loaded: Mutex<HashMap<String, Arc<Nlu>>>,
}

impl Models {
    fn new(dir: PathBuf) -> Self {
        Self {
            locales: Self::list(&dir),
            dir,
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// The locales the package has a model for.
    fn locales(&self) -> Vec<String> {
        self.locales.clone()
    }

    fn list(dir: &std::path::Path) -> Vec<String> {
        let dir = dir.join("interactionModels/custom");
        let mut out: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        name.strip_suffix(".json").map(str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default();
        out.sort();
        out
    }

    /// The NLU of `locale`, or a 422 naming the locales there are.
    fn get(&self, locale: &str) -> Result<Arc<Nlu>, HttpError> {
        let unknown = || {
            HttpError::Unprocessable(format!(
                "no interaction model for locale {locale:?}; there are: {}",
                self.locales().join(", ")
            ))
        };
        if !self.locales.iter().any(|l| l == locale) {
            return Err(unknown());
        }
        let mut loaded = self.loaded.lock().map_err(|_| HttpError::Internal)?;
        if let Some(nlu) = loaded.get(locale) {
            return Ok(nlu.clone());
        }
        let path = crate::devtools::model_path(&self.dir, locale);
        let nlu = InteractionModel::load(&path)
            .and_then(|model| Nlu::new(model, locale))
            .map_err(|e| {
                tracing::error!(error = %e, locale, "console: interaction model failed to load");
                HttpError::Unprocessable(format!("interaction model for {locale}: {e}"))
            })?;
        let nlu = Arc::new(nlu);
        loaded.insert(locale.to_string(), nlu.clone());
        Ok(nlu)
    }
}

/// Parses a JSON body, naming the offending field in the 422.
fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, HttpError> {
    if body.len() > JSON_BODY_LIMIT {
        return Err(HttpError::TooLarge {
            limit: JSON_BODY_LIMIT,
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        HttpError::Unprocessable(format!("body at {path}: {}", e.inner()))
    })
}

/// Parses an IANA zone name from the query, or the default zone.
fn zone_param(raw: Option<&str>, default: &str) -> Result<(jiff::tz::TimeZone, String), HttpError> {
    let name = raw
        .map(str::trim)
        .filter(|z| !z.is_empty())
        .unwrap_or(default);
    if name.len() > 64 {
        return Err(HttpError::Unprocessable("zone is too long".into()));
    }
    jiff::tz::TimeZone::get(name)
        .map(|tz| (tz, name.to_string()))
        .map_err(|_| {
            HttpError::Unprocessable(format!(
                "zone {name:?} is not an IANA time zone (e.g. Europe/Paris)"
            ))
        })
}

/// Runs a store call on a blocking thread (sled calls are synchronous).
async fn blocking<T: Send + 'static>(
    store: &Arc<dyn Store>,
    work: impl FnOnce(&dyn Store) -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, HttpError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || work(store.as_ref()))
        .await
        .map_err(|_| HttpError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "console store call failed");
            HttpError::Internal
        })
}

/// The console's routes, every one behind [`auth::require`] except the login itself.
pub(super) fn router<S: Clone + Send + Sync + 'static>(console: ConsoleState) -> Router<S> {
    let protected = Router::new()
        .route("/console", get(assets::redirect))
        .route("/console/", get(assets::index))
        .route("/console/assets/{name}", get(assets::asset))
        .route("/console/logout", post(auth::logout))
        .route("/console/api/info", get(talk::info))
        .route("/console/api/talk", post(talk::talk))
        .route("/console/api/event", post(device::event))
        .route("/console/api/schedule", get(schedule::day))
        .route("/console/api/events/{id}", get(schedule::record))
        .route("/console/api/stations", get(schedule::stations))
        .route("/console/api/stations/{id}/check", post(streams::check))
        .route("/console/api/sources", get(sources::list))
        .route(
            "/console/api/import",
            post(sources::import).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/console/api/listeners/{key}",
            get(listeners::show).delete(listeners::forget),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            console.clone(),
            auth::require,
        ));
    Router::new()
        .route("/console/login", post(auth::login))
        .merge(protected)
        .layer(DefaultBodyLimit::max(JSON_BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            CONSOLE_TIMEOUT,
        ))
        .with_state(console)
}
