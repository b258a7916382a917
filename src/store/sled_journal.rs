//! Streaming, crash-atomic imports for the sled store: a redo journal in a file.
//!
//! sled applies a `Batch` atomically, but holds the whole batch (and every page version it
//! replaces) in memory until it is done: a 100k-programme guide took gigabytes. So an import
//! is staged instead:
//!
//! 1. While the parser runs, each record is compared with what is stored and the writes it
//!    needs (the record, its index keys, the keys of its old version to delete) are appended
//!    to `import.journal.staging` next to the store. The schedule itself is untouched, so a
//!    failed or killed import leaves it as it was; the staging file is deleted (at once, or
//!    when the store is next opened).
//! 2. `commit` journals the removals of records the source no longer provides and a marker,
//!    syncs the file and renames it to `import.journal`. The rename is the commit point.
//! 3. The journal is applied to the schedule (see [`apply`]), the schedule is flushed and the
//!    file deleted. If the process dies during this step, opening the store replays the
//!    journal; every write is idempotent, so replaying is safe.
//!
//! A plain file rather than a sled tree because staging is a sequential append read back once:
//! sled would write every staged byte through its log and page cache, which doubled the cost
//! of an import.
//!
//! What it costs: queries running during step 3 can see part of the new data for the few
//! seconds it lasts (records are written before their index keys, and queries skip an index
//! key whose record is gone). Crash atomicity, which the design asks for, holds. Memory is one
//! record plus an 8-byte hash per record id (to find duplicates and vanished records) plus one
//! sorted run of [`RUN_BYTES`].

use super::{
    encode, keys, provides, with_empty_values, KeyValue, SledStore, Stored, KIND_EPISODE,
    KIND_EVENT, KIND_STATION,
};
use crate::schedule::{Episode, Event, Station};
use crate::store::{ImportSession, ImportSummary, StoreError, SCHEMA_VERSION};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::hash::BuildHasher;
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::MutexGuard;

/// Bytes of keys and values applied per sorted run.
const RUN_BYTES: usize = 8 << 20;

const PUT: u8 = b'P';
const DELETE: u8 = b'D';
const MARKER: u8 = b'M';

/// What the commit marker records.
#[derive(Serialize, Deserialize)]
struct Marker {
    source: String,
    max_duration: Option<i64>,
}

/// The journal's two files: the one being staged and the committed one.
#[derive(Clone)]
pub(super) struct Files {
    dir: PathBuf,
    staging: PathBuf,
    committed: PathBuf,
}

impl Files {
    pub(super) fn in_dir(dir: &Path) -> Self {
        Self {
            dir: dir.to_path_buf(),
            staging: dir.join("import.journal.staging"),
            committed: dir.join("import.journal"),
        }
    }

    fn discard_staging(&self) -> Result<(), StoreError> {
        remove_if_present(&self.staging)
    }

    /// Makes a rename or removal in the directory durable.
    fn sync_dir(&self) -> Result<(), StoreError> {
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(&self.dir, e))
    }
}

fn io_error(path: &Path, e: std::io::Error) -> StoreError {
    StoreError::Engine(format!("import journal {}: {e}", path.display()))
}

fn remove_if_present(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_error(path, e)),
        _ => Ok(()),
    }
}

/// An import being staged.
pub(super) struct Session<'a> {
    store: &'a SledStore,
    _lock: MutexGuard<'a, ()>,
    source: String,
    /// The staging file; `None` for a dry run.
    out: Option<BufWriter<File>>,
    seen: HashSet<u64>,
    hasher: RandomState,
    /// The new lists of what this source provides, by kind.
    lists: Vec<(u8, provides::Builder)>,
    /// Records another source provided that this import takes over, by that source.
    taken: BTreeMap<String, HashSet<(u8, String)>>,
    summary: ImportSummary,
    max_duration: i64,
    max_before: i64,
    done: bool,
}

