//! Reading M3U/M3U8 and PLS into entries (a stream URL plus what the list says about it).
//!
//! - Kodi and IPTV lists append request headers to a URL after `|`
//!   (`https://x/live.m3u8|User-Agent=VLC&Referer=…`): the headers are split off, so the URL
//!   plays; the entry notes what was dropped.
//! - An HLS playlist (`#EXT-X-TARGETDURATION`, `#EXT-X-MEDIA-SEQUENCE`, `#EXT-X-STREAM-INF`) is
//!   one stream's segments or bitrates, not a list of stations: the file is refused as a
//!   whole instead of importing each segment as a station.

use super::super::input::TextLines;
use super::super::{Format, ImportError, Rejections};
use std::collections::BTreeMap;
use std::io::BufRead;

/// One playlist entry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// Where it is in its file ("line 12", or "nested.m3u line 3").
    pub location: String,
    /// The target as written: a stream URL, or another playlist.
    pub target: String,
    /// Display title (`#EXTINF` after the comma, PLS `TitleN`).
    pub title: Option<String>,
    /// `tvg-id`.
    pub tvg_id: Option<String>,
    /// `tvg-name`.
    pub tvg_name: Option<String>,
    /// `tvg-logo`.
    pub logo: Option<String>,
    /// `group-title` values and `#EXTGRP`.
    pub groups: Vec<String>,
    /// What was split off the target (Kodi `|Header=value` suffix), for a warning.
    pub dropped: Option<String>,
}

impl Entry {
    /// Whether the list says anything about this entry beyond its target.
    pub fn has_metadata(&self) -> bool {
        self.title.is_some() || self.tvg_id.is_some() || self.tvg_name.is_some()
    }
}

/// Reads all entries of a playlist of `format` (M3U or PLS).
pub fn entries<R: BufRead>(
    lines: &mut TextLines<R>,
    format: Format,
    label: &str,
    rejected: &mut Rejections,
) -> Result<Vec<Entry>, ImportError> {
    match format {
        Format::Pls => pls(lines, label, rejected),
        _ => m3u(lines, label),
    }
}

fn at(label: &str, line: usize) -> String {
    if label.is_empty() {
        format!("line {line}")
    } else {
        format!("{label} line {line}")
    }
}

/// Tags only an HLS playlist has.
const HLS_TAGS: [&str; 3] = [
    "#EXT-X-TARGETDURATION",
    "#EXT-X-MEDIA-SEQUENCE",
    "#EXT-X-STREAM-INF",
];

/// The target without a Kodi `|headers` suffix, and the suffix.
pub fn split_kodi(raw: &str) -> (String, Option<String>) {
    let lower = raw.get(..8).unwrap_or(raw).to_ascii_lowercase();
    if !lower.starts_with("http://") && !lower.starts_with("https://") {
        return (raw.to_string(), None);
    }
    match raw.split_once('|') {
        Some((url, headers)) => (url.trim().to_string(), Some(headers.trim().to_string())),
        None => (raw.to_string(), None),
    }
}

fn m3u<R: BufRead>(lines: &mut TextLines<R>, label: &str) -> Result<Vec<Entry>, ImportError> {
    let mut out = Vec::new();
    let mut pending = Entry::default();
    while let Some((n, line)) = lines.next_line()? {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(tag) = HLS_TAGS.iter().find(|t| strip_prefix_ci(line, t).is_some()) {
            return Err(ImportError::Invalid {
                location: at(label, n),
                reason: format!(
                    "{tag}: this is an HLS playlist (the segments or bitrates of one stream), \
                     not a list of stations; list its URL in a station playlist instead"
                ),
            });
        }
        if let Some(info) = strip_prefix_ci(line, "#EXTINF:") {
            pending = extinf(info);
        } else if let Some(group) = strip_prefix_ci(line, "#EXTGRP:") {
            pending.groups.push(group.trim().to_string());
        } else if line.starts_with('#') {
            continue;
        } else {
            let mut entry = std::mem::take(&mut pending);
            entry.location = at(label, n);
            (entry.target, entry.dropped) = split_kodi(line);
            out.push(entry);
        }
    }
    Ok(out)
}

fn strip_prefix_ci<'a>(line: &'a str, prefix: &str) -> Option<&'a str> {
    let head = line.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &line[prefix.len()..])
}

/// `-1 tvg-id="x" tvg-logo="y" group-title="z",Title` (quoted values may hold commas).
fn extinf(info: &str) -> Entry {
    let mut entry = Entry::default();
    let mut in_quotes = false;
    let mut split = None;
    for (i, c) in info.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                split = Some(i);
                break;
            }
            _ => {}
        }
    }
    let (attrs, title) = match split {
        Some(i) => (&info[..i], Some(info[i + 1..].trim())),
        None => (info, None),
    };
    entry.title = title.filter(|t| !t.is_empty()).map(str::to_string);
    for (key, value) in attributes(attrs) {
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        match key.to_ascii_lowercase().as_str() {
            "tvg-id" => entry.tvg_id = Some(value),
            "tvg-name" => entry.tvg_name = Some(value),
            "tvg-logo" => entry.logo = Some(value),
            "group-title" => entry
                .groups
                .extend(value.split(';').map(|g| g.trim().to_string())),
            _ => {}
        }
    }
    entry
}

