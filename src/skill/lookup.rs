//! Schedule questions the handlers share, answered on the schedule index: a listing for a
//! window (optionally on a station, in a genre, ordered for a listener), what is live, and the
//! events of a name. Each answer reads one snapshot and only the records of its page.

use super::affinity::{Features, Liked, Profile};
use super::{SkillError, Turn};
use crate::schedule::index::Scope;
use crate::schedule::{fold, Event};
use crate::store::indexed::Snapshot;
use crate::store::IndexedStore;
use jiff::Timestamp;
use std::sync::Arc;

/// How many of a listener's tastes a personal listing looks through.
const TASTES: usize = 8;

/// A page of a listing and how many events it has in all.
#[derive(Debug, Default)]
pub struct Listed {
    /// The page, in listing order.
    pub events: Vec<Arc<Event>>,
    /// Events in the whole listing.
    pub total: usize,
}

/// Where a listing looks: every event, or a station's, a genre's, or both.
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    scope: Scope,
    also: Option<Scope>,
    /// A filter named something the schedule does not have: nothing matches.
    nothing: bool,
}

impl Filter {
    /// The filter for an optional station id and genre (as spoken or written).
    pub fn new(snap: &Snapshot, station: Option<&str>, genre: Option<&str>) -> Self {
        let genre = genre.map(fold).filter(|g| !g.is_empty());
        let station_scope = station.map(|s| IndexedStore::station_scope(snap, s));
        let genre_scope = genre.map(|g| snap.index.genre_number(&g).map(Scope::Genre));
        let nothing = matches!(station_scope, Some(None)) || matches!(genre_scope, Some(None));
        let (scope, also) = match (station_scope.flatten(), genre_scope.flatten()) {
            (Some(s), Some(g)) => (s, Some(g)),
            (Some(s), None) => (s, None),
            (None, Some(g)) => (g, None),
            (None, None) => (Scope::All, None),
        };
        Self {
            scope,
            also,
            nothing,
        }
    }

    fn admits(&self, snap: &Snapshot, position: u32) -> bool {
        snap.index.contains(self.scope, position)
            && self.also.is_none_or(|a| snap.index.contains(a, position))
    }
}

/// The scope of something a listener likes.
fn liked_scope(snap: &Snapshot, liked: &Liked) -> Option<Scope> {
    match liked {
        Liked::Performer(p) => snap.index.names().exact_number(p).map(Scope::Performer),
        Liked::Genre(g) => snap.index.genre_number(g).map(Scope::Genre),
        Liked::Station(s) => snap.index.station_number(s).map(Scope::Station),
    }
}

/// Live first, then by affinity (when there is a profile), then by start and id.
pub fn order<E: std::borrow::Borrow<Event>>(
    events: &mut [E],
    now: Timestamp,
    profile: Option<&Profile>,
) {
    let rank = |e: &Event| {
        profile.filter(|p| !p.is_empty()).map_or(0, |p| {
            p.rank(&Features {
                genres: &e.genres,
                performers: &e.performers,
                station: e.station.as_ref().map(|s| s.as_str()),
            })
        })
    };
    events.sort_by_cached_key(|e| {
        let e = e.borrow();
        (
            !e.is_live_at(now),
            std::cmp::Reverse(rank(e)),
            e.start,
            e.id.clone(),
        )
    });
}

/// The listing of `[from, to)` asked at `turn.now`: what is live (and still on at `from`), then
/// what starts in the window, `page` of them, ordered by [`order`]. With a profile, the plain
/// first page is joined by the first page of each of the listener's strongest tastes, so what
/// they like is ranked wherever it falls in the window; the total stays the listing's own.
pub fn listing(
    store: &IndexedStore,
    snap: &Snapshot,
    turn: &Turn<'_>,
    (from, to): (Timestamp, Timestamp),
    filter: Filter,
    profile: Option<&Profile>,
    page: usize,
) -> Result<Listed, SkillError> {
    if filter.nothing {
        return Ok(Listed::default());
    }
    let plain = IndexedStore::window(snap, filter.scope, turn.now, from, to, page, filter.also);
    let mut positions = plain.positions;
    if let Some(p) = profile.filter(|p| !p.is_empty()) {
        for (_, liked) in p.strongest(TASTES) {
            let Some(scope) = liked_scope(snap, &liked) else {
                continue;
            };
            let keep = |pos: u32| filter.admits(snap, pos);
            let extra = snap
                .index
                .window(scope, turn.now, from, to, page, Some(&keep));
            positions.extend(extra.positions);
        }
        positions.sort_unstable();
        positions.dedup();
    }
    let mut events = store.events_at(snap, &positions)?;
    order(&mut events, turn.now, profile);
    events.truncate(page);
    Ok(Listed {
        events,
        total: plain.total,
    })
}

