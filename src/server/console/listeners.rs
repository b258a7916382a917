//! The Listener panel's API: what onair keeps about one listener, by hashed id, and "forget".
//!
//! Listeners are addressed by their storage key (the hash [`crate::privacy::user_key`] makes
//! of the user id); a raw `amzn1.ask.account.…` id is accepted too and hashed here, so no raw
//! id is ever stored or logged by this panel. Affinities are the shares the personal
//! recommendations weigh (see [`crate::skill::affinity`]).

use super::{blocking, ConsoleState};
use crate::privacy::user_key;
use crate::server::error::HttpError;
use crate::skill::affinity::weight;
use crate::store::ListenerState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::Timestamp;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// History entries shown, newest first.
const HISTORY_SHOWN: usize = 50;
/// Entries of each affinity list shown.
const AFFINITIES_SHOWN: usize = 10;

/// The storage key for what the panel was given: a key as is, a user id hashed.
fn key_of(raw: &str) -> Result<String, HttpError> {
    let raw = raw.trim();
    if raw.len() == 32 && raw.chars().all(|c| c.is_ascii_hexdigit()) {
        return Ok(raw.to_ascii_lowercase());
    }
    if raw.starts_with("amzn1.") && raw.len() <= 300 && !raw.chars().any(char::is_control) {
        return Ok(user_key(raw));
    }
    Err(HttpError::Unprocessable(
        "a listener is named by its 32-character hashed key or its amzn1.ask.account id".into(),
    ))
}

/// Shares of the listening weight by name, largest first.
fn shares(state: &ListenerState, now: Timestamp) -> Value {
    let mut genres: BTreeMap<String, f64> = BTreeMap::new();
    let mut performers: BTreeMap<String, f64> = BTreeMap::new();
    let mut stations: BTreeMap<String, f64> = BTreeMap::new();
    let mut total = 0.0;
    for entry in &state.history {
        let w = weight(entry, now);
        if w <= 0.0 {
            continue;
        }
        total += w;
        for g in &entry.genres {
            *genres.entry(g.clone()).or_default() += w;
        }
        for p in &entry.performers {
            *performers.entry(p.clone()).or_default() += w;
        }
        if let Some(s) = &entry.station {
            *stations.entry(s.clone()).or_default() += w;
        }
    }
    let top = |map: BTreeMap<String, f64>| -> Vec<Value> {
        let mut list: Vec<(String, f64)> = map.into_iter().collect();
        list.sort_by(|a, b| b.1.total_cmp(&a.1));
        list.into_iter()
            .take(AFFINITIES_SHOWN)
            .map(|(name, w)| json!({"name": name, "share": if total > 0.0 { w / total } else { 0.0 }}))
            .collect()
    };
    json!({
        "minutes": total,
        "genres": top(genres),
        "performers": top(performers),
        "stations": top(stations),
    })
}

/// `GET /console/api/listeners/{key}`.
pub(super) async fn show(
    State(console): State<ConsoleState>,
    Path(raw): Path<String>,
) -> Result<Response, HttpError> {
    let key = key_of(&raw)?;
    let lookup = key.clone();
    let state = blocking(&console.store, move |store| store.listener(&lookup)).await?;
    let Some(state) = state else {
        return Err(HttpError::NotFound(format!(
            "onair keeps nothing about listener {key}"
        )));
    };
    let now = Timestamp::now();
    let history: Vec<_> = state.history.iter().rev().take(HISTORY_SHOWN).collect();
    Ok(Json(json!({
        "key": key,
        "follows": {
            "performers": state.followed_performers.values().collect::<Vec<_>>(),
            "stations": state.followed_stations,
        },
        "reminders": state.reminders.keys().collect::<Vec<_>>(),
        "now_playing": state.now_playing,
        "history": history,
        "history_total": state.history.len(),
        "affinities": shares(&state, now),
    }))
    .into_response())
}

/// `DELETE /console/api/listeners/{key}`: forgets everything about the listener.
pub(super) async fn forget(
    State(console): State<ConsoleState>,
    Path(raw): Path<String>,
) -> Result<Response, HttpError> {
    let key = key_of(&raw)?;
    let target = key.clone();
    blocking(&console.store, move |store| store.delete_listener(&target)).await?;
    tracing::info!(listener = %&key[..12], "listener forgotten through the console");
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_ids_are_accepted_and_junk_is_not() {
        let key = user_key("amzn1.ask.account.X");
        assert_eq!(key_of(&key).expect("key"), key);
        assert_eq!(key_of(&key.to_uppercase()).expect("key"), key);
        assert_eq!(key_of("amzn1.ask.account.X").expect("id"), key);
        for bad in ["", "nope", "../etc/passwd", &"a".repeat(33), "amzn1.\u{0}"] {
            assert!(key_of(bad).is_err(), "{bad:?} accepted");
        }
    }
}
