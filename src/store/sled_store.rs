//! The sled implementation of [`Store`].

#[path = "sled_journal.rs"]
mod journal;
#[path = "sled_provides.rs"]
mod provides;

use super::keys;
use super::listener::ListenerState;
use super::{
    DeviceZone, ImportBatch, ImportSession, ImportSummary, NameHit, NameKind, Store, StoreError,
    SCHEMA_VERSION,
};
use crate::schedule::names::{fold, score};
use crate::schedule::{Episode, Event, Id, Station};
use jiff::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A value as stored: the record, its schema version and the sources that provide it.
#[derive(Serialize, Deserialize, PartialEq, Clone)]
struct Stored<T> {
    v: u16,
    sources: BTreeSet<String>,
    data: T,
}

/// sled-backed store. Cloning shares the same database.
#[derive(Clone)]
pub struct SledStore {
    db: sled::Db,
    schedule: sled::Tree,
    listeners: sled::Tree,
    devices: sled::Tree,
    /// Where imports are staged (see the `journal` module).
    journal: journal::Files,
    /// Imports read then write; one at a time keeps the diff they compute true.
    import_lock: Arc<Mutex<()>>,
    /// The directory a temporary store stages its imports in, removed with the last clone.
    _scratch: Option<Arc<tempfile::TempDir>>,
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(value).map_err(|e| StoreError::Engine(format!("encoding: {e}")))
}

fn decode<T: DeserializeOwned>(key: &[u8], bytes: &[u8]) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt {
        key: String::from_utf8_lossy(key).into_owned(),
        detail: e.to_string(),
    })
}

/// Page cache used by [`SledStore::open`].
pub const DEFAULT_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Page cache used by [`SledStore::open_for_import`].
pub const IMPORT_CACHE_BYTES: u64 = 4 * 1024 * 1024;

/// Version of the key layout, kept under `m/schema`. Layout 2 moved exact names into the word
/// index; opening a layout-1 store rebuilds its name index (see [`SledStore::migrate`]).
const LAYOUT_VERSION: u16 = 2;

fn offset(t: Timestamp, seconds: i64) -> Timestamp {
    Timestamp::from_second(t.as_second().saturating_add(seconds)).unwrap_or(t)
}

impl SledStore {
    /// Opens (or creates) the store in `dir` with the default page cache.
    pub fn open(dir: &Path) -> Result<Self, StoreError> {
        Self::open_with_cache(dir, DEFAULT_CACHE_BYTES)
    }

