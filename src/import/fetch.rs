//! Inputs by location: local files and http(s) URLs, fetched with a size cap, conditional
//! requests (ETag / Last-Modified) and a streaming body, so a large feed is parsed while it
//! downloads instead of being held in memory.

use super::input::{DynRead, Limited};
use super::{
    file_source, import_reader, Fetcher, ImportError, ImportOptions, ImportReport, Origin,
};
use crate::store::Store;
use futures::TryStreamExt;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::StatusCode;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Largest feed downloaded (compressed size, as sent).
pub const MAX_FEED_BYTES: u64 = 512 * 1024 * 1024;

/// The HTTP client for feeds: unlike the skill's client (seconds, for API calls), a feed may
/// take minutes to download, so the bound is on silence (read timeout) and on the whole
/// transfer (ten minutes), plus at most five redirects.
pub fn feed_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(10))
        .read_timeout(std::time::Duration::from_secs(30))
        .timeout(std::time::Duration::from_secs(600))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent(concat!(
            "onair/",
            env!("CARGO_PKG_VERSION"),
            " (schedule import)"
        ))
        .build()
        .unwrap_or_default()
}

/// Validators from the last successful fetch, sent back so an unchanged feed costs a 304.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validators {
    /// `ETag`.
    pub etag: Option<String>,
    /// `Last-Modified`.
    pub last_modified: Option<String>,
}

/// A fetched feed.
pub enum Fetched {
    /// 304: the feed has not changed since the validators were issued.
    NotModified,
    /// The body, as a blocking reader (use it from a blocking thread), and new validators.
    Body {
        /// The body.
        reader: DynRead,
        /// Its declared length, when the server sent one.
        length: Option<u64>,
        /// Validators for the next request.
        validators: Validators,
        /// Set when the body went over the cap.
        too_large: Arc<AtomicBool>,
    },
}

fn fetch_err(url: &url::Url, detail: impl ToString) -> ImportError {
    ImportError::Fetch {
        url: url.to_string(),
        detail: detail.to_string(),
    }
}

/// Parses a location as an http(s) URL; `None` means a local path.
pub fn as_url(location: &str) -> Option<url::Url> {
    url::Url::parse(location)
        .ok()
        .filter(|u| u.scheme() == "http" || u.scheme() == "https")
}

/// Starts a GET of `url` (conditional when `validators` has values). Must run inside a Tokio
/// runtime; the returned reader bridges the async body to blocking reads.
pub async fn open_url(
    client: &reqwest::Client,
    url: &url::Url,
    validators: &Validators,
    limit: u64,
) -> Result<Fetched, ImportError> {
    let mut request = client.get(url.clone());
    if let Some(etag) = &validators.etag {
        request = request.header(IF_NONE_MATCH, etag);
    }
    if let Some(lm) = &validators.last_modified {
        request = request.header(IF_MODIFIED_SINCE, lm);
    }
    let response = request.send().await.map_err(|e| fetch_err(url, e))?;
    if response.status() == StatusCode::NOT_MODIFIED {
        return Ok(Fetched::NotModified);
    }
    if !response.status().is_success() {
        return Err(fetch_err(url, format!("HTTP {}", response.status())));
    }
    let length = response.content_length();
    if length.is_some_and(|l| l > limit) {
        return Err(ImportError::TooLarge { limit });
    }
    let header = |name| {
        response
            .headers()
            .get(name)
            .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
            .map(str::to_string)
    };
    let validators = Validators {
        etag: header(ETAG),
        last_modified: header(LAST_MODIFIED),
    };
    let stream = response.bytes_stream().map_err(std::io::Error::other);
    let bridge = tokio_util::io::SyncIoBridge::new(tokio_util::io::StreamReader::new(stream));
    let limited = Limited::new(bridge, limit);
    let too_large = limited.tripped();
    Ok(Fetched::Body {
        reader: Box::new(limited),
        length,
        validators,
        too_large,
    })
}

/// Fetches nested playlists from inside a blocking parser by driving the request on the
/// runtime it was created in. Never use it on a runtime worker thread.
pub struct HttpFetcher {
    client: reqwest::Client,
    handle: tokio::runtime::Handle,
    limit: u64,
}

