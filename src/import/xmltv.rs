//! XMLTV programme guides: `<channel>` → stations, `<programme>` → events.
//!
//! - Every `<display-name>` of a channel is a name listeners may say; the one in the preferred
//!   language (else the first) is the station's name, the others its aliases.
//! - Title, description and categories come in several `lang` versions; the preferred language
//!   wins, then untagged text, then the first language seen.
//! - `<credits>` actors, presenters, commentators, guests (and the unofficial `performer`) are
//!   the performers; directors, writers and producers are not heard on air.
//! - A programme without `stop` ends when the next programme of its channel with a later
//!   start arrives (in a guide sorted by time, as `tv_sort` writes it, that is the next later
//!   start; an earlier or equal start never ends it, so no event comes out empty or negative).
//!   Only the programmes waiting for that are held back, so memory stays bounded.
//! - Event ids are the channel id and the UTC start, so re-importing a guide updates in place.
//!   Programmes of a clump (`clumpidx="1/2"`: several programmes sharing one slot, e.g. two
//!   half-programmes of a magazine) share channel and start; every member after the first gets
//!   its index in its id, so each is its own event.
//! - Times may carry a zone name instead of an offset (`200007281733 BST`, the DTD's own
//!   example): the unambiguous abbreviations in [`zone_abbreviation`] are read.
//! - A relative or non-http(s) `<icon>` is dropped with a warning; the programme or channel
//!   stays. Over-long titles and descriptions are cut at a word, with a warning.

use super::fields::{fit, fit_noted, usable_image};
use super::input::{DynRead, LineCounter};
use super::record::{kind_from_categories, lang_matches, make_id, pick_lang, Localised};
use super::xml::{Element, Node, XmlPull};
use super::{Context, ImportError, Output};

mod time;
use crate::schedule::types::{MAX_NAME, MAX_TEXT};
use crate::schedule::{Event, EventSpec, Station, StationSpec};
use jiff::Timestamp;
use std::collections::HashMap;
pub use time::{parse_time, zone_abbreviation};

/// Credit roles whose people are heard.
const PERFORMING: [&str; 5] = ["actor", "presenter", "commentator", "guest", "performer"];

/// A programme as read, before its end is known.
struct Draft {
    index: usize,
    line: usize,
    channel: String,
    /// Position in a clump ("1" of `clumpidx="1/2"`), when not the first.
    clump: Option<u32>,
    start: Timestamp,
    stop: Option<Timestamp>,
    titles: Localised,
    descs: Localised,
    categories: Localised,
    performers: Vec<String>,
    icon: Option<String>,
}

impl Draft {
    fn location(&self) -> String {
        format!("programme #{} (line {})", self.index, self.line)
    }
}

/// Parses a guide; bad channels and programmes are rejected one by one.
pub fn parse(
    input: LineCounter<DynRead>,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let mut pull = XmlPull::new(input);
    let mut waiting: HashMap<String, Vec<Draft>> = HashMap::new();
    let mut index = 0usize;
    let mut depth = 0usize;
    loop {
        match pull.next()? {
            Node::Start(e) if depth == 0 => {
                if e.name != "tv" {
                    return Err(ImportError::Invalid {
                        location: "line 1".into(),
                        reason: format!("root element is <{}>, not <tv>", e.name),
                    });
                }
                depth = 1;
            }
            Node::Start(e) if e.name == "channel" => channel(&mut pull, &e, ctx, out)?,
            Node::Start(e) if e.name == "programme" => {
                index += 1;
                let line = pull.line();
                if let Some(draft) = programme(&mut pull, &e, index, line, out)? {
                    place(draft, &mut waiting, ctx, out)?;
                }
            }
            Node::Empty(e) if e.name == "programme" || e.name == "channel" => {
                if e.name == "programme" {
                    index += 1;
                }
                out.rejected.push(
                    format!("<{}> at line {}", e.name, pull.line()),
                    "empty element: no title or name",
                );
            }
            Node::Start(_) => pull.skip()?,
            Node::End => depth = depth.saturating_sub(1),
            Node::Eof => break,
            Node::Text(_) | Node::Empty(_) => {}
        }
    }
    let mut left: Vec<Draft> = waiting.into_values().flatten().collect();
    left.sort_by_key(|d| d.index);
    for d in left {
        out.rejected.push(
            d.location(),
            format!(
                "no stop time, and no later programme on channel {:?} to end it",
                d.channel
            ),
        );
    }
    Ok(())
}

