//! Network access: an owned Tokio runtime plus a reqwest client, and the
//! streaming reader built on `stream-download`.
//!
//! Streams are read incrementally through a bounded buffer, so an endless
//! Icecast stream plays in constant memory; the ICY metadata blocks are
//! stripped by `icy-metadata` before the decoder sees the bytes.

use std::num::NonZeroUsize;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use icy_metadata::{IcyHeaders, IcyMetadataReader};
use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE};
use stream_download::http::{HttpStream, HttpStreamError};
use stream_download::source::SourceStream;
use stream_download::storage::adaptive::AdaptiveStorageProvider;
use stream_download::storage::bounded::BoundedStorageProvider;
use stream_download::storage::memory::MemoryStorageProvider;
use stream_download::{Settings, StreamDownload};
use url::Url;

use super::icy::{title_callback, TitleFeed};
use super::reader::{ReadSeek, StreamReader};
use super::PlayerError;

/// Bodies of known length up to this size are kept whole (so formats that
/// need to seek, like MP4 with its index at the end, work); longer or endless
/// bodies go through a ring buffer of this size.
const BUFFER_BYTES: usize = 2 * 1024 * 1024;

/// Upper bound for one read from the network buffer; see [`StreamReader`].
pub(super) const MAX_READ: usize = 2048;

/// How the download buffer stores bytes.
pub(super) type Storage =
    AdaptiveStorageProvider<MemoryStorageProvider, BoundedStorageProvider<MemoryStorageProvider>>;

fn storage() -> Storage {
    let size = NonZeroUsize::new(BUFFER_BYTES).unwrap_or(NonZeroUsize::MIN);
    AdaptiveStorageProvider::with_fixed_and_variable(
        MemoryStorageProvider,
        BoundedStorageProvider::new(MemoryStorageProvider, size),
        size,
    )
}

/// The player's network side: a runtime for the download tasks and one client.
///
/// The runtime is owned (not borrowed from the caller) because the player is
/// blocking: the decoder pulls bytes on the calling thread while downloads
/// continue in the background.
pub(super) struct Net {
    rt: tokio::runtime::Runtime,
    client: reqwest::Client,
}

/// An HTTP response body being streamed.
pub(super) struct HttpBody {
    pub reader: StreamReader<Box<dyn ReadSeek>>,
    /// `type/subtype`, lower-case, without parameters.
    pub content_type: Option<String>,
    /// Body length, when known and the body is plain audio (not interleaved with ICY metadata).
    pub content_length: Option<u64>,
    /// ICY `StreamTitle`s, when the server sends `icy-metaint`.
    pub titles: Option<TitleFeed>,
}

/// A small body fetched whole (playlists, HLS segments).
pub(super) struct Fetched {
    /// The URL after redirects: relative playlist entries resolve against it.
    pub url: Url,
    pub content_type: Option<String>,
    pub body: Bytes,
}

impl Net {
    pub(super) fn new() -> Result<Self, PlayerError> {
        let internal = |what: &str, e: &dyn std::fmt::Display| PlayerError::Internal {
            detail: format!("{what}: {e}"),
        };
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("onair-player-net")
            .enable_all()
            .build()
            .map_err(|e| internal("cannot start the network runtime", &e))?;
        let mut headers = HeaderMap::new();
        // Ask Icecast/Shoutcast servers to interleave stream titles.
        headers.insert("icy-metadata", HeaderValue::from_static("1"));
        let client = reqwest::Client::builder()
            .user_agent(concat!("onair-player/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .connect_timeout(Duration::from_secs(10))
            // Per read, not per request: endless streams must not time out,
            // stalled ones must.
            .read_timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| internal("cannot build the HTTP client", &e))?;
        Ok(Self { rt, client })
    }

    pub(super) fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.rt
    }

    pub(super) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// Fetches a small body whole, refusing anything over `limit` bytes.
    pub(super) fn fetch(&self, url: &Url, limit: usize) -> Result<Fetched, PlayerError> {
        self.rt.block_on(fetch(&self.client, url, limit))
    }

