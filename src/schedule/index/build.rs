//! Building a [`ScheduleIndex`] from records, streamed: stations first (their genres and names),
//! then events in any order. Per event only integers and its id are kept while building; lists
//! hold record numbers until the final sort turns them into positions.

use super::names::{NameDict, PendingName};
use super::postings::Postings;
use super::{Row, ScheduleIndex, NO_STATION};
use crate::schedule::{fold, Event, Station};
use std::collections::HashMap;

/// An event as kept while building.
struct Pending {
    start: i64,
    end: i64,
    station: u32,
    /// End of its id in `id_text`.
    id_end: u32,
}

/// Collects records, then [`Builder::finish`] sorts them into an index.
#[derive(Default)]
pub struct Builder {
    events: Vec<Pending>,
    id_text: String,
    station_ids: Vec<Box<str>>,
    station_numbers: HashMap<Box<str>, u32>,
    station_genres: Vec<Vec<u32>>,
    genre_numbers: HashMap<Box<str>, u32>,
    genre_records: Vec<Vec<u32>>,
    names: NameDict,
    pending_names: Vec<PendingName>,
    skipped: usize,
}

impl Builder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    fn station_number(&mut self, id: &str) -> u32 {
        if let Some(n) = self.station_numbers.get(id) {
            return *n;
        }
        let n = self.station_ids.len() as u32;
        self.station_ids.push(id.into());
        self.station_numbers.insert(id.into(), n);
        self.station_genres.push(Vec::new());
        n
    }

    fn genre_number(&mut self, folded: String) -> u32 {
        if let Some(n) = self.genre_numbers.get(folded.as_str()) {
            return *n;
        }
        let n = self.genre_records.len() as u32;
        self.genre_numbers.insert(folded.into_boxed_str(), n);
        self.genre_records.push(Vec::new());
        n
    }

    /// The numbers of `written` genres (folded, empty ones left out) and of `inherited` ones,
    /// sorted and once each.
    fn genre_numbers_of(&mut self, written: &[String], inherited: &[u32]) -> Vec<u32> {
        let mut genres: Vec<u32> = written
            .iter()
            .map(|g| fold(g))
            .filter(|g| !g.is_empty())
            .map(|g| self.genre_number(g))
            .collect();
        genres.extend(inherited);
        genres.sort_unstable();
        genres.dedup();
        genres
    }

    /// Adds a station: its names and the genres its events inherit. Stations come before
    /// events so those genres are known when the events arrive.
    pub fn station(&mut self, station: &Station) {
        let n = self.station_number(station.id.as_str());
        let genres = self.genre_numbers_of(&station.genres, &[]);
        if let Some(slot) = self.station_genres.get_mut(n as usize) {
            *slot = genres;
        }
        for name in station.spoken_names() {
            if let Some(p) = self.names.entry(&mut self.pending_names, fold(name)) {
                p.stations.push(n);
            }
        }
    }

    /// Adds an event.
    pub fn event(&mut self, event: &Event) {
        let Ok(r) = u32::try_from(self.events.len()) else {
            self.skipped += 1;
            return;
        };
        let station = match &event.station {
            Some(id) => self.station_number(id.as_str()),
            None => NO_STATION,
        };
        let inherited = self
            .station_genres
            .get(station as usize)
            .cloned()
            .unwrap_or_default();
        let genres = self.genre_numbers_of(&event.genres, &inherited);
        for g in genres {
            if let Some(list) = self.genre_records.get_mut(g as usize) {
                list.push(r);
            }
        }
        if let Some(p) = self
            .names
            .entry(&mut self.pending_names, fold(&event.title))
        {
            p.title_events.push(r);
        }
        for performer in &event.performers {
            if let Some(p) = self.names.entry(&mut self.pending_names, fold(performer)) {
                p.performer_events.push(r);
            }
        }
        self.id_text.push_str(event.id.as_str());
        self.events.push(Pending {
            start: event.start.as_second(),
            end: event.end.as_second(),
            station,
            id_end: self.id_text.len() as u32,
        });
    }

    /// Events that could not be indexed (beyond `u32` records).
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Sorts everything into the index for store version `version`.
    pub fn finish(self, version: u64) -> ScheduleIndex {
        let Builder {
            events,
            id_text,
            station_ids,
            station_numbers,
            station_genres: _,
            genre_numbers,
            genre_records,
            mut names,
            pending_names,
            skipped: _,
        } = self;
        let id_of = |r: usize| -> &str {
            let end = events.get(r).map_or(0, |e| e.id_end as usize);
            let start = match r {
                0 => 0,
                _ => events.get(r - 1).map_or(0, |e| e.id_end as usize),
            };
            id_text.get(start..end).unwrap_or("")
        };
        let mut order: Vec<u32> = (0..events.len() as u32).collect();
        order.sort_unstable_by(|a, b| {
            let (ea, eb) = (&events[*a as usize], &events[*b as usize]);
            ea.start
                .cmp(&eb.start)
                .then_with(|| id_of(*a as usize).cmp(id_of(*b as usize)))
        });
        let base = events.iter().map(|e| e.start).min().unwrap_or(0);
        let rel = |t: i64| (t - base).clamp(0, i64::from(u32::MAX)) as u32;
        let mut position_of = vec![0u32; events.len()];
        let mut rows = Vec::with_capacity(events.len());
        let mut sorted_ids = String::with_capacity(id_text.len());
        let mut id_ends = Vec::with_capacity(events.len());
        for (pos, r) in order.iter().enumerate() {
            let e = &events[*r as usize];
            position_of[*r as usize] = pos as u32;
            rows.push(Row {
                start: rel(e.start),
                end: rel(e.end).max(rel(e.start).saturating_add(1)),
                station: e.station,
            });
            sorted_ids.push_str(id_of(*r as usize));
            id_ends.push(sorted_ids.len() as u32);
        }
        drop(order);
        drop(events);
        drop(id_text);
        let mut per_station: Vec<Vec<u32>> = vec![Vec::new(); station_ids.len()];
        for (pos, row) in rows.iter().enumerate() {
            if let Some(list) = per_station.get_mut(row.station as usize) {
                list.push(pos as u32);
            }
        }
        let by_station = per_station
            .into_iter()
            .map(|list| Postings::build(list, &rows, true))
            .collect();
        let by_genre = genre_records
            .into_iter()
            .map(|records| {
                let mut list: Vec<u32> = records
                    .into_iter()
                    .map(|r| position_of[r as usize])
                    .collect();
                list.sort_unstable();
                Postings::build(list, &rows, true)
            })
            .collect();
        names.finish(pending_names, &rows, &position_of);
        drop(position_of);
        let all = Postings::build((0..rows.len() as u32).collect(), &rows, true);
        ScheduleIndex {
            version,
            base,
            rows,
            id_text: sorted_ids,
            id_ends,
            all,
            station_ids,
            station_numbers,
            by_station,
            genre_numbers,
            by_genre,
            names,
        }
    }
}
