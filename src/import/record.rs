//! Helpers the lenient parsers share: the rejection and warning lists, ids made from feed
//! values, and the rules every format applies the same way (event kind from categories,
//! language choice; texts and images in [`super::fields`]).
//!
//! The rule is lenient by record, strict by file: a field onair cannot use is dropped with a
//! warning on that record; a record is refused only when nothing playable or schedulable is
//! left; a file is refused only when it is not the format at all.

use super::{ImportError, Parsed};
use crate::schedule::{Episode, Event, EventKind, Station};
use crate::store::{ImportSession, ImportSummary, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;

/// A record that was left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejected {
    /// Where it is: a JSON path, a line number, or an XML element and its index.
    pub location: String,
    /// Why it was left out.
    pub reason: String,
}

/// Rejections kept for the report. A broken feed can reject every one of 100k records; the
/// first [`Rejections::KEPT`] say what is wrong and the rest are only counted, so the report
/// stays small.
#[derive(Debug, Default)]
pub struct Rejections {
    kept: Vec<Rejected>,
    more: usize,
}

impl Rejections {
    /// Rejections listed one by one.
    pub const KEPT: usize = 1000;

    /// Records one rejection.
    pub fn push(&mut self, location: impl Into<String>, reason: impl ToString) {
        if self.kept.len() < Self::KEPT {
            self.kept.push(Rejected {
                location: location.into(),
                reason: reason.to_string(),
            });
        } else {
            self.more += 1;
        }
    }

    /// Moves every entry of `other` (listed and counted) into this list.
    pub fn extend(&mut self, other: Rejections) {
        for r in other.kept {
            self.push(r.location, r.reason);
        }
        self.more += other.more;
    }

    /// Total rejections.
    pub fn len(&self) -> usize {
        self.kept.len() + self.more
    }

    /// Whether nothing was rejected.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The list for the report; a last entry counts those not listed.
    pub fn into_vec(mut self) -> Vec<Rejected> {
        if self.more > 0 {
            self.kept.push(Rejected {
                location: "…".into(),
                reason: format!("{} more records rejected", self.more),
            });
        }
        self.kept
    }
}

/// Lower-case ASCII words joined by '-', from any name ("Radio Énergie" → "radio-energie").
pub fn slug(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// A record id from feed values: whitespace and control characters become '-', and a value
/// too long for [`crate::schedule::Id`] keeps its start plus a hash of the whole, so it stays
/// stable across imports and unique.
pub fn make_id(parts: &[&str]) -> String {
    let joined = parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    let clean: String = joined
        .chars()
        .map(|c| {
            if c.is_whitespace() || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    if clean.len() <= 200 {
        return clean;
    }
    let digest = hex::encode(&Sha256::digest(clean.as_bytes())[..8]);
    let mut cut = 150;
    while !clean.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}~{digest}", &clean[..cut])
}

/// "concert" when a category says so (or says live music), else "show".
pub fn kind_from_categories<'a>(categories: impl IntoIterator<Item = &'a str>) -> EventKind {
    let concert = categories.into_iter().any(|c| {
        let c = deunicode::deunicode(c).to_lowercase();
        c.contains("concert")
            || c.contains("konzert")
            || (c.contains("live") && c.contains("music"))
            || c.contains("musique live")
    });
    if concert {
        EventKind::Concert
    } else {
        EventKind::Show
    }
}

/// Whether a `lang` attribute value matches the preferred language ("en" matches "en-GB").
pub fn lang_matches(value: Option<&str>, preferred: &str) -> bool {
    let Some(v) = value else { return false };
    let v = v.trim().to_ascii_lowercase().replace('_', "-");
    let p = preferred.trim().to_ascii_lowercase().replace('_', "-");
    v == p || v.starts_with(&format!("{p}-")) || p.starts_with(&format!("{v}-"))
}

/// Texts in several languages, with the language each is in.
pub type Localised = Vec<(Option<String>, String)>;

/// The texts in the preferred language; else those without a language; else those of the
/// first language seen.
pub fn pick_lang<'a>(texts: &'a Localised, preferred: &str) -> Vec<&'a (Option<String>, String)> {
    let matching: Vec<_> = texts
        .iter()
        .filter(|(l, _)| lang_matches(l.as_deref(), preferred))
        .collect();
    if !matching.is_empty() {
        return matching;
    }
    let untagged: Vec<_> = texts.iter().filter(|(l, _)| l.is_none()).collect();
    if !untagged.is_empty() {
        return untagged;
    }
    let Some((first, _)) = texts.first() else {
        return Vec::new();
    };
    texts.iter().filter(|(l, _)| l == first).collect()
}

/// Where a parser puts what it reads: accepted records go straight to the import session (so a
/// large feed is never held in memory), rejected ones are listed for the report. A second
/// record with an id already given is rejected: two records with one id would make the counts
/// lie and one of them vanish silently.
pub struct Output<'a> {
    session: &'a mut dyn ImportSession,
    /// Left-out records.
    pub rejected: Rejections,
    /// Kept records that lost a field, or texts that were cut.
    pub warnings: Rejections,
    accepted: usize,
}