impl<'a> Session<'a> {
    /// Starts staging `source`, waiting for any other import to finish.
    pub(super) fn begin(
        store: &'a SledStore,
        source: &str,
        dry_run: bool,
    ) -> Result<Self, StoreError> {
        let lock = store
            .import_lock
            .lock()
            .map_err(|_| StoreError::Engine("an earlier import panicked".into()))?;
        let files = &store.journal;
        // Left over from an import abandoned without a commit: worthless.
        files.discard_staging()?;
        let out = if dry_run {
            None
        } else {
            let file = File::create(&files.staging).map_err(|e| io_error(&files.staging, e))?;
            Some(BufWriter::with_capacity(1 << 20, file))
        };
        let max = store.max_duration()?;
        Ok(Self {
            store,
            _lock: lock,
            source: source.to_string(),
            out,
            seen: HashSet::new(),
            hasher: RandomState::new(),
            lists: [KIND_STATION, KIND_EVENT, KIND_EPISODE]
                .into_iter()
                .map(|kind| (kind, provides::Builder::new(source, kind)))
                .collect(),
            taken: BTreeMap::new(),
            summary: ImportSummary::default(),
            max_duration: max,
            max_before: max,
            done: false,
        })
    }

    /// Marks `(kind, id)` as provided by this import; false if it already was.
    fn first_time(&mut self, kind: u8, id: &str) -> bool {
        self.seen.insert(self.hasher.hash_one((kind, id)))
    }

    fn provided(&self, kind: u8, id: &str) -> bool {
        self.seen.contains(&self.hasher.hash_one((kind, id)))
    }

    /// Appends one entry: a tag, then length-prefixed keys (and values, for puts).
    fn append(&mut self, tag: u8, pairs: &[KeyValue]) -> Result<(), StoreError> {
        let Some(out) = self.out.as_mut() else {
            return Ok(());
        };
        if pairs.is_empty() {
            return Ok(());
        }
        let mut entry = Vec::new();
        for (k, v) in pairs {
            push_chunk(&mut entry, k);
            if tag == PUT {
                push_chunk(&mut entry, v);
            }
        }
        write_entry(out, tag, &entry).map_err(|e| io_error(&self.store.journal.staging, e))
    }

    fn delete(&mut self, keys_: Vec<Vec<u8>>) -> Result<(), StoreError> {
        self.append(DELETE, &with_empty_values(keys_))
    }

    /// Adds a staged record to this source's new lists.
    fn provide(&mut self, kind: u8, id: &str) -> Result<(), StoreError> {
        let full = self
            .lists
            .iter_mut()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, list)| list.push(id));
        match full {
            Some(chunk) => self.put_list_chunk(chunk),
            None => Ok(()),
        }
    }

    /// Journals a chunk of the new lists unless the store already holds it as it is, so a
    /// re-import of an unchanged feed writes nothing.
    fn put_list_chunk(&mut self, (key, value): KeyValue) -> Result<(), StoreError> {
        if self.store.schedule.get(&key)?.as_deref() == Some(&value[..]) {
            return Ok(());
        }
        self.append(PUT, &[(key, value)])
    }

    /// Completes the new lists, removes what this source provided before and no longer does,
    /// and drops taken-over records from the lists of the sources they came from.
    fn stage_removals(&mut self) -> Result<(), StoreError> {
        let mut chunks: HashMap<u8, u32> = HashMap::new();
        for (kind, list) in std::mem::take(&mut self.lists) {
            let (last, count) = list.finish();
            if let Some(chunk) = last {
                self.put_list_chunk(chunk)?;
            }
            chunks.insert(kind, count);
        }
        let prefix = provides::prefix(&self.source);
        for item in self.store.schedule.scan_prefix(&prefix) {
            let (k, v) = item?;
            let Some((kind, seq)) = provides::split_key(&k, prefix.len()) else {
                continue;
            };
            if seq >= chunks.get(&kind).copied().unwrap_or(0) {
                self.delete(vec![k.to_vec()])?;
            }
            for id in provides::ids(&v) {
                if !self.provided(kind, id) {
                    self.stage_removal(kind, id)?;
                }
            }
        }
        for (other, gone) in std::mem::take(&mut self.taken) {
            for chunk in provides::without(&self.store.schedule, &other, &gone)? {
                self.append(PUT, &[chunk])?;
            }
        }
        Ok(())
    }

    /// Removes one record this source no longer provides; a record that another source took
    /// over, or that was deleted by hand, stays as it is.
    fn stage_removal(&mut self, kind: u8, id: &str) -> Result<(), StoreError> {
        let mut gone = Vec::new();
        match kind {
            KIND_EVENT => {
                if let Some(old) = self.store.get::<Event>(&keys::event(id))? {
                    if old.sources.contains(&self.source) {
                        gone.extend(SledStore::event_index_keys(&old.data));
                        gone.push(keys::event(id));
                    }
                }
            }
            KIND_EPISODE => {
                if let Some(old) = self.store.get::<Episode>(&keys::episode(id))? {
                    if old.sources.contains(&self.source) {
                        gone.extend(SledStore::episode_index_keys(&old.data));
                        gone.push(keys::episode(id));
                    }
                }
            }
            KIND_STATION => {
                if let Some(mut old) = self.store.get::<Station>(&keys::station(id))? {
                    if old.sources.remove(&self.source) {
                        if old.sources.is_empty() {
                            gone.extend(SledStore::station_index_keys(&old.data));
                            gone.push(keys::station(id));
                        } else {
                            // Other sources still provide it: it stays, without this one.
                            self.append(PUT, &[(keys::station(id), encode(&old)?)])?;
                        }
                    }
                }
            }
            _ => {}
        }
        if !gone.is_empty() {
            self.summary.removed += 1;
            self.delete(gone)?;
        }
        Ok(())
    }
}

