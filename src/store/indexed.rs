//! A [`Store`] that answers schedule questions from the in-memory [`ScheduleIndex`] and keeps it
//! in step with every change made through it. Engine-independent: it wraps any engine.
//!
//! Writes go to the engine first; once one commits, a new index is built from the engine's
//! records and swapped in whole (`arc-swap`), so readers never wait and never see half an
//! import: until the swap they read the previous schedule. The records an answer speaks (a page
//! at most) are read from the engine through a small cache that belongs to one index snapshot,
//! so a record cached under an old schedule is never served under a new one.

use super::{
    DeviceZone, ImportBatch, ImportSession, ImportSummary, ListenerState, NameHit, NameKind, Store,
    StoreError,
};
use crate::schedule::index::{Builder, Kinds, Page, ScheduleIndex, Scope};
use crate::schedule::{fold, Episode, Event, Id, Station};
use arc_swap::ArcSwap;
use jiff::Timestamp;
use quick_cache::sync::Cache;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Decoded records kept per snapshot.
const CACHED_EVENTS: usize = 8192;
/// Stations kept per snapshot (every station of most catalogues).
const CACHED_STATIONS: usize = 4096;

/// One schedule as readers see it: the index and the records read under it.
pub struct Snapshot {
    /// The index.
    pub index: ScheduleIndex,
    events: Cache<Box<str>, Arc<Event>>,
    stations: Cache<Box<str>, Option<Arc<Station>>>,
}

impl Snapshot {
    fn new(index: ScheduleIndex) -> Self {
        Self {
            index,
            events: Cache::new(CACHED_EVENTS),
            stations: Cache::new(CACHED_STATIONS),
        }
    }
}

/// The index-backed store.
pub struct IndexedStore {
    inner: Arc<dyn Store>,
    current: ArcSwap<Snapshot>,
    /// One rebuild at a time, so the last swap is of the newest records.
    rebuild: Mutex<()>,
    versions: AtomicU64,
}

impl IndexedStore {
    /// Wraps `inner`, building the index from its records.
    pub fn new(inner: Arc<dyn Store>) -> Result<Self, StoreError> {
        let index = build(inner.as_ref(), 1)?;
        Ok(Self {
            inner,
            current: ArcSwap::from_pointee(Snapshot::new(index)),
            rebuild: Mutex::new(()),
            versions: AtomicU64::new(1),
        })
    }

    /// `store` itself when it is already index-backed, else `store` wrapped.
    pub fn wrap(store: Arc<dyn Store>) -> Result<Arc<Self>, StoreError> {
        match store.clone().into_indexed() {
            Some(indexed) => Ok(indexed),
            None => Ok(Arc::new(Self::new(store)?)),
        }
    }

    /// The engine underneath.
    pub fn inner(&self) -> &Arc<dyn Store> {
        &self.inner
    }

    /// The schedule as it is now; hold it for the whole of one answer so every query of that
    /// answer reads the same schedule.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    /// Rebuilds the index from the engine's records and swaps it in.
    pub fn refresh(&self) -> Result<(), StoreError> {
        let _one = self
            .rebuild
            .lock()
            .map_err(|_| StoreError::Engine("index rebuild lock poisoned".into()))?;
        let version = self.versions.fetch_add(1, Ordering::SeqCst) + 1;
        let started = std::time::Instant::now();
        let index = build(self.inner.as_ref(), version)?;
        tracing::debug!(
            events = index.len(),
            version,
            ms = started.elapsed().as_millis() as u64,
            "schedule index rebuilt"
        );
        self.current.store(Arc::new(Snapshot::new(index)));
        Ok(())
    }

    /// The event at `position` of `snap`'s index, from the cache or the engine.
    pub fn event_at(
        &self,
        snap: &Snapshot,
        position: u32,
    ) -> Result<Option<Arc<Event>>, StoreError> {
        let Some(id) = snap.index.id(position) else {
            return Ok(None);
        };
        self.event_in(snap, id)
    }

    fn event_in(&self, snap: &Snapshot, id: &str) -> Result<Option<Arc<Event>>, StoreError> {
        if let Some(e) = snap.events.get(id) {
            return Ok(Some(e));
        }
        let Some(e) = self.inner.event(id)? else {
            return Ok(None);
        };
        let e = Arc::new(e);
        snap.events.insert(id.into(), e.clone());
        Ok(Some(e))
    }

    /// The events at `positions`, in order; records gone from the engine are skipped.
    pub fn events_at(
        &self,
        snap: &Snapshot,
        positions: &[u32],
    ) -> Result<Vec<Arc<Event>>, StoreError> {
        let mut out = Vec::with_capacity(positions.len());
        for p in positions {
            if let Some(e) = self.event_at(snap, *p)? {
                out.push(e);
            }
        }
        Ok(out)
    }

