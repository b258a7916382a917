//! XMLTV programme guides: `<channel>` → stations, `<programme>` → events.
//!
//! - Every `<display-name>` of a channel is a name listeners may say; the one in the preferred
//!   language (else the first) is the station's name, the others its aliases.
//! - Title, description and categories come in several `lang` versions; the preferred language
//!   wins, then untagged text, then the first language seen.
//! - `<credits>` actors, presenters, commentators, guests (and the unofficial `performer`) are
//!   the performers; directors, writers and producers are not heard on air.
//! - A programme without `stop` ends when the next programme of its channel (in file order)
//!   starts. Only one programme per channel is held back for this, so memory stays bounded.
//! - Event ids are the channel id and the UTC start, so re-importing a guide updates in place.

use super::input::{DynRead, LineCounter};
use super::record::{kind_from_categories, lang_matches, make_id, pick_lang, Localised};
use super::xml::{Element, Node, XmlPull};
use super::{Context, ImportError, Output};
use crate::schedule::{Event, EventSpec, Station, StationSpec};
use jiff::civil::DateTime;
use jiff::tz::{Offset, TimeZone};
use jiff::Timestamp;
use std::collections::HashMap;

/// Credit roles whose people are heard.
const PERFORMING: [&str; 5] = ["actor", "presenter", "commentator", "guest", "performer"];

/// A programme as read, before its end is known.
struct Draft {
    index: usize,
    line: usize,
    channel: String,
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
    let mut waiting: HashMap<String, Draft> = HashMap::new();
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
    let mut left: Vec<Draft> = waiting.into_values().collect();
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

/// Ends the programme waiting on this channel at this one's start, then either finishes this
/// one (it has a stop) or lets it wait.
fn place(
    draft: Draft,
    waiting: &mut HashMap<String, Draft>,
    ctx: &Context<'_>,
    out: &mut Output<'_>,
) -> Result<(), ImportError> {
    if let Some(prev) = waiting.remove(&draft.channel) {
        let end = draft.start;
        finish(prev, end, ctx, out)?;
    }
    match draft.stop {
        Some(stop) => finish(draft, stop, ctx, out),
        None => {
            waiting.insert(draft.channel.clone(), draft);
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
    let description = pick_lang(&d.descs, lang).first().map(|t| t.1.clone());
    let genres: Vec<String> = pick_lang(&d.categories, lang)
        .into_iter()
        .map(|t| t.1.clone())
        .collect();
    let kind = kind_from_categories(d.categories.iter().map(|c| c.1.as_str()));
    let start = d.start.strftime("%Y%m%dT%H%M%SZ").to_string();
    let spec = EventSpec {
        id: make_id(&[&d.channel, &start]),
        title,
        kind,
        performers: d.performers.clone(),
        station: Some(d.channel.clone()),
        genres,
        start: d.start,
        end,
        stream_url: None,
        description,
        image: d.icon.clone(),
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
    let lang = &ctx.options.lang;
    let preferred = names
        .iter()
        .position(|(l, n)| lang_matches(l.as_deref(), lang) && !n.is_empty())
        .or_else(|| names.iter().position(|(_, n)| !n.is_empty()));
    let Some(first) = preferred else {
        out.rejected.push(at, "no <display-name>");
        return Ok(());
    };
    let name = names[first].1.clone();
    let aliases = names
        .into_iter()
        .enumerate()
        .filter(|(i, _)| *i != first)
        .map(|(_, (_, n))| n)
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
    let mut d = Draft {
        index,
        line,
        channel,
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

/// Parses an XMLTV time: `YYYYMMDDhhmmss ±zzzz`, where the trailing fields may be missing
/// (`YYYYMMDDhhmm`, `YYYYMMDD`…, missing parts are zero) and so may the offset (then UTC, as
/// the XMLTV DTD says). `Z`, `UTC`, `GMT` and `±hh:mm` offsets are accepted too.
pub fn parse_time(raw: &str) -> Result<Timestamp, String> {
    let raw = raw.trim();
    let bad = |why: &str| format!("{raw:?} {why}");
    let digits = raw.bytes().take_while(u8::is_ascii_digit).count();
    if !matches!(digits, 4 | 6 | 8 | 10 | 12 | 14) {
        return Err(bad("is not an XMLTV time (YYYYMMDDhhmmss +zzzz)"));
    }
    let field = |from: usize, len: usize, default: i64| -> i64 {
        raw.get(from..from + len)
            .filter(|_| from + len <= digits)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let offset =
        parse_offset(raw[digits..].trim()).ok_or_else(|| bad("has an unreadable offset"))?;
    let dt = DateTime::new(
        i16::try_from(field(0, 4, 0)).map_err(|_| bad("has a bad year"))?,
        i8::try_from(field(4, 2, 1)).map_err(|_| bad("has a bad month"))?,
        i8::try_from(field(6, 2, 1)).map_err(|_| bad("has a bad day"))?,
        i8::try_from(field(8, 2, 0)).map_err(|_| bad("has a bad hour"))?,
        i8::try_from(field(10, 2, 0)).map_err(|_| bad("has a bad minute"))?,
        i8::try_from(field(12, 2, 0)).map_err(|_| bad("has a bad second"))?,
        0,
    )
    .map_err(|e| bad(&format!("is not a valid date and time ({e})")))?;
    TimeZone::fixed(offset)
        .to_timestamp(dt)
        .map_err(|e| bad(&e.to_string()))
}

fn parse_offset(raw: &str) -> Option<Offset> {
    if raw.is_empty() || matches!(raw.to_ascii_uppercase().as_str(), "Z" | "UTC" | "GMT") {
        return Some(Offset::UTC);
    }
    let (sign, rest) = match raw.as_bytes().first()? {
        b'+' => (1, &raw[1..]),
        b'-' => (-1, &raw[1..]),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 2 | 4) {
        return None;
    }
    let hours: i32 = digits.get(0..2)?.parse().ok()?;
    let minutes: i32 = digits.get(2..4).map_or(Some(0), |m| m.parse().ok())?;
    if hours > 18 || minutes > 59 {
        return None;
    }
    Offset::from_seconds(sign * (hours * 3600 + minutes * 60)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().expect("ts")
    }

    #[test]
    fn full_and_partial_times() {
        assert_eq!(
            parse_time("20261121200000 +0100"),
            Ok(t("2026-11-21T19:00:00Z"))
        );
        assert_eq!(
            parse_time("202611212000 +0100"),
            Ok(t("2026-11-21T19:00:00Z"))
        );
        assert_eq!(parse_time("20261121200000"), Ok(t("2026-11-21T20:00:00Z")));
        assert_eq!(parse_time("2026112120"), Ok(t("2026-11-21T20:00:00Z")));
        assert_eq!(parse_time("20261121"), Ok(t("2026-11-21T00:00:00Z")));
        assert_eq!(
            parse_time("20261121200000 -05:30"),
            Ok(t("2026-11-22T01:30:00Z"))
        );
        assert_eq!(
            parse_time("20261121200000 Z"),
            Ok(t("2026-11-21T20:00:00Z"))
        );
    }

    #[test]
    fn bad_times_say_why() {
        assert!(parse_time("tomorrow").is_err());
        assert!(parse_time("2026112").is_err());
        assert!(parse_time("20261321200000").is_err());
        assert!(parse_time("20261121200000 +2500").is_err());
        assert!(parse_time("20261121200000 CEST").is_err());
    }
}