    /// Opens (or creates) the store in `dir` with a page cache of `cache_bytes`. sled's own
    /// default (1 GiB) is sized for larger databases than a schedule; every query here is a short
    /// range scan, so a small cache costs little speed and keeps imports' memory low.
    pub fn open_with_cache(dir: &Path, cache_bytes: u64) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Engine(format!("creating {}: {e}", dir.display())))?;
        let db = sled::Config::new()
            .path(dir)
            .cache_capacity(cache_bytes)
            .open()?;
        Self::from_db(db, dir.to_path_buf(), None)
    }

    /// Opens the store for a one-shot bulk import (`onair import`) with a 4 MiB page cache
    /// (`IMPORT_CACHE_BYTES`): an import writes sorted keys and touches each page about once, so
    /// a larger cache only holds pages that will not be read again.
    pub fn open_for_import(dir: &Path) -> Result<Self, StoreError> {
        Self::open_with_cache(dir, IMPORT_CACHE_BYTES)
    }

    /// A store that lives in memory only, for tests and benchmarks.
    pub fn temporary() -> Result<Self, StoreError> {
        let scratch = tempfile::tempdir()
            .map_err(|e| StoreError::Engine(format!("creating a scratch directory: {e}")))?;
        let db = sled::Config::new().temporary(true).open()?;
        let dir = scratch.path().to_path_buf();
        Self::from_db(db, dir, Some(Arc::new(scratch)))
    }

    fn from_db(
        db: sled::Db,
        dir: PathBuf,
        scratch: Option<Arc<tempfile::TempDir>>,
    ) -> Result<Self, StoreError> {
        let schedule = db.open_tree("schedule")?;
        let layout = match schedule.get(keys::META_SCHEMA)? {
            Some(v) => {
                let found: u16 = decode(keys::META_SCHEMA, &v)?;
                if found > LAYOUT_VERSION {
                    return Err(StoreError::NewerSchema {
                        found,
                        supported: LAYOUT_VERSION,
                    });
                }
                found
            }
            None => {
                schedule.insert(keys::META_SCHEMA, encode(&LAYOUT_VERSION)?)?;
                LAYOUT_VERSION
            }
        };
        // Layout 1 staged imports in a tree; an import it left behind was never committed there
        // in a form this version reads, and the tree is not used any more.
        db.drop_tree("import_journal")?;
        let store = Self {
            listeners: db.open_tree("listeners")?,
            devices: db.open_tree("devices")?,
            journal: journal::Files::in_dir(&dir),
            schedule,
            db,
            import_lock: Arc::new(Mutex::new(())),
            _scratch: scratch,
        };
        if layout < LAYOUT_VERSION {
            store.migrate()?;
        }
        // Finish an import that was committed when the process died, or drop an uncommitted one.
        journal::recover(&store)?;
        Ok(store)
    }

    /// Brings a layout-1 store to layout 2: drops the old name and ownership indexes and
    /// rebuilds the word index and the packed source lists from the records, which hold both
    /// their names and their sources. Safe to interrupt: the layout number is written last, so
    /// the next open starts over.
    fn migrate(&self) -> Result<(), StoreError> {
        for prefix in [
            keys::LEGACY_NAME,
            keys::LEGACY_OWNED,
            keys::WORD,
            keys::PROVIDES,
        ] {
            for item in self.schedule.scan_prefix(prefix).keys() {
                self.schedule.remove(item?)?;
            }
        }
        let mut lists: BTreeMap<(String, u8), provides::Builder> = BTreeMap::new();
        let mut provide = |sources: &BTreeSet<String>, kind: u8, id: &str| -> Vec<KeyValue> {
            sources
                .iter()
                .filter_map(|s| {
                    lists
                        .entry((s.clone(), kind))
                        .or_insert_with(|| provides::Builder::new(s, kind))
                        .push(id)
                })
                .collect()
        };
        self.reindex(
            keys::EVENT,
            KIND_EVENT,
            Self::event_index_keys,
            |e: &Event| e.id.as_str(),
            &mut provide,
        )?;
        self.reindex(
            keys::STATION,
            KIND_STATION,
            Self::station_index_keys,
            |s: &Station| s.id.as_str(),
            &mut provide,
        )?;
        self.reindex(
            keys::EPISODE,
            KIND_EPISODE,
            Self::episode_index_keys,
            |e: &Episode| e.id.as_str(),
            &mut provide,
        )?;
        for (_, list) in lists {
            self.insert_pairs(list.finish().0)?;
        }
        self.schedule
            .insert(keys::META_SCHEMA, encode(&LAYOUT_VERSION)?)?;
        self.schedule.flush()?;
        tracing::info!(layout = LAYOUT_VERSION, "store name index rebuilt");
        Ok(())
    }

    /// Writes the index keys of every record of one kind and hands its sources to `provide`.
    fn reindex<T: DeserializeOwned>(
        &self,
        prefix: &[u8],
        kind: u8,
        index_keys: fn(&T) -> Vec<Vec<u8>>,
        id: fn(&T) -> &str,
        provide: &mut impl FnMut(&BTreeSet<String>, u8, &str) -> Vec<KeyValue>,
    ) -> Result<(), StoreError> {
        for item in self.schedule.scan_prefix(prefix) {
            let (k, v) = item?;
            let stored: Stored<T> = decode(&k, &v)?;
            self.insert_keys(index_keys(&stored.data))?;
            self.insert_pairs(provide(&stored.sources, kind, id(&stored.data)))?;
        }
        Ok(())
    }

    /// Imports and hand edits read, then write; holding this keeps what they read true.
    fn lock_imports(&self) -> Result<std::sync::MutexGuard<'_, ()>, StoreError> {
        self.import_lock
            .lock()
            .map_err(|_| StoreError::Engine("an earlier import panicked".into()))
    }

    fn insert_keys(&self, keys_: Vec<Vec<u8>>) -> Result<(), StoreError> {
        self.insert_pairs(with_empty_values(keys_))
    }

    fn insert_pairs(&self, pairs: impl IntoIterator<Item = KeyValue>) -> Result<(), StoreError> {
        for (k, v) in pairs {
            self.schedule.insert(k, v)?;
        }
        Ok(())
    }

    fn get<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<Stored<T>>, StoreError> {
        match self.schedule.get(key)? {
            Some(bytes) => decode(key, &bytes).map(Some),
            None => Ok(None),
        }
    }

    fn max_duration(&self) -> Result<i64, StoreError> {
        Ok(match self.schedule.get(keys::META_MAX_DURATION)? {
            Some(v) => decode(keys::META_MAX_DURATION, &v)?,
            None => 0,
        })
    }

    fn load_events(&self, ids: impl IntoIterator<Item = String>) -> Result<Vec<Event>, StoreError> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(stored) = self.get::<Event>(&keys::event(&id))? {
                out.push(stored.data);
            }
        }
        Ok(out)
    }

    /// Ids from a `prefix ++ time ++ id` index between two times (start inclusive, end exclusive).
    fn ids_in_time_range(
        &self,
        prefix: &[u8],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<String>, StoreError> {
        let lo = keys::join(&[prefix, &keys::time(from)]);
        let hi = keys::join(&[prefix, &keys::time(to)]);
        let mut ids = Vec::new();
        for item in self.schedule.range(lo..hi) {
            let (k, _) = item?;
            if let Some(id) = keys::id_after_time(&k, prefix.len()) {
                ids.push(id.to_string());
            }
        }
        Ok(ids)
    }

    /// Every index key of an event (all index values are empty).
    fn event_index_keys(event: &Event) -> Vec<Vec<u8>> {
        let id = event.id.as_str();
        let mut out = vec![keys::by_start(event.start, id)];
        if let Some(st) = &event.station {
            out.push(keys::by_station(st.as_str(), event.start, id));
        }
        out.extend(name_keys(&event_names(event), id));
        out
    }

    fn station_index_keys(station: &Station) -> Vec<Vec<u8>> {
        name_keys(&station_names(station), station.id.as_str())
    }

    fn episode_index_keys(ep: &Episode) -> Vec<Vec<u8>> {
        let id = ep.id.as_str();
        let show = fold(&ep.show);
        let mut out = vec![keys::by_show(&show, ep.published, id)];
        out.extend(name_keys(&[(NameKind::Show.tag(), show)], id));
        out
    }
}

