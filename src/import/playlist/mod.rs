//! M3U/M3U8 and PLS station lists → stations with stream URLs.
//!
//! - The station id is `tvg-id` when present (the id XMLTV guides use for the same channel, so
//!   a guide and a playlist combine), else a slug of the name; `group-title` gives genres and
//!   `tvg-logo` the image.
//! - An entry pointing at another playlist (`.m3u`, `.m3u8`, `.pls`) is followed: by HTTP when
//!   the list came from a URL (or a [`Fetcher`](super::Fetcher) is available), on disk when it
//!   came from a local file and the path is relative. At most [`MAX_DEPTH`] levels, each
//!   nested list at most [`NESTED_MAX_BYTES`]. An entry with its own title keeps it and takes
//!   the first stream of the nested list; an entry without one is replaced by the whole list.
//!   An `.m3u8` that turns out to be an HLS media playlist (`#EXT-X-` tags) is a stream itself.
//! - The same id listed twice is one station: the first entry's fields win, the later ones add
//!   names and genres.

pub mod read;

use super::input::{DynRead, LineCounter, TextLines};
use super::record::slug;
use super::{Context, Format, ImportError, Origin, Parsed, Rejections};
use crate::schedule::{Station, StationSpec};
use read::Entry;
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::PathBuf;

/// Deepest chain of playlists followed (the imported file is level 0).
pub const MAX_DEPTH: usize = 3;
/// Largest nested playlist read.
pub const NESTED_MAX_BYTES: u64 = 1024 * 1024;
/// Nested playlists loaded per import, so one list cannot make thousands of requests.
pub const MAX_NESTED_LOADS: usize = 1000;

/// Parses a playlist into stations; bad entries are rejected one by one.
pub fn parse(
    input: LineCounter<DynRead>,
    format: Format,
    ctx: &Context<'_>,
) -> Result<Parsed, ImportError> {
    let mut out = Parsed::default();
    let mut lines = TextLines::new(input);
    let entries = read::entries(&mut lines, format, "", &mut out.rejected)?;
    let mut resolver = Resolver { ctx, loads: 0 };
    let mut index: HashMap<String, usize> = HashMap::new();
    for entry in entries {
        for e in resolver.resolve(entry, ctx.origin, 0, &mut out.rejected) {
            match station(&e) {
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
                Err(why) => out.rejected.push(e.location.clone(), why),
            }
        }
    }
    Ok(out)
}

fn station(e: &Entry) -> Result<Station, String> {
    let host = url::Url::parse(&e.target)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    let name = e
        .title
        .clone()
        .or_else(|| e.tvg_name.clone())
        .or(host)
        .unwrap_or_default();
    let id = match &e.tvg_id {
        Some(id) => id.trim().to_string(),
        None => slug(&name),
    };
    if id.is_empty() {
        return Err("no tvg-id and no name to make an id from".into());
    }
    let aliases = e.tvg_name.iter().filter(|n| **n != name).cloned().collect();
    Station::try_from(StationSpec {
        id,
        name,
        aliases,
        stream_url: Some(e.target.clone()),
        genres: e.groups.clone(),
        image: e.logo.clone(),
    })
    .map_err(|err| err.to_string())
}

/// Where an entry's target is.
enum Target {
    Url(url::Url),
    File(PathBuf),
}

/// What a nested playlist turned out to be.
enum Loaded {
    Playlist(Vec<Entry>, Origin),
    /// An HLS media playlist: the URL itself is the stream.
    Hls,
}

struct Resolver<'a, 'c> {
    ctx: &'a Context<'c>,
    loads: usize,
}

impl Resolver<'_, '_> {
    /// The playable entries `entry` stands for, with absolute http(s) targets.
    fn resolve(
        &mut self,
        mut entry: Entry,
        origin: &Origin,
        depth: usize,
        rejected: &mut Rejections,
    ) -> Vec<Entry> {
        let target = match absolute(&entry.target, origin) {
            Ok(t) => t,
            Err(why) => {
                rejected.push(entry.location, why);
                return Vec::new();
            }
        };
        if !is_playlist(&target) {
            return match target {
                Target::Url(u) => {
                    entry.target = u.to_string();
                    vec![entry]
                }
                Target::File(p) => {
                    rejected.push(
                        entry.location,
                        format!(
                            "{} is a local file; only http(s) streams can be played",
                            p.display()
                        ),
                    );
                    Vec::new()
                }
            };
        }
        if depth >= MAX_DEPTH {
            rejected.push(
                entry.location,
                format!("playlists nested more than {MAX_DEPTH} levels deep"),
            );
            return Vec::new();
        }
        let loaded = match self.load(&target, &entry.location, rejected) {
            Ok(l) => l,
            Err(why) => {
                rejected.push(entry.location, why);
                return Vec::new();
            }
        };
        let (inner, inner_origin) = match loaded {
            Loaded::Hls => {
                if let Target::Url(u) = target {
                    entry.target = u.to_string();
                    return vec![entry];
                }
                rejected.push(entry.location, "a local HLS playlist is not a stream");
                return Vec::new();
            }
            Loaded::Playlist(inner, origin) => (inner, origin),
        };
        let mut resolved = Vec::new();
        for e in inner {
            resolved.extend(self.resolve(e, &inner_origin, depth + 1, rejected));
        }
        if !entry.has_metadata() {
            return resolved;
        }
        match resolved.into_iter().next() {
            Some(first) => vec![merge(entry, first)],
            None => {
                rejected.push(entry.location, "the nested playlist has no playable stream");
                Vec::new()
            }
        }
    }

