//! Which records each source provides, so a re-import can find the ones that vanished from its
//! feed. The ids are packed into chunks of about [`CHUNK_BYTES`] under
//! `p/ source 0 kind seq`, a few hundred keys for a 100k-record source instead of one key per
//! record: every key costs sled a tree write, and these lists are only ever read whole.
//!
//! The record's own `sources` set stays the authority on who provides it; the lists are kept in
//! step with it (imports, hand deletions and takeovers by another source all rewrite them).

use super::{keys, KeyValue};
use std::collections::{HashMap, HashSet};

/// Target size of one packed chunk.
const CHUNK_BYTES: usize = 16 * 1024;

/// Key of chunk `seq` of `source`'s list of `kind`.
pub(super) fn key(source: &str, kind: u8, seq: u32) -> Vec<u8> {
    keys::join(&[
        keys::PROVIDES,
        source.as_bytes(),
        &[0, kind],
        &seq.to_be_bytes(),
    ])
}

/// Prefix of all of `source`'s chunks.
pub(super) fn prefix(source: &str) -> Vec<u8> {
    keys::join(&[keys::PROVIDES, source.as_bytes(), &[0]])
}

/// The (kind, seq) of a chunk key found under [`prefix`]`(source)`.
pub(super) fn split_key(key: &[u8], prefix_len: usize) -> Option<(u8, u32)> {
    let rest = key.get(prefix_len..)?;
    let (kind, seq) = rest.split_first()?;
    Some((*kind, u32::from_be_bytes(seq.try_into().ok()?)))
}

/// The ids in a chunk, in the order they were added.
pub(super) fn ids(chunk: &[u8]) -> impl Iterator<Item = &str> {
    let mut rest = chunk;
    std::iter::from_fn(move || {
        let (len, tail) = rest.split_first_chunk::<2>()?;
        let len = u16::from_be_bytes(*len) as usize;
        let id = tail.get(..len)?;
        rest = &tail[len..];
        std::str::from_utf8(id).ok()
    })
}

fn push_id(chunk: &mut Vec<u8>, id: &str) {
    // Record ids are at most 200 bytes (see `schedule::Id`), so the cut never happens; it only
    // keeps the length prefix truthful.
    let bytes = &id.as_bytes()[..id.len().min(u16::MAX as usize)];
    chunk.extend_from_slice(&(bytes.len() as u16).to_be_bytes());
    chunk.extend_from_slice(bytes);
}

/// Builds one source's list of one kind, chunk by chunk, as records are staged.
pub(super) struct Builder {
    source: String,
    kind: u8,
    seq: u32,
    chunk: Vec<u8>,
}

impl Builder {
    pub(super) fn new(source: &str, kind: u8) -> Self {
        Self {
            source: source.to_string(),
            kind,
            seq: 0,
            chunk: Vec::new(),
        }
    }

    /// Adds an id; returns a full chunk to write when there is one.
    pub(super) fn push(&mut self, id: &str) -> Option<KeyValue> {
        push_id(&mut self.chunk, id);
        (self.chunk.len() >= CHUNK_BYTES).then(|| self.take())
    }

    /// The last, partial chunk (if any) and the number of chunks the list now has.
    pub(super) fn finish(mut self) -> (Option<KeyValue>, u32) {
        let last = (!self.chunk.is_empty()).then(|| self.take());
        (last, self.seq)
    }

    fn take(&mut self) -> KeyValue {
        let out = (
            key(&self.source, self.kind, self.seq),
            std::mem::take(&mut self.chunk),
        );
        self.seq += 1;
        out
    }
}

/// Rewrites of `source`'s chunks without `gone` (pairs of kind and id): only the chunks that
/// change are returned.
pub(super) fn without(
    tree: &sled::Tree,
    source: &str,
    gone: &HashSet<(u8, String)>,
) -> Result<Vec<KeyValue>, sled::Error> {
    let prefix = prefix(source);
    let mut out = Vec::new();
    for item in tree.scan_prefix(&prefix) {
        let (k, v) = item?;
        let Some((kind, _)) = split_key(&k, prefix.len()) else {
            continue;
        };
        let mut kept = Vec::with_capacity(v.len());
        let mut changed = false;
        for id in ids(&v) {
            if gone.contains(&(kind, id.to_string())) {
                changed = true;
            } else {
                push_id(&mut kept, id);
            }
        }
        if changed {
            out.push((k.to_vec(), kept));
        }
    }
    Ok(out)
}

/// The write that adds one id to `source`'s list of `kind` (the admin API's hand-made records),
/// unless it is already there.
pub(super) fn with_one(
    tree: &sled::Tree,
    source: &str,
    kind: u8,
    id: &str,
) -> Result<Option<KeyValue>, sled::Error> {
    let prefix = prefix(source);
    let mut last: Option<(u32, Vec<u8>)> = None;
    for item in tree.scan_prefix(&prefix) {
        let (k, v) = item?;
        let Some((found_kind, seq)) = split_key(&k, prefix.len()) else {
            continue;
        };
        if found_kind != kind {
            continue;
        }
        if ids(&v).any(|x| x == id) {
            return Ok(None);
        }
        last = Some((seq, v.to_vec()));
    }
    let (seq, mut chunk) = match last {
        Some((seq, chunk)) if chunk.len() < CHUNK_BYTES => (seq, chunk),
        Some((seq, _)) => (seq + 1, Vec::new()),
        None => (0, Vec::new()),
    };
    push_id(&mut chunk, id);
    Ok(Some((key(source, kind, seq), chunk)))
}

/// How many records of each kind `source` provides, in one scan of its lists.
pub(super) fn counts(tree: &sled::Tree, source: &str) -> Result<HashMap<u8, usize>, sled::Error> {
    let prefix = prefix(source);
    let mut counts = HashMap::new();
    for item in tree.scan_prefix(&prefix) {
        let (k, v) = item?;
        if let Some((kind, _)) = split_key(&k, prefix.len()) {
            *counts.entry(kind).or_default() += ids(&v).count();
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_round_trip_and_split_when_full() {
        let mut b = Builder::new("guide.xml", b'e');
        let mut full = Vec::new();
        for i in 0..3000 {
            if let Some(chunk) = b.push(&format!("event-{i:05}")) {
                full.push(chunk);
            }
        }
        let (last, count) = b.finish();
        full.extend(last);
        assert_eq!(full.len() as u32, count);
        assert!(count > 1, "3000 ids make more than one chunk");
        let all: Vec<&str> = full.iter().flat_map(|(_, v)| ids(v)).collect();
        assert_eq!(all.len(), 3000);
        assert_eq!(all[2999], "event-02999");
        let p = prefix("guide.xml");
        assert_eq!(split_key(&full[1].0, p.len()), Some((b'e', 1)));
    }

    #[test]
    fn truncated_chunks_stop_cleanly() {
        let mut chunk = Vec::new();
        push_id(&mut chunk, "abc");
        chunk.extend_from_slice(&[0, 9, b'x']);
        assert_eq!(ids(&chunk).collect::<Vec<_>>(), vec!["abc"]);
    }
}
