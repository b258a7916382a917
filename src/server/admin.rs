//! The admin API under `/admin/`, for operators: upload a schedule, list and delete events,
//! list and edit stations, see how each feed's refreshes went.
//!
//! - Present only when an admin token is configured; without one every `/admin` path is a 404.
//! - Every route needs `Authorization: Bearer <token>`. The comparison is of SHA-256 digests in
//!   constant time, so neither the token's content nor its length leaks through timing; the
//!   token itself is never logged (the settings keep only its digest here).
//! - Admin routes sit outside the `/alexa` layers: they have their own body limit (uploads
//!   stream under `admin_upload_limit_bytes`), their own longer timeout, and no concurrency
//!   share with the skill.
//! - Errors use the service's JSON error body, `{"error": ..., "detail": ...}`.

pub mod ids;
mod stage;
mod upload;

use super::error::HttpError;
use super::AppState;
use crate::config::SourceConfig;
use crate::import::refresh::{RefreshStatus, SourceStatus};
use crate::import::ImportOptions;
use crate::store::Store;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;
use subtle::ConstantTimeEq;
use tower_http::timeout::TimeoutLayer;

/// Events returned by one `GET /admin/events` at most.
pub const MAX_EVENTS: usize = 1000;
/// Largest JSON body of `PUT /admin/stations/{id}`.
const STATION_BODY_LIMIT: usize = 64 * 1024;
/// Time limit of an admin request (an upload of a large guide takes a while).
const ADMIN_TIMEOUT: Duration = Duration::from_secs(600);

/// What the admin routes need, built from the settings when a token is configured.
#[derive(Clone)]
pub struct AdminState {
    token_digest: [u8; 32],
    /// Largest upload.
    pub upload_limit: usize,
    /// The store, owned (uploads run on a blocking thread).
    pub store: Arc<dyn Store>,
    /// Configured feeds, for `GET /admin/sources`.
    pub sources: Arc<Vec<SourceConfig>>,
    /// Defaults for uploads (zone, language, horizon).
    pub import_defaults: ImportOptions,
    /// Refresh outcomes, shared with the refresh tasks.
    pub refresh: RefreshStatus,
}

impl std::fmt::Debug for AdminState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminState")
            .field("upload_limit", &self.upload_limit)
            .field("sources", &self.sources.len())
            .finish_non_exhaustive()
    }
}

impl AdminState {
    /// Admin state for `token`.
    pub fn new(
        token: &str,
        upload_limit: usize,
        store: Arc<dyn Store>,
        sources: Vec<SourceConfig>,
        import_defaults: ImportOptions,
        refresh: RefreshStatus,
    ) -> Self {
        Self {
            token_digest: Sha256::digest(token.as_bytes()).into(),
            upload_limit,
            store,
            sources: Arc::new(sources),
            import_defaults,
            refresh,
        }
    }

    fn accepts(&self, presented: &str) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented.as_bytes()).into();
        digest.ct_eq(&self.token_digest).into()
    }
}

/// The admin routes; merged into the app only when a token is configured.
pub(super) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/admin/import", post(upload::import))
        .route("/admin/events", get(list_events))
        .route("/admin/events/{id}", delete(delete_event))
        .route("/admin/stations", get(list_stations))
        .route("/admin/stations/{id}", put(put_station))
        .route("/admin/sources", get(list_sources))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            require_token,
        ))
        .layer(DefaultBodyLimit::disable())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            ADMIN_TIMEOUT,
        ))
}

fn admin(state: &AppState) -> Result<&AdminState, HttpError> {
    state.admin.as_ref().ok_or(HttpError::Internal)
}

async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    let ok = match (state.admin.as_ref(), presented) {
        (Some(admin), Some(token)) => admin.accepts(token),
        _ => false,
    };
    if !ok {
        tracing::info!(path = %request.uri().path(), "admin request refused: missing or wrong token");
        return HttpError::Unauthorized.into_response();
    }
    next.run(request).await
}

/// Runs a store call on a blocking thread (sled calls are synchronous).
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce(&dyn Store) -> Result<T, crate::store::StoreError> + Send + 'static,
) -> Result<T, HttpError> {
    let store = admin(state)?.store.clone();
    tokio::task::spawn_blocking(move || work(store.as_ref()))
        .await
        .map_err(|_| HttpError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "admin store call failed");
            HttpError::Internal
        })
}

#[derive(Deserialize)]
struct EventsQuery {
    from: Option<String>,
    to: Option<String>,
    station: Option<String>,
    limit: Option<usize>,
}

fn time_param(name: &str, raw: Option<&str>) -> Result<Option<Timestamp>, HttpError> {
    raw.map(|r| {
        r.parse::<Timestamp>()
            .map_err(|_| HttpError::Unprocessable(format!("{name}={r:?} is not an RFC 3339 time")))
    })
    .transpose()
}