/// Ends the programmes waiting on this channel that start before this one, at its start; then
/// either finishes this one (it has a stop) or lets it wait.
fn place(
    draft: Draft,
    waiting: &mut HashMap<String, Vec<Draft>>,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    if let Some(list) = waiting.get_mut(&draft.channel) {
        let (done, still): (Vec<Draft>, Vec<Draft>) = std::mem::take(list)
            .into_iter()
            .partition(|w| w.start < draft.start);
        *list = still;
        for prev in done {
            finish(prev, draft.start, ctx, out)?;
        }
    }
    match draft.stop {
        Some(stop) => finish(draft, stop, ctx, out),
        None => {
            waiting
                .entry(draft.channel.clone())
                .or_default()
                .push(draft);
            Ok(())
        }
    }
}

fn finish(
    d: Draft,
    end: Timestamp,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let lang = &ctx.options.lang;
    let Some((title_lang, title)) = pick_lang(&d.titles, lang).first().map(|t| (*t).clone()) else {
        out.rejected.push(d.location(), "no <title>");
        return Ok(());
    };
    let at = || d.location();
    let title =
        fit_noted(Some(title), MAX_NAME, "title", &at, &mut out.warnings).unwrap_or_default();
    let description = fit_noted(
        pick_lang(&d.descs, lang).first().map(|t| t.1.clone()),
        MAX_TEXT,
        "description",
        &at,
        &mut out.warnings,
    );
    let image = usable_image(d.icon.clone(), &at, &mut out.warnings);
    let genres: Vec<String> = pick_lang(&d.categories, lang)
        .into_iter()
        .map(|t| fit(&t.1, MAX_NAME).0)
        .collect();
    let kind = kind_from_categories(d.categories.iter().map(|c| c.1.as_str()));
    let start = d.start.strftime("%Y%m%dT%H%M%SZ").to_string();
    let clump = d.clump.map(|i| format!("clump{i}")).unwrap_or_default();
    let spec = EventSpec {
        id: make_id(&[&d.channel, &start, &clump]),
        title,
        kind,
        performers: d.performers.clone(),
        station: Some(d.channel.clone()),
        genres,
        start: d.start,
        end,
        stream_url: None,
        description,
        image,
        language: title_lang,
    };
    match Event::try_from(spec) {
        Ok(e) => out.event(e, &|| d.location())?,
        Err(e) => out.rejected.push(d.location(), e),
    }
    Ok(())
}

fn channel(
    pull: &mut XmlPull<DynRead>,
    e: &Element,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    let line = pull.line();
    let id = e.attr("id").unwrap_or_default().to_string();
    let mut names: Localised = Vec::new();
    let mut icon = None;
    loop {
        match pull.next()? {
            Node::Start(c) if c.name == "display-name" => {
                let lang = c.attr("lang").map(str::to_string);
                names.push((lang, pull.text()?));
            }
            Node::Start(c) if c.name == "icon" => {
                icon = c.attr("src").map(str::to_string);
                pull.skip()?;
            }
            Node::Empty(c) if c.name == "icon" => icon = c.attr("src").map(str::to_string),
            Node::Start(_) => pull.skip()?,
            Node::End => break,
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) | Node::Empty(_) => {}
        }
    }
    let at = format!("channel {id:?} (line {line})");
    let icon = usable_image(icon, &|| at.clone(), &mut out.warnings);
    let lang = &ctx.options.lang;
    let preferred = names
        .iter()
        .position(|(l, n)| lang_matches(l.as_deref(), lang) && !n.is_empty())
        .or_else(|| names.iter().position(|(_, n)| !n.is_empty()));
    let Some(first) = preferred else {
        out.rejected.push(at, "no <display-name>");
        return Ok(());
    };
    let name = fit_noted(
        Some(names[first].1.clone()),
        MAX_NAME,
        "display-name",
        &|| at.clone(),
        &mut out.warnings,
    )
    .unwrap_or_default();
    let aliases = names
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != first)
        .map(|(_, (_, n))| fit(&n, MAX_NAME).0)
        .collect();
    match Station::try_from(StationSpec {
        id,
        name,
        aliases,
        stream_url: None,
        genres: Vec::new(),
        image: icon,
    }) {
        Ok(s) => out.station(s, &|| at.clone())?,
        Err(err) => out.rejected.push(at, err),
    }
    Ok(())
}

