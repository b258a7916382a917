//! The dictionary of distinct spoken names: performers, titles and stations, each folded once.
//!
//! Resolution works on names, not events: a performer with 5,000 events is one entry. An exact
//! folded match is a hash look-up; near matches are scored only over the names that share a
//! word's first three letters with the query (at most [`PER_PROBE`] names a probe), and not at
//! all beyond what could still change the answer.

use super::postings::Postings;
use super::Row;
use crate::schedule::names::Query;
use std::collections::HashMap;

/// Names scored per probe (a word's first three letters), like a bounded index scan.
pub const PER_PROBE: usize = 400;

/// One distinct folded name and what carries it.
#[derive(Debug, Default, Clone)]
pub struct NameEntry {
    /// The folded name.
    pub folded: Box<str>,
    /// Events with this performer.
    pub performer_events: Postings,
    /// Events with this title.
    pub title_events: Postings,
    /// Stations with this name or alias (station numbers).
    pub stations: Vec<u32>,
}

/// What a name carries while the index is built: record numbers, not yet positions.
#[derive(Debug, Default, Clone)]
pub struct PendingName {
    /// Events (record numbers) with this performer.
    pub performer_events: Vec<u32>,
    /// Events (record numbers) with this title.
    pub title_events: Vec<u32>,
    /// Stations with this name or alias.
    pub stations: Vec<u32>,
}

/// Which kinds of name a look-up wants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kinds {
    /// Performers.
    pub performer: bool,
    /// Event titles.
    pub title: bool,
    /// Station names and aliases.
    pub station: bool,
}

impl NameEntry {
    fn has(&self, kinds: Kinds) -> bool {
        (kinds.performer && !self.performer_events.is_empty())
            || (kinds.title && !self.title_events.is_empty())
            || (kinds.station && !self.stations.is_empty())
    }
}

/// A name that matched, with its confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NameHit {
    /// Entry number in the dictionary.
    pub name: u32,
    /// 1.0 exact, lower for near misses.
    pub confidence: f64,
}

/// The dictionary.
#[derive(Debug, Default)]
pub struct NameDict {
    entries: Vec<NameEntry>,
    exact: HashMap<Box<str>, u32>,
    /// Names by the first three letters of each of their words and of their squeezed form.
    probes: HashMap<Box<str>, Vec<u32>>,
}

fn probes_of(folded: &str) -> Vec<String> {
    let squeezed: String = folded.split_whitespace().collect();
    let mut out: Vec<String> = folded
        .split_whitespace()
        .filter(|w| w.len() >= 2)
        .map(|w| w.chars().take(3).collect())
        .collect();
    out.push(squeezed.chars().take(3).collect());
    out.retain(|p: &String| p.len() >= 2);
    out.sort();
    out.dedup();
    out
}