    fn load(
        &mut self,
        target: &Target,
        location: &str,
        rejected: &mut Rejections,
    ) -> Result<Loaded, String> {
        self.loads += 1;
        if self.loads > MAX_NESTED_LOADS {
            return Err(format!("more than {MAX_NESTED_LOADS} nested playlists"));
        }
        let (bytes, origin, label) = match target {
            Target::Url(u) => {
                let Some(fetcher) = self.ctx.fetcher.as_ref() else {
                    // Without network access an `.m3u8` is most likely an HLS stream, which
                    // devices play directly; an `.m3u` or `.pls` is not playable.
                    if u.path().to_ascii_lowercase().ends_with(".m3u8") {
                        return Ok(Loaded::Hls);
                    }
                    return Err(format!(
                        "{u} is another playlist, and this import cannot fetch URLs"
                    ));
                };
                (fetcher.fetch(u)?, Origin::Url(u.clone()), u.to_string())
            }
            Target::File(p) => {
                let mut bytes = Vec::new();
                std::fs::File::open(p)
                    .and_then(|f| f.take(NESTED_MAX_BYTES + 1).read_to_end(&mut bytes))
                    .map_err(|e| format!("reading {}: {e}", p.display()))?;
                if bytes.len() as u64 > NESTED_MAX_BYTES {
                    return Err(format!(
                        "{} is larger than {NESTED_MAX_BYTES} bytes",
                        p.display()
                    ));
                }
                (bytes, Origin::File(p.clone()), p.display().to_string())
            }
        };
        if bytes.windows(7).any(|w| w == b"#EXT-X-") {
            return Ok(Loaded::Hls);
        }
        let format = match Format::detect(&bytes) {
            Some(f @ (Format::M3u | Format::Pls)) => f,
            _ => return Err(format!("{label} is not an M3U or PLS playlist")),
        };
        let mut lines = TextLines::new(Cursor::new(bytes));
        let label = format!("{location} → {label}");
        let entries =
            read::entries(&mut lines, format, &label, rejected).map_err(|e| e.to_string())?;
        Ok(Loaded::Playlist(entries, origin))
    }
}

/// The outer entry's metadata over the first stream of the list it points to.
fn merge(outer: Entry, inner: Entry) -> Entry {
    let mut groups = outer.groups;
    groups.extend(inner.groups);
    Entry {
        location: outer.location,
        target: inner.target,
        title: outer.title.or(inner.title),
        tvg_id: outer.tvg_id.or(inner.tvg_id),
        tvg_name: outer.tvg_name.or(inner.tvg_name),
        logo: outer.logo.or(inner.logo),
        groups,
    }
}

fn absolute(raw: &str, origin: &Origin) -> Result<Target, String> {
    if let Ok(u) = url::Url::parse(raw) {
        return match u.scheme() {
            "http" | "https" => Ok(Target::Url(u)),
            "file" if matches!(origin, Origin::File(_)) => u
                .to_file_path()
                .map(Target::File)
                .map_err(|_| format!("{raw} is not a usable file URL")),
            other => Err(format!("{other}: URLs cannot be played; use http(s)")),
        };
    }
    match origin {
        Origin::Url(base) => base
            .join(raw)
            .map(Target::Url)
            .map_err(|e| format!("{raw:?} is not a URL: {e}")),
        Origin::File(path) => {
            let dir = path.parent().map(PathBuf::from).unwrap_or_default();
            Ok(Target::File(dir.join(raw)))
        }
        Origin::Upload => Err(format!(
            "{raw:?} is not an absolute http(s) URL, and an upload has no place to resolve it from"
        )),
    }
}

fn is_playlist(target: &Target) -> bool {
    let path = match target {
        Target::Url(u) => u.path().to_ascii_lowercase(),
        Target::File(p) => p.to_string_lossy().to_ascii_lowercase(),
    };
    path.ends_with(".m3u") || path.ends_with(".m3u8") || path.ends_with(".pls")
}
