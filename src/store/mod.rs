//! Persistence behind one trait, so the skill never sees sled and a shared engine can replace it.
//!
//! The sled implementation keeps the whole schedule in one tree with prefixed key spaces and
//! makes each import crash-atomic through a redo journal; listener state and device time zones
//! live in their own trees and change through compare-and-swap.

pub mod indexed;
mod keys;
pub mod listener;
mod sled_store;

pub use indexed::IndexedStore;
pub use listener::{HistoryEntry, ListenerState, NowPlaying, PlayItem};
pub use sled_store::SledStore;

use crate::schedule::{Episode, Event, Id, Station};
use jiff::Timestamp;
use serde::Serialize;

/// Schema version written into the store and into each value.
pub const SCHEMA_VERSION: u16 = 1;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The underlying engine failed (I/O, corruption).
    #[error("storage engine: {0}")]
    Engine(String),
    /// A stored value could not be decoded.
    #[error("stored value under {key} is unreadable: {detail}")]
    Corrupt {
        /// Which key.
        key: String,
        /// Why.
        detail: String,
    },
    /// The import is committed, but writing it into the store failed (a full disk, say): it is
    /// not lost, the store finishes it the next time it is opened.
    #[error(
        "the import is committed but could not be applied yet ({0}); it is finished when the \
         store is next opened"
    )]
    CommittedNotApplied(String),
    /// The store was written by a newer onair.
    #[error("store schema version {found} is newer than this onair supports ({supported})")]
    NewerSchema {
        /// Found.
        found: u16,
        /// Supported.
        supported: u16,
    },
}

impl From<sled::Error> for StoreError {
    fn from(e: sled::Error) -> Self {
        Self::Engine(e.to_string())
    }
}

impl From<sled::transaction::TransactionError<StoreError>> for StoreError {
    fn from(e: sled::transaction::TransactionError<StoreError>) -> Self {
        match e {
            sled::transaction::TransactionError::Abort(inner) => inner,
            sled::transaction::TransactionError::Storage(s) => Self::Engine(s.to_string()),
        }
    }
}

/// Everything one source provides, replaced as a whole when the source is imported again.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    /// Source identity (file path or URL).
    pub source: String,
    /// Stations.
    pub stations: Vec<Station>,
    /// Events.
    pub events: Vec<Event>,
    /// Podcast episodes.
    pub episodes: Vec<Episode>,
}

/// One source's import in progress. Records are staged as a parser produces them, so memory
/// does not grow with the feed; nothing is visible until [`ImportSession::commit`], and a
/// session dropped without committing (a parse error, a killed process) changes nothing.
pub trait ImportSession {
    /// Stages a station; `false` (and ignored) when this import already staged that id.
    fn station(&mut self, station: Station) -> Result<bool, StoreError>;
    /// Stages an event; `false` (and ignored) when this import already staged that id.
    fn event(&mut self, event: Event) -> Result<bool, StoreError>;
    /// Stages an episode; `false` (and ignored) when this import already staged that id.
    fn episode(&mut self, episode: Episode) -> Result<bool, StoreError>;
    /// Replaces everything the source provided with what was staged: crash-atomic (after a
    /// crash the store holds the old records or the new, never a mix).
    fn commit(self: Box<Self>) -> Result<ImportSummary, StoreError>;
}

/// What an import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    /// New records.
    pub added: usize,
    /// Changed records.
    pub updated: usize,
    /// Records identical to what was stored.
    pub unchanged: usize,
    /// Records this source provided before and no longer does.
    pub removed: usize,
}

/// Kinds of spoken names indexed for look-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum NameKind {
    /// A performer of an event.
    Performer,
    /// An event title.
    Title,
    /// A station name or alias.
    Station,
    /// A podcast show.
    Show,
}

impl NameKind {
    fn tag(self) -> u8 {
        match self {
            Self::Performer => b'p',
            Self::Title => b't',
            Self::Station => b's',
            Self::Show => b'h',
        }
    }

    fn from_tag(tag: u8) -> Option<Self> {
        match tag {
            b'p' => Some(Self::Performer),
            b't' => Some(Self::Title),
            b's' => Some(Self::Station),
            b'h' => Some(Self::Show),
            _ => None,
        }
    }
}

/// One name index hit.
#[derive(Debug, Clone, PartialEq)]
pub struct NameHit {
    /// What kind of name matched.
    pub kind: NameKind,
    /// The record id (event, station or episode).
    pub id: Id,
    /// The folded name that matched.
    pub name: String,
    /// 1.0 exact, lower for near misses.
    pub confidence: f64,
}

