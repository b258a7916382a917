//! From a slot to schedule entities, with a confidence, asking back when unsure.

use crate::alexa::Slot;
use crate::schedule::{fold, Event, Station};
use crate::store::{NameKind, Store, StoreError};
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
pub fn station(store: &dyn Store, slot: &Slot) -> Result<Resolved<Station>, StoreError> {
    if let Some(id) = slot.resolved_id() {
        if let Some(s) = store.station(id)? {
            return Ok(Resolved::One(s));
        }
    }
    let Some(spoken) = slot.value.as_deref() else {
        return Ok(Resolved::Nothing);
    };
    let hits = store.find_names(spoken, &[NameKind::Station], MIN_CONFIDENCE, 20)?;
    let mut best: BTreeMap<String, (Station, f64)> = BTreeMap::new();
    for hit in hits {
        if best
            .get(hit.id.as_str())
            .is_some_and(|(_, c)| *c >= hit.confidence)
        {
            continue;
        }
        if let Some(s) = store.station(hit.id.as_str())? {
            best.insert(hit.id.to_string(), (s, hit.confidence));
        }
    }
    Ok(decide(best.into_values().collect()))
}

/// A named thing listeners ask for: a performer or a title, with the events carrying it.
#[derive(Debug, Clone)]
pub struct NamedEvents {
    /// The display name (as the schedule writes it).
    pub name: String,
    /// Events carrying that name.
    pub events: Vec<Event>,
}

/// Resolves a performer or event slot to the events carrying the best-matching name.
pub fn events_by_name(
    store: &dyn Store,
    slot: &Slot,
    kinds: &[NameKind],
) -> Result<Resolved<NamedEvents>, StoreError> {
    let spoken = slot
        .resolved()
        .map(|v| v.name.clone())
        .or_else(|| slot.value.clone());
    let Some(spoken) = spoken else {
        return Ok(Resolved::Nothing);
    };
    let hits = store.find_names(&spoken, kinds, MIN_CONFIDENCE, 200)?;
    // Group by the folded name: many events of one performer are one answer, not ambiguity.
    let mut groups: BTreeMap<String, (f64, Vec<String>)> = BTreeMap::new();
    for hit in hits {
        let g = groups
            .entry(hit.name.clone())
            .or_insert((hit.confidence, Vec::new()));
        g.0 = g.0.max(hit.confidence);
        g.1.push(hit.id.to_string());
    }
    let mut scored = Vec::new();
    for (folded, (confidence, ids)) in groups {
        let mut events = Vec::new();
        for id in ids {
            if let Some(e) = store.event(&id)? {
                events.push(e);
            }
        }
        let Some(name) = display_name(&events, &folded) else {
            continue;
        };
        scored.push((NamedEvents { name, events }, confidence));
    }
    Ok(decide(scored))
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
