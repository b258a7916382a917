//! Podcast RSS 2.0 with iTunes tags → episodes.
//!
//! - The show is the channel `<title>`; without one, `itunes:title`, `itunes:author` or the
//!   host of the channel `<link>` names it (with a warning), so no item is lost to a missing
//!   optional field.
//! - Each `<item>` with an audio `<enclosure url>` is an episode whose id is a slug of the
//!   show plus the item's `guid` (else its enclosure URL), so two podcasts that both number
//!   their guids "1", "2"… do not collide. Image and video enclosures (by `type`, else by file
//!   extension) are skipped; an item with no audio enclosure has nothing to play and is
//!   rejected.
//! - `pubDate` is optional (RSS 2.0): without a readable one, `dc:date` is used, else the
//!   channel's `pubDate`/`lastBuildDate`, else the import time, minus the item's position in
//!   seconds so the feed's order (newest first) is kept; a warning says so. Offsets written
//!   `+13:00` are read like `+1300`.
//! - `itunes:duration` is read in every form feeds use ("SS", "MM:SS", "HH:MM:SS", plain
//!   seconds); an unreadable duration is left out, not fatal. Over-long titles are cut at a
//!   word; a relative image URL is dropped; both with a warning.
//!
//! Namespaced tags are matched by prefix-less name plus "has a prefix", since podcast feeds
//! use `itunes:` by convention.

use super::fields::{fit_noted, usable_image};
use super::input::{DynRead, LineCounter};
use super::record::{make_id, slug};
use super::xml::{Node, XmlPull};
use super::{Context, ImportError, Output};
use crate::schedule::types::MAX_NAME;
use crate::schedule::{Episode, EpisodeSpec};
use jiff::Timestamp;

mod dates;
pub use dates::{parse_duration, parse_pub_date};

/// One `<item>` as read.
#[derive(Default)]
struct Item {
    index: usize,
    line: usize,
    title: Option<String>,
    guid: Option<String>,
    /// Enclosures as (url, type).
    enclosures: Vec<(String, Option<String>)>,
    published: Option<String>,
    dc_date: Option<String>,
    duration: Option<String>,
    image: Option<String>,
}

/// The channel-level fields items need.
#[derive(Default)]
struct Show {
    title: Option<String>,
    itunes_title: Option<String>,
    author: Option<String>,
    link: Option<String>,
    date: Option<Timestamp>,
    image: Option<String>,
    itunes_image: Option<String>,
    /// Items without a channel title are held until the end of the channel (or this many).
    named: bool,
}

/// Items held while the channel has no `<title>` yet; past this, a fallback name is used.
const HELD_ITEMS: usize = 10_000;

impl Show {
    /// The show's name when the channel has no title: `itunes:title`, `itunes:author`, the
    /// link's host.
    fn fallback(&self) -> Option<String> {
        self.itunes_title
            .clone()
            .or_else(|| self.author.clone())
            .or_else(|| {
                self.link
                    .as_deref()
                    .and_then(|l| url::Url::parse(l.trim()).ok())
                    .and_then(|u| u.host_str().map(str::to_string))
            })
    }

    /// Names the show with the fallback (warning once); false when there is none.
    fn name_by_fallback(&mut self, out: &mut Output<'_>) -> bool {
        let Some(name) = self.fallback() else {
            return false;
        };
        out.warnings.push(
            "channel",
            format!("no <title>: the show is named {name:?} from the feed's other fields"),
        );
        self.title = Some(name);
        self.named = true;
        true
    }
}

