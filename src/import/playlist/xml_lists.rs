//! XML playlists into entries: XSPF (`<track><location>`, as Clementine, VLC and mopidy write
//! it) and ASX (`<Entry><Ref href>`, Windows Media station lists, element names in any case).
//!
//! - XSPF: each `<track>` is an entry; its first `<location>` is the target, `<title>` (else
//!   `<creator>`) the name, `<image>` the logo. A track without `<location>` is refused.
//! - ASX: each `<Entry>` is an entry; its first `<Ref href>` with an http(s) URL is the
//!   target (else the first at all, refused later if it cannot play, e.g. `mms://`),
//!   `<Title>` the name, `<Banner href>` the logo. `<EntryRef>` (a link to another ASX) is
//!   refused: ASX chains are not followed.

use super::read::{split_kodi, Entry};
use crate::import::input::{DynRead, LineCounter};
use crate::import::xml::{Element, Node, XmlPull};
use crate::import::{Format, ImportError, Rejections};

/// Reads every entry of an XSPF or ASX playlist.
pub fn entries(
    input: LineCounter<DynRead>,
    format: Format,
    rejected: &mut Rejections,
) -> Result<Vec<Entry>, ImportError> {
    let mut pull = XmlPull::new(input);
    let root = match format {
        Format::Asx => "asx",
        _ => "playlist",
    };
    let mut out = Vec::new();
    let mut index = 0usize;
    let mut seen_root = false;
    loop {
        match pull.next()? {
            Node::Start(e) if !seen_root => {
                if !e.local().eq_ignore_ascii_case(root) {
                    return Err(ImportError::Invalid {
                        location: format!("line {}", pull.line()),
                        reason: format!("root element is <{}>, not <{root}>", e.name),
                    });
                }
                seen_root = true;
            }
            Node::Start(e) if is(&e, "tracklist") => {}
            Node::Start(e) if format == Format::Xspf && is(&e, "track") => {
                index += 1;
                let at = format!("track #{index} (line {})", pull.line());
                match xspf_track(&mut pull)? {
                    Some(mut entry) => {
                        entry.location = at;
                        out.push(entry);
                    }
                    None => rejected.push(at, "no <location>: nothing to play"),
                }
            }
            Node::Start(e) if format == Format::Asx && is(&e, "entry") => {
                index += 1;
                let at = format!("entry #{index} (line {})", pull.line());
                match asx_entry(&mut pull)? {
                    Some(mut entry) => {
                        entry.location = at;
                        out.push(entry);
                    }
                    None => rejected.push(at, "no <Ref href>: nothing to play"),
                }
            }
            Node::Start(e) if format == Format::Asx && is(&e, "entryref") => {
                index += 1;
                rejected.push(entry_ref(index, pull.line()), ENTRY_REF);
                pull.skip()?;
            }
            Node::Empty(e) if format == Format::Asx && is(&e, "entryref") => {
                index += 1;
                rejected.push(entry_ref(index, pull.line()), ENTRY_REF);
            }
            Node::Start(_) if seen_root => pull.skip()?,
            Node::Eof => break,
            _ => {}
        }
    }
    if !seen_root {
        return Err(ImportError::Invalid {
            location: "line 1".into(),
            reason: format!("no <{root}> element"),
        });
    }
    Ok(out)
}

const ENTRY_REF: &str = "<EntryRef> links to another ASX list; ASX chains are not followed";

fn entry_ref(index: usize, line: usize) -> String {
    format!("entry #{index} (line {line})")
}

fn is(e: &Element, name: &str) -> bool {
    e.local().eq_ignore_ascii_case(name)
}

fn xspf_track(pull: &mut XmlPull<DynRead>) -> Result<Option<Entry>, ImportError> {
    let mut entry = Entry::default();
    let mut creator = None;
    loop {
        match pull.next()? {
            Node::Start(c) if is(&c, "location") => {
                let text = pull.text()?;
                if entry.target.is_empty() && !text.is_empty() {
                    (entry.target, entry.dropped) = split_kodi(&text);
                }
            }
            Node::Start(c) if is(&c, "title") => {
                entry.title = Some(pull.text()?).filter(|t| !t.is_empty())
            }
            Node::Start(c) if is(&c, "creator") => {
                creator = Some(pull.text()?).filter(|t| !t.is_empty())
            }
            Node::Start(c) if is(&c, "image") => {
                entry.logo = Some(pull.text()?).filter(|t| !t.is_empty())
            }
            Node::Start(_) => pull.skip()?,
            Node::End => break,
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) | Node::Empty(_) => {}
        }
    }
    if entry.title.is_none() {
        entry.title = creator;
    }
    Ok((!entry.target.is_empty()).then_some(entry))
}

fn asx_entry(pull: &mut XmlPull<DynRead>) -> Result<Option<Entry>, ImportError> {
    let mut entry = Entry::default();
    let mut refs: Vec<String> = Vec::new();
    loop {
        let (c, has_children) = match pull.next()? {
            Node::Start(c) => (c, true),
            Node::Empty(c) => (c, false),
            Node::End => break,
            Node::Eof => return Err(pull.truncated()),
            Node::Text(_) => continue,
        };
        if is(&c, "title") && has_children {
            entry.title = Some(pull.text()?).filter(|t| !t.is_empty());
            continue;
        }
        if is(&c, "ref") {
            if let Some(href) = c.attr_ci("href").map(str::trim).filter(|h| !h.is_empty()) {
                refs.push(href.to_string());
            }
        } else if is(&c, "banner") {
            entry.logo = c.attr_ci("href").map(str::to_string);
        }
        if has_children {
            pull.skip()?;
        }
    }
    let web = |r: &&String| {
        let l = r.to_ascii_lowercase();
        l.starts_with("http://") || l.starts_with("https://")
    };
    let Some(target) = refs.iter().find(web).or(refs.first()) else {
        return Ok(None);
    };
    (entry.target, entry.dropped) = split_kodi(target);
    Ok(Some(entry))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, format: Format) -> (Vec<Entry>, Rejections) {
        let input: DynRead = Box::new(std::io::Cursor::new(text.as_bytes().to_vec()));
        let mut rejected = Rejections::default();
        let e = entries(LineCounter::new(input), format, &mut rejected).expect("read");
        (e, rejected)
    }

    #[test]
    fn xspf_tracks() {
        let (e, rejected) = read(
            "<?xml version=\"1.0\"?><playlist version=\"1\" xmlns=\"http://xspf.org/ns/0/\"><trackList>\
             <track><location>https://a.example/live.mp3</location><title>Radio A</title><image>https://a.example/a.png</image></track>\
             <track><title>No location</title></track>\
             </trackList></playlist>",
            Format::Xspf,
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].title.as_deref(), Some("Radio A"));
        assert_eq!(e[0].logo.as_deref(), Some("https://a.example/a.png"));
        assert_eq!(rejected.len(), 1);
    }

    #[test]
    fn asx_entries_in_any_case() {
        let (e, rejected) = read(
            "<ASX version=\"3.0\"><TITLE>List</TITLE>\
             <Entry><Title>Radio B</Title><Ref HREF=\"mms://b.example/live\"/><ref href=\"http://b.example/live\"/></Entry>\
             <ENTRYREF HREF=\"http://c.example/other.asx\"/>\
             </ASX>",
            Format::Asx,
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].target, "http://b.example/live");
        assert_eq!(e[0].title.as_deref(), Some("Radio B"));
        assert_eq!(rejected.len(), 1);
    }
}
