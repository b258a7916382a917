//! onair's canonical JSON schedule. Strict: unknown fields are errors naming their JSON path,
//! and one bad record rejects the file, so a typo never half-applies a schedule.
//!
//! The file is read as a stream: each record of the `stations`, `events` and `episodes` arrays
//! is decoded, checked and handed on before the next is read, so memory stays flat whatever the
//! file's size (the import session stages records; nothing is applied before the file ends
//! without an error).

use super::record::Output;
use super::ImportError;
use crate::schedule::{Episode, EpisodeSpec, Event, EventKind, EventSpec, Station, StationSpec};
use crate::store::ImportBatch;
use jiff::Timestamp;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::HashSet;
use std::io::Read;

/// The top-level keys of the file.
const FIELDS: &[&str] = &["stations", "events", "episodes"];

/// A station as onair's JSON writes it; also the body of the admin API's `PUT /admin/stations/{id}`,
/// where the id may come from the path instead.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StationIn {
    #[serde(default)]
    pub(crate) id: Option<String>,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    stream_url: Option<String>,
    #[serde(default)]
    genres: Vec<String>,
    #[serde(default)]
    image: Option<String>,
}

impl StationIn {
    /// The validated station; its id is the record's own, else `id`.
    pub(crate) fn into_station(self, id: &str) -> Result<Station, crate::schedule::DomainError> {
        Station::try_from(StationSpec {
            id: self.id.unwrap_or_else(|| id.to_string()),
            name: self.name,
            aliases: self.aliases,
            stream_url: self.stream_url,
            genres: self.genres,
            image: self.image,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn {
    id: String,
    title: String,
    #[serde(default = "default_kind")]
    kind: String,
    #[serde(default)]
    performers: Vec<String>,
    #[serde(default)]
    station: Option<String>,
    #[serde(default)]
    genres: Vec<String>,
    start: String,
    end: String,
    #[serde(default)]
    stream_url: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    language: Option<String>,
}

fn default_kind() -> String {
    "show".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EpisodeIn {
    id: String,
    show: String,
    title: String,
    published: String,
    #[serde(default)]
    duration_s: Option<u64>,
    audio_url: String,
    #[serde(default)]
    image: Option<String>,
}

fn time(raw: &str) -> Result<Timestamp, String> {
    raw.trim().parse::<Timestamp>().map_err(|_| {
        format!("{raw:?} is not an RFC 3339 time with an offset (e.g. 2026-11-21T20:00:00Z)")
    })
}

fn invalid(location: String, reason: impl ToString) -> ImportError {
    ImportError::Invalid {
        location,
        reason: reason.to_string(),
    }
}

/// One checked record of the file.
pub enum Record {
    /// A station.
    Station(Station),
    /// An event.
    Event(Event),
    /// A podcast episode.
    Episode(Episode),
}

/// Receives records as they are read.
type Sink<'a> = dyn FnMut(Record) -> Result<(), ImportError> + 'a;

#[derive(Clone, Copy)]
enum List {
    Stations,
    Events,
    Episodes,
}

impl List {
    fn name(self) -> &'static str {
        match self {
            Self::Stations => "stations",
            Self::Events => "events",
            Self::Episodes => "episodes",
        }
    }
}

/// Shared by the seeds: where records go, ids seen so far, and the first record error (serde's
/// error type cannot carry an [`ImportError`], so it waits here).
struct Walk<'s, 'a> {
    sink: &'s mut Sink<'a>,
    seen: [HashSet<String>; 3],
    failed: Option<ImportError>,
}

struct FileSeed<'w, 's, 'a>(&'w mut Walk<'s, 'a>);
struct ListSeed<'w, 's, 'a>(&'w mut Walk<'s, 'a>, List);

impl<'de> DeserializeSeed<'de> for FileSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an object with `stations`, `events` and `episodes` arrays")
    }
    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let list = match key.as_str() {
                "stations" => List::Stations,
                "events" => List::Events,
                "episodes" => List::Episodes,
                other => return Err(de::Error::unknown_field(other, FIELDS)),
            };
            map.next_value_seed(ListSeed(self.0, list))?;
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "an array of {}", self.1.name())
    }
    fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let ListSeed(walk, list) = self;
        let mut i = 0usize;
        loop {
            let checked = match list {
                List::Stations => match seq.next_element::<StationIn>()? {
                    Some(raw) => station(raw, i),
                    None => break,
                },
                List::Events => match seq.next_element::<EventIn>()? {
                    Some(raw) => event(raw, i),
                    None => break,
                },
                List::Episodes => match seq.next_element::<EpisodeIn>()? {
                    Some(raw) => episode(raw, i),
                    None => break,
                },
            };
            let result = checked
                .and_then(|(id, record)| {
                    if walk.seen[list as usize].insert(id.clone()) {
                        Ok(record)
                    } else {
                        Err(invalid(
                            format!("{}[{i}] (id {id:?})", list.name()),
                            "duplicate id",
                        ))
                    }
                })
                .and_then(|record| (walk.sink)(record));
            if let Err(e) = result {
                walk.failed = Some(e);
                return Err(de::Error::custom("record rejected"));
            }
            i += 1;
        }
        Ok(())
    }
}

