//! Turning entries into playable streams: relative targets made absolute, nested station lists
//! read from disk or (only when the import asks) fetched over HTTP within a budget.

use super::read::{self, Entry};
use super::{MAX_DEPTH, MAX_NESTED_LOADS, NESTED_MAX_BYTES};
use crate::import::input::TextLines;
use crate::import::{Context, Format, Origin, Parsed};
use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Bounds on fetching nested station lists, so a list of thousands of entries cannot make an
/// import hang on the network.
#[derive(Debug, Clone, Copy)]
pub struct NestedBudget {
    /// Nested lists fetched per import at most.
    pub max_fetches: usize,
    /// Time spent fetching per import at most; once spent, entries keep their URL.
    pub total: Duration,
    /// Time one fetch may take at most.
    pub per_fetch: Duration,
    /// Fetches running at once at most.
    pub concurrency: usize,
}

/// The budget every import uses.
pub const NESTED_BUDGET: NestedBudget = NestedBudget {
    max_fetches: 50,
    total: Duration::from_secs(20),
    per_fetch: Duration::from_secs(5),
    concurrency: 4,
};

/// Where an entry's target is.
enum Target {
    Url(url::Url),
    File(PathBuf),
}

/// What a nested playlist turned out to be.
enum Loaded {
    Playlist(Vec<Entry>, Origin),
    /// An HLS playlist: the URL itself is the stream.
    Hls,
}

/// Resolves entries; remembers what it fetched so one list named twice costs one request.
pub struct Resolver<'a, 'c> {
    ctx: &'a Context<'c>,
    loads: usize,
    fetched: HashMap<String, Result<Vec<u8>, String>>,
    fetches: usize,
    started: Instant,
    budget: NestedBudget,
}

impl<'a, 'c> Resolver<'a, 'c> {
    /// A resolver for one import.
    pub fn new(ctx: &'a Context<'c>) -> Self {
        Self {
            ctx,
            loads: 0,
            fetched: HashMap::new(),
            fetches: 0,
            started: Instant::now(),
            budget: NESTED_BUDGET,
        }
    }

    fn following(&self) -> bool {
        self.ctx.options.follow_playlists && self.ctx.fetcher.is_some()
    }

