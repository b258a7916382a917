//! Schedules in: each format turns bytes into domain records; [`import_bytes`] hands them to the
//! store as one atomic batch per source.

pub mod json;

use crate::store::{ImportBatch, ImportSummary, Store, StoreError};
use serde::Serialize;

/// Formats onair reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// onair's own JSON schedule.
    Json,
}

impl Format {
    /// Guesses the format from the content.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let first = head.iter().find(|b| !b.is_ascii_whitespace())?;
        match first {
            b'{' => Some(Self::Json),
            _ => None,
        }
    }
}

/// A record that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Where it is: a JSON path or a line number.
    pub location: String,
    /// Why it was left out.
    pub reason: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Store changes.
    #[serde(flatten)]
    pub summary: ImportSummary,
    /// Records left out.
    pub rejected: Vec<Rejected>,
}

/// Why nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The content is not in a format onair reads.
    #[error("unrecognised format: {0}")]
    UnknownFormat(String),
    /// The file is unusable as a whole (bad syntax, or a bad record in a format that is
    /// all-or-nothing).
    #[error("{location}: {reason}")]
    Invalid {
        /// Where.
        location: String,
        /// Why.
        reason: String,
    },
    /// Reading the input failed.
    #[error("reading {path}: {detail}")]
    Read {
        /// What.
        path: String,
        /// Why.
        detail: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Import options.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Format; detected when absent.
    pub format: Option<Format>,
    /// Compute the summary without writing.
    pub dry_run: bool,
}

/// Parses `bytes` and replaces what `source` provided, atomically.
pub fn import_bytes(
    store: &dyn Store,
    source: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let format = match options.format {
        Some(f) => f,
        None => Format::detect(bytes).ok_or_else(|| {
            ImportError::UnknownFormat(
                "expected onair JSON (a file starting with '{'); use --format to say which".into(),
            )
        })?,
    };
    let (mut batch, rejected) = match format {
        Format::Json => (json::parse(bytes)?, Vec::new()),
    };
    batch.source = source.to_string();
    let summary = store.import(batch, options.dry_run)?;
    Ok(ImportReport { summary, rejected })
}

/// Reads a file and imports it; the source is the file's canonical path.
pub fn import_file(
    store: &dyn Store,
    path: &std::path::Path,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let read_err = |e: std::io::Error| ImportError::Read {
        path: path.display().to_string(),
        detail: e.to_string(),
    };
    let bytes = std::fs::read(path).map_err(read_err)?;
    let source = std::fs::canonicalize(path).map_err(read_err)?;
    import_bytes(store, &source.display().to_string(), &bytes, options)
}

/// Adds `ImportBatch` helpers for importers.
pub(crate) fn empty_batch() -> ImportBatch {
    ImportBatch::default()
}