    /// A station by id, from the snapshot's cache or the engine.
    pub fn station_in(
        &self,
        snap: &Snapshot,
        id: &str,
    ) -> Result<Option<Arc<Station>>, StoreError> {
        if let Some(s) = snap.stations.get(id) {
            return Ok(s);
        }
        let s = self.inner.station(id)?.map(Arc::new);
        snap.stations.insert(id.into(), s.clone());
        Ok(s)
    }

    fn owned(events: Vec<Arc<Event>>) -> Vec<Event> {
        events
            .into_iter()
            .map(|e| Arc::try_unwrap(e).unwrap_or_else(|shared| (*shared).clone()))
            .collect()
    }

    /// The scope of a station id, or `None` when no record has it.
    pub fn station_scope(snap: &Snapshot, id: &str) -> Option<Scope> {
        snap.index.station_number(id).map(Scope::Station)
    }

    /// The scope of a genre as spoken or written (folded here).
    pub fn genre_scope(snap: &Snapshot, genre: &str) -> Option<Scope> {
        snap.index.genre_number(&fold(genre)).map(Scope::Genre)
    }

    /// A listing page: see [`ScheduleIndex::window`].
    pub fn window(
        snap: &Snapshot,
        scope: Scope,
        now: Timestamp,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
        also: Option<Scope>,
    ) -> Page {
        match also {
            None => snap.index.window(scope, now, from, to, limit, None),
            Some(other) => {
                let keep = |p: u32| snap.index.contains(other, p);
                snap.index.window(scope, now, from, to, limit, Some(&keep))
            }
        }
    }
}

/// Builds an index of everything in `store`.
fn build(store: &dyn Store, version: u64) -> Result<ScheduleIndex, StoreError> {
    let mut b = Builder::new();
    for s in store.stations()? {
        b.station(&s);
    }
    store.for_each_event(&mut |e| b.event(&e))?;
    if b.skipped() > 0 {
        tracing::warn!(
            skipped = b.skipped(),
            "events beyond the index's capacity were left out"
        );
    }
    Ok(b.finish(version))
}

/// An import through the index-backed store: the index follows once it commits.
struct IndexedImport<'a> {
    inner: Box<dyn ImportSession + 'a>,
    owner: &'a IndexedStore,
    dry_run: bool,
}

impl ImportSession for IndexedImport<'_> {
    fn station(&mut self, station: Station) -> Result<bool, StoreError> {
        self.inner.station(station)
    }
    fn event(&mut self, event: Event) -> Result<bool, StoreError> {
        self.inner.event(event)
    }
    fn episode(&mut self, episode: Episode) -> Result<bool, StoreError> {
        self.inner.episode(episode)
    }
    fn commit(self: Box<Self>) -> Result<ImportSummary, StoreError> {
        let summary = self.inner.commit()?;
        if !self.dry_run && changed(&summary) {
            self.owner.refresh()?;
        }
        Ok(summary)
    }
}

fn changed(s: &ImportSummary) -> bool {
    s.added + s.updated + s.removed > 0
}

fn kinds_of(kinds: &[NameKind]) -> Kinds {
    Kinds {
        performer: kinds.contains(&NameKind::Performer),
        title: kinds.contains(&NameKind::Title),
        station: kinds.contains(&NameKind::Station),
    }
}

impl Store for IndexedStore {
    fn import(&self, batch: ImportBatch, dry_run: bool) -> Result<ImportSummary, StoreError> {
        let summary = self.inner.import(batch, dry_run)?;
        if !dry_run && changed(&summary) {
            self.refresh()?;
        }
        Ok(summary)
    }

