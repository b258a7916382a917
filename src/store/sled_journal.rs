//! Streaming, crash-atomic imports for the sled store: a redo journal.
//!
//! sled applies a `Batch` atomically, but holds the whole batch (and every page version it
//! replaces) in memory until it is done: a 100k-programme guide took gigabytes. So an import
//! is staged instead:
//!
//! 1. While the parser runs, each record is compared with what is stored and the writes it
//!    needs (the record, its index keys, the keys of its old version to delete) are appended
//!    to the `import_journal` tree. The schedule itself is untouched, so a failed or killed
//!    import leaves it as it was; the journal is discarded (at once, or when the store is next
//!    opened).
//! 2. `commit` journals the removals of records the source no longer provides, then writes a
//!    commit marker and flushes. From that point the import counts as done.
//! 3. The journal is applied to the schedule in sorted chunks (sled writes sorted keys several
//!    times faster) and cleared. If the process dies during this step, opening the store
//!    replays the journal; every write is idempotent, so replaying is safe.
//!
//! What it costs: queries running during step 3 can see part of the new data for the few
//! seconds it lasts (they skip index keys whose record is not written yet). Crash atomicity,
//! which the design asks for, holds. Memory is one record plus an 8-byte hash per record id
//! (to find duplicates and vanished records) plus one sorted chunk.

use super::{
    encode, episode_names, event_names, index_entries, keys, station_names, SledStore, Stored,
    KIND_EPISODE, KIND_EVENT, KIND_STATION,
};
use crate::schedule::{Episode, Event, Station};
use crate::store::{ImportSession, ImportSummary, StoreError, SCHEMA_VERSION};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::hash_map::RandomState;
use std::collections::{BTreeSet, HashSet};
use std::hash::BuildHasher;
use std::sync::MutexGuard;

/// Journal key of the commit marker.
const MARKER: &[u8] = b"c";
/// Prefix of journal entries, followed by a big-endian sequence number.
const ENTRY: &[u8] = b"j";
/// Writes applied per sorted chunk.
const CHUNK: usize = 100_000;

const PUT: u8 = b'P';
const DELETE: u8 = b'D';

/// What the commit marker records.
#[derive(Serialize, Deserialize)]
struct Marker {
    source: String,
    max_duration: Option<i64>,
}

