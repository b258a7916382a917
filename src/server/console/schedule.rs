//! The Schedule panel's API: one local day of programmes across stations, an event's record,
//! and the station list.
//!
//! Times are laid out here, in the zone the page chose, so the page does no time-zone
//! arithmetic: the day's bounds (23 or 25 hours on a change of clocks), its hour marks, each
//! event's local start and end, and where "now" falls.

use super::{blocking, zone_param, ConsoleState};
use crate::server::error::HttpError;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Deserialize;
use serde_json::{json, Value};

/// Events of one day returned at most.
const MAX_EVENTS: usize = 2000;

/// Query of `GET /console/api/schedule`.
#[derive(Deserialize)]
pub(super) struct DayQuery {
    /// `YYYY-MM-DD`; today in `zone` when absent.
    date: Option<String>,
    /// IANA zone of the grid; the server's default when absent.
    zone: Option<String>,
}

fn local(t: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    t.to_zoned(tz.clone()).strftime("%H:%M").to_string()
}

/// `GET /console/api/schedule?date=&zone=`: stations and the events overlapping the day.
pub(super) async fn day(
    State(console): State<ConsoleState>,
    Query(q): Query<DayQuery>,
) -> Result<Response, HttpError> {
    let (tz, zone_name) = zone_param(q.zone.as_deref(), &console.default_zone)?;
    let now = Timestamp::now();
    let date = match q.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(raw) => raw.parse::<Date>().map_err(|_| {
            HttpError::Unprocessable(format!("date {raw:?} is not a date like 2026-11-21"))
        })?,
        None => now.to_zoned(tz.clone()).date(),
    };
    let start_of = |d: Date| {
        d.to_zoned(tz.clone())
            .map(|z| z.timestamp())
            .map_err(|_| HttpError::Unprocessable(format!("date {d} is out of range")))
    };
    let from = start_of(date)?;
    let next = date
        .tomorrow()
        .map_err(|_| HttpError::Unprocessable(format!("date {date} is out of range")))?;
    let to = start_of(next)?;
    let mut hours = Vec::new();
    let mut mark = date.to_zoned(tz.clone()).map_err(|_| HttpError::Internal)?;
    while mark.timestamp() < to {
        hours.push(json!({"at": mark.timestamp(), "label": mark.strftime("%H:%M").to_string()}));
        mark = match mark.checked_add(1.hour()) {
            Ok(m) => m,
            Err(_) => break,
        };
    }
    let (stations, mut events) = blocking(&console.store, move |store| {
        Ok((
            store.stations()?,
            store.overlapping(from, to, MAX_EVENTS + 1)?,
        ))
    })
    .await?;
    let truncated = events.len() > MAX_EVENTS;
    events.truncate(MAX_EVENTS);
    let events: Vec<Value> = events
        .iter()
        .map(|e| {
            json!({
                "id": e.id.as_str(),
                "title": e.title,
                "kind": e.kind,
                "station": e.station.as_ref().map(|s| s.as_str()),
                "genres": e.genres,
                "performers": e.performers,
                "start": e.start,
                "end": e.end,
                "start_local": local(e.start, &tz),
                "end_local": local(e.end, &tz),
                "live": e.is_live_at(now),
                "stream_url": e.stream_url.as_ref().map(|u| u.as_str()),
            })
        })
        .collect();
    let stations: Vec<Value> = stations.iter().map(station_view).collect();
    Ok(Json(json!({
        "date": date.to_string(),
        "zone": zone_name,
        "from": from,
        "to": to,
        "now": now,
        "hours": hours,
        "stations": stations,
        "events": events,
        "truncated": truncated,
    }))
    .into_response())
}

fn station_view(s: &crate::schedule::Station) -> Value {
    json!({
        "id": s.id.as_str(),
        "name": s.name,
        "aliases": s.aliases,
        "genres": s.genres,
        "stream_url": s.stream_url.as_ref().map(|u| u.as_str()),
    })
}

fn valid_id(id: &str) -> Result<(), HttpError> {
    if id.is_empty() || id.len() > 300 || id.chars().any(char::is_control) {
        return Err(HttpError::Unprocessable(
            "an id is 1 to 300 characters without control characters".into(),
        ));
    }
    Ok(())
}

/// `GET /console/api/events/{id}`: the stored record, with its station's.
pub(super) async fn record(
    State(console): State<ConsoleState>,
    Path(id): Path<String>,
) -> Result<Response, HttpError> {
    valid_id(&id)?;
    let wanted = id.clone();
    let found = blocking(&console.store, move |store| {
        let Some(event) = store.event(&wanted)? else {
            return Ok(None);
        };
        let station = match &event.station {
            Some(s) => store.station(s.as_str())?,
            None => None,
        };
        Ok(Some((event, station)))
    })
    .await?;
    let Some((event, station)) = found else {
        return Err(HttpError::NotFound(format!("no event {id:?}")));
    };
    // What a listener would hear: the event's own stream, else its station's.
    let plays = event
        .stream_url
        .as_ref()
        .or(station.as_ref().and_then(|s| s.stream_url.as_ref()))
        .map(|u| u.as_str().to_string());
    Ok(Json(json!({
        "event": event,
        "station": station.as_ref().map(station_view),
        "plays": plays,
    }))
    .into_response())
}

/// `GET /console/api/stations`: every station.
pub(super) async fn stations(State(console): State<ConsoleState>) -> Result<Response, HttpError> {
    let stations = blocking(&console.store, |store| store.stations()).await?;
    let list: Vec<Value> = stations.iter().map(station_view).collect();
    Ok(Json(json!({ "stations": list })).into_response())
}