fn push_chunk(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
    out.extend_from_slice(bytes);
}

fn read_chunk<'b>(bytes: &mut &'b [u8]) -> Option<&'b [u8]> {
    let len = u32::from_be_bytes(bytes.get(..4)?.try_into().ok()?) as usize;
    let chunk = bytes.get(4..4 + len)?;
    *bytes = &bytes[4 + len..];
    Some(chunk)
}

fn write_entry(out: &mut impl Write, tag: u8, body: &[u8]) -> std::io::Result<()> {
    out.write_all(&[tag])?;
    out.write_all(&(body.len() as u32).to_be_bytes())?;
    out.write_all(body)
}

/// Reads the next entry into `body`; `None` at the end of the file.
fn read_entry(input: &mut impl Read, body: &mut Vec<u8>) -> std::io::Result<Option<u8>> {
    let mut head = [0u8; 5];
    match input.read_exact(&mut head[..1]) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    input.read_exact(&mut head[1..])?;
    let len = u32::from_be_bytes([head[1], head[2], head[3], head[4]]) as usize;
    body.clear();
    body.resize(len, 0);
    input.read_exact(body)?;
    Ok(Some(head[0]))
}

impl Session<'_> {
    /// Writes the marker and makes the journal the committed one: after this returns, the
    /// import survives a crash.
    fn seal(&mut self) -> Result<(), StoreError> {
        let marker = Marker {
            source: self.source.clone(),
            // Grow-only: a shorter maximum would make "live at t" miss long events still stored.
            max_duration: (self.max_duration > self.max_before).then_some(self.max_duration),
        };
        let files = self.store.journal.clone();
        let Some(out) = self.out.take() else {
            return Ok(());
        };
        let failed = |e| io_error(&files.staging, e);
        let file = out.into_inner().map_err(|e| failed(e.into_error()))?;
        let mut file = BufWriter::new(file);
        write_entry(&mut file, MARKER, &encode(&marker)?).map_err(failed)?;
        let file = file.into_inner().map_err(|e| failed(e.into_error()))?;
        file.sync_all().map_err(failed)?;
        drop(file);
        std::fs::rename(&files.staging, &files.committed).map_err(failed)?;
        files.sync_dir()?;
        self.done = true;
        Ok(())
    }

    /// Commits without applying, as if the process died right after the commit point.
    #[cfg(test)]
    fn commit_then_crash(mut self) -> Result<(), StoreError> {
        self.stage_removals()?;
        self.seal()
    }
}

impl Session<'_> {
    /// Stages a record that belongs to this source alone (events, episodes): counts it, removes
    /// the index entries of the stored version and another source's ownership, then writes the
    /// new value with its index entries.
    fn stage_owned<T>(
        &mut self,
        kind: u8,
        key: Vec<u8>,
        data: T,
        index_keys: fn(&T) -> Vec<Vec<u8>>,
    ) -> Result<(), StoreError>
    where
        T: Serialize + DeserializeOwned + PartialEq + HasId,
    {
        let old = self.store.get::<T>(&key)?;
        let id = data.id_str().to_string();
        self.provide(kind, &id)?;
        let new = Stored {
            v: SCHEMA_VERSION,
            sources: BTreeSet::from([self.source.clone()]),
            data,
        };
        match &old {
            Some(o) if *o == new => {
                self.summary.unchanged += 1;
                return Ok(());
            }
            Some(o) => {
                self.summary.updated += 1;
                for s in o.sources.iter().filter(|s| **s != self.source) {
                    let taken = self.taken.entry(s.clone()).or_default();
                    taken.insert((kind, id.clone()));
                }
                self.delete(index_keys(&o.data))?;
            }
            None => self.summary.added += 1,
        }
        let mut puts = with_empty_values(index_keys(&new.data));
        puts.push((key, encode(&new)?));
        self.append(PUT, &puts)
    }
}

