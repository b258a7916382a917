//! onair's canonical JSON schedule. Strict: unknown fields are errors naming their JSON path,
//! and one bad record rejects the file, so a typo never half-applies a schedule.

use super::ImportError;
use crate::schedule::{Episode, EpisodeSpec, Event, EventKind, EventSpec, Station, StationSpec};
use crate::store::ImportBatch;
use jiff::Timestamp;
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    stations: Vec<StationIn>,
    #[serde(default)]
    events: Vec<EventIn>,
    #[serde(default)]
    episodes: Vec<EpisodeIn>,
}

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

/// Parses the whole file or names the first offending record.
pub fn parse(bytes: &[u8]) -> Result<ImportBatch, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let file: File = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        invalid(
            if path == "." { "file".into() } else { path },
            e.into_inner(),
        )
    })?;
    let mut batch = ImportBatch::default();
    for (i, s) in file.stations.into_iter().enumerate() {
        let Some(id) = s.id.clone() else {
            return Err(invalid(format!("stations[{i}].id"), "missing field `id`"));
        };
        let at = format!("stations[{i}] (id {id:?})");
        let station = s.into_station(&id).map_err(|e| invalid(at, e))?;
        batch.stations.push(station);
    }
    for (i, e) in file.events.into_iter().enumerate() {
        let at = format!("events[{i}] (id {:?})", e.id);
        let kind = EventKind::parse(&e.kind).map_err(|err| invalid(at.clone(), err))?;
        let start = time(&e.start).map_err(|r| invalid(format!("{at}.start"), r))?;
        let end = time(&e.end).map_err(|r| invalid(format!("{at}.end"), r))?;
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
        batch.events.push(event);
    }
    for (i, p) in file.episodes.into_iter().enumerate() {
        let at = format!("episodes[{i}] (id {:?})", p.id);
        let published = time(&p.published).map_err(|r| invalid(format!("{at}.published"), r))?;
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
        batch.episodes.push(ep);
    }
    check_unique(&batch)?;
    Ok(batch)
}

fn check_unique(batch: &ImportBatch) -> Result<(), ImportError> {
    let mut seen = std::collections::HashSet::new();
    for (i, e) in batch.events.iter().enumerate() {
        if !seen.insert(e.id.as_str()) {
            return Err(invalid(
                format!("events[{i}] (id {:?})", e.id.as_str()),
                "duplicate id",
            ));
        }
    }
    seen.clear();
    for (i, s) in batch.stations.iter().enumerate() {
        if !seen.insert(s.id.as_str()) {
            return Err(invalid(
                format!("stations[{i}] (id {:?})", s.id.as_str()),
                "duplicate id",
            ));
        }
    }
    seen.clear();
    for (i, p) in batch.episodes.iter().enumerate() {
        if !seen.insert(p.id.as_str()) {
            return Err(invalid(
                format!("episodes[{i}] (id {:?})", p.id.as_str()),
                "duplicate id",
            ));
        }
    }
    Ok(())
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
