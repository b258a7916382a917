//! Podcast RSS 2.0 with iTunes tags → episodes.
//!
//! The show is the channel title; each `<item>` with an `<enclosure url>` is an episode whose
//! id is a slug of the show plus the item's `guid` (else its enclosure URL), so two podcasts
//! that both number their guids "1", "2"… do not collide. Items without an enclosure have
//! nothing to play and are rejected. `itunes:duration` is read in every form feeds use ("SS",
//! "MM:SS", "HH:MM:SS", plain seconds); an unreadable duration is left out, not fatal.
//! Namespaced tags are matched by prefix-less name plus "has a prefix", since podcast feeds
//! use `itunes:` by convention.

use super::input::{DynRead, LineCounter};
use super::record::{make_id, slug};
use super::xml::{Node, XmlPull};
use super::{Context, ImportError, Output};
use crate::schedule::{Episode, EpisodeSpec};
use jiff::fmt::rfc2822::DateTimeParser;
use jiff::Timestamp;

/// One `<item>` as read.
#[derive(Default)]
struct Item {
    index: usize,
    line: usize,
    title: Option<String>,
    guid: Option<String>,
    enclosure: Option<String>,
    published: Option<String>,
    duration: Option<String>,
    image: Option<String>,
}

/// The channel-level fields items need.
#[derive(Default)]
struct Show {
    title: Option<String>,
    image: Option<String>,
    itunes_image: Option<String>,
}

/// Parses a podcast feed; bad items are rejected one by one.
pub fn parse(
    input: LineCounter<DynRead>,
    _ctx: &Context<'_>,
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
            Node::Start(e) if e.name == "title" && !e.prefixed() && show.title.is_none() => {
                show.title = Some(pull.text()?).filter(|t| !t.is_empty());
                if show.title.is_some() {
                    for item in std::mem::take(&mut early) {
                        finish(item, &show, out)?;
                    }
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
                if show.title.is_some() {
                    finish(item, &show, out)?;
                } else {
                    early.push(item);
                }
            }
            Node::Start(_) => pull.skip()?,
            Node::Eof => break,
            Node::End | Node::Text(_) | Node::Empty(_) => {}
        }
    }
    for item in early {
        out.rejected.push(
            format!("item #{} (line {})", item.index, item.line),
            "the channel has no <title> to name the show",
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
                (true, "duration") => it.duration = Some(pull.text()?),
                (false, "enclosure") => {
                    it.enclosure = c.attr("url").map(str::to_string);
                    pull.skip()?;
                }
                (true, "image") => {
                    it.image = c.attr("href").map(str::to_string);
                    pull.skip()?;
                }
                _ => pull.skip()?,
            },
            Node::Empty(c) => match (c.prefixed(), c.local()) {
                (false, "enclosure") => it.enclosure = c.attr("url").map(str::to_string),
                (true, "image") => it.image = c.attr("href").map(str::to_string),
                _ => {}
            },
            Node::End => return Ok(it),
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) => {}
        }
    }
}

fn finish(it: Item, show: &Show, out: &mut Output<'_>) -> Result<(), ImportError> {
    let at = format!("item #{} (line {})", it.index, it.line);
    let Some(show_title) = &show.title else {
        return Ok(());
    };
    let Some(audio) = it.enclosure.filter(|u| !u.trim().is_empty()) else {
        out.rejected.push(at, "no <enclosure url>: nothing to play");
        return Ok(());
    };
    let published = match it.published.as_deref().map(parse_pub_date) {
        Some(Ok(t)) => t,
        Some(Err(why)) => {
            out.rejected.push(at, why);
            return Ok(());
        }
        None => {
            out.rejected.push(at, "no <pubDate>");
            return Ok(());
        }
    };
    let key = it
        .guid
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .unwrap_or(audio.as_str());
    let spec = EpisodeSpec {
        id: make_id(&[&slug(show_title), key]),
        show: show_title.clone(),
        title: it.title.unwrap_or_default(),
        published,
        duration_s: it.duration.as_deref().and_then(parse_duration),
        audio_url: audio.clone(),
        image: it
            .image
            .or_else(|| show.itunes_image.clone())
            .or_else(|| show.image.clone()),
    };
    match Episode::try_from(spec) {
        Ok(ep) => out.episode(ep, &|| at.clone())?,
        Err(e) => out.rejected.push(at, e),
    }
    Ok(())
}

/// RFC 2822 as feeds write it (a wrong weekday tolerated, obsolete zones like "GMT" and
/// "EST" accepted), or RFC 3339 from feeds that ignore the spec.
pub fn parse_pub_date(raw: &str) -> Result<Timestamp, String> {
    let raw = raw.trim();
    DateTimeParser::new()
        .relaxed_weekday(true)
        .parse_timestamp(raw)
        .or_else(|_| raw.parse::<Timestamp>())
        .map_err(|_| format!("pubDate {raw:?} is not an RFC 2822 date"))
}

/// `itunes:duration` in seconds: "3120", "52:00", "0:52:00", "1:02:03.5".
pub fn parse_duration(raw: &str) -> Option<u64> {
    let parts: Vec<&str> = raw.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut total: u64 = 0;
    let last = parts.len() - 1;
    for (i, part) in parts.iter().enumerate() {
        let part = part.trim();
        let whole = if i == last {
            // Fractions of a second are dropped.
            part.split('.').next().unwrap_or("")
        } else {
            part
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let value: u64 = whole.parse().ok()?;
        total = total.checked_mul(60)?.checked_add(value)?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_every_form() {
        assert_eq!(parse_duration("3120"), Some(3120));
        assert_eq!(parse_duration("52:00"), Some(3120));
        assert_eq!(parse_duration("00:52:00"), Some(3120));
        assert_eq!(parse_duration("1:02:03.5"), Some(3723));
        assert_eq!(parse_duration("45 min"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_duration("1:2:3:4"), None);
    }

    #[test]
    fn pub_dates() {
        let want: Timestamp = "2026-11-01T08:00:00Z".parse().expect("ts");
        assert_eq!(parse_pub_date("Sun, 01 Nov 2026 08:00:00 GMT"), Ok(want));
        assert_eq!(parse_pub_date("Mon, 01 Nov 2026 09:00:00 +0100"), Ok(want));
        assert_eq!(parse_pub_date("1 Nov 2026 03:00:00 EST"), Ok(want));
        assert_eq!(parse_pub_date("2026-11-01T08:00:00Z"), Ok(want));
        assert!(parse_pub_date("yesterday").is_err());
    }
}