    /// Starts streaming `url`, returning once the response headers are in.
    pub(super) fn open_stream(&self, url: &Url) -> Result<HttpBody, PlayerError> {
        let stream = self
            .rt
            .block_on(HttpStream::new(self.client.clone(), url.clone()))
            .map_err(|e| match e {
                HttpStreamError::FetchFailure(e) => transport_error(url, &e),
                HttpStreamError::ResponseFailure(e) => status_error(url, e.response().status()),
            })?;
        let content_type = stream
            .content_type()
            .as_ref()
            .map(|ct| format!("{}/{}", ct.r#type, ct.subtype).to_ascii_lowercase());
        let metaint = IcyHeaders::parse_from_headers(stream.headers()).metadata_interval();
        let content_length = SourceStream::content_length(&stream).filter(|_| metaint.is_none());
        // Longer than the client's read timeout: a stalled body then ends
        // cleanly, instead of stream-download re-requesting the URL and
        // splicing a fresh response (whose ICY metadata would be misaligned)
        // onto the old one.
        let download = self.download(stream, Duration::from_secs(120))?;
        let (callback, titles) = title_callback();
        let icy = IcyMetadataReader::new(download, metaint, callback);
        // The ICY reader assumes every read it makes below it is complete and
        // that no read spans two metadata blocks: keep reads under `metaint`.
        let max_read = metaint.map_or(MAX_READ, |m| m.get().min(MAX_READ));
        Ok(HttpBody {
            reader: StreamReader::new(Box::new(icy), max_read),
            content_type,
            content_length,
            titles: metaint.map(|_| titles),
        })
    }

    /// Starts downloading `stream` into a bounded buffer in the background.
    pub(super) fn download<S>(
        &self,
        stream: S,
        retry_timeout: Duration,
    ) -> Result<StreamDownload<Storage>, PlayerError>
    where
        S: SourceStream,
        S::Error: std::fmt::Debug + Send,
    {
        // No prefetch: the decoder should start as soon as the first bytes
        // arrive (a paced live stream would otherwise stall for seconds).
        let settings = Settings::default()
            .prefetch_bytes(0)
            .retry_timeout(retry_timeout);
        self.rt
            .block_on(StreamDownload::from_stream(stream, storage(), settings))
            .map_err(|e| PlayerError::Internal {
                detail: format!("cannot start the download: {e}"),
            })
    }

    /// Shuts the runtime down without waiting for tasks still blocked on the network.
    pub(super) fn shutdown(self) {
        self.rt.shutdown_background();
    }
}

/// Fetches a small body whole (async; also used by the HLS follower).
pub(super) async fn fetch(
    client: &reqwest::Client,
    url: &Url,
    limit: usize,
) -> Result<Fetched, PlayerError> {
    let mut response = client
        .get(url.clone())
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| transport_error(url, &e))?;
    if !response.status().is_success() {
        return Err(status_error(url, response.status()));
    }
    let content_type = content_type(response.headers());
    let final_url = response.url().clone();
    let mut body = BytesMut::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| transport_error(url, &e))?
    {
        if body.len() + chunk.len() > limit {
            return Err(PlayerError::Http {
                url: url.to_string(),
                detail: format!("response is larger than the {limit}-byte limit"),
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched {
        url: final_url,
        content_type,
        body: body.freeze(),
    })
}

fn content_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    (!essence.is_empty()).then_some(essence)
}

fn transport_error(url: &Url, e: &reqwest::Error) -> PlayerError {
    // reqwest's Display is terse ("error sending request"); the cause chain
    // holds the useful part ("Connection refused").
    let mut detail = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        detail.push_str(": ");
        detail.push_str(&cause.to_string());
        source = cause.source();
    }
    PlayerError::Http {
        url: url.to_string(),
        detail,
    }
}

fn status_error(url: &Url, status: reqwest::StatusCode) -> PlayerError {
    PlayerError::HttpStatus {
        url: url.to_string(),
        status: status.as_u16(),
        reason: status.canonical_reason().unwrap_or_default().to_owned(),
    }
}