/// Name index keys for a record: one per anchor word of each distinct name.
fn name_keys(names: &[(u8, String)], id: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (kind, folded) in names {
        if folded.is_empty() || !seen.insert((kind, folded.clone())) {
            continue;
        }
        for w in anchor_words(folded) {
            out.push(keys::word(&w, folded, *kind, id));
        }
    }
    out
}

/// The words a folded name is filed under: its [`indexed_words`], or the whole name when it has
/// none ("u2", "the the"), so that every name can be found exactly.
fn anchor_words(folded: &str) -> Vec<String> {
    let words = indexed_words(folded);
    if words.is_empty() {
        vec![folded.to_string()]
    } else {
        words
    }
}

/// Words too common to narrow a search; indexing them would only add keys.
const STOP_WORDS: [&str; 18] = [
    "the", "and", "for", "with", "from", "les", "des", "une", "sur", "aux", "avec", "pour", "dans",
    "del", "los", "der", "die", "und",
];

/// The words of a folded name that go into the word index: those of three letters or more that
/// are not bare numbers or stop words (the exact-name index covers whole names), plus the name
/// written without spaces when it is mostly one- and two-letter tokens, so "a c d c" (folded
/// "acdc") finds "ac dc". Each is one key per record, so fewer make imports faster.
fn indexed_words(folded: &str) -> Vec<String> {
    let tokens: Vec<&str> = folded.split_whitespace().collect();
    let mut words: Vec<String> = tokens
        .iter()
        .filter(|w| {
            w.len() >= 3 && !w.bytes().all(|b| b.is_ascii_digit()) && !STOP_WORDS.contains(w)
        })
        .map(|w| w.to_string())
        .collect();
    let short = tokens
        .iter()
        .filter(|w| w.len() <= 2 && w.bytes().all(|b| b.is_ascii_alphabetic()))
        .count();
    if tokens.len() >= 2 && short * 2 > tokens.len() {
        words.push(tokens.concat());
    }
    words.sort();
    words.dedup();
    words
}

