//! `POST /admin/import`: the request body is a schedule file, parsed while it arrives.
//!
//! The format comes from `?format=`, else the Content-Type, else the content itself. The
//! source is `?source=` (default `admin:<format>`), so uploading the same kind of file again
//! replaces what the previous upload provided. An upload over `admin_upload_limit_bytes` is a
//! 413, a file that cannot be used a 422 with the reason; in both cases nothing changed.
//!
//! The body is staged in a temporary file first, within `admin_body_timeout_ms` (else 408), and
//! a gzip body is expanded there too, up to `decompressed_ratio` times the upload limit (else
//! 413). Only then does the import start, so a slow or hostile upload never holds the import
//! lock while its bytes trickle in, and memory stays flat whatever the body's size.

use super::stage;
use super::{admin, AppState, HttpError};
use crate::import::input::{DynRead, Limited};
use crate::import::{import_reader, Format, ImportError, ImportOptions, Origin};
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use std::sync::atomic::Ordering;

/// Query parameters.
#[derive(Deserialize)]
pub(in crate::server) struct ImportQuery {
    format: Option<String>,
    source: Option<String>,
    station: Option<String>,
    lang: Option<String>,
    #[serde(default)]
    dry_run: bool,
}

/// Rejections quoted in a 422's detail.
const QUOTED: usize = 5;

fn source_name(raw: Option<String>, format: Format) -> Result<String, HttpError> {
    let name = raw.unwrap_or_else(|| format!("admin:{}", format.name()));
    let name = name.trim().to_string();
    // Source names are part of store keys, where a NUL separates fields.
    if name.is_empty() || name.len() > 300 || name.chars().any(char::is_control) {
        return Err(HttpError::Unprocessable(
            "source must be 1 to 300 characters without control characters".into(),
        ));
    }
    Ok(name)
}

pub(in crate::server) async fn import(
    State(state): State<AppState>,
    Query(q): Query<ImportQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let admin = admin(&state)?.clone();
    let limit = admin.upload_limit;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(HttpError::TooLarge { limit });
    }
    let mut format = match q.format.as_deref() {
        Some(name) => Some(
            Format::from_name(name)
                .ok_or_else(|| HttpError::Unprocessable(format!("unknown format {name:?}")))?,
        ),
        None => headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(Format::from_content_type),
    };
    let staged = tokio::time::timeout(state.limits.admin_body_timeout, stage::receive(body, limit))
        .await
        .map_err(|_| HttpError::SlowBody)??;
    let expand_limit = (limit as u64).saturating_mul(state.limits.decompressed_ratio);
    let staged = tokio::task::spawn_blocking(move || stage::expand(staged, expand_limit))
        .await
        .map_err(|_| HttpError::Internal)??;
    if format.is_none() {
        format = Format::detect(&staged.head);
    }
    let format = format.ok_or_else(|| {
        HttpError::Unprocessable(
            "unrecognised format: not XMLTV, iCalendar, M3U, PLS, podcast RSS or onair JSON; \
             say which with ?format="
                .into(),
        )
    })?;
    let source = source_name(q.source, format)?;
    let limited = Limited::new(staged.file, expand_limit);
    let too_large = limited.tripped();
    let options = ImportOptions {
        format: Some(format),
        dry_run: q.dry_run,
        station: q.station.or(admin.import_defaults.station.clone()),
        lang: q.lang.unwrap_or(admin.import_defaults.lang.clone()),
        ..admin.import_defaults.clone()
    };
    let store = admin.store.clone();
    let name = source.clone();
    let result = tokio::task::spawn_blocking(move || {
        let reader: DynRead = Box::new(limited);
        import_reader(
            store.as_ref(),
            &name,
            reader,
            &options,
            &Origin::Upload,
            None,
        )
    })
    .await
    .map_err(|_| HttpError::Internal)?;
    match result {
        Ok(report) => {
            tracing::info!(
                source = %source,
                format = format.name(),
                dry_run = q.dry_run,
                added = report.summary.added,
                updated = report.summary.updated,
                removed = report.summary.removed,
                rejected = report.rejected.len(),
                "schedule uploaded through the admin API"
            );
            if !q.dry_run {
                admin.refresh.record_import(
                    &format!("upload:{source}"),
                    &source,
                    report.summary.clone(),
                    report.rejected.len(),
                );
            }
            Ok(Json(json!({
                "source": source,
                "format": format,
                "dry_run": q.dry_run,
                "added": report.summary.added,
                "updated": report.summary.updated,
                "unchanged": report.summary.unchanged,
                "removed": report.summary.removed,
                "rejected": report.rejected,
                "warnings": report.warnings,
            }))
            .into_response())
        }
        Err(_) if too_large.load(Ordering::SeqCst) => Err(HttpError::TooLarge { limit }),
        Err(ImportError::Store(e)) => {
            tracing::error!(error = %e, "admin upload: store failed");
            Err(HttpError::Internal)
        }
        Err(ImportError::Read { detail, .. }) => Err(HttpError::BadBody(detail)),
        Err(ImportError::NothingUsable { rejected }) => {
            let quoted: Vec<String> = rejected
                .iter()
                .take(QUOTED)
                .map(|r| format!("{}: {}", r.location, r.reason))
                .collect();
            Err(HttpError::Unprocessable(format!(
                "nothing usable in the file; nothing was changed. {}",
                quoted.join("; ")
            )))
        }
        Err(e) => Err(HttpError::Unprocessable(format!(
            "{e}; nothing was changed"
        ))),
    }
}
