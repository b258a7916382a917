//! Chain cache with single-flight downloads.
//!
//! Keyed by the normalised certificate URL. Each URL has a slot with its state and
//! an async "fetching" lock: the first request that finds no usable state takes the
//! lock and downloads; concurrent requests for the same URL wait on that lock and
//! then read the stored result, so a burst causes exactly one download. A global
//! semaphore bounds simultaneous downloads across URLs. Failures are stored too and
//! answered from memory for `failed_fetch_ttl`, so a broken URL cannot cause a
//! download storm.
//!
//! A cached chain stays usable until its leaf's notAfter (compared with the caller's
//! `now`). After that it is downloaded again, at most once per `failed_fetch_ttl`; in
//! between, requests get the precise `cert_expired` answer from the cached chain.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::Duration;

use jiff::Timestamp;
use tokio::sync::Semaphore;
use tokio::time::{timeout, Instant};
use url::Url;

use super::cert_source::CertSource;
use super::chain::{SigningChain, TrustStore};
use super::error::{ChainError, FetchError, VerifyError};

/// A parsed chain plus its memoised path verdict.
#[derive(Debug)]
pub(super) struct CachedChain {
    pub(super) chain: SigningChain,
    /// Result of webpki path validation, computed once at an instant when every
    /// certificate of the file was valid. Time is the only input that varies between
    /// requests (the trust store is fixed per verifier), so the verdict holds for any
    /// other instant inside that window.
    verdict: OnceLock<Result<(), ChainError>>,
}

impl CachedChain {
    fn new(chain: SigningChain) -> Self {
        Self {
            chain,
            verdict: OnceLock::new(),
        }
    }

    /// Leaf window, SAN, then the (memoised) path verdict.
    pub(super) fn check(&self, trust: &TrustStore, now: Timestamp) -> Result<(), ChainError> {
        self.chain.check_leaf(now)?;
        if self.chain.all_valid_at(now) {
            self.verdict
                .get_or_init(|| self.chain.check_path(trust, now))
                .clone()
        } else {
            // Outside the all-valid window (odd clocks, tests): no memo, full check.
            self.chain.check_path(trust, now)
        }
    }
}

#[derive(Debug, Clone)]
enum State {
    Empty,
    Ready {
        chain: Arc<CachedChain>,
        fetched_at: Instant,
    },
    Failed {
        error: VerifyError,
        at: Instant,
    },
}

#[derive(Debug)]
struct Slot {
    state: Mutex<State>,
    fetching: tokio::sync::Mutex<()>,
}

/// Settings the cache needs, copied from `VerifierConfig`.
#[derive(Debug, Clone, Copy)]
pub(super) struct CacheLimits {
    pub(super) fetch_timeout: Duration,
    pub(super) max_chain_bytes: usize,
    pub(super) failed_ttl: Duration,
    pub(super) max_concurrent_fetches: usize,
    pub(super) max_entries: usize,
}

pub(super) struct ChainCache {
    source: Arc<dyn CertSource>,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    permits: Semaphore,
    limits: CacheLimits,
}