/// Records addressed by an id.
trait HasId {
    fn id_str(&self) -> &str;
}

impl HasId for Event {
    fn id_str(&self) -> &str {
        self.id.as_str()
    }
}

impl HasId for Episode {
    fn id_str(&self) -> &str {
        self.id.as_str()
    }
}

impl ImportSession for Session<'_> {
    fn station(&mut self, s: Station) -> Result<bool, StoreError> {
        if !self.first_time(KIND_STATION, s.id.as_str()) {
            return Ok(false);
        }
        let key = keys::station(s.id.as_str());
        let old = self.store.get::<Station>(&key)?;
        self.provide(KIND_STATION, s.id.as_str())?;
        let (data, mut sources) = match &old {
            // Another source's fields fill what this one lacks (guide + playlist).
            Some(o) if !o.sources.iter().all(|x| *x == self.source) => {
                (s.merged_over(&o.data), o.sources.clone())
            }
            _ => (s, BTreeSet::new()),
        };
        sources.insert(self.source.clone());
        let new = Stored {
            v: SCHEMA_VERSION,
            sources,
            data,
        };
        match &old {
            Some(o) if *o == new => {
                self.summary.unchanged += 1;
                return Ok(true);
            }
            Some(o) => {
                self.summary.updated += 1;
                self.delete(SledStore::station_index_keys(&o.data))?;
            }
            None => self.summary.added += 1,
        }
        let mut puts = with_empty_values(SledStore::station_index_keys(&new.data));
        puts.push((key, encode(&new)?));
        self.append(PUT, &puts)?;
        Ok(true)
    }

    fn event(&mut self, e: Event) -> Result<bool, StoreError> {
        if !self.first_time(KIND_EVENT, e.id.as_str()) {
            return Ok(false);
        }
        self.max_duration = self
            .max_duration
            .max(e.end.as_second() - e.start.as_second());
        let key = keys::event(e.id.as_str());
        self.stage_owned(KIND_EVENT, key, e, SledStore::event_index_keys)?;
        Ok(true)
    }

    fn episode(&mut self, ep: Episode) -> Result<bool, StoreError> {
        if !self.first_time(KIND_EPISODE, ep.id.as_str()) {
            return Ok(false);
        }
        let key = keys::episode(ep.id.as_str());
        self.stage_owned(KIND_EPISODE, key, ep, SledStore::episode_index_keys)?;
        Ok(true)
    }

    fn commit(mut self: Box<Self>) -> Result<ImportSummary, StoreError> {
        self.stage_removals()?;
        let summary = self.summary.clone();
        if self.out.is_none() {
            return Ok(summary);
        }
        self.seal()?;
        // The import is decided; applying it is replayable from here on.
        let started = std::time::Instant::now();
        apply(self.store).map_err(|e| StoreError::CommittedNotApplied(e.to_string()))?;
        tracing::debug!(
            source = %self.source,
            apply_ms = started.elapsed().as_millis() as u64,
            "import applied"
        );
        Ok(summary)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Abandoned (parse error, dry run): nothing was applied; forget the staging.
            self.out = None;
            let _ = self.store.journal.discard_staging();
        }
    }
}

/// Run when the store opens: finishes an import committed before the process died and drops
/// one that never reached its commit.
pub(super) fn recover(store: &SledStore) -> Result<(), StoreError> {
    store.journal.discard_staging()?;
    apply(store)
}