/// An import being staged.
pub(super) struct Session<'a> {
    store: &'a SledStore,
    _lock: MutexGuard<'a, ()>,
    source: String,
    dry_run: bool,
    seen: HashSet<u64>,
    hasher: RandomState,
    seq: u64,
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
        // Left over from an import abandoned without a marker: worthless.
        store.journal.clear()?;
        let max = store.max_duration()?;
        Ok(Self {
            store,
            _lock: lock,
            source: source.to_string(),
            dry_run,
            seen: HashSet::new(),
            hasher: RandomState::new(),
            seq: 0,
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

    fn append(&mut self, tag: u8, pairs: &[(Vec<u8>, Vec<u8>)]) -> Result<(), StoreError> {
        if self.dry_run || pairs.is_empty() {
            return Ok(());
        }
        let mut entry = vec![tag];
        for (k, v) in pairs {
            push_chunk(&mut entry, k);
            if tag == PUT {
                push_chunk(&mut entry, v);
            }
        }
        self.seq += 1;
        let key = keys::join(&[ENTRY, &self.seq.to_be_bytes()]);
        self.store.journal.insert(key, entry)?;
        Ok(())
    }

    fn delete(&mut self, keys_: Vec<Vec<u8>>) -> Result<(), StoreError> {
        let pairs: Vec<(Vec<u8>, Vec<u8>)> = keys_.into_iter().map(|k| (k, Vec::new())).collect();
        self.append(DELETE, &pairs)
    }

    fn owned(&self, kind: u8, id: &str) -> (Vec<u8>, Vec<u8>) {
        (keys::owned(&self.source, kind, id), Vec::new())
    }

    /// Removes what this source provided before and no longer does.
    fn stage_removals(&mut self) -> Result<(), StoreError> {
        let prefix = keys::owned_prefix(&self.source);
        for item in self.store.schedule.scan_prefix(&prefix) {
            let (k, _) = item?;
            let Some((_, kind, id)) = keys::split_tagged(&k, keys::OWNED.len()) else {
                continue;
            };
            if self.provided(kind, id) {
                continue;
            }
            let id = id.to_string();
            let mut gone = vec![k.to_vec()];
            match kind {
                KIND_EVENT => {
                    if let Some(old) = self.store.get::<Event>(&keys::event(&id))? {
                        gone.extend(SledStore::event_index_keys(&old.data));
                        gone.push(keys::event(&id));
                        self.summary.removed += 1;
                    }
                }
                KIND_EPISODE => {
                    if let Some(old) = self.store.get::<Episode>(&keys::episode(&id))? {
                        gone.extend(SledStore::episode_index_keys(&old.data));
                        gone.push(keys::episode(&id));
                        self.summary.removed += 1;
                    }
                }
                KIND_STATION => {
                    if let Some(mut old) = self.store.get::<Station>(&keys::station(&id))? {
                        old.sources.remove(&self.source);
                        if old.sources.is_empty() {
                            gone.extend(SledStore::station_index_keys(&old.data));
                            gone.push(keys::station(&id));
                            self.summary.removed += 1;
                        } else {
                            // Other sources still provide it: it stays, without this one.
                            self.append(PUT, &[(keys::station(&id), encode(&old)?)])?;
                        }
                    }
                }
                _ => {}
            }
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

impl Session<'_> {
    /// Commits without applying, as if the process died right after the marker was written.
    #[cfg(test)]
    fn commit_then_crash(mut self) -> Result<(), StoreError> {
        self.stage_removals()?;
        let marker = Marker {
            source: self.source.clone(),
            max_duration: Some(self.max_duration),
        };
        self.store.journal.insert(MARKER, encode(&marker)?)?;
        self.store.journal.flush()?;
        self.done = true;
        Ok(())
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
        names: fn(&T) -> Vec<(u8, String)>,
    ) -> Result<(), StoreError>
    where
        T: Serialize + DeserializeOwned + PartialEq + HasId,
    {
        let old = self.store.get::<T>(&key)?;
        let id = data.id_str().to_string();
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
                let mut gone = index_keys(&o.data);
                for s in o.sources.iter().filter(|s| **s != self.source) {
                    gone.push(keys::owned(s, kind, &id));
                }
                self.delete(gone)?;
            }
            None => self.summary.added += 1,
        }
        let mut puts = index_entries(index_keys(&new.data), &names(&new.data));
        puts.push(self.owned(kind, &id));
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
        let id = s.id.to_string();
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
        let mut puts = index_entries(
            SledStore::station_index_keys(&new.data),
            &station_names(&new.data),
        );
        puts.push(self.owned(KIND_STATION, &id));
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
        self.stage_owned(KIND_EVENT, key, e, SledStore::event_index_keys, event_names)?;
        Ok(true)
    }

    fn episode(&mut self, ep: Episode) -> Result<bool, StoreError> {
        if !self.first_time(KIND_EPISODE, ep.id.as_str()) {
            return Ok(false);
        }
        let key = keys::episode(ep.id.as_str());
        self.stage_owned(
            KIND_EPISODE,
            key,
            ep,
            SledStore::episode_index_keys,
            episode_names,
        )?;
        Ok(true)
    }

    fn commit(mut self: Box<Self>) -> Result<ImportSummary, StoreError> {
        self.stage_removals()?;
        let summary = self.summary.clone();
        if self.dry_run {
            return Ok(summary);
        }
        let marker = Marker {
            source: self.source.clone(),
            // Grow-only: a shorter maximum would make "live at t" miss long events still stored.
            max_duration: (self.max_duration > self.max_before).then_some(self.max_duration),
        };
        self.store.journal.insert(MARKER, encode(&marker)?)?;
        self.store.journal.flush()?;
        // The import is decided; applying it is replayable from here on.
        self.done = true;
        apply(self.store)?;
        Ok(summary)
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if !self.done {
            // Abandoned (parse error, dry run): nothing was applied; forget the staging.
            let _ = self.store.journal.clear();
        }
    }
}

/// Applies a committed journal (after `commit`, or when opening a store that crashed during
/// one), then clears it. Without a commit marker, the journal is discarded.
pub(super) fn apply(store: &SledStore) -> Result<(), StoreError> {
    let Some(marker) = store.journal.get(MARKER)? else {
        store.journal.clear()?;
        return Ok(());
    };
    let marker: Marker = super::decode(MARKER, &marker)?;
    if let Some(max) = marker.max_duration {
        store
            .schedule
            .insert(keys::META_MAX_DURATION, encode(&max)?)?;
    }
    // Deletions first: they only name keys of old versions and vanished records, which never
    // collide with another record's new keys (every key embeds its record id), so doing them
    // all before the puts keeps the journal's meaning while allowing sorted writes.
    for tag in [DELETE, PUT] {
        let mut chunk: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for item in store.journal.scan_prefix(ENTRY) {
            let (_, entry) = item?;
            if entry.first() != Some(&tag) {
                continue;
            }
            let mut rest = &entry[1..];
            while let Some(k) = read_chunk(&mut rest) {
                let v = if tag == PUT {
                    read_chunk(&mut rest).unwrap_or_default()
                } else {
                    &[]
                };
                chunk.push((k.to_vec(), v.to_vec()));
            }
            if chunk.len() >= CHUNK {
                write_sorted(store, tag, &mut chunk)?;
            }
        }
        write_sorted(store, tag, &mut chunk)?;
    }
    store.schedule.flush()?;
    tracing::debug!(source = %marker.source, "import journal applied");
    store.journal.remove(MARKER)?;
    store.journal.flush()?;
    store.journal.clear()?;
    Ok(())
}

fn write_sorted(
    store: &SledStore,
    tag: u8,
    chunk: &mut Vec<(Vec<u8>, Vec<u8>)>,
) -> Result<(), StoreError> {
    chunk.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (k, v) in chunk.drain(..) {
        if tag == PUT {
            store.schedule.insert(k, v)?;
        } else {
            store.schedule.remove(k)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[path = "sled_journal_tests.rs"]
mod tests;