/// Parses a podcast feed; bad items are rejected one by one.
pub fn parse(
    input: LineCounter<DynRead>,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let mut pull = XmlPull::new(input);
    let mut show = Show::default();
    // Items seen before the channel title (rare) wait for it; normally this stays empty.
    let mut early: Vec<Item> = Vec::new();
    let mut index = 0usize;
    let mut root_seen = false;
    loop {
        match pull.next()? {
            Node::Start(e) if !root_seen => {
                if e.name != "rss" {
                    return Err(ImportError::Invalid {
                        location: "line 1".into(),
                        reason: format!("root element is <{}>, not <rss>", e.name),
                    });
                }
                root_seen = true;
            }
            Node::Start(e) if e.name == "channel" => {}
            Node::Start(e) if e.name == "title" && !e.prefixed() && !show.named => {
                show.title = Some(pull.text()?).filter(|t| !t.is_empty());
                if show.title.is_some() {
                    show.named = true;
                    for item in std::mem::take(&mut early) {
                        finish(item, &show, ctx, out)?;
                    }
                }
            }
            Node::Start(e) if e.local() == "title" && e.prefixed() => {
                show.itunes_title = Some(pull.text()?).filter(|t| !t.is_empty());
            }
            Node::Start(e) if e.local() == "author" && e.prefixed() => {
                show.author = Some(pull.text()?).filter(|t| !t.is_empty());
            }
            Node::Start(e) if e.name == "link" => {
                show.link = Some(pull.text()?).filter(|t| !t.is_empty());
            }
            Node::Start(e) if e.name == "pubDate" || e.name == "lastBuildDate" => {
                let text = pull.text()?;
                if show.date.is_none() {
                    show.date = parse_pub_date(&text).ok();
                }
            }
            Node::Start(e) if e.local() == "image" && e.prefixed() => {
                show.itunes_image = e.attr("href").map(str::to_string);
                pull.skip()?;
            }
            Node::Empty(e) if e.local() == "image" && e.prefixed() => {
                show.itunes_image = e.attr("href").map(str::to_string);
            }
            Node::Start(e) if e.name == "image" => show.image = channel_image(&mut pull)?,
            Node::Start(e) if e.name == "item" => {
                index += 1;
                let item = item(&mut pull, index)?;
                if !show.named && early.len() >= HELD_ITEMS {
                    show.name_by_fallback(out);
                    for held in std::mem::take(&mut early) {
                        finish(held, &show, ctx, out)?;
                    }
                }
                if show.named {
                    finish(item, &show, ctx, out)?;
                } else {
                    early.push(item);
                }
            }
            Node::Start(_) => pull.skip()?,
            Node::Eof => break,
            Node::End | Node::Text(_) | Node::Empty(_) => {}
        }
    }
    if !early.is_empty() && show.name_by_fallback(out) {
        for item in std::mem::take(&mut early) {
            finish(item, &show, ctx, out)?;
        }
    }
    for item in early {
        out.rejected.push(
            format!("item #{} (line {})", item.index, item.line),
            "the channel has no <title>, itunes:title, itunes:author or <link> to name the show",
        );
    }
    Ok(())
}

fn channel_image(pull: &mut XmlPull<DynRead>) -> Result<Option<String>, ImportError> {
    let mut url = None;
    loop {
        match pull.next()? {
            Node::Start(c) if c.name == "url" => url = Some(pull.text()?),
            Node::Start(_) => pull.skip()?,
            Node::End => return Ok(url),
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) | Node::Empty(_) => {}
        }
    }
}

fn item(pull: &mut XmlPull<DynRead>, index: usize) -> Result<Item, ImportError> {
    let mut it = Item {
        index,
        line: pull.line(),
        ..Item::default()
    };
    loop {
        match pull.next()? {
            Node::Start(c) => match (c.prefixed(), c.local()) {
                (false, "title") => it.title = Some(pull.text()?),
                (true, "title") => {
                    let t = pull.text()?;
                    it.title.get_or_insert(t);
                }
                (false, "guid") => it.guid = Some(pull.text()?),
                (false, "pubDate") => it.published = Some(pull.text()?),
                (true, "date") => it.dc_date = Some(pull.text()?),
                (true, "duration") => it.duration = Some(pull.text()?),
                (false, "enclosure") => {
                    it.enclosure(&c);
                    pull.skip()?;
                }
                (true, "image") => {
                    it.image = c.attr("href").map(str::to_string);
                    pull.skip()?;
                }
                _ => pull.skip()?,
            },
            Node::Empty(c) => match (c.prefixed(), c.local()) {
                (false, "enclosure") => it.enclosure(&c),
                (true, "image") => it.image = c.attr("href").map(str::to_string),
                _ => {}
            },
            Node::End => return Ok(it),
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) => {}
        }
    }
}