async fn list_events(
    State(state): State<AppState>,
    Query(q): Query<EventsQuery>,
) -> Result<Response, HttpError> {
    let from = time_param("from", q.from.as_deref())?.unwrap_or_else(Timestamp::now);
    let to = match time_param("to", q.to.as_deref())? {
        Some(t) => t,
        None => from
            .checked_add(jiff::SignedDuration::from_hours(24 * 7))
            .map_err(|_| HttpError::Unprocessable("from is out of range".into()))?,
    };
    if to <= from {
        return Err(HttpError::Unprocessable("to must be after from".into()));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_EVENTS);
    let station = q.station.clone();
    // One more than asked says whether the list was cut.
    let mut events = blocking(&state, move |store| match &station {
        Some(s) => store.on_station(s, from, to, limit + 1),
        None => store.overlapping(from, to, limit + 1),
    })
    .await?;
    let truncated = events.len() > limit;
    events.truncate(limit);
    Ok(Json(json!({
        "from": from, "to": to, "limit": limit, "truncated": truncated, "events": events
    }))
    .into_response())
}

async fn delete_event(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    ids::check(&id)?;
    let target = id.clone();
    if blocking(&state, move |store| store.delete_event(&target)).await? {
        tracing::info!(event = %id, "event deleted through the admin API");
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(HttpError::NotFound(format!("no event {id:?}")))
    }
}

async fn list_stations(State(state): State<AppState>) -> Result<Response, HttpError> {
    let stations = blocking(&state, |store| store.stations()).await?;
    Ok(Json(json!({ "stations": stations })).into_response())
}

async fn put_station(
    State(state): State<AppState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, HttpError> {
    ids::check(&id)?;
    if body.len() > STATION_BODY_LIMIT {
        return Err(HttpError::TooLarge {
            limit: STATION_BODY_LIMIT,
        });
    }
    let de = &mut serde_json::Deserializer::from_slice(&body);
    // onair's JSON station record; `id` may be left out, the path names it.
    let b: crate::import::json::StationIn = serde_path_to_error::deserialize(de)
        .map_err(|e| HttpError::Unprocessable(format!("body at {}: {}", e.path(), e.inner())))?;
    if b.id.as_deref().is_some_and(|body_id| body_id != id) {
        return Err(HttpError::Unprocessable(format!(
            "the body's id {:?} does not match the path's {id:?}",
            b.id.unwrap_or_default()
        )));
    }
    let station = b
        .into_station(&id)
        .map_err(|e| HttpError::Unprocessable(e.to_string()))?;
    let stored = station.clone();
    blocking(&state, move |store| store.put_station(stored)).await?;
    tracing::info!(station = %id, "station written through the admin API");
    Ok(Json(station).into_response())
}

/// One source as `GET /admin/sources` shows it.
#[derive(Serialize)]
struct SourceView {
    location: String,
    configured: bool,
    format: Option<String>,
    station: Option<String>,
    refresh: Option<String>,
    source: Option<String>,
    counts: Counts,
    status: Option<SourceStatus>,
}

#[derive(Serialize, Default)]
struct Counts {
    stations: usize,
    events: usize,
    episodes: usize,
}

async fn list_sources(State(state): State<AppState>) -> Result<Response, HttpError> {
    let admin = admin(&state)?.clone();
    let statuses = admin.refresh.snapshot();
    let mut views: Vec<SourceView> = admin
        .sources
        .iter()
        .map(|s| SourceView {
            location: s.location.clone(),
            configured: true,
            format: s.format.clone(),
            station: s.station.clone(),
            refresh: Some(s.refresh.clone()),
            source: crate::import::fetch::source_of(&s.location).ok(),
            counts: Counts::default(),
            status: statuses
                .iter()
                .find(|st| st.location == s.location)
                .cloned(),
        })
        .collect();
    for st in statuses {
        if !admin.sources.iter().any(|s| s.location == st.location) {
            views.push(SourceView {
                location: st.location.clone(),
                configured: false,
                format: None,
                station: None,
                refresh: None,
                source: st.source.clone(),
                counts: Counts::default(),
                status: Some(st),
            });
        }
    }
    let names: Vec<Option<String>> = views.iter().map(|v| v.source.clone()).collect();
    let counts = blocking(&state, move |store| {
        crate::store::counts_of_sources(store, &names)
    })
    .await?;
    for (view, (stations, events, episodes)) in views.iter_mut().zip(counts) {
        view.counts = Counts {
            stations,
            events,
            episodes,
        };
    }
    Ok(Json(json!({ "sources": views })).into_response())
}