impl HttpFetcher {
    /// A fetcher on the current runtime, reading at most `limit` bytes per document.
    pub fn current(client: reqwest::Client, limit: u64) -> Self {
        Self {
            client,
            handle: tokio::runtime::Handle::current(),
            limit,
        }
    }
}

impl Fetcher for HttpFetcher {
    fn fetch(&self, url: &url::Url, timeout: std::time::Duration) -> Result<Vec<u8>, String> {
        let work = async {
            let response = self
                .client
                .get(url.clone())
                .send()
                .await
                .map_err(|e| format!("fetching {url}: {e}"))?;
            if !response.status().is_success() {
                return Err(format!("fetching {url}: HTTP {}", response.status()));
            }
            let mut body = Vec::new();
            let mut stream = response.bytes_stream();
            while let Some(chunk) = stream
                .try_next()
                .await
                .map_err(|e| format!("fetching {url}: {e}"))?
            {
                body.extend_from_slice(&chunk);
                if body.len() as u64 > self.limit {
                    return Err(format!("{url} is larger than {} bytes", self.limit));
                }
            }
            Ok::<Vec<u8>, String>(body)
        };
        self.handle.block_on(async {
            tokio::time::timeout(timeout, work)
                .await
                .unwrap_or_else(|_| Err(format!("fetching {url}: no answer within {timeout:?}")))
        })
    }
}

/// Wraps the input reader before parsing (the CLI adds a progress bar); gets the input size
/// when it is known.
pub type ReadHook = Box<dyn FnOnce(DynRead, Option<u64>) -> DynRead + Send>;

/// What importing a location did.
pub enum LocationOutcome {
    /// The URL answered 304: nothing to do.
    NotModified,
    /// Imported.
    Imported {
        /// The report.
        report: ImportReport,
        /// Validators to send next time.
        validators: Validators,
    },
}

/// The source name of a location: the URL as given, or the file's canonical path.
pub fn source_of(location: &str) -> Result<String, ImportError> {
    match as_url(location) {
        Some(u) => Ok(u.to_string()),
        None => file_source(std::path::Path::new(location)),
    }
}

/// Imports a file path or an http(s) URL under its [`source_of`] name. Parsing runs on a
/// blocking thread; nested playlists are fetched with `client` only when
/// [`ImportOptions::follow_playlists`] asks, within the playlist budget.
pub async fn import_location(
    store: Arc<dyn Store>,
    location: &str,
    options: ImportOptions,
    client: &reqwest::Client,
    validators: &Validators,
    hook: Option<ReadHook>,
) -> Result<LocationOutcome, ImportError> {
    let source = source_of(location)?;
    let fetcher: Arc<dyn Fetcher> = Arc::new(HttpFetcher::current(
        client.clone(),
        super::playlist::NESTED_MAX_BYTES,
    ));
    let (reader, length, origin, validators, too_large) = match as_url(location) {
        Some(url) => match open_url(client, &url, validators, MAX_FEED_BYTES).await? {
            Fetched::NotModified => return Ok(LocationOutcome::NotModified),
            Fetched::Body {
                reader,
                length,
                validators,
                too_large,
            } => (
                reader,
                length,
                Origin::Url(url),
                validators,
                Some(too_large),
            ),
        },
        None => {
            let path = PathBuf::from(&source);
            let file = std::fs::File::open(&path).map_err(|e| ImportError::Read {
                path: location.to_string(),
                detail: e.to_string(),
            })?;
            let length = file.metadata().ok().map(|m| m.len());
            let reader: DynRead = Box::new(file);
            (
                reader,
                length,
                Origin::File(path),
                Validators::default(),
                None,
            )
        }
    };
    let reader = match hook {
        Some(wrap) => wrap(reader, length),
        None => reader,
    };
    let result = tokio::task::spawn_blocking(move || {
        import_reader(
            store.as_ref(),
            &source,
            reader,
            &options,
            &origin,
            Some(fetcher),
        )
    })
    .await
    .map_err(|e| ImportError::Read {
        path: location.to_string(),
        detail: format!("import task failed: {e}"),
    })?;
    match result {
        Ok(report) => Ok(LocationOutcome::Imported { report, validators }),
        Err(_) if too_large.is_some_and(|t| t.load(Ordering::SeqCst)) => {
            Err(ImportError::TooLarge {
                limit: MAX_FEED_BYTES,
            })
        }
        Err(e) => Err(e),
    }
}