    fn begin_import<'a>(
        &'a self,
        source: &str,
        dry_run: bool,
    ) -> Result<Box<dyn ImportSession + 'a>, StoreError> {
        Ok(Box::new(IndexedImport {
            inner: self.inner.begin_import(source, dry_run)?,
            owner: self,
            dry_run,
        }))
    }

    fn station(&self, id: &str) -> Result<Option<Station>, StoreError> {
        let snap = self.snapshot();
        Ok(self.station_in(&snap, id)?.map(|s| (*s).clone()))
    }

    fn stations(&self) -> Result<Vec<Station>, StoreError> {
        self.inner.stations()
    }

    fn for_each_event(&self, visit: &mut dyn FnMut(Event)) -> Result<(), StoreError> {
        self.inner.for_each_event(visit)
    }

    fn put_station(&self, station: Station) -> Result<(), StoreError> {
        self.inner.put_station(station)?;
        self.refresh()
    }

    fn event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        let snap = self.snapshot();
        Ok(self.event_in(&snap, id)?.map(|e| (*e).clone()))
    }

    fn delete_event(&self, id: &str) -> Result<bool, StoreError> {
        let existed = self.inner.delete_event(id)?;
        if existed {
            self.refresh()?;
        }
        Ok(existed)
    }

    fn episode(&self, id: &str) -> Result<Option<Episode>, StoreError> {
        self.inner.episode(id)
    }

    fn live_at(&self, t: Timestamp) -> Result<Vec<Event>, StoreError> {
        let snap = self.snapshot();
        let positions = snap.index.live_at(Scope::All, t, usize::MAX);
        Ok(Self::owned(self.events_at(&snap, &positions)?))
    }

    fn overlapping(
        &self,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let snap = self.snapshot();
        let positions = snap.index.overlapping(Scope::All, from, to, limit);
        Ok(Self::owned(self.events_at(&snap, &positions)?))
    }

    fn on_station(
        &self,
        station: &str,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let snap = self.snapshot();
        let Some(scope) = Self::station_scope(&snap, station) else {
            return Ok(Vec::new());
        };
        let positions = snap.index.overlapping(scope, from, to, limit);
        Ok(Self::owned(self.events_at(&snap, &positions)?))
    }

    fn next_on_station(&self, station: &str, t: Timestamp) -> Result<Option<Event>, StoreError> {
        let snap = self.snapshot();
        let Some(scope) = Self::station_scope(&snap, station) else {
            return Ok(None);
        };
        match snap.index.next_starting(scope, t) {
            Some(p) => Ok(self.event_at(&snap, p)?.map(|e| (*e).clone())),
            None => Ok(None),
        }
    }

    fn find_names(
        &self,
        spoken: &str,
        kinds: &[NameKind],
        min_confidence: f64,
        limit: usize,
    ) -> Result<Vec<NameHit>, StoreError> {
        let mut hits = Vec::new();
        if kinds.contains(&NameKind::Show) {
            hits = self
                .inner
                .find_names(spoken, &[NameKind::Show], min_confidence, limit)?;
        }
        let snap = self.snapshot();
        let index = &snap.index;
        for m in index
            .names()
            .resolve(&fold(spoken), kinds_of(kinds), min_confidence, 1.0)
        {
            let Some(entry) = index.names().get(m.name) else {
                continue;
            };
            let mut push = |kind: NameKind, id: &str| {
                if let Ok(id) = Id::parse(id) {
                    hits.push(NameHit {
                        kind,
                        id,
                        name: entry.folded.to_string(),
                        confidence: m.confidence,
                    });
                }
            };
            for (kind, list) in [
                (NameKind::Performer, &entry.performer_events),
                (NameKind::Title, &entry.title_events),
            ] {
                if !kinds.contains(&kind) {
                    continue;
                }
                for p in list.from_index(0).iter().take(limit) {
                    if let Some(id) = index.id(*p) {
                        push(kind, id);
                    }
                }
            }
            if kinds.contains(&NameKind::Station) {
                for s in &entry.stations {
                    if let Some(id) = index.station_id(*s) {
                        push(NameKind::Station, id);
                    }
                }
            }
            if hits.len() >= limit {
                break;
            }
        }
        super::best_first(&mut hits);
        hits.truncate(limit);
        Ok(hits)
    }

    fn episodes_of_show(&self, show: &str, limit: usize) -> Result<Vec<Episode>, StoreError> {
        self.inner.episodes_of_show(show, limit)
    }

    fn event_count(&self) -> Result<usize, StoreError> {
        Ok(self.snapshot().index.len())
    }

    fn source_counts(&self, source: &str) -> Result<(usize, usize, usize), StoreError> {
        self.inner.source_counts(source)
    }

    fn listener(&self, key: &str) -> Result<Option<ListenerState>, StoreError> {
        self.inner.listener(key)
    }

    fn update_listener(
        &self,
        key: &str,
        change: &mut dyn FnMut(&mut ListenerState),
    ) -> Result<ListenerState, StoreError> {
        self.inner.update_listener(key, change)
    }

    fn delete_listener(&self, key: &str) -> Result<(), StoreError> {
        self.inner.delete_listener(key)
    }

    fn device_zone(&self, device_key: &str) -> Result<Option<DeviceZone>, StoreError> {
        self.inner.device_zone(device_key)
    }

    fn set_device_zone(&self, device_key: &str, zone: &DeviceZone) -> Result<(), StoreError> {
        self.inner.set_device_zone(device_key, zone)
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.inner.flush()
    }

    fn into_indexed(self: Arc<Self>) -> Option<Arc<IndexedStore>> {
        Some(self)
    }
}