impl Item {
    fn enclosure(&mut self, e: &super::xml::Element) {
        if let Some(url) = e.attr("url").map(str::trim).filter(|u| !u.is_empty()) {
            let kind = e.attr("type").map(|t| t.trim().to_ascii_lowercase());
            self.enclosures.push((url.to_string(), kind));
        }
    }
}

/// Whether an enclosure is a picture or a video rather than audio.
fn not_audio(url: &str, kind: Option<&str>) -> Option<&'static str> {
    match kind {
        Some(k) if k.starts_with("image/") => return Some("an image"),
        Some(k) if k.starts_with("video/") => return Some("a video"),
        Some(k) if k.starts_with("audio/") => return None,
        _ => {}
    }
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    let ext = path.rsplit('.').next().unwrap_or("");
    match ext {
        "jpg" | "jpeg" | "png" | "gif" | "webp" => Some("an image"),
        "mp4" | "m4v" | "mov" | "webm" | "mkv" | "avi" => Some("a video"),
        _ => None,
    }
}

fn finish(
    it: Item,
    show: &Show,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let at = format!("item #{} (line {})", it.index, it.line);
    let note = || at.clone();
    let Some(show_title) = &show.title else {
        return Ok(());
    };
    let Some(audio) = it
        .enclosures
        .iter()
        .find(|(u, k)| not_audio(u, k.as_deref()).is_none())
        .map(|(u, _)| u.clone())
    else {
        let reason = match it.enclosures.first() {
            Some((u, k)) => format!(
                "the enclosure is {}, not audio: nothing to play",
                not_audio(u, k.as_deref()).unwrap_or("not audio")
            ),
            None => "no <enclosure url>: nothing to play".into(),
        };
        out.rejected.push(at, reason);
        return Ok(());
    };
    let published = match it.published.as_deref().map(parse_pub_date) {
        Some(Ok(t)) => t,
        other => {
            let why = match other {
                Some(Err(why)) => why,
                _ => "no <pubDate>".into(),
            };
            match it.dc_date.as_deref().and_then(|d| parse_pub_date(d).ok()) {
                Some(t) => t,
                None => {
                    let (base, from) = match show.date {
                        Some(t) => (t, "the channel's date"),
                        None => (ctx.now, "the import time"),
                    };
                    let order = i64::try_from(it.index).unwrap_or(i64::MAX);
                    out.warnings
                        .push(note(), format!("{why}: dated from {from}, in feed order"));
                    base.checked_sub(jiff::SignedDuration::from_secs(order))
                        .unwrap_or(base)
                }
            }
        }
    };
    let key = it
        .guid
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .unwrap_or(audio.as_str());
    let title = it
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            out.warnings
                .push(note(), "no <title>: named after the show and its date");
            format!("{show_title}, {}", published.strftime("%Y-%m-%d"))
        });
    let image = usable_image(it.image, &note, &mut out.warnings).or_else(|| {
        usable_image(
            show.itunes_image.clone().or_else(|| show.image.clone()),
            &note,
            &mut out.warnings,
        )
    });
    let spec = EpisodeSpec {
        id: make_id(&[&slug(show_title), key]),
        show: fit_noted(
            Some(show_title.clone()),
            MAX_NAME,
            "show",
            &note,
            &mut out.warnings,
        )
        .unwrap_or_default(),
        title: fit_noted(Some(title), MAX_NAME, "title", &note, &mut out.warnings)
            .unwrap_or_default(),
        published,
        duration_s: it.duration.as_deref().and_then(parse_duration),
        audio_url: audio.clone(),
        image,
    };
    match Episode::try_from(spec) {
        Ok(ep) => out.episode(ep, &|| at.clone())?,
        Err(e) => out.rejected.push(at, e),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_and_videos_are_not_episodes() {
        assert_eq!(
            not_audio("https://x/a.jpg", Some("image/jpeg")),
            Some("an image")
        );
        assert_eq!(not_audio("https://x/a.mp4", None), Some("a video"));
        assert_eq!(not_audio("https://x/a.mp3", Some("audio/mpeg")), None);
        assert_eq!(not_audio("https://x/a.m4a?x=1.jpg", None), None);
        assert_eq!(not_audio("https://x/a.jpg", Some("audio/mpeg")), None);
    }
}