/// What each named source provides, (stations, events, episodes), in order; a row without a
/// source (a feed not yet imported) counts nothing.
pub fn counts_of_sources(
    store: &dyn Store,
    sources: &[Option<String>],
) -> Result<Vec<(usize, usize, usize)>, StoreError> {
    sources
        .iter()
        .map(|s| match s {
            Some(s) => store.source_counts(s),
            None => Ok((0, 0, 0)),
        })
        .collect()
}

/// Sorts hits best first (the order every `find_names` answers in).
pub(crate) fn best_first(hits: &mut [NameHit]) {
    hits.sort_by(|a, b| {
        b.confidence
            .partial_cmp(&a.confidence)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
}

/// Cached device time zone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DeviceZone {
    /// IANA zone name.
    pub zone: String,
    /// When it was fetched.
    pub fetched_at: Timestamp,
}

/// The storage interface the skill, importers and admin API use.
pub trait Store: Send + Sync + 'static {
    /// Replaces everything `batch.source` provided with the batch, atomically. With `dry_run`
    /// nothing is written but the summary is computed.
    fn import(&self, batch: ImportBatch, dry_run: bool) -> Result<ImportSummary, StoreError>;
    /// Starts a streaming import of `source` (see [`ImportSession`]); imports run one at a
    /// time, so this waits for one in progress. With `dry_run` the commit only counts.
    fn begin_import<'a>(
        &'a self,
        source: &str,
        dry_run: bool,
    ) -> Result<Box<dyn ImportSession + 'a>, StoreError>;
    /// A station by id.
    fn station(&self, id: &str) -> Result<Option<Station>, StoreError>;
    /// All stations, by id.
    fn stations(&self) -> Result<Vec<Station>, StoreError>;
    /// Every event, in no particular order, one at a time: what the in-memory schedule index
    /// is built from, without holding the whole schedule as records.
    fn for_each_event(&self, visit: &mut dyn FnMut(Event)) -> Result<(), StoreError>;
    /// Inserts or replaces one station by hand (admin API); it keeps its sources.
    fn put_station(&self, station: Station) -> Result<(), StoreError>;
    /// An event by id.
    fn event(&self, id: &str) -> Result<Option<Event>, StoreError>;
    /// Deletes one event; true if it existed.
    fn delete_event(&self, id: &str) -> Result<bool, StoreError>;
    /// An episode by id.
    fn episode(&self, id: &str) -> Result<Option<Episode>, StoreError>;
    /// Events live at `t`, by start time.
    fn live_at(&self, t: Timestamp) -> Result<Vec<Event>, StoreError>;
    /// Events overlapping `[from, to)`, by start time, at most `limit`.
    fn overlapping(
        &self,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError>;
    /// Events of one station overlapping `[from, to)`, by start time, at most `limit`.
    fn on_station(
        &self,
        station: &str,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError>;
    /// The first event of `station` starting at or after `t`.
    fn next_on_station(&self, station: &str, t: Timestamp) -> Result<Option<Event>, StoreError>;
    /// Name look-up: exact folded matches, then near matches above `min_confidence`, best first.
    fn find_names(
        &self,
        spoken: &str,
        kinds: &[NameKind],
        min_confidence: f64,
        limit: usize,
    ) -> Result<Vec<NameHit>, StoreError>;
    /// Episodes of a show (folded name), newest first.
    fn episodes_of_show(&self, show: &str, limit: usize) -> Result<Vec<Episode>, StoreError>;
    /// Number of events stored.
    fn event_count(&self) -> Result<usize, StoreError>;
    /// Ids of the records a source provides: (stations, events, episodes).
    fn source_counts(&self, source: &str) -> Result<(usize, usize, usize), StoreError>;

    /// A listener's state.
    fn listener(&self, key: &str) -> Result<Option<ListenerState>, StoreError>;
    /// Changes a listener's state atomically: `change` may run several times under contention,
    /// and no concurrent update is lost.
    fn update_listener(
        &self,
        key: &str,
        change: &mut dyn FnMut(&mut ListenerState),
    ) -> Result<ListenerState, StoreError>;
    /// Deletes everything kept about a listener.
    fn delete_listener(&self, key: &str) -> Result<(), StoreError>;
    /// A cached device zone.
    fn device_zone(&self, device_key: &str) -> Result<Option<DeviceZone>, StoreError>;
    /// Caches a device zone.
    fn set_device_zone(&self, device_key: &str, zone: &DeviceZone) -> Result<(), StoreError>;

    /// Writes everything to disk.
    fn flush(&self) -> Result<(), StoreError>;

    /// This store as the index-backed store, when it is one (see [`IndexedStore::wrap`]).
    fn into_indexed(self: std::sync::Arc<Self>) -> Option<std::sync::Arc<IndexedStore>> {
        None
    }
}