/// A write to the schedule tree: a key and its value.
type KeyValue = (Vec<u8>, Vec<u8>);

/// Index keys as writes: every index value is empty.
fn with_empty_values(keys_: Vec<Vec<u8>>) -> Vec<KeyValue> {
    keys_.into_iter().map(|k| (k, Vec::new())).collect()
}

fn event_names(e: &Event) -> Vec<(u8, String)> {
    let mut names = vec![(NameKind::Title.tag(), fold(&e.title))];
    names.extend(
        e.performers
            .iter()
            .map(|p| (NameKind::Performer.tag(), fold(p))),
    );
    names
}

fn station_names(s: &Station) -> Vec<(u8, String)> {
    s.spoken_names()
        .map(|n| (NameKind::Station.tag(), fold(n)))
        .collect()
}

/// The source of stations created by hand through the admin API.
const ADMIN_SOURCE: &str = "admin";

const KIND_EVENT: u8 = b'e';
const KIND_STATION: u8 = b's';
const KIND_EPISODE: u8 = b'p';

impl Store for SledStore {
    fn import(&self, batch: ImportBatch, dry_run: bool) -> Result<ImportSummary, StoreError> {
        let mut session = self.begin_import(&batch.source, dry_run)?;
        for s in batch.stations {
            session.station(s)?;
        }
        for e in batch.events {
            session.event(e)?;
        }
        for ep in batch.episodes {
            session.episode(ep)?;
        }
        session.commit()
    }