impl NameDict {
    /// What `folded` carries while building, created when new; empty names are not entered.
    pub fn entry<'a>(
        &mut self,
        pending: &'a mut Vec<PendingName>,
        folded: String,
    ) -> Option<&'a mut PendingName> {
        if folded.is_empty() {
            return None;
        }
        let n = match self.exact.get(folded.as_str()) {
            Some(n) => *n,
            None => {
                let n = u32::try_from(self.entries.len()).ok()?;
                self.exact.insert(folded.clone().into_boxed_str(), n);
                self.entries.push(NameEntry {
                    folded: folded.into_boxed_str(),
                    ..NameEntry::default()
                });
                pending.push(PendingName::default());
                n
            }
        };
        pending.get_mut(n as usize)
    }

    /// Finishes building: maps record numbers to positions with `position_of`, builds every
    /// list over `rows`, and the probe table.
    pub fn finish(&mut self, pending: Vec<PendingName>, rows: &[Row], position_of: &[u32]) {
        let to_postings = |records: Vec<u32>| {
            let mut positions: Vec<u32> = records
                .into_iter()
                .filter_map(|r| position_of.get(r as usize).copied())
                .collect();
            positions.sort_unstable();
            positions.dedup();
            Postings::build(positions, rows, false)
        };
        for (n, (e, p)) in self.entries.iter_mut().zip(pending).enumerate() {
            e.performer_events = to_postings(p.performer_events);
            e.title_events = to_postings(p.title_events);
            e.stations = p.stations;
            e.stations.sort_unstable();
            e.stations.dedup();
            e.stations.shrink_to_fit();
            for probe in probes_of(&e.folded) {
                self.probes
                    .entry(probe.into_boxed_str())
                    .or_default()
                    .push(n as u32);
            }
        }
        self.entries.shrink_to_fit();
        self.probes.shrink_to_fit();
    }

    /// An entry by number.
    pub fn get(&self, name: u32) -> Option<&NameEntry> {
        self.entries.get(name as usize)
    }

    /// The number of an exact folded name.
    pub fn exact_number(&self, folded: &str) -> Option<u32> {
        self.exact.get(folded).copied()
    }

    /// The entry of an exact folded name.
    pub fn exact(&self, folded: &str) -> Option<&NameEntry> {
        self.exact.get(folded).and_then(|n| self.get(*n))
    }

    /// Names of `kinds` matching the folded query at or above `min_confidence`, best first.
    ///
    /// When the exact name is known, only names within `margin` of it can change what a caller
    /// decides (a clear winner or a choice), so the near-match pass keeps to those unless one is
    /// found; then every near match above `min_confidence` is scored, as without an exact hit.
    pub fn resolve(
        &self,
        folded: &str,
        kinds: Kinds,
        min_confidence: f64,
        margin: f64,
    ) -> Vec<NameHit> {
        if folded.is_empty() {
            return Vec::new();
        }
        let query = Query::new(folded);
        let exact = self
            .exact
            .get(folded)
            .copied()
            .filter(|n| self.get(*n).is_some_and(|e| e.has(kinds)));
        let mut candidates: Vec<u32> = Vec::new();
        for p in probes_of(folded) {
            if let Some(list) = self.probes.get(p.as_str()) {
                candidates.extend(list.iter().take(PER_PROBE));
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let near = |floor: f64| -> Vec<NameHit> {
            candidates
                .iter()
                .filter(|n| Some(**n) != exact)
                .filter_map(|&n| {
                    let e = self.get(n).filter(|e| e.has(kinds))?;
                    let confidence = query.score_at_least(&e.folded, floor)?;
                    Some(NameHit {
                        name: n,
                        confidence,
                    })
                })
                .collect()
        };
        let mut hits = match exact {
            Some(n) => {
                let close = near((1.0 - margin).max(min_confidence));
                let mut hits = if close.is_empty() {
                    close
                } else {
                    near(min_confidence)
                };
                hits.push(NameHit {
                    name: n,
                    confidence: 1.0,
                });
                hits
            }
            None => near(min_confidence),
        };
        hits.sort_by(|a, b| {
            b.confidence
                .partial_cmp(&a.confidence)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.name.cmp(&b.name))
        });
        hits
    }

    /// Number of distinct names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the dictionary is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Heap bytes held (approximate).
    pub fn heap_bytes(&self) -> usize {
        let entries: usize = self
            .entries
            .iter()
            .map(|e| {
                e.folded.len()
                    + e.performer_events.heap_bytes()
                    + e.title_events.heap_bytes()
                    + e.stations.capacity() * 4
                    + std::mem::size_of::<NameEntry>()
            })
            .sum();
        let exact = self.exact.capacity() * (std::mem::size_of::<(Box<str>, u32)>() + 1)
            + self.exact.keys().map(|k| k.len()).sum::<usize>();
        let probes: usize = self
            .probes
            .iter()
            .map(|(k, v)| k.len() + v.capacity() * 4 + 40)
            .sum();
        entries + exact + probes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(names: &[(&str, bool)]) -> NameDict {
        let mut d = NameDict::default();
        let mut pending = Vec::new();
        for (i, (n, performer)) in names.iter().enumerate() {
            if let Some(e) = d.entry(&mut pending, n.to_string()) {
                if *performer {
                    e.performer_events.push(i as u32);
                } else {
                    e.title_events.push(i as u32);
                }
            }
        }
        let rows: Vec<Row> = (0..names.len() as u32)
            .map(|i| Row {
                start: i,
                end: i + 1,
                station: u32::MAX,
            })
            .collect();
        let identity: Vec<u32> = (0..names.len() as u32).collect();
        d.finish(pending, &rows, &identity);
        d
    }

    const PERFORMERS: Kinds = Kinds {
        performer: true,
        title: false,
        station: false,
    };

    #[test]
    fn exact_names_win_without_scoring_distant_ones() {
        let d = dict(&[
            ("radiohead", true),
            ("radio moscow", true),
            ("daft punk", true),
        ]);
        let hits = d.resolve("radiohead", PERFORMERS, 0.72, 0.04);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].confidence, 1.0);
    }

    #[test]
    fn a_close_rival_brings_every_near_match_back() {
        let d = dict(&[
            ("radiohead", true),
            ("radioheads", true),
            ("radiohed", true),
        ]);
        let hits = d.resolve("radiohead", PERFORMERS, 0.72, 0.04);
        assert_eq!(hits.len(), 3, "{hits:?}");
        assert_eq!(hits[0].confidence, 1.0);
    }

    #[test]
    fn kinds_filter_and_empty_queries() {
        let mut d = dict(&[("jazz night", false), ("jazz nights", true)]);
        let hits = d.resolve("jazz night", PERFORMERS, 0.72, 0.04);
        assert!(hits.iter().all(|h| h.name == 1), "{hits:?}");
        assert!(d.resolve("", PERFORMERS, 0.72, 0.04).is_empty());
        assert!(d.entry(&mut Vec::new(), String::new()).is_none());
    }

    #[test]
    fn typos_find_their_name() {
        let d = dict(&[("radiohead", true), ("daft punk", true)]);
        let hits = d.resolve("radiohed", PERFORMERS, 0.72, 0.04);
        assert_eq!(hits.first().map(|h| h.name), Some(0));
        assert!(hits[0].confidence > 0.9);
    }
}