/// Locks a std mutex, ignoring poisoning: the protected data is a plain cache state
/// that is always left consistent, so a panic elsewhere must not disable verification.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl ChainCache {
    pub(super) fn new(source: Arc<dyn CertSource>, limits: CacheLimits) -> Self {
        Self {
            source,
            slots: Mutex::new(HashMap::new()),
            permits: Semaphore::new(limits.max_concurrent_fetches),
            limits,
        }
    }

    /// Number of URLs currently remembered.
    pub(super) fn len(&self) -> usize {
        lock(&self.slots).len()
    }

    /// The chain for `url`, from memory or downloaded (once, however many callers).
    pub(super) async fn get(
        &self,
        url: &Url,
        now: Timestamp,
    ) -> Result<Arc<CachedChain>, VerifyError> {
        let slot = self.slot(url.as_str());
        if let Some(answer) = self.lookup(&slot, now) {
            return answer;
        }
        let _fetching = slot.fetching.lock().await;
        // Whoever held the lock before us may have filled the slot.
        if let Some(answer) = self.lookup(&slot, now) {
            return answer;
        }
        let outcome = match self.download(url).await {
            Ok(bytes) => SigningChain::parse_pem(&bytes)
                .map(|chain| Arc::new(CachedChain::new(chain)))
                .map_err(VerifyError::Chain),
            // Says nothing about the URL: not remembered.
            Err(FetchError::Busy) => return Err(VerifyError::Fetch(FetchError::Busy)),
            Err(e) => Err(VerifyError::Fetch(e)),
        };
        let at = Instant::now();
        *lock(&slot.state) = match &outcome {
            Ok(chain) => {
                tracing::info!(%url, not_after = %chain.chain.leaf_not_after(), "cached signing certificate chain");
                State::Ready {
                    chain: Arc::clone(chain),
                    fetched_at: at,
                }
            }
            Err(error) => {
                tracing::warn!(%url, reason = error.reason(), %error, "signing certificate chain unusable; remembering failure");
                State::Failed {
                    error: error.clone(),
                    at,
                }
            }
        };
        outcome
    }

    /// Answer from memory, or `None` when a download is due.
    fn lookup(&self, slot: &Slot, now: Timestamp) -> Option<Result<Arc<CachedChain>, VerifyError>> {
        match &*lock(&slot.state) {
            State::Empty => None,
            State::Ready { chain, fetched_at } => {
                let fresh = now <= chain.chain.leaf_not_after();
                (fresh || fetched_at.elapsed() < self.limits.failed_ttl)
                    .then(|| Ok(Arc::clone(chain)))
            }
            State::Failed { error, at } => {
                (at.elapsed() < self.limits.failed_ttl).then(|| Err(error.clone()))
            }
        }
    }

    /// Download with the global bound, the timeout and the size cap applied, whatever
    /// the source does.
    async fn download(&self, url: &Url) -> Result<Vec<u8>, FetchError> {
        let _permit = match timeout(self.limits.fetch_timeout, self.permits.acquire()).await {
            Ok(Ok(permit)) => permit,
            // Timed out waiting, or the semaphore was closed (never done here).
            Ok(Err(_)) | Err(_) => return Err(FetchError::Busy),
        };
        tracing::debug!(%url, "downloading signing certificate chain");
        let bytes = timeout(self.limits.fetch_timeout, self.source.fetch(url))
            .await
            .map_err(|_| FetchError::Timeout)??;
        if bytes.len() > self.limits.max_chain_bytes {
            return Err(FetchError::TooLarge {
                limit: self.limits.max_chain_bytes,
            });
        }
        Ok(bytes)
    }

    /// The slot for `key`, created if needed (evicting idle entries when full).
    fn slot(&self, key: &str) -> Arc<Slot> {
        let mut slots = lock(&self.slots);
        if let Some(slot) = slots.get(key) {
            return Arc::clone(slot);
        }
        if slots.len() >= self.limits.max_entries {
            // An entry is idle when only the map holds it. First drop idle entries
            // without a chain (failures, never filled); if still full, all idle ones.
            slots.retain(|_, slot| {
                Arc::strong_count(slot) > 1 || matches!(*lock(&slot.state), State::Ready { .. })
            });
            if slots.len() >= self.limits.max_entries {
                slots.retain(|_, slot| Arc::strong_count(slot) > 1);
            }
        }
        let slot = Arc::new(Slot {
            state: Mutex::new(State::Empty),
            fetching: tokio::sync::Mutex::new(()),
        });
        slots.insert(key.to_owned(), Arc::clone(&slot));
        slot
    }
}

impl std::fmt::Debug for ChainCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChainCache")
            .field("urls", &self.len())
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}