fn station(s: StationIn, i: usize) -> Result<(String, Record), ImportError> {
    let Some(id) = s.id.clone() else {
        return Err(invalid(format!("stations[{i}].id"), "missing field `id`"));
    };
    let at = format!("stations[{i}] (id {id:?})");
    let station = s.into_station(&id).map_err(|e| invalid(at, e))?;
    Ok((id, Record::Station(station)))
}

fn event(e: EventIn, i: usize) -> Result<(String, Record), ImportError> {
    let at = format!("events[{i}] (id {:?})", e.id);
    let kind = EventKind::parse(&e.kind).map_err(|err| invalid(at.clone(), err))?;
    let start = time(&e.start).map_err(|r| invalid(format!("{at}.start"), r))?;
    let end = time(&e.end).map_err(|r| invalid(format!("{at}.end"), r))?;
    let id = e.id.clone();
    let event = Event::try_from(EventSpec {
        id: e.id,
        title: e.title,
        kind,
        performers: e.performers,
        station: e.station,
        genres: e.genres,
        start,
        end,
        stream_url: e.stream_url,
        description: e.description,
        image: e.image,
        language: e.language,
    })
    .map_err(|err| invalid(at, err))?;
    Ok((id, Record::Event(event)))
}

fn episode(p: EpisodeIn, i: usize) -> Result<(String, Record), ImportError> {
    let at = format!("episodes[{i}] (id {:?})", p.id);
    let published = time(&p.published).map_err(|r| invalid(format!("{at}.published"), r))?;
    let id = p.id.clone();
    let ep = Episode::try_from(EpisodeSpec {
        id: p.id,
        show: p.show,
        title: p.title,
        published,
        duration_s: p.duration_s,
        audio_url: p.audio_url,
        image: p.image,
    })
    .map_err(|err| invalid(at, err))?;
    Ok((id, Record::Episode(ep)))
}

/// Reads the file from `reader`, handing each checked record to `sink` as it is read; the
/// first offending record (or JSON error, with its path) ends the walk.
pub fn stream(reader: impl Read, sink: &mut Sink<'_>) -> Result<(), ImportError> {
    let mut walk = Walk {
        sink,
        seen: Default::default(),
        failed: None,
    };
    let buffered = std::io::BufReader::with_capacity(64 * 1024, reader);
    let mut de = serde_json::Deserializer::from_reader(buffered);
    let mut track = serde_path_to_error::Track::new();
    let walked = FileSeed(&mut walk)
        .deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    let result = match walked {
        Ok(()) => de.end().map_err(|e| (".".to_string(), e)),
        Err(e) => Err((track.path().to_string(), e)),
    };
    if let Some(failed) = walk.failed {
        return Err(failed);
    }
    result.map_err(|(path, e)| {
        if e.is_io() {
            return ImportError::Read {
                path: "input".into(),
                detail: e.to_string(),
            };
        }
        invalid(if path == "." { "file".into() } else { path }, e)
    })
}