/// `key="value"` and `key=value` pairs; the leading duration has no `=` and is skipped.
fn attributes(raw: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = raw.trim();
    while let Some(eq) = rest.find('=') {
        let key = rest[..eq]
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or("")
            .to_string();
        let after = &rest[eq + 1..];
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], &quoted[end + 1..]),
                None => (quoted, ""),
            }
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        out.push((key, value.to_string()));
        rest = next;
    }
    out
}

/// PLS keys may come in any order (`Title3` before `File3`), so entries are gathered by number;
/// station lists are small, and each entry is a few short strings.
fn pls<R: BufRead>(
    lines: &mut TextLines<R>,
    label: &str,
    rejected: &mut Rejections,
) -> Result<Vec<Entry>, ImportError> {
    let mut by_number: BTreeMap<u32, Entry> = BTreeMap::new();
    while let Some((n, line)) = lines.next_line()? {
        let line = line.trim();
        if line.is_empty() || line.starts_with('[') || line.starts_with(';') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            rejected.push(at(label, n), "not a key=value line");
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let digits = key.trim_start_matches(|c: char| c.is_ascii_alphabetic());
        let field = &key[..key.len() - digits.len()];
        let Ok(number) = digits.parse::<u32>() else {
            continue; // NumberOfEntries, Version
        };
        let entry = by_number.entry(number).or_default();
        let value = value.trim().to_string();
        match field {
            "file" => {
                (entry.target, entry.dropped) = split_kodi(&value);
                entry.location = at(label, n);
            }
            "title" => entry.title = Some(value).filter(|v| !v.is_empty()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (number, entry) in by_number {
        if entry.target.is_empty() {
            rejected.push(
                format!(
                    "{}entry {number}",
                    if label.is_empty() {
                        String::new()
                    } else {
                        format!("{label} ")
                    }
                ),
                format!("Title{number} without File{number}"),
            );
        } else {
            out.push(entry);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    fn read(text: &str, format: Format) -> (Vec<Entry>, Rejections) {
        let mut lines = TextLines::new(Cursor::new(text.as_bytes().to_vec()));
        let mut rejected = Rejections::default();
        let e = entries(&mut lines, format, "", &mut rejected).expect("read");
        (e, rejected)
    }

    #[test]
    fn extended_m3u_attributes() {
        let (e, _) = read(
            "#EXTM3U\n#EXTINF:-1 tvg-id=\"nova.fr\" tvg-logo=\"https://l/n.png\" group-title=\"Eclectic;Pop\",Radio Nova, Paris\nhttps://nova.example/live\n",
            Format::M3u,
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].tvg_id.as_deref(), Some("nova.fr"));
        assert_eq!(e[0].logo.as_deref(), Some("https://l/n.png"));
        assert_eq!(e[0].groups, vec!["Eclectic", "Pop"]);
        assert_eq!(e[0].title.as_deref(), Some("Radio Nova, Paris"));
        assert_eq!(e[0].location, "line 3");
    }

    #[test]
    fn plain_m3u() {
        let (e, _) = read("# comment\nhttp://a/1\n\nhttp://a/2\n", Format::M3u);
        assert_eq!(e.len(), 2);
        assert!(e[1].title.is_none());
    }

    #[test]
    fn kodi_headers_are_split_off() {
        let (e, _) = read(
            "#EXTM3U\n#EXTINF:-1,Radio\nhttps://a.example/live.m3u8|User-Agent=VLC/3.0&Referer=https://b/\n",
            Format::M3u,
        );
        assert_eq!(e[0].target, "https://a.example/live.m3u8");
        assert_eq!(
            e[0].dropped.as_deref(),
            Some("User-Agent=VLC/3.0&Referer=https://b/")
        );
    }

    #[test]
    fn an_hls_media_playlist_is_not_a_station_list() {
        let mut lines = TextLines::new(Cursor::new(
            b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg1.ts\n".to_vec(),
        ));
        let err =
            entries(&mut lines, Format::M3u, "", &mut Rejections::default()).expect_err("refused");
        assert!(err.to_string().contains("HLS playlist"), "{err}");
    }

    #[test]
    fn pls_in_any_order() {
        let (e, rejected) = read(
            "[playlist]\nTitle2=Two\nFile1=http://a/1\nTitle1=One\nFile2=http://a/2\nTitle3=Orphan\nNumberOfEntries=3\n",
            Format::Pls,
        );
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].title.as_deref(), Some("One"));
        assert_eq!(e[1].target, "http://a/2");
        assert_eq!(rejected.len(), 1);
    }
}