/// Events live at `t` under `filter`, in start order, at most `limit`.
pub fn live(
    store: &IndexedStore,
    snap: &Snapshot,
    t: Timestamp,
    filter: Filter,
    limit: usize,
) -> Result<Vec<Arc<Event>>, SkillError> {
    if filter.nothing {
        return Ok(Vec::new());
    }
    let positions = match filter.also {
        None => snap.index.live_at(filter.scope, t, limit),
        Some(_) => {
            let mut v = snap.index.live_at(filter.scope, t, usize::MAX);
            v.retain(|p| filter.admits(snap, *p));
            v.truncate(limit);
            v
        }
    };
    Ok(store.events_at(snap, &positions)?)
}

/// Events live at `t` worth weighing for a listener: a page of everything live, and a page of
/// what is live of each of their strongest tastes, in start order.
pub fn live_for(
    store: &IndexedStore,
    t: Timestamp,
    profile: &Profile,
    page: usize,
) -> Result<Vec<Arc<Event>>, SkillError> {
    let snap = store.snapshot();
    let mut positions = snap.index.live_at(Scope::All, t, page);
    for (_, liked) in profile.strongest(TASTES) {
        if let Some(scope) = liked_scope(&snap, &liked) {
            positions.extend(snap.index.live_at(scope, t, page));
        }
    }
    positions.sort_unstable();
    positions.dedup();
    Ok(store.events_at(&snap, &positions)?)
}

/// Events of followed performers (folded names) and stations overlapping `[from, to)`, at most
/// `page` from each, in start order.
pub fn followed<'a>(
    store: &IndexedStore,
    performers: impl Iterator<Item = &'a str>,
    stations: impl Iterator<Item = &'a str>,
    from: Timestamp,
    to: Timestamp,
    page: usize,
) -> Result<Vec<Arc<Event>>, SkillError> {
    let snap = store.snapshot();
    let mut scopes: Vec<Scope> = performers
        .filter_map(|p| snap.index.names().exact_number(p).map(Scope::Performer))
        .collect();
    scopes.extend(stations.filter_map(|s| snap.index.station_number(s).map(Scope::Station)));
    let mut positions = Vec::new();
    for scope in scopes {
        positions.extend(snap.index.overlapping(scope, from, to, page));
    }
    positions.sort_unstable();
    positions.dedup();
    Ok(store.events_at(&snap, &positions)?)
}

/// Events starting after `t` and before `until` under `filter`, in start order, at most `limit`.
pub fn upcoming(
    store: &IndexedStore,
    snap: &Snapshot,
    t: Timestamp,
    until: Timestamp,
    filter: Filter,
    limit: usize,
) -> Result<Vec<Arc<Event>>, SkillError> {
    if filter.nothing || until <= t {
        return Ok(Vec::new());
    }
    let after = Timestamp::from_second(t.as_second() + 1).unwrap_or(t);
    let keep = |p: u32| filter.admits(snap, p);
    let positions = snap
        .index
        .starting(filter.scope, after, until, limit, &keep);
    Ok(store.events_at(snap, &positions)?)
}

/// The events a name stands for, enough to choose from: what is live, the next few to start and
/// the last one to have ended, of the performer and title lists the caller asks for.
pub fn events_of_name(
    store: &IndexedStore,
    snap: &Snapshot,
    name: u32,
    performer: bool,
    title: bool,
    now: Timestamp,
) -> Result<Vec<Arc<Event>>, SkillError> {
    // Enough to choose from (the best live, the next, concerts first) and few records to read.
    const LIVE: usize = 8;
    const NEXT: usize = 5;
    const LOOK_BACK: usize = 64;
    let mut positions = Vec::new();
    let scopes = [
        (performer, Scope::Performer(name)),
        (title, Scope::Title(name)),
    ];
    for (wanted, scope) in scopes {
        if !wanted {
            continue;
        }
        positions.extend(snap.index.live_at(scope, now, LIVE));
        let after = Timestamp::from_second(now.as_second() + 1).unwrap_or(now);
        positions.extend(
            snap.index
                .starting(scope, after, Timestamp::MAX, NEXT, &|_| true),
        );
        positions.extend(snap.index.last_ended(scope, now, LOOK_BACK));
    }
    positions.sort_unstable();
    positions.dedup();
    Ok(store.events_at(snap, &positions)?)
}
