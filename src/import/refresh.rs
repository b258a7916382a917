//! Feeds that refresh: `serve` re-imports each configured source at its interval.
//!
//! - One task per source; parsing runs on a blocking thread (see [`super::fetch`]).
//! - URLs are fetched conditionally (ETag / Last-Modified): a 304 costs nothing. A local file
//!   whose size and modification time have not changed is not read again either.
//! - A failed refresh changes nothing in the store (imports are atomic), so listeners keep
//!   the last good schedule; the failure is recorded next to the last success in
//!   [`RefreshStatus`], which `GET /admin/sources` shows.
//! - Every task stops when the shutdown token is cancelled; an import already running on its
//!   blocking thread completes (atomically) or never applies.

use super::fetch::{import_location, source_of, LocationOutcome, Validators};
use super::{Format, ImportOptions};
use crate::config::SourceConfig;
use crate::store::{ImportSummary, Store};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// The last successful import of a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Success {
    /// When.
    pub at: Timestamp,
    /// What changed.
    pub summary: ImportSummary,
    /// Records rejected.
    pub rejected: usize,
}

/// The last failed refresh of a source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// When.
    pub at: Timestamp,
    /// Why.
    pub error: String,
}

/// What is known about one source's refreshes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SourceStatus {
    /// Configured location (path or URL), or "upload" for admin uploads.
    pub location: String,
    /// The store's name for the source.
    pub source: Option<String>,
    /// Last successful import.
    pub last_success: Option<Success>,
    /// Last failure (kept after a later success, so an operator sees flapping feeds).
    pub last_failure: Option<Failure>,
    /// Last time the feed answered "not modified".
    pub last_not_modified: Option<Timestamp>,
    #[serde(skip)]
    validators: Validators,
    #[serde(skip)]
    file_stamp: Option<(u64, Option<SystemTime>)>,
}

/// Refresh statuses by location, shared between the refresh tasks and the admin API.
#[derive(Debug, Clone, Default)]
pub struct RefreshStatus {
    inner: Arc<Mutex<BTreeMap<String, SourceStatus>>>,
}

impl RefreshStatus {
    /// All statuses, by location.
    pub fn snapshot(&self) -> Vec<SourceStatus> {
        match self.inner.lock() {
            Ok(map) => map.values().cloned().collect(),
            Err(poisoned) => poisoned.into_inner().values().cloned().collect(),
        }
    }

    /// The status of one location.
    pub fn get(&self, location: &str) -> Option<SourceStatus> {
        self.snapshot().into_iter().find(|s| s.location == location)
    }

    fn update(&self, location: &str, change: impl FnOnce(&mut SourceStatus)) {
        let mut map = match self.inner.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        let entry = map
            .entry(location.to_string())
            .or_insert_with(|| SourceStatus {
                location: location.to_string(),
                ..SourceStatus::default()
            });
        change(entry);
    }

    /// Records an import that did not come from a refresh (admin upload).
    pub fn record_import(
        &self,
        location: &str,
        source: &str,
        summary: ImportSummary,
        rejected: usize,
    ) {
        self.update(location, |s| {
            s.source = Some(source.to_string());
            s.last_success = Some(Success {
                at: Timestamp::now(),
                summary,
                rejected,
            });
        });
    }

    fn record_failure(&self, location: &str, error: String) {
        self.update(location, |s| {
            s.last_failure = Some(Failure {
                at: Timestamp::now(),
                error,
            })
        });
    }
}

/// The refresh interval of a source ("15m", "1h"; at least one second).
pub fn interval(source: &SourceConfig) -> Result<Duration, String> {
    let d = humantime::parse_duration(source.refresh.trim())
        .map_err(|e| format!("refresh {:?}: {e}", source.refresh))?;
    if d < Duration::from_secs(1) {
        return Err(format!(
            "refresh {:?} is shorter than a second",
            source.refresh
        ));
    }
    Ok(d)
}

/// Import options for a source: `base` (zone, language, horizon) plus its format and station.
pub fn options_for(source: &SourceConfig, base: &ImportOptions) -> Result<ImportOptions, String> {
    let format = match source.format.as_deref() {
        Some(name) => {
            Some(Format::from_name(name).ok_or_else(|| format!("unknown format {name:?}"))?)
        }
        None => None,
    };
    Ok(ImportOptions {
        format,
        station: source.station.clone().or_else(|| base.station.clone()),
        dry_run: false,
        ..base.clone()
    })
}

fn file_stamp(location: &str) -> Option<(u64, Option<SystemTime>)> {
    let meta = std::fs::metadata(location).ok()?;
    Some((meta.len(), meta.modified().ok()))
}

/// Refreshes one source now and records the outcome.
pub async fn refresh_once(
    source: &SourceConfig,
    base: &ImportOptions,
    store: Arc<dyn Store>,
    http: &reqwest::Client,
    status: &RefreshStatus,
) {
    let location = source.location.as_str();
    let options = match options_for(source, base) {
        Ok(o) => o,
        Err(e) => return status.record_failure(location, e),
    };
    let previous = status.get(location).unwrap_or_default();
    let is_url = super::fetch::as_url(location).is_some();
    let stamp = if is_url { None } else { file_stamp(location) };
    if stamp.is_some() && stamp == previous.file_stamp && previous.last_success.is_some() {
        status.update(location, |s| s.last_not_modified = Some(Timestamp::now()));
        return;
    }
    let name = source_of(location).ok();
    match import_location(store, location, options, http, &previous.validators, None).await {
        Ok(LocationOutcome::NotModified) => {
            status.update(location, |s| s.last_not_modified = Some(Timestamp::now()));
        }
        Ok(LocationOutcome::Imported { report, validators }) => {
            tracing::info!(
                location,
                added = report.summary.added,
                updated = report.summary.updated,
                removed = report.summary.removed,
                rejected = report.rejected.len(),
                "source refreshed"
            );
            status.update(location, |s| {
                s.source = name;
                s.validators = validators;
                s.file_stamp = stamp;
                s.last_success = Some(Success {
                    at: Timestamp::now(),
                    summary: report.summary,
                    rejected: report.rejected.len(),
                });
            });
        }
        Err(e) => {
            tracing::warn!(location, error = %e, "source refresh failed; keeping the previous data");
            status.update(location, |s| s.source = s.source.take().or(name));
            status.record_failure(location, e.to_string());
        }
    }
}

/// Starts one refresh task per source (each imports at once, then every interval) and returns
/// a handle that completes once all of them stopped after `shutdown` was cancelled.
pub fn spawn_refresh(
    sources: Vec<SourceConfig>,
    base: ImportOptions,
    store: Arc<dyn Store>,
    http: reqwest::Client,
    status: RefreshStatus,
    shutdown: CancellationToken,
) -> JoinHandle<()> {
    let mut tasks = tokio::task::JoinSet::new();
    for source in sources {
        let every = match interval(&source) {
            Ok(d) => d,
            Err(e) => {
                status.record_failure(&source.location, e);
                continue;
            }
        };
        let (base, store, http, status, shutdown) = (
            base.clone(),
            store.clone(),
            http.clone(),
            status.clone(),
            shutdown.clone(),
        );
        tasks.spawn(async move {
            loop {
                tokio::select! {
                    () = refresh_once(&source, &base, store.clone(), &http, &status) => {}
                    () = shutdown.cancelled() => break,
                }
                tokio::select! {
                    () = tokio::time::sleep(every) => {}
                    () = shutdown.cancelled() => break,
                }
            }
        });
    }
    tokio::spawn(async move { while tasks.join_next().await.is_some() {} })
}
