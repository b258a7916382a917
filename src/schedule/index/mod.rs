//! The schedule index: what every listener question needs, held in memory, compact and
//! immutable, so an answer costs O(log n + page) whatever the size of the schedule.
//!
//! Events are rows sorted by (start, id): three integers each, times in seconds from the
//! earliest start. Everything else is a [`Postings`] list of row positions (by station, by
//! genre of the event or its station, by performer and title name), so each list is in start
//! order too. Counts are differences of binary searches; "live at t" walks only blocks that
//! still run at t; names are resolved on the dictionary of distinct names ([`NameDict`]), not
//! on events. The index holds no record: the few records an answer speaks are read by id.
//!
//! An index is built whole from the store's records and never changed; a newer one replaces it
//! (see [`crate::store::IndexedStore`]), so a reader sees one schedule or the next, never a mix.

mod build;
mod names;
mod postings;

pub use build::Builder;
pub use names::{Kinds, NameDict, NameEntry, NameHit};
pub use postings::Postings;

use jiff::Timestamp;
use std::collections::HashMap;

/// One event: start and end in seconds after the index's base time, and its station number
/// ([`NO_STATION`] when it has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// Start, seconds after the base.
    pub start: u32,
    /// End, seconds after the base.
    pub end: u32,
    /// Station number.
    pub station: u32,
}

/// The station number of an event without a station.
pub const NO_STATION: u32 = u32::MAX;

/// Which events a query is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every event.
    All,
    /// A station's (by number).
    Station(u32),
    /// A genre's, the event's own or its station's (by number).
    Genre(u32),
    /// A performer's (by name number).
    Performer(u32),
    /// A title's (by name number).
    Title(u32),
}

/// A page of events in listing order and how many there are in all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Page {
    /// Row positions, in order.
    pub positions: Vec<u32>,
    /// How many events match in all (the page is the first of them).
    pub total: usize,
}

/// The immutable index.
#[derive(Debug, Default)]
pub struct ScheduleIndex {
    version: u64,
    base: i64,
    rows: Vec<Row>,
    /// Event ids in row order: id `i` is `id_text[id_ends[i-1]..id_ends[i]]`.
    id_text: String,
    id_ends: Vec<u32>,
    all: Postings,
    station_ids: Vec<Box<str>>,
    station_numbers: HashMap<Box<str>, u32>,
    by_station: Vec<Postings>,
    genre_numbers: HashMap<Box<str>, u32>,
    by_genre: Vec<Postings>,
    names: NameDict,
}

impl ScheduleIndex {
    /// The store version this index was built from.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// `t` in the index's relative seconds (may be negative or beyond `u32`).
    fn rel(&self, t: Timestamp) -> i64 {
        t.as_second() - self.base
    }

    /// The id of the event at `position`.
    pub fn id(&self, position: u32) -> Option<&str> {
        let i = position as usize;
        let end = *self.id_ends.get(i)? as usize;
        let start = match i {
            0 => 0,
            _ => *self.id_ends.get(i - 1)? as usize,
        };
        self.id_text.get(start..end)
    }

    /// The start of the event at `position`.
    pub fn start(&self, position: u32) -> Option<Timestamp> {
        let r = self.rows.get(position as usize)?;
        Timestamp::from_second(self.base + i64::from(r.start)).ok()
    }

    /// Whether the event at `position` is live at `t`.
    pub fn is_live_at(&self, position: u32, t: Timestamp) -> bool {
        let t = self.rel(t);
        self.rows
            .get(position as usize)
            .is_some_and(|r| i64::from(r.start) <= t && t < i64::from(r.end))
    }

    /// The station id of the event at `position`.
    pub fn station_of(&self, position: u32) -> Option<&str> {
        let r = self.rows.get(position as usize)?;
        self.station_ids.get(r.station as usize).map(|s| &**s)
    }

    /// The id of station number `n`.
    pub fn station_id(&self, n: u32) -> Option<&str> {
        self.station_ids.get(n as usize).map(|s| &**s)
    }

    /// A station's number, when any event or station record has that id.
    pub fn station_number(&self, id: &str) -> Option<u32> {
        self.station_numbers.get(id).copied()
    }