    /// Fetches, in parallel within the budget, the remote lists these entries name.
    pub fn prefetch(&mut self, entries: &[Entry], origin: &Origin) {
        let Some(fetcher) = self.ctx.fetcher.clone().filter(|_| self.following()) else {
            return;
        };
        let mut wanted: Vec<url::Url> = Vec::new();
        for e in entries {
            if let Ok(Target::Url(u)) = absolute(&e.target, origin) {
                let key = u.to_string();
                if followable(&u) && !self.fetched.contains_key(&key) && !wanted.contains(&u) {
                    wanted.push(u);
                }
            }
        }
        let room = self.budget.max_fetches.saturating_sub(self.fetches);
        wanted.truncate(room);
        for chunk in wanted.chunks(self.budget.concurrency.max(1)) {
            let left = self.budget.total.saturating_sub(self.started.elapsed());
            if left.is_zero() {
                return;
            }
            let timeout = left.min(self.budget.per_fetch);
            let results: Vec<(String, Result<Vec<u8>, String>)> = std::thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|u| {
                        let f = fetcher.clone();
                        scope.spawn(move || (u.to_string(), f.fetch(u, timeout)))
                    })
                    .collect();
                handles.into_iter().filter_map(|h| h.join().ok()).collect()
            });
            self.fetches += chunk.len();
            self.fetched.extend(results);
        }
    }

    /// The playable entries `entry` stands for, with absolute http(s) targets.
    pub fn resolve(
        &mut self,
        mut entry: Entry,
        origin: &Origin,
        depth: usize,
        out: &mut Parsed,
    ) -> Vec<Entry> {
        let target = match absolute(&entry.target, origin) {
            Ok(t) => t,
            Err(why) => {
                out.rejected.push(entry.location, why);
                return Vec::new();
            }
        };
        let url = match &target {
            Target::Url(u) if !followable(u) || !self.following() => {
                if followable(u) {
                    out.warnings.push(
                        entry.location.clone(),
                        format!(
                            "{u} is another station list, kept as the stream (devices play \
                             it); import with --follow-playlists to read its stations"
                        ),
                    );
                }
                entry.target = u.to_string();
                return vec![entry];
            }
            Target::Url(u) => Some(u.clone()),
            Target::File(p) if !is_list(&p.to_string_lossy()) => {
                out.rejected.push(
                    entry.location,
                    format!(
                        "{} is a local file; only http(s) streams can be played",
                        p.display()
                    ),
                );
                return Vec::new();
            }
            Target::File(_) => None,
        };
        if depth >= MAX_DEPTH {
            out.rejected.push(
                entry.location,
                format!("playlists nested more than {MAX_DEPTH} levels deep"),
            );
            return Vec::new();
        }
        let loaded = match self.load(&target, &entry.location, out) {
            Ok(l) => l,
            Err(why) => {
                if let Some(u) = url {
                    // The list could not be read: its URL still plays on a device.
                    out.warnings.push(
                        entry.location.clone(),
                        format!("{why}; kept {u} as the stream"),
                    );
                    entry.target = u.to_string();
                    return vec![entry];
                }
                out.rejected.push(entry.location, why);
                return Vec::new();
            }
        };
        let (inner, inner_origin) = match loaded {
            Loaded::Hls => {
                if let Some(u) = url {
                    entry.target = u.to_string();
                    return vec![entry];
                }
                out.rejected
                    .push(entry.location, "a local HLS playlist is not a stream");
                return Vec::new();
            }
            Loaded::Playlist(inner, origin) => (inner, origin),
        };
        self.prefetch(&inner, &inner_origin);
        let mut resolved = Vec::new();
        for e in inner {
            resolved.extend(self.resolve(e, &inner_origin, depth + 1, out));
        }
        if !entry.has_metadata() {
            return resolved;
        }
        match resolved.into_iter().next() {
            Some(first) => vec![merge(entry, first)],
            None => {
                out.rejected
                    .push(entry.location, "the nested playlist has no playable stream");
                Vec::new()
            }
        }
    }

    fn load(
        &mut self,
        target: &Target,
        location: &str,
        out: &mut Parsed,
    ) -> Result<Loaded, String> {
        self.loads += 1;
        if self.loads > MAX_NESTED_LOADS {
            return Err(format!("more than {MAX_NESTED_LOADS} nested playlists"));
        }
        let (bytes, origin, label) = match target {
            Target::Url(u) => {
                let key = u.to_string();
                if !self.fetched.contains_key(&key) {
                    self.prefetch_one(u);
                }
                match self.fetched.get(&key) {
                    Some(Ok(bytes)) => (bytes.clone(), Origin::Url(u.clone()), key),
                    Some(Err(why)) => return Err(why.clone()),
                    None => {
                        return Err(format!(
                            "{u} not fetched: the import's budget for nested lists ({} \
                             fetches, {} s) is spent",
                            self.budget.max_fetches,
                            self.budget.total.as_secs()
                        ))
                    }
                }
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
        let entries = read::entries(&mut lines, format, &label, &mut out.rejected)
            .map_err(|e| e.to_string())?;
        Ok(Loaded::Playlist(entries, origin))
    }

    fn prefetch_one(&mut self, u: &url::Url) {
        let probe = Entry {
            target: u.to_string(),
            ..Entry::default()
        };
        self.prefetch(std::slice::from_ref(&probe), &Origin::Upload);
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
        dropped: outer.dropped.or(inner.dropped),
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

/// A remote list that may hold stations: `.m3u` or `.pls`. An `.m3u8` URL is an HLS stream.
fn followable(u: &url::Url) -> bool {
    let path = u.path().to_ascii_lowercase();
    path.ends_with(".m3u") || path.ends_with(".pls")
}

fn is_list(path: &str) -> bool {
    let path = path.to_ascii_lowercase();
    path.ends_with(".m3u") || path.ends_with(".m3u8") || path.ends_with(".pls")
}
