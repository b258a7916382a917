//! Schedules in: each format turns a byte stream into domain records; [`import_reader`] hands
//! them to the store as one atomic batch per source, so a re-import replaces exactly what that
//! source provided before and a failed or interrupted import changes nothing.
//!
//! # Formats
//! - [`json`]: onair's own schedule; strict and all-or-nothing.
//! - [`xmltv`], [`ical`], [`playlist`] (M3U/M3U8/PLS/XSPF/ASX), [`rss`]: the messy formats
//!   operators have. Lenient by record, strict by file: a field onair cannot use is dropped
//!   and noted in [`ImportReport::warnings`]; a record with nothing playable or schedulable
//!   left is reported in [`ImportReport::rejected`] with its line (or XML element index); only
//!   a file that is not the format at all fails.
//!
//! # Memory
//! Parsers pull records from a stream one at a time ([`input`] decompresses and transcodes on
//! the fly) and hand each accepted record to the store's [`ImportSession`], which stages it on
//! disk; nothing grows with the feed but an 8-byte hash per record id. Two formats gather
//! before handing on, both bounded by nature: iCalendar (a later RECURRENCE-ID may replace an
//! instance already expanded; expansions stop at the horizon) and playlists (entries with one
//! id merge into one station).

pub mod charset;
pub mod detect;
pub mod fetch;
mod fields;
mod format;
pub mod ical;
pub mod input;
pub mod json;
pub mod playlist;
mod record;
pub mod refresh;
pub mod rss;
mod xml;
pub mod xmltv;

pub use format::Format;
pub use record::{Collect, Output, Rejected, Rejections};

use crate::store::{ImportBatch, ImportSession, ImportSummary, Store, StoreError};
use input::DynRead;
use jiff::Timestamp;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Store changes.
    #[serde(flatten)]
    pub summary: ImportSummary,
    /// Records left out.
    pub rejected: Vec<Rejected>,
    /// Records kept without a field onair could not use (a relative logo, a cut title…), so
    /// the operator can fix the feed.
    pub warnings: Vec<Rejected>,
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
    /// Every record was rejected (or there were none): applying it would only delete.
    #[error("nothing usable was read (every record was rejected, or there were none)")]
    NothingUsable {
        /// What was rejected, and why.
        rejected: Vec<Rejected>,
    },
    /// Reading the input failed.
    #[error("reading {path}: {detail}")]
    Read {
        /// What.
        path: String,
        /// Why.
        detail: String,
    },
    /// The input is over its size limit.
    #[error("input larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// Fetching a URL failed.
    #[error("fetching {url}: {detail}")]
    Fetch {
        /// The URL.
        url: String,
        /// Why.
        detail: String,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Import options.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Format; detected when absent.
    pub format: Option<Format>,
    /// Compute the summary without writing.
    pub dry_run: bool,
    /// Station for records that name none (iCalendar events).
    pub station: Option<String>,
    /// Preferred language for multilingual titles (XMLTV `lang`), a BCP 47 prefix like "en".
    pub lang: String,
    /// How far ahead recurring events are expanded.
    pub horizon: Duration,
    /// IANA zone for times without one (iCalendar floating times, all-day events).
    pub default_zone: String,
    /// "Now" for the horizon; the clock when `None` (tests pin it).
    pub now: Option<Timestamp>,
    /// Follow playlist entries that name another remote station list (`.m3u`, `.pls`) over
    /// HTTP, within [`playlist::NestedBudget`]. Off by default: an import of a local file
    /// makes no network call unless asked.
    pub follow_playlists: bool,
    /// All-day (date-only) iCalendar events spanning more days than this are not broadcasts
    /// (school holidays, exhibitions) and are left out with a warning.
    pub max_all_day_days: u32,
}

/// Default of [`ImportOptions::max_all_day_days`]: a week, so a weekend festival or a week of
/// special programming stays, a three-week school holiday does not.
pub const DEFAULT_MAX_ALL_DAY_DAYS: u32 = 7;

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: None,
            dry_run: false,
            station: None,
            lang: "en".into(),
            horizon: Duration::from_secs(30 * 86_400),
            default_zone: "UTC".into(),
            now: None,
            follow_playlists: false,
            max_all_day_days: DEFAULT_MAX_ALL_DAY_DAYS,
        }
    }
}

/// Where an input came from, which decides how a playlist entry naming another playlist is
/// resolved: relative to a local file, relative to a URL, or not at all (uploads).
#[derive(Debug, Clone)]
pub enum Origin {
    /// Uploaded or in memory: no nested look-ups.
    Upload,
    /// A local file.
    File(PathBuf),
    /// A URL.
    Url(url::Url),
}

/// Fetches a nested playlist by URL, from inside a (blocking) parser; several may run at once
/// from different threads.
pub trait Fetcher: Send + Sync {
    /// The body of `url` within `timeout`, or why not.
    fn fetch(&self, url: &url::Url, timeout: Duration) -> Result<Vec<u8>, String>;
}