    /// A genre's number (folded name).
    pub fn genre_number(&self, folded: &str) -> Option<u32> {
        self.genre_numbers.get(folded).copied()
    }

    /// The name dictionary.
    pub fn names(&self) -> &NameDict {
        &self.names
    }

    fn list(&self, scope: Scope) -> Option<&Postings> {
        match scope {
            Scope::All => Some(&self.all),
            Scope::Station(n) => self.by_station.get(n as usize),
            Scope::Genre(n) => self.by_genre.get(n as usize),
            Scope::Performer(n) => self.names.get(n).map(|e| &e.performer_events),
            Scope::Title(n) => self.names.get(n).map(|e| &e.title_events),
        }
    }

    /// Whether the event at `position` is in `scope`.
    pub fn contains(&self, scope: Scope, position: u32) -> bool {
        match scope {
            Scope::All => (position as usize) < self.rows.len(),
            Scope::Station(n) => self
                .rows
                .get(position as usize)
                .is_some_and(|r| r.station == n),
            _ => self.list(scope).is_some_and(|l| l.contains(position)),
        }
    }

    /// Events of `scope` that started at or before `started_by` and end after `ends_after`,
    /// in start order, at most `limit`, kept only when `keep` says so.
    fn running(
        &self,
        scope: Scope,
        started_by: i64,
        ends_after: i64,
        limit: usize,
        keep: &dyn Fn(u32) -> bool,
    ) -> Vec<u32> {
        let mut out = Vec::new();
        let Some(list) = self.list(scope) else {
            return out;
        };
        if limit == 0 {
            return out;
        }
        let k = list.started_by(&self.rows, started_by);
        list.for_each_running(&self.rows, k, ends_after, &mut |p| {
            if keep(p) {
                out.push(p);
            }
            out.len() < limit
        });
        out
    }

    /// How many events of `scope` started at or before `started_by` and end after
    /// `ends_after`: arithmetic when nothing else filters and `ends_after <= started_by`.
    fn running_count(
        &self,
        scope: Scope,
        started_by: i64,
        ends_after: i64,
        keep: Option<&dyn Fn(u32) -> bool>,
    ) -> usize {
        let Some(list) = self.list(scope) else {
            return 0;
        };
        if keep.is_none() && ends_after <= started_by {
            if let Some(ended) = list.ended_by(ends_after) {
                return list
                    .started_by(&self.rows, started_by)
                    .saturating_sub(ended);
            }
        }
        let all = |_: u32| true;
        self.running(
            scope,
            started_by,
            ends_after,
            usize::MAX,
            keep.unwrap_or(&all),
        )
        .len()
    }

    /// List indexes of the events of `scope` starting in `[from, to)` (relative seconds).
    fn starting_range(&self, list: &Postings, from: i64, to: i64) -> (usize, usize) {
        let lo = list.started_by(&self.rows, from - 1);
        let hi = list.started_by(&self.rows, to - 1).max(lo);
        (lo, hi)
    }

    /// Events of `scope` live at `t`, in start order, at most `limit`.
    pub fn live_at(&self, scope: Scope, t: Timestamp, limit: usize) -> Vec<u32> {
        let t = self.rel(t);
        self.running(scope, t, t, limit, &|_| true)
    }

    /// How many events of `scope` are live at `t`.
    pub fn live_count(&self, scope: Scope, t: Timestamp) -> usize {
        let t = self.rel(t);
        self.running_count(scope, t, t, None)
    }

