//! Station lists (M3U/M3U8, PLS, XSPF, ASX) → stations with stream URLs.
//!
//! - The station id is `tvg-id` when present (the id XMLTV guides use for the same channel, so
//!   a guide and a playlist combine), else a slug of the name; `group-title` gives genres and
//!   `tvg-logo` the image (a relative or unusable logo is dropped with a warning).
//! - An `.m3u8` URL is an HLS stream and is never fetched: devices play it directly.
//! - An entry naming another remote list (`.m3u`, `.pls`) is kept as a stream (devices play
//!   PLS and M3U URLs), unless the import asks to follow nested lists
//!   ([`ImportOptions::follow_playlists`](super::ImportOptions::follow_playlists)); then it is
//!   fetched within [`NESTED_BUDGET`] (count, total time, time per fetch, concurrency), and a
//!   failed fetch keeps the entry as a stream with a warning. A relative entry of a local list
//!   naming another local list is read from disk (no network). At most [`MAX_DEPTH`] levels,
//!   each nested list at most [`NESTED_MAX_BYTES`]. An entry with its own title keeps it and
//!   takes the first stream of the nested list; an entry without one is replaced by the list.
//! - The same id listed twice is one station: the first entry's fields win, the later ones add
//!   names and genres.

pub mod read;
mod resolve;
pub mod xml_lists;

pub use resolve::{NestedBudget, NESTED_BUDGET};

use super::fields::{fit, usable_image};
use super::input::{DynRead, LineCounter, TextLines};
use super::record::slug;
use super::{Context, Format, ImportError, Parsed};
use crate::schedule::types::MAX_NAME;
use crate::schedule::{Station, StationSpec};
use read::Entry;
use std::collections::HashMap;

/// Deepest chain of playlists followed (the imported file is level 0).
pub const MAX_DEPTH: usize = 3;
/// Largest nested playlist read.
pub const NESTED_MAX_BYTES: u64 = 1024 * 1024;
/// Nested playlists loaded per import (local files and fetches together).
pub const MAX_NESTED_LOADS: usize = 1000;

/// Parses a playlist into stations; bad entries are rejected one by one.
pub fn parse(
    input: LineCounter<DynRead>,
    format: Format,
    ctx: &Context<'_>,
) -> Result<Parsed, ImportError> {
    let mut out = Parsed::default();
    let entries = match format {
        Format::Xspf | Format::Asx => xml_lists::entries(input, format, &mut out.rejected)?,
        _ => {
            let mut lines = TextLines::new(input);
            read::entries(&mut lines, format, "", &mut out.rejected)?
        }
    };
    let mut resolver = resolve::Resolver::new(ctx);
    resolver.prefetch(&entries, ctx.origin);
    let mut index: HashMap<String, usize> = HashMap::new();
    for entry in entries {
        for e in resolver.resolve(entry, ctx.origin, 0, &mut out) {
            match station(e, &mut out) {
                Ok(s) => match index.get(s.id.as_str()) {
                    Some(&i) => {
                        let first = out.batch.stations[i].clone();
                        out.batch.stations[i] = first.merged_over(&s);
                    }
                    None => {
                        index.insert(s.id.to_string(), out.batch.stations.len());
                        out.batch.stations.push(s);
                    }
                },
                Err((at, why)) => out.rejected.push(at, why),
            }
        }
    }
    Ok(out)
}

fn station(e: Entry, out: &mut Parsed) -> Result<Station, (String, String)> {
    let at = e.location.clone();
    let note = || at.clone();
    if let Some(dropped) = &e.dropped {
        out.warnings.push(
            note(),
            format!("request headers after '|' dropped ({dropped}): devices send their own"),
        );
    }
    let host = url::Url::parse(&e.target)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    let raw_name = e
        .title
        .clone()
        .or_else(|| e.tvg_name.clone())
        .or(host)
        .unwrap_or_default();
    let (name, cut) = fit(&raw_name, MAX_NAME);
    if cut {
        out.warnings.push(
            note(),
            format!("name longer than {MAX_NAME} characters was cut"),
        );
    }
    let id = match &e.tvg_id {
        Some(id) => id.trim().to_string(),
        None => slug(&name),
    };
    if id.is_empty() {
        return Err((at, "no tvg-id and no name to make an id from".into()));
    }
    let aliases = e
        .tvg_name
        .iter()
        .filter(|n| **n != name)
        .map(|n| fit(n, MAX_NAME).0)
        .collect();
    let image = usable_image(e.logo.clone(), &note, &mut out.warnings);
    Station::try_from(StationSpec {
        id,
        name,
        aliases,
        stream_url: Some(e.target.clone()),
        genres: e.groups.iter().map(|g| fit(g, MAX_NAME).0).collect(),
        image,
    })
    .map_err(|err| (at.clone(), err.to_string()))
}