const DUPLICATE: &str = "duplicate id; the first record with it was kept";

impl<'a> Output<'a> {
    /// Output into `session`.
    pub fn new(session: &'a mut dyn ImportSession) -> Self {
        Self {
            session,
            rejected: Rejections::default(),
            warnings: Rejections::default(),
            accepted: 0,
        }
    }

    /// Records accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted
    }

    fn count(&mut self, fresh: bool, at: &dyn Fn() -> String) {
        if fresh {
            self.accepted += 1;
        } else {
            self.rejected.push(at(), DUPLICATE);
        }
    }

    /// Adds a station; `at` names it if it must be reported.
    pub fn station(&mut self, s: Station, at: &dyn Fn() -> String) -> Result<(), ImportError> {
        let fresh = self.session.station(s)?;
        self.count(fresh, at);
        Ok(())
    }

    /// Adds an event.
    pub fn event(&mut self, e: Event, at: &dyn Fn() -> String) -> Result<(), ImportError> {
        let fresh = self.session.event(e)?;
        self.count(fresh, at);
        Ok(())
    }

    /// Adds an episode.
    pub fn episode(&mut self, e: Episode, at: &dyn Fn() -> String) -> Result<(), ImportError> {
        let fresh = self.session.episode(e)?;
        self.count(fresh, at);
        Ok(())
    }

    /// Adds everything a format had to gather first (iCalendar overrides, playlist merging).
    pub fn flush(&mut self, parsed: Parsed) -> Result<(), ImportError> {
        for s in parsed.batch.stations {
            let id = s.id.to_string();
            self.station(s, &|| format!("station {id}"))?;
        }
        for e in parsed.batch.events {
            let id = e.id.to_string();
            self.event(e, &|| format!("event {id}"))?;
        }
        for ep in parsed.batch.episodes {
            let id = ep.id.to_string();
            self.episode(ep, &|| format!("episode {id}"))?;
        }
        self.rejected.extend(parsed.rejected);
        self.warnings.extend(parsed.warnings);
        Ok(())
    }
}

/// A session that only collects, for parsing without a store (tools, tests).
#[derive(Default)]
pub struct Collect {
    /// What was accepted.
    pub batch: crate::store::ImportBatch,
    ids: HashSet<(u8, String)>,
}

impl ImportSession for Collect {
    fn station(&mut self, s: Station) -> Result<bool, StoreError> {
        let fresh = self.ids.insert((b's', s.id.to_string()));
        if fresh {
            self.batch.stations.push(s);
        }
        Ok(fresh)
    }

    fn event(&mut self, e: Event) -> Result<bool, StoreError> {
        let fresh = self.ids.insert((b'e', e.id.to_string()));
        if fresh {
            self.batch.events.push(e);
        }
        Ok(fresh)
    }

    fn episode(&mut self, e: Episode) -> Result<bool, StoreError> {
        let fresh = self.ids.insert((b'p', e.id.to_string()));
        if fresh {
            self.batch.episodes.push(e);
        }
        Ok(fresh)
    }

    fn commit(self: Box<Self>) -> Result<ImportSummary, StoreError> {
        Ok(ImportSummary::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Radio Énergie"), "radio-energie");
        assert_eq!(slug("  AC/DC -- Live! "), "ac-dc-live");
        assert_eq!(slug("!!!"), "");
    }

    #[test]
    fn ids_are_cleaned_and_bounded() {
        assert_eq!(make_id(&["jazz", "ep 1"]), "jazz-ep-1");
        let long = "x".repeat(500);
        let id = make_id(&[&long]);
        assert!(id.len() <= 200);
        assert_ne!(id, make_id(&[&"x".repeat(499)]));
        assert!(crate::schedule::Id::parse(&id).is_ok());
    }

    #[test]
    fn concert_kind() {
        assert_eq!(
            kind_from_categories(["Music", "Concert"]),
            EventKind::Concert
        );
        assert_eq!(kind_from_categories(["Live music"]), EventKind::Concert);
        assert_eq!(kind_from_categories(["News"]), EventKind::Show);
    }

    #[test]
    fn language_choice() {
        let texts: Localised = vec![
            (Some("fr".into()), "Le journal".into()),
            (Some("en-GB".into()), "The news".into()),
        ];
        assert_eq!(pick_lang(&texts, "en")[0].1, "The news");
        assert_eq!(pick_lang(&texts, "de")[0].1, "Le journal");
        assert!(lang_matches(Some("en"), "en-US"));
        assert!(!lang_matches(Some("eng"), "en"));
    }

    #[test]
    fn rejections_are_capped() {
        let mut r = Rejections::default();
        for i in 0..(Rejections::KEPT + 5) {
            r.push(format!("line {i}"), "bad");
        }
        assert_eq!(r.len(), Rejections::KEPT + 5);
        let v = r.into_vec();
        assert_eq!(v.len(), Rejections::KEPT + 1);
        assert!(v[Rejections::KEPT].reason.starts_with("5 more"));
    }
}