    /// Events of `scope` overlapping `[from, to)`, in start order, at most `limit`.
    pub fn overlapping(
        &self,
        scope: Scope,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Vec<u32> {
        let (from, to) = (self.rel(from), self.rel(to));
        if to <= from {
            // An empty window still holds what runs at its instant, like a store range scan.
            return self.running(scope, from, from, limit, &|_| true);
        }
        let mut out = self.running(scope, from, from, limit, &|_| true);
        if let Some(list) = self.list(scope) {
            let (lo, hi) = self.starting_range(list, from + 1, to);
            let room = limit.saturating_sub(out.len());
            out.extend(list.from_index(lo).iter().take((hi - lo).min(room)));
        }
        out
    }

    /// Events of `scope` starting at or after `from` and before `until`, in start order, at
    /// most `limit`, kept only when `keep` says so.
    pub fn starting(
        &self,
        scope: Scope,
        from: Timestamp,
        until: Timestamp,
        limit: usize,
        keep: &dyn Fn(u32) -> bool,
    ) -> Vec<u32> {
        let Some(list) = self.list(scope) else {
            return Vec::new();
        };
        let (lo, hi) = self.starting_range(list, self.rel(from), self.rel(until));
        list.from_index(lo)
            .iter()
            .take(hi - lo)
            .copied()
            .filter(|p| keep(*p))
            .take(limit)
            .collect()
    }

    /// The first event of `scope` starting at or after `t`.
    pub fn next_starting(&self, scope: Scope, t: Timestamp) -> Option<u32> {
        let list = self.list(scope)?;
        let i = list.started_by(&self.rows, self.rel(t) - 1);
        list.get(i)
    }

    /// The last event of `scope` to have ended by `t` (the latest end), looking back over at
    /// most `look_back` events that started before `t`.
    pub fn last_ended(&self, scope: Scope, t: Timestamp, look_back: usize) -> Option<u32> {
        let list = self.list(scope)?;
        let rel = self.rel(t);
        let k = list.started_by(&self.rows, rel);
        (k.saturating_sub(look_back)..k)
            .filter_map(|i| list.get(i))
            .filter(|p| {
                self.rows
                    .get(*p as usize)
                    .is_some_and(|r| i64::from(r.end) <= rel)
            })
            .max_by_key(|p| self.rows.get(*p as usize).map(|r| r.end))
    }

    /// What a listing of `scope` for the window `[from, to)` holds, asked at `now`
    /// (`from >= now`): first what is live at `now` and still on at `from`, then what starts in
    /// the window after `now`, each in start order. Returns the first `limit` and the total.
    /// `keep` narrows the scope further (a second filter); counts are then taken by walking the
    /// scope's window, which is why the caller passes its smallest list as `scope`.
    pub fn window(
        &self,
        scope: Scope,
        now: Timestamp,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
        keep: Option<&dyn Fn(u32) -> bool>,
    ) -> Page {
        let (now, from, to) = (
            self.rel(now),
            self.rel(from).max(self.rel(now)),
            self.rel(to),
        );
        let Some(list) = self.list(scope) else {
            return Page::default();
        };
        if to <= from {
            return Page::default();
        }
        let all = |_: u32| true;
        let keep_fn: &dyn Fn(u32) -> bool = keep.unwrap_or(&all);
        let live_started_by = now.min(to - 1);
        let live_ends_after = from;
        let mut positions = self.running(scope, live_started_by, live_ends_after, limit, keep_fn);
        let live_total = if positions.len() < limit {
            positions.len()
        } else {
            self.running_count(scope, live_started_by, live_ends_after, keep)
        };
        let (lo, hi) = self.starting_range(list, from.max(now + 1), to);
        let upcoming = list.from_index(lo).iter().take(hi - lo).copied();
        let upcoming_total = match keep {
            None => {
                positions.extend(upcoming.take(limit.saturating_sub(positions.len())));
                hi - lo
            }
            Some(keep) => {
                let mut n = 0;
                for p in upcoming.filter(|p| keep(*p)) {
                    n += 1;
                    if positions.len() < limit {
                        positions.push(p);
                    }
                }
                n
            }
        };
        Page {
            positions,
            total: live_total + upcoming_total,
        }
    }

    /// Approximate heap bytes held, for the memory figures.
    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * std::mem::size_of::<Row>()
            + self.id_text.capacity()
            + self.id_ends.capacity() * 4
            + self.all.heap_bytes()
            + self
                .station_ids
                .iter()
                .map(|s| s.len() * 2 + 48)
                .sum::<usize>()
            + self
                .by_station
                .iter()
                .map(Postings::heap_bytes)
                .sum::<usize>()
            + self
                .genre_numbers
                .keys()
                .map(|k| k.len() + 48)
                .sum::<usize>()
            + self
                .by_genre
                .iter()
                .map(Postings::heap_bytes)
                .sum::<usize>()
            + self.names.heap_bytes()
    }
}

#[cfg(test)]
mod tests;
