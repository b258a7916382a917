//! The Sources panel's API: the configured feeds with their last refresh, what each provides
//! and what it rejected; and uploads, imported as the admin API imports them.
//!
//! Refreshes only count their rejections; for files uploaded here the rejected records are
//! kept (the first [`KEPT_REJECTIONS`] of the last upload of each source) so the panel can
//! show which records were left out and why.

use super::{blocking, ConsoleState};
use crate::import::Rejected;
use crate::import::{import_reader, Format, ImportError, ImportOptions, Origin};
use crate::server::error::HttpError;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::Mutex;

/// Rejections kept per uploaded source.
pub(super) const KEPT_REJECTIONS: usize = 50;

/// The last upload's rejections, by source name.
#[derive(Default)]
pub(super) struct UploadRejections {
    inner: Mutex<BTreeMap<String, Vec<Rejected>>>,
}

/// One row of the panel.
#[derive(Serialize)]
struct SourceRow {
    location: String,
    configured: bool,
    format: Option<String>,
    refresh: Option<String>,
    source: Option<String>,
    stations: usize,
    events: usize,
    episodes: usize,
    status: Option<crate::import::refresh::SourceStatus>,
    rejected: Vec<Rejected>,
}

/// `GET /console/api/sources`.
pub(super) async fn list(State(console): State<ConsoleState>) -> Result<Response, HttpError> {
    let statuses = console.refresh.snapshot();
    let mut rows: Vec<SourceRow> = console
        .sources
        .iter()
        .map(|s| SourceRow {
            location: s.location.clone(),
            configured: true,
            format: s.format.clone(),
            refresh: Some(s.refresh.clone()),
            source: crate::import::fetch::source_of(&s.location).ok(),
            stations: 0,
            events: 0,
            episodes: 0,
            status: statuses
                .iter()
                .find(|st| st.location == s.location)
                .cloned(),
            rejected: Vec::new(),
        })
        .collect();
    for st in statuses {
        if !console.sources.iter().any(|s| s.location == st.location) {
            rows.push(SourceRow {
                location: st.location.clone(),
                configured: false,
                format: None,
                refresh: None,
                source: st.source.clone(),
                stations: 0,
                events: 0,
                episodes: 0,
                status: Some(st),
                rejected: Vec::new(),
            });
        }
    }
    if let Ok(kept) = console.rejections.inner.lock() {
        for row in &mut rows {
            if let Some(r) = row.source.as_ref().and_then(|s| kept.get(s)) {
                row.rejected = r.clone();
            }
        }
    }
    let names: Vec<Option<String>> = rows.iter().map(|r| r.source.clone()).collect();
    let counts = blocking(&console.store, move |store| {
        crate::store::counts_of_sources(store, &names)
    })
    .await?;
    for (row, (stations, events, episodes)) in rows.iter_mut().zip(counts) {
        row.stations = stations;
        row.events = events;
        row.episodes = episodes;
    }
    Ok(Json(json!({ "sources": rows })).into_response())
}

/// Query of `POST /console/api/import`.
#[derive(Deserialize)]
pub(super) struct ImportQuery {
    format: Option<String>,
    source: Option<String>,
}

/// `POST /console/api/import?format=&source=`: the body is a schedule file.
pub(super) async fn import(
    State(console): State<ConsoleState>,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let limit = console.upload_limit;
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| HttpError::TooLarge { limit })?;
    if bytes.is_empty() {
        return Err(HttpError::Unprocessable("the file is empty".into()));
    }
    let format = match q.format.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
        Some(name) => Some(
            Format::from_name(name)
                .ok_or_else(|| HttpError::Unprocessable(format!("unknown format {name:?}")))?,
        ),
        None => headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(Format::from_content_type)
            .or_else(|| Format::detect(&bytes)),
    };
    let format = format.ok_or_else(|| {
        HttpError::Unprocessable(
            "unrecognised format: not XMLTV, iCalendar, M3U, PLS, podcast RSS or onair JSON; choose one"
                .into(),
        )
    })?;
    let source = q
        .source
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| format!("console:{}", format.name()));
    if source.len() > 300 || source.chars().any(char::is_control) {
        return Err(HttpError::Unprocessable(
            "source must be 1 to 300 characters without control characters".into(),
        ));
    }
    let options = ImportOptions {
        format: Some(format),
        ..console.import_defaults.clone()
    };
    let store = console.store.clone();
    let name = source.clone();
    let result = tokio::task::spawn_blocking(move || {
        import_reader(
            store.as_ref(),
            &name,
            Box::new(Cursor::new(bytes)),
            &options,
            &Origin::Upload,
            None,
        )
    })
    .await
    .map_err(|_| HttpError::Internal)?;
    let report = match result {
        Ok(report) => report,
        Err(ImportError::Store(e)) => {
            tracing::error!(error = %e, "console upload: store failed");
            return Err(HttpError::Internal);
        }
        Err(ImportError::NothingUsable { rejected }) => {
            let quoted: Vec<String> = rejected
                .iter()
                .take(5)
                .map(|r| format!("{}: {}", r.location, r.reason))
                .collect();
            return Err(HttpError::Unprocessable(format!(
                "nothing usable in the file; nothing was changed. {}",
                quoted.join("; ")
            )));
        }
        Err(e) => {
            return Err(HttpError::Unprocessable(format!(
                "{e}; nothing was changed"
            )))
        }
    };
    tracing::info!(
        source = %source,
        format = format.name(),
        added = report.summary.added,
        updated = report.summary.updated,
        removed = report.summary.removed,
        rejected = report.rejected.len(),
        "schedule uploaded through the console"
    );
    console.refresh.record_import(
        &format!("upload:{source}"),
        &source,
        report.summary.clone(),
        report.rejected.len(),
    );
    if let Ok(mut kept) = console.rejections.inner.lock() {
        let first: Vec<Rejected> = report
            .rejected
            .iter()
            .take(KEPT_REJECTIONS)
            .cloned()
            .collect();
        kept.insert(source.clone(), first);
    }
    Ok(Json(json!({
        "source": source,
        "format": format,
        "added": report.summary.added,
        "updated": report.summary.updated,
        "unchanged": report.summary.unchanged,
        "removed": report.summary.removed,
        "rejected": report.rejected,
    }))
    .into_response())
}