    fn begin_import<'a>(
        &'a self,
        source: &str,
        dry_run: bool,
    ) -> Result<Box<dyn ImportSession + 'a>, StoreError> {
        Ok(Box::new(journal::Session::begin(self, source, dry_run)?))
    }

    fn station(&self, id: &str) -> Result<Option<Station>, StoreError> {
        Ok(self.get::<Station>(&keys::station(id))?.map(|s| s.data))
    }

    fn stations(&self) -> Result<Vec<Station>, StoreError> {
        let mut out = Vec::new();
        for item in self.schedule.scan_prefix(keys::STATION) {
            let (k, v) = item?;
            out.push(decode::<Stored<Station>>(&k, &v)?.data);
        }
        Ok(out)
    }

    fn for_each_event(&self, visit: &mut dyn FnMut(Event)) -> Result<(), StoreError> {
        for item in self.schedule.scan_prefix(keys::EVENT) {
            let (k, v) = item?;
            visit(decode::<Stored<Event>>(&k, &v)?.data);
        }
        Ok(())
    }

    fn put_station(&self, station: Station) -> Result<(), StoreError> {
        let _guard = self.lock_imports()?;
        let key = keys::station(station.id.as_str());
        let old = self.get::<Station>(&key)?;
        let mut batch = sled::Batch::default();
        let sources = match &old {
            Some(o) => {
                for k in Self::station_index_keys(&o.data) {
                    batch.remove(k);
                }
                o.sources.clone()
            }
            None => BTreeSet::from([ADMIN_SOURCE.to_string()]),
        };
        for k in Self::station_index_keys(&station) {
            batch.insert(k, Vec::new());
        }
        if old.is_none() {
            if let Some((k, v)) = provides::with_one(
                &self.schedule,
                ADMIN_SOURCE,
                KIND_STATION,
                station.id.as_str(),
            )? {
                batch.insert(k, v);
            }
        }
        batch.insert(
            key,
            encode(&Stored {
                v: SCHEMA_VERSION,
                sources,
                data: station,
            })?,
        );
        self.schedule.apply_batch(batch)?;
        Ok(())
    }

    fn event(&self, id: &str) -> Result<Option<Event>, StoreError> {
        Ok(self.get::<Event>(&keys::event(id))?.map(|s| s.data))
    }

    fn delete_event(&self, id: &str) -> Result<bool, StoreError> {
        let _guard = self.lock_imports()?;
        let Some(old) = self.get::<Event>(&keys::event(id))? else {
            return Ok(false);
        };
        let mut batch = sled::Batch::default();
        for k in Self::event_index_keys(&old.data) {
            batch.remove(k);
        }
        let gone = HashSet::from([(KIND_EVENT, id.to_string())]);
        for s in &old.sources {
            for (k, v) in provides::without(&self.schedule, s, &gone)? {
                batch.insert(k, v);
            }
        }
        batch.remove(keys::event(id));
        self.schedule.apply_batch(batch)?;
        Ok(true)
    }

    fn episode(&self, id: &str) -> Result<Option<Episode>, StoreError> {
        Ok(self.get::<Episode>(&keys::episode(id))?.map(|s| s.data))
    }

    fn live_at(&self, t: Timestamp) -> Result<Vec<Event>, StoreError> {
        let from = offset(t, -self.max_duration()?);
        let ids = self.ids_in_time_range(keys::BY_START, from, offset(t, 1))?;
        let mut events = self.load_events(ids)?;
        events.retain(|e| e.is_live_at(t));
        Ok(events)
    }

    fn overlapping(
        &self,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let lo = offset(from, -self.max_duration()?);
        let lo_key = keys::join(&[keys::BY_START, &keys::time(lo)]);
        let hi_key = keys::join(&[keys::BY_START, &keys::time(to)]);
        let mut out = Vec::new();
        for item in self.schedule.range(lo_key..hi_key) {
            let (k, _) = item?;
            let Some(id) = keys::id_after_time(&k, keys::BY_START.len()) else {
                continue;
            };
            if let Some(e) = self.get::<Event>(&keys::event(id))? {
                if e.data.end > from && e.data.start < to {
                    out.push(e.data);
                    if out.len() >= limit {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }

    fn on_station(
        &self,
        station: &str,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Vec<Event>, StoreError> {
        let prefix = keys::by_station_prefix(station);
        let lo = offset(from, -self.max_duration()?);
        let ids = self.ids_in_time_range(&prefix, lo, to)?;
        let mut out = Vec::new();
        for e in self.load_events(ids)? {
            if e.end > from && e.start < to {
                out.push(e);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    fn next_on_station(&self, station: &str, t: Timestamp) -> Result<Option<Event>, StoreError> {
        let prefix = keys::by_station_prefix(station);
        let lo = keys::join(&[&prefix, &keys::time(t)]);
        let mut hi = prefix.clone();
        hi.extend_from_slice(&[0xff; 9]);
        for item in self.schedule.range(lo..hi) {
            let (k, _) = item?;
            if let Some(id) = keys::id_after_time(&k, prefix.len()) {
                if let Some(e) = self.event(id)? {
                    return Ok(Some(e));
                }
            }
        }
        Ok(None)
    }

    fn find_names(
        &self,
        spoken: &str,
        kinds: &[NameKind],
        min_confidence: f64,
        limit: usize,
    ) -> Result<Vec<NameHit>, StoreError> {
        let query = fold(spoken);
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: HashSet<u8> = kinds.iter().map(|k| k.tag()).collect();
        let mut best: BTreeMap<(u8, String), (String, f64)> = BTreeMap::new();
        let mut consider = |kind: u8, id: &str, name: &str, confidence: f64| {
            if !wanted.contains(&kind) || confidence < min_confidence {
                return;
            }
            let entry = best
                .entry((kind, id.to_string()))
                .or_insert_with(|| (name.to_string(), confidence));
            if confidence > entry.1 {
                *entry = (name.to_string(), confidence);
            }
        };
        // Exact folded name first: one prefix scan under the name's first anchor word.
        if let Some(anchor) = anchor_words(&query).first() {
            let exact = keys::word_and_name_prefix(anchor, &query);
            for item in self.schedule.scan_prefix(&exact).keys() {
                let k = item?;
                if let Some((name, kind, id)) = keys::split_word(&k) {
                    consider(kind, id, name, 1.0);
                }
            }
        }
        // Near matches: names sharing a word (or a word's first three letters) with the query.
        // Each scan is bounded, so the cost stays O(log n + k) however large the schedule is.
        const PER_WORD: usize = 400;
        let squeezed: String = query.split_whitespace().collect();
        let mut probes: Vec<String> = query
            .split_whitespace()
            .filter(|w| w.len() >= 2)
            .map(|w| w.chars().take(3).collect())
            .collect();
        probes.push(squeezed.chars().take(3).collect());
        probes.sort();
        probes.dedup();
        for probe in probes.iter().filter(|p| p.len() >= 2) {
            let prefix = keys::join(&[keys::WORD, probe.as_bytes()]);
            for item in self.schedule.scan_prefix(&prefix).keys().take(PER_WORD) {
                let k = item?;
                if let Some((name, kind, id)) = keys::split_word(&k) {
                    consider(kind, id, name, score(&query, name));
                }
            }
        }
        let mut hits: Vec<NameHit> = best
            .into_iter()
            .filter_map(|((kind, id), (name, confidence))| {
                Some(NameHit {
                    kind: NameKind::from_tag(kind)?,
                    id: Id::parse(&id).ok()?,
                    name,
                    confidence,
                })
            })
            .collect();
        super::best_first(&mut hits);
        hits.truncate(limit);
        Ok(hits)
    }

    fn episodes_of_show(&self, show: &str, limit: usize) -> Result<Vec<Episode>, StoreError> {
        let prefix = keys::join(&[keys::BY_SHOW, fold(show).as_bytes(), &[0]]);
        let mut out = Vec::new();
        for item in self.schedule.scan_prefix(&prefix).rev().take(limit) {
            let (k, _) = item?;
            if let Some(id) = keys::id_after_time(&k, prefix.len()) {
                if let Some(ep) = self.episode(id)? {
                    out.push(ep);
                }
            }
        }
        Ok(out)
    }

    fn event_count(&self) -> Result<usize, StoreError> {
        Ok(self.schedule.scan_prefix(keys::EVENT).count())
    }

    fn source_counts(&self, source: &str) -> Result<(usize, usize, usize), StoreError> {
        let counts = provides::counts(&self.schedule, source)?;
        let of = |kind| counts.get(&kind).copied().unwrap_or(0);
        Ok((of(KIND_STATION), of(KIND_EVENT), of(KIND_EPISODE)))
    }

    fn listener(&self, key: &str) -> Result<Option<ListenerState>, StoreError> {
        match self.listeners.get(key.as_bytes())? {
            Some(v) => decode(key.as_bytes(), &v).map(Some),
            None => Ok(None),
        }
    }

    fn update_listener(
        &self,
        key: &str,
        change: &mut dyn FnMut(&mut ListenerState),
    ) -> Result<ListenerState, StoreError> {
        // A compare-and-swap loop: a concurrent writer makes the CAS fail and the change is
        // re-applied to the newer value, so no update is lost.
        loop {
            let current = self.listeners.get(key.as_bytes())?;
            let mut state: ListenerState = match &current {
                Some(v) => decode(key.as_bytes(), v)?,
                None => ListenerState::default(),
            };
            change(&mut state);
            state.v = SCHEMA_VERSION;
            let new = encode(&state)?;
            match self
                .listeners
                .compare_and_swap(key.as_bytes(), current, Some(new))?
            {
                Ok(()) => return Ok(state),
                Err(_) => continue,
            }
        }
    }

    fn delete_listener(&self, key: &str) -> Result<(), StoreError> {
        self.listeners.remove(key.as_bytes())?;
        Ok(())
    }

    fn device_zone(&self, device_key: &str) -> Result<Option<DeviceZone>, StoreError> {
        match self.devices.get(device_key.as_bytes())? {
            Some(v) => decode(device_key.as_bytes(), &v).map(Some),
            None => Ok(None),
        }
    }

    fn set_device_zone(&self, device_key: &str, zone: &DeviceZone) -> Result<(), StoreError> {
        self.devices.insert(device_key.as_bytes(), encode(zone)?)?;
        Ok(())
    }

    fn flush(&self) -> Result<(), StoreError> {
        self.db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::indexed_words;

    #[test]
    fn only_distinctive_words_are_indexed() {
        assert_eq!(
            indexed_words("show 123 on channel 45"),
            vec!["channel", "show"]
        );
        assert_eq!(indexed_words("the jazz cellar"), vec!["cellar", "jazz"]);
        assert_eq!(indexed_words("radiohead"), vec!["radiohead"]);
    }

    #[test]
    fn spelled_names_get_their_squeezed_form() {
        assert_eq!(indexed_words("ac dc"), vec!["acdc"]);
        assert_eq!(indexed_words("u2"), Vec::<String>::new());
        assert!(!indexed_words("christine and the queens")
            .contains(&"christineandthequeens".to_string()));
    }
}