/// Applies the committed journal, if there is one, then deletes it.
///
/// Deletions go first: they only name keys of old versions and vanished records, which never
/// collide with another record's new keys (every key embeds its record id), so doing them all
/// before the puts keeps the journal's meaning. The puts then go one key space at a time
/// (records before their indexes), each in sorted runs, so sled appends to one region of the
/// tree at a time; reading the file once per key space costs far less than scattered writes.
pub(super) fn apply(store: &SledStore) -> Result<(), StoreError> {
    let path = &store.journal.committed;
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(io_error(path, e)),
    };
    let mut input = BufReader::with_capacity(1 << 20, file);
    let mut run = Run::default();
    let mut spaces = BTreeSet::new();
    let marker = read_journal(&mut input, path, |tag, key, value| {
        if tag == DELETE {
            run.push(key, value);
            if run.is_full() {
                run.write(store, DELETE)?;
            }
        } else if let Some(space) = key.first() {
            spaces.insert(*space);
        }
        Ok(())
    })?;
    run.write(store, DELETE)?;
    let Some(marker) = marker else {
        // The marker is written before the commit point, so this file was not made here.
        return Err(StoreError::Corrupt {
            key: path.display().to_string(),
            detail: "committed import journal without its marker".into(),
        });
    };
    // Raise the longest duration before any new event is visible, or "live at" could miss one.
    if let Some(max) = marker.max_duration {
        store
            .schedule
            .insert(keys::META_MAX_DURATION, encode(&max)?)?;
    }
    for space in spaces {
        read_journal(&mut input, path, |tag, key, value| {
            if tag == PUT && key.first() == Some(&space) {
                run.push(key, value);
                if run.is_full() {
                    run.write(store, PUT)?;
                }
            }
            Ok(())
        })?;
        run.write(store, PUT)?;
    }
    store.schedule.flush()?;
    remove_if_present(path)?;
    store.journal.sync_dir()
}

/// Reads the journal from its start, handing every write to `write` (the value is empty for a
/// deletion); returns the commit marker.
fn read_journal(
    input: &mut BufReader<File>,
    path: &Path,
    mut write: impl FnMut(u8, &[u8], &[u8]) -> Result<(), StoreError>,
) -> Result<Option<Marker>, StoreError> {
    input
        .seek(std::io::SeekFrom::Start(0))
        .map_err(|e| io_error(path, e))?;
    let mut body = Vec::new();
    let mut marker = None;
    while let Some(tag) = read_entry(input, &mut body).map_err(|e| io_error(path, e))? {
        if tag == MARKER {
            marker = Some(super::decode::<Marker>(b"import journal marker", &body)?);
            continue;
        }
        let mut rest = &body[..];
        while let Some(key) = read_chunk(&mut rest) {
            let value = if tag == PUT {
                read_chunk(&mut rest).unwrap_or_default()
            } else {
                &[]
            };
            write(tag, key, value)?;
        }
    }
    Ok(marker)
}

/// A run of journaled writes in one buffer (no allocation per key), sorted by key before it is
/// applied: sled writes sorted keys several times faster.
#[derive(Default)]
struct Run {
    bytes: Vec<u8>,
    /// (key start, key end, value end) in `bytes`; the value follows its key.
    items: Vec<(usize, usize, usize)>,
}

impl Run {
    fn push(&mut self, key: &[u8], value: &[u8]) {
        if self.bytes.capacity() == 0 {
            // Sized once: growing by doubling would overshoot the bound by up to half.
            self.bytes.reserve_exact(RUN_BYTES + (64 << 10));
        }
        let start = self.bytes.len();
        self.bytes.extend_from_slice(key);
        let key_end = self.bytes.len();
        self.bytes.extend_from_slice(value);
        self.items.push((start, key_end, self.bytes.len()));
    }

    fn is_full(&self) -> bool {
        self.bytes.len() >= RUN_BYTES
    }

    /// Writes the run to the schedule, in key order, and empties it.
    fn write(&mut self, store: &SledStore, tag: u8) -> Result<(), StoreError> {
        let bytes = &self.bytes;
        self.items
            .sort_unstable_by(|a, b| bytes[a.0..a.1].cmp(&bytes[b.0..b.1]));
        for &(start, key_end, end) in &self.items {
            let key = &bytes[start..key_end];
            if tag == PUT {
                store.schedule.insert(key, &bytes[key_end..end])?;
            } else {
                store.schedule.remove(key)?;
            }
        }
        self.bytes.clear();
        self.items.clear();
        Ok(())
    }
}

#[cfg(test)]
#[path = "sled_journal_tests.rs"]
mod tests;