/// Streams the file into an import's output.
pub fn stream_into(reader: impl Read, out: &mut Output<'_>) -> Result<(), ImportError> {
    stream(reader, &mut |record| match record {
        Record::Station(s) => {
            let id = s.id.to_string();
            out.station(s, &|| format!("station {id}"))
        }
        Record::Event(e) => {
            let id = e.id.to_string();
            out.event(e, &|| format!("event {id}"))
        }
        Record::Episode(p) => {
            let id = p.id.to_string();
            out.episode(p, &|| format!("episode {id}"))
        }
    })
}

/// Parses a whole file in memory or names the first offending record (tests and tools).
pub fn parse(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut batch = ImportBatch::default();
    stream(bytes, &mut |record| {
        match record {
            Record::Station(s) => batch.stations.push(s),
            Record::Event(e) => batch.events.push(e),
            Record::Episode(p) => batch.episodes.push(p),
        }
        Ok(())
    })?;
    Ok(batch)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"{
      "stations": [{"id": "radio-nova", "name": "Radio Nova", "aliases": ["nova"],
                    "stream_url": "https://nova.example/live", "genres": ["eclectic"]}],
      "events": [{"id": "ev-42", "title": "Radiohead live", "kind": "concert",
                  "performers": ["Radiohead"], "station": "radio-nova", "genres": ["rock"],
                  "start": "2026-11-21T21:00:00+01:00", "end": "2026-11-21T22:00:00Z"}],
      "episodes": [{"id": "ep-7", "show": "Jazz Notes", "title": "Coltrane at 100",
                    "published": "2026-11-01T08:00:00Z", "duration_s": 3120,
                    "audio_url": "https://pod.example/ep7.mp3"}]
    }"#;

    #[test]
    fn parses_the_documented_shape() {
        let b = parse(GOOD.as_bytes()).expect("valid");
        assert_eq!(
            (b.stations.len(), b.events.len(), b.episodes.len()),
            (1, 1, 1)
        );
        assert_eq!(b.events[0].start.to_string(), "2026-11-21T20:00:00Z");
    }

    #[test]
    fn unknown_field_names_its_path() {
        let bad = GOOD.replace("\"genres\": [\"rock\"]", "\"genre\": [\"rock\"]");
        let err = parse(bad.as_bytes()).expect_err("must fail");
        assert!(err.to_string().starts_with("events[0].genre"), "{err}");
    }

    #[test]
    fn bad_record_names_the_record() {
        let bad = GOOD.replace("2026-11-21T22:00:00Z", "2026-11-21T19:00:00Z");
        let err = parse(bad.as_bytes()).expect_err("must fail");
        assert!(
            err.to_string().contains("events[0] (id \"ev-42\")"),
            "{err}"
        );
    }

    #[test]
    fn bad_time_is_explained() {
        let bad = GOOD.replace("2026-11-21T22:00:00Z", "tomorrow");
        let err = parse(bad.as_bytes()).expect_err("must fail");
        assert!(
            err.to_string().contains("events[0] (id \"ev-42\").end"),
            "{err}"
        );
    }

    #[test]
    fn wrong_type_is_named() {
        let bad = GOOD.replace("\"duration_s\": 3120", "\"duration_s\": \"long\"");
        let err = parse(bad.as_bytes()).expect_err("must fail");
        assert!(
            err.to_string().starts_with("episodes[0].duration_s"),
            "{err}"
        );
    }

    #[test]
    fn duplicate_ids_are_refused() {
        let dup = r#"{"events": [
          {"id": "a", "title": "x", "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T01:00:00Z"},
          {"id": "a", "title": "y", "start": "2026-01-01T00:00:00Z", "end": "2026-01-01T01:00:00Z"}]}"#;
        assert!(parse(dup.as_bytes()).is_err());
    }

    #[test]
    fn a_station_needs_its_id() {
        let err = parse(br#"{"stations": [{"name": "Radio Nova"}]}"#).expect_err("must fail");
        assert!(err.to_string().starts_with("stations[0].id"), "{err}");
    }

    #[test]
    fn truncated_file_is_refused() {
        assert!(parse(&GOOD.as_bytes()[..100]).is_err());
    }
}