/// What a parser needs besides the bytes.
pub struct Context<'a> {
    /// The options.
    pub options: &'a ImportOptions,
    /// "Now".
    pub now: Timestamp,
    /// The default zone, resolved.
    pub zone: jiff::tz::TimeZone,
    /// Where the input came from.
    pub origin: &'a Origin,
    /// How to fetch nested playlists, when allowed.
    pub fetcher: Option<Arc<dyn Fetcher>>,
}

impl<'a> Context<'a> {
    /// A context for `options`; fails on an unknown default zone.
    pub fn new(
        options: &'a ImportOptions,
        origin: &'a Origin,
        fetcher: Option<Arc<dyn Fetcher>>,
    ) -> Result<Self, ImportError> {
        let zone =
            jiff::tz::TimeZone::get(&options.default_zone).map_err(|e| ImportError::Invalid {
                location: "options".into(),
                reason: format!("default zone {:?}: {e}", options.default_zone),
            })?;
        Ok(Self {
            options,
            now: options.now.unwrap_or_else(Timestamp::now),
            zone,
            origin,
            fetcher,
        })
    }
}

/// Records a format gathered before handing them on, and those it left out.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Accepted records (the source is filled in later).
    pub batch: ImportBatch,
    /// Left-out records.
    pub rejected: Rejections,
    /// Kept records that lost a field.
    pub warnings: Rejections,
}

/// What [`parse_into`] read.
#[derive(Debug)]
pub struct ParseOutcome {
    /// The format, given or detected.
    pub format: Format,
    /// Left-out records.
    pub rejected: Rejections,
    /// Kept records that lost a field.
    pub warnings: Rejections,
    /// How many records were accepted.
    pub accepted: usize,
}

/// Parses an input of any format into `session`.
pub fn parse_into(
    reader: DynRead,
    ctx: &Context<'_>,
    session: &mut dyn ImportSession,
) -> Result<ParseOutcome, ImportError> {
    let opened = input::open(reader, ctx.options.format)?;
    let format = opened.format;
    let reader = opened.reader;
    let mut out = Output::new(session);
    match format {
        Format::Json => json::stream_into(reader, &mut out)?,
        Format::Xmltv => xmltv::parse(reader, ctx, &mut out)?,
        Format::Ical => out.flush(ical::parse(reader, ctx)?)?,
        Format::M3u | Format::Pls | Format::Xspf | Format::Asx => {
            out.flush(playlist::parse(reader, format, ctx)?)?
        }
        Format::Rss => rss::parse(reader, ctx, &mut out)?,
    }
    Ok(ParseOutcome {
        format,
        accepted: out.accepted(),
        rejected: out.rejected,
        warnings: out.warnings,
    })
}

/// Parses an input without a store, collecting the records (tools and tests).
pub fn parse(reader: DynRead, ctx: &Context<'_>) -> Result<(Format, Parsed), ImportError> {
    let mut collect = Collect::default();
    let outcome = parse_into(reader, ctx, &mut collect)?;
    Ok((
        outcome.format,
        Parsed {
            batch: collect.batch,
            rejected: outcome.rejected,
            warnings: outcome.warnings,
        },
    ))
}

/// Parses `reader` and replaces what `source` provided, atomically. Records stream into the
/// store's import session; a parse error, or an input with nothing usable in a lenient
/// format, abandons the session and leaves the store as it was.
pub fn import_reader(
    store: &dyn Store,
    source: &str,
    reader: DynRead,
    options: &ImportOptions,
    origin: &Origin,
    fetcher: Option<Arc<dyn Fetcher>>,
) -> Result<ImportReport, ImportError> {
    let ctx = Context::new(options, origin, fetcher)?;
    let mut session = store.begin_import(source, options.dry_run)?;
    let outcome = parse_into(reader, &ctx, session.as_mut())?;
    if outcome.accepted == 0 && !outcome.format.all_or_nothing() {
        let mut rejected = outcome.rejected;
        // Left-out records (long all-day spans) are part of why nothing is usable.
        rejected.extend(outcome.warnings);
        return Err(ImportError::NothingUsable {
            rejected: rejected.into_vec(),
        });
    }
    let summary = session.commit()?;
    Ok(ImportReport {
        summary,
        rejected: outcome.rejected.into_vec(),
        warnings: outcome.warnings.into_vec(),
    })
}

/// Parses `bytes` and replaces what `source` provided, atomically.
pub fn import_bytes(
    store: &dyn Store,
    source: &str,
    bytes: &[u8],
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let reader: DynRead = Box::new(std::io::Cursor::new(bytes.to_vec()));
    import_reader(store, source, reader, options, &Origin::Upload, None)
}

/// The source name of a local file: its canonical path, so the same file imported from two
/// working directories is one source.
pub fn file_source(path: &Path) -> Result<String, ImportError> {
    std::fs::canonicalize(path)
        .map(|p| p.display().to_string())
        .map_err(|e| ImportError::Read {
            path: path.display().to_string(),
            detail: e.to_string(),
        })
}

/// Reads a file and imports it; the source is the file's canonical path.
pub fn import_file(
    store: &dyn Store,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportReport, ImportError> {
    let source = file_source(path)?;
    let file = std::fs::File::open(path).map_err(|e| ImportError::Read {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    let origin = Origin::File(PathBuf::from(&source));
    import_reader(store, &source, Box::new(file), options, &origin, None)
}