/// Reads one `<programme>`; `None` when it was rejected (bad times, no channel).
fn programme(
    pull: &mut XmlPull<DynRead>,
    e: &Element,
    index: usize,
    line: usize,
    out: &mut Output<'_>,
) -> Result<Option<Draft>, ImportError> {
    let at = format!("programme #{index} (line {line})");
    let channel = e.attr("channel").unwrap_or_default().trim().to_string();
    let start = e.attr("start").map(parse_time);
    let stop = e.attr("stop").map(parse_time);
    let clump = e.attr("clumpidx").and_then(clump_index).filter(|i| *i > 0);
    let mut d = Draft {
        index,
        line,
        channel,
        clump,
        start: Timestamp::UNIX_EPOCH,
        stop: None,
        titles: Vec::new(),
        descs: Vec::new(),
        categories: Vec::new(),
        performers: Vec::new(),
        icon: None,
    };
    loop {
        match pull.next()? {
            Node::Start(c) => match c.name.as_str() {
                "title" => d.titles.push((lang_of(&c), pull.text()?)),
                "desc" => d.descs.push((lang_of(&c), pull.text()?)),
                "category" => d.categories.push((lang_of(&c), pull.text()?)),
                "credits" => credits(pull, &mut d.performers)?,
                "icon" => {
                    d.icon = c.attr("src").map(str::to_string);
                    pull.skip()?;
                }
                _ => pull.skip()?,
            },
            Node::Empty(c) if c.name == "icon" => d.icon = c.attr("src").map(str::to_string),
            Node::End => break,
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) | Node::Empty(_) => {}
        }
    }
    if d.channel.is_empty() {
        out.rejected.push(at, "no channel attribute");
        return Ok(None);
    }
    match start {
        Some(Ok(t)) => d.start = t,
        Some(Err(why)) => {
            out.rejected.push(at, format!("start: {why}"));
            return Ok(None);
        }
        None => {
            out.rejected.push(at, "no start attribute");
            return Ok(None);
        }
    }
    match stop {
        Some(Ok(t)) => d.stop = Some(t),
        Some(Err(why)) => {
            out.rejected.push(at, format!("stop: {why}"));
            return Ok(None);
        }
        None => {}
    }
    Ok(Some(d))
}

/// The index of `clumpidx="1/2"` (0-based, as the DTD says).
fn clump_index(raw: &str) -> Option<u32> {
    let (i, n) = raw.trim().split_once('/')?;
    let (i, n): (u32, u32) = (i.trim().parse().ok()?, n.trim().parse().ok()?);
    (i < n).then_some(i)
}

fn lang_of(e: &Element) -> Option<String> {
    e.attr("lang")
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
}

fn credits(pull: &mut XmlPull<DynRead>, performers: &mut Vec<String>) -> Result<(), ImportError> {
    loop {
        match pull.next()? {
            Node::Start(c) if PERFORMING.contains(&c.name.as_str()) => {
                let name = pull.text()?;
                if !name.is_empty() {
                    performers.push(name);
                }
            }
            Node::Start(_) => pull.skip()?,
            Node::End => return Ok(()),
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) | Node::Empty(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clump_indexes() {
        assert_eq!(clump_index("0/2"), Some(0));
        assert_eq!(clump_index("1/2"), Some(1));
        assert_eq!(clump_index("2/2"), None);
        assert_eq!(clump_index("x"), None);
    }
}
