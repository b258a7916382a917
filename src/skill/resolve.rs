//! From a slot to schedule entities, with a confidence, asking back when unsure.

use super::{lookup, SkillError};
use crate::alexa::Slot;
use crate::schedule::index::Kinds;
use crate::schedule::{fold, Event, Station};
use crate::store::{IndexedStore, NameKind, StoreError};
use std::collections::BTreeMap;

/// Near matches below this are not considered at all.
pub const MIN_CONFIDENCE: f64 = 0.72;
/// A single best candidate at or above this is taken without asking.
pub const SURE: f64 = 0.88;
/// How far ahead the best candidate must be of the next one to be taken without asking.
pub const MARGIN: f64 = 0.04;

/// The outcome of resolving a spoken name.
#[derive(Debug)]
pub enum Resolved<T> {
    /// One clear match.
    One(T),
    /// Several plausible matches (at most three), best first.
    Ambiguous(Vec<T>),
    /// Nothing close.
    Nothing,
}

fn decide<T>(mut scored: Vec<(T, f64)>) -> Resolved<T> {
    scored.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    let clear = match scored.as_slice() {
        [] => return Resolved::Nothing,
        [(_, top)] => *top >= SURE,
        [(_, top), (_, second), ..] => *top >= SURE && top - second >= MARGIN,
    };
    if clear {
        return match scored.into_iter().next() {
            Some((item, _)) => Resolved::One(item),
            None => Resolved::Nothing,
        };
    }
    Resolved::Ambiguous(scored.into_iter().take(3).map(|(t, _)| t).collect())
}

/// Resolves a station slot: the entity-resolution id when present, else the spoken name.
pub fn station(store: &IndexedStore, slot: &Slot) -> Result<Resolved<Station>, StoreError> {
    let snap = store.snapshot();
    if let Some(id) = slot.resolved_id() {
        if let Some(s) = store.station_in(&snap, id)? {
            return Ok(Resolved::One((*s).clone()));
        }
    }
    let Some(spoken) = slot.value.as_deref() else {
        return Ok(Resolved::Nothing);
    };
    let names = snap.index.names();
    let kinds = Kinds {
        station: true,
        ..Kinds::default()
    };
    let mut best: BTreeMap<String, (Station, f64)> = BTreeMap::new();
    for hit in names.resolve(&fold(spoken), kinds, MIN_CONFIDENCE, MARGIN) {
        let Some(entry) = names.get(hit.name) else {
            continue;
        };
        for n in &entry.stations {
            let Some(id) = snap.index.station_id(*n) else {
                continue;
            };
            if best.get(id).is_some_and(|(_, c)| *c >= hit.confidence) {
                continue;
            }
            if let Some(s) = store.station_in(&snap, id)? {
                best.insert(id.to_string(), ((*s).clone(), hit.confidence));
            }
        }
    }
    Ok(decide(best.into_values().collect()))
}

/// A named thing listeners ask for: a performer or a title, with the events carrying it.
#[derive(Debug, Clone)]
pub struct NamedEvents {
    /// The display name (as the schedule writes it).
    pub name: String,
    /// Events carrying that name: what is live at the time asked, the next few and the last one
    /// to have ended (see [`lookup::events_of_name`]).
    pub events: Vec<Event>,
}

/// Resolves a performer or event slot to the events carrying the best-matching name, as of
/// `now`. Names are scored on the dictionary of distinct names; only the chosen names' events
/// are read.
pub fn events_by_name(
    store: &IndexedStore,
    slot: &Slot,
    kinds: &[NameKind],
    now: jiff::Timestamp,
) -> Result<Resolved<NamedEvents>, SkillError> {
    let spoken = slot
        .resolved()
        .map(|v| v.name.clone())
        .or_else(|| slot.value.clone());
    let Some(spoken) = spoken else {
        return Ok(Resolved::Nothing);
    };
    let snap = store.snapshot();
    let names = snap.index.names();
    let kinds = Kinds {
        performer: kinds.contains(&NameKind::Performer),
        title: kinds.contains(&NameKind::Title),
        station: false,
    };
    let hits = names.resolve(&fold(&spoken), kinds, MIN_CONFIDENCE, MARGIN);
    let named = |n: u32| -> Result<Option<NamedEvents>, SkillError> {
        let Some(entry) = names.get(n) else {
            return Ok(None);
        };
        let events: Vec<Event> =
            lookup::events_of_name(store, &snap, n, kinds.performer, kinds.title, now)?
                .into_iter()
                .map(|e| (*e).clone())
                .collect();
        Ok(display_name(&events, &entry.folded).map(|name| NamedEvents { name, events }))
    };
    Ok(
        match decide(hits.iter().map(|h| (h.name, h.confidence)).collect()) {
            Resolved::One(n) => match named(n)? {
                Some(found) => Resolved::One(found),
                None => Resolved::Nothing,
            },
            Resolved::Ambiguous(choices) => {
                let mut out = Vec::new();
                for n in choices {
                    out.extend(named(n)?);
                }
                match out.len() {
                    0 => Resolved::Nothing,
                    _ => Resolved::Ambiguous(out),
                }
            }
            Resolved::Nothing => Resolved::Nothing,
        },
    )
}

/// The schedule's own spelling of a folded name.
fn display_name(events: &[Event], folded: &str) -> Option<String> {
    events.iter().find_map(|e| {
        e.performers
            .iter()
            .chain(std::iter::once(&e.title))
            .find(|n| fold(n) == folded)
            .cloned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_winner_is_taken() {
        assert!(matches!(
            decide(vec![("a", 1.0), ("b", 0.8)]),
            Resolved::One("a")
        ));
    }

    #[test]
    fn close_scores_ask() {
        match decide(vec![("a", 0.9), ("b", 0.89), ("c", 0.8), ("d", 0.75)]) {
            Resolved::Ambiguous(v) => assert_eq!(v, vec!["a", "b", "c"]),
            other => panic!("expected ambiguity, got {other:?}"),
        }
    }

    #[test]
    fn weak_single_match_asks() {
        assert!(matches!(decide(vec![("a", 0.8)]), Resolved::Ambiguous(_)));
        assert!(matches!(decide::<&str>(vec![]), Resolved::Nothing));
    }
}
