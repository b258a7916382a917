//! Stations, events and episodes. Each is built through a `*Spec` (the raw fields) and
//! `try_from`, which checks every rule once; after that the value is trusted everywhere.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a record is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// An id that is empty, too long or contains characters that would break key encoding.
    #[error("invalid id {0:?}: use 1 to 200 visible characters, no spaces")]
    BadId(String),
    /// A required text that is empty.
    #[error("{0} must not be empty")]
    Empty(&'static str),
    /// A text over its limit.
    #[error("{field} is longer than {limit} characters")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// Its limit.
        limit: usize,
    },
    /// A URL that is not http(s) or carries credentials.
    #[error("invalid URL {url:?}: {reason}")]
    BadUrl {
        /// The URL.
        url: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// An event that ends before it starts.
    #[error("event ends ({end}) before or when it starts ({start})")]
    EndBeforeStart {
        /// Start.
        start: Timestamp,
        /// End.
        end: Timestamp,
    },
    /// An event longer than we accept.
    #[error("event lasts longer than {0} days")]
    TooLongEvent(i64),
    /// An unknown event kind.
    #[error("unknown kind {0:?}: expected concert, show, broadcast or talk")]
    BadKind(String),
}

/// Longest description kept, in characters; importers cut longer ones at a word boundary.
pub const MAX_TEXT: usize = 2000;
/// Longest title or name kept, in characters; importers cut longer ones at a word boundary.
pub const MAX_NAME: usize = 300;
/// Longest event accepted: a month, so a festival or an exhibition that runs for weeks is one
/// event a listener can ask about. The store's time-range scans use the longest duration it
/// holds, not this bound, so raising it costs nothing for schedules of short events.
pub const MAX_EVENT_DAYS: i64 = 31;

/// A record id: 1 to 200 visible characters without whitespace or NUL, which keeps the sled key
/// encoding (id bytes after a NUL separator) unambiguous.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

impl Id {
    /// Validates an id.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let ok = !raw.is_empty()
            && raw.len() <= 200
            && raw.chars().all(|c| !c.is_whitespace() && !c.is_control());
        if ok {
            Ok(Self(raw.to_string()))
        } else {
            Err(DomainError::BadId(raw.chars().take(60).collect()))
        }
    }

    /// The id text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> Self {
        id.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An audio or image URL: http or https, no user-info. Plain http is admitted so the loopback
/// demo works; the response policy refuses it for real devices.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamUrl(String);

impl StreamUrl {
    /// Validates a URL.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let bad = |reason| DomainError::BadUrl {
            url: raw.chars().take(120).collect(),
            reason,
        };
        let url = url::Url::parse(raw.trim()).map_err(|_| bad("not an absolute URL"))?;
        if url.scheme() != "https" && url.scheme() != "http" {
            return Err(bad("scheme must be https (or http for local testing)"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(bad("credentials in URLs are not allowed"));
        }
        if url.host_str().is_none() {
            return Err(bad("no host"));
        }
        if raw.len() > 2000 {
            return Err(bad("longer than 2000 characters"));
        }
        Ok(Self(url.to_string()))
    }

    /// The URL text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the URL is https.
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }
}

impl TryFrom<String> for StreamUrl {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<StreamUrl> for String {
    fn from(u: StreamUrl) -> Self {
        u.0
    }
}

fn text(field: &'static str, raw: &str, limit: usize) -> Result<String, DomainError> {
    let t = raw.trim();
    if t.is_empty() {
        return Err(DomainError::Empty(field));
    }
    if t.chars().count() > limit {
        return Err(DomainError::TooLong { field, limit });
    }
    Ok(t.to_string())
}

fn opt_text(
    field: &'static str,
    raw: Option<&str>,
    limit: usize,
) -> Result<Option<String>, DomainError> {
    match raw.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => text(field, t, limit).map(Some),
        None => Ok(None),
    }
}

fn names(field: &'static str, raw: &[String]) -> Result<Vec<String>, DomainError> {
    let mut out: Vec<String> = Vec::new();
    for n in raw {
        if n.trim().is_empty() {
            continue;
        }
        let n = text(field, n, MAX_NAME)?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Ok(out)
}

fn genres(raw: &[String]) -> Result<Vec<String>, DomainError> {
    Ok(names("genres", raw)?
        .into_iter()
        .map(|g| g.to_lowercase())
        .collect())
}

fn opt_url(raw: Option<&str>) -> Result<Option<StreamUrl>, DomainError> {
    raw.map(str::trim)
        .filter(|u| !u.is_empty())
        .map(StreamUrl::parse)
        .transpose()
}

/// Raw station fields, as importers produce them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationSpec {
    /// Id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names listeners use.
    pub aliases: Vec<String>,
    /// 24/7 stream.
    pub stream_url: Option<String>,
    /// Genres.
    pub genres: Vec<String>,
    /// Logo.
    pub image: Option<String>,
}

/// A radio station or channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// Id.
    pub id: Id,
    /// Display name.
    pub name: String,
    /// Other names listeners use.
    pub aliases: Vec<String>,
    /// 24/7 stream, if the station has one.
    pub stream_url: Option<StreamUrl>,
    /// Lower-case genres.
    pub genres: Vec<String>,
    /// Logo.
    pub image: Option<StreamUrl>,
}

impl TryFrom<StationSpec> for Station {
    type Error = DomainError;
    fn try_from(s: StationSpec) -> Result<Self, DomainError> {
        Ok(Self {
            id: Id::parse(&s.id)?,
            name: text("name", &s.name, MAX_NAME)?,
            aliases: names("aliases", &s.aliases)?,
            stream_url: opt_url(s.stream_url.as_deref())?,
            genres: genres(&s.genres)?,
            image: opt_url(s.image.as_deref())?,
        })
    }
}

impl Station {
    /// Every name a listener may say for this station.
    pub fn spoken_names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Fills fields this record lacks from `older`, so a playlist (streams) and a guide (names)
    /// describing the same station combine whatever order they arrive in.
    pub fn merged_over(mut self, older: &Station) -> Station {
        if self.stream_url.is_none() {
            self.stream_url = older.stream_url.clone();
        }
        if self.image.is_none() {
            self.image = older.image.clone();
        }
        for a in older.spoken_names() {
            if a != self.name && !self.aliases.iter().any(|x| x == a) {
                self.aliases.push(a.to_string());
            }
        }
        for g in &older.genres {
            if !self.genres.contains(g) {
                self.genres.push(g.clone());
            }
        }
        self
    }
}

/// What kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    /// A live concert.
    Concert,
    /// A radio show.
    Show,
    /// A broadcast (news, sports, ceremonies).
    Broadcast,
    /// Spoken word.
    Talk,
}

impl EventKind {
    /// Parses the lower-case name.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "concert" => Ok(Self::Concert),
            "show" => Ok(Self::Show),
            "broadcast" => Ok(Self::Broadcast),
            "talk" => Ok(Self::Talk),
            _ => Err(DomainError::BadKind(raw.chars().take(40).collect())),
        }
    }
}

/// Raw event fields.
#[derive(Debug, Clone, PartialEq)]
pub struct EventSpec {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: EventKind,
    /// Performers.
    pub performers: Vec<String>,
    /// Station id.
    pub station: Option<String>,
    /// Genres.
    pub genres: Vec<String>,
    /// Start.
    pub start: Timestamp,
    /// End.
    pub end: Timestamp,
    /// Own stream.
    pub stream_url: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Image.
    pub image: Option<String>,
    /// Language (BCP 47).
    pub language: Option<String>,
}

/// A scheduled live event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Id.
    pub id: Id,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: EventKind,
    /// Performers.
    pub performers: Vec<String>,
    /// The station broadcasting it.
    pub station: Option<Id>,
    /// Lower-case genres.
    pub genres: Vec<String>,
    /// Start (UTC instant).
    pub start: Timestamp,
    /// End, after start.
    pub end: Timestamp,
    /// Its own stream; else the station's.
    pub stream_url: Option<StreamUrl>,
    /// Description.
    pub description: Option<String>,
    /// Image.
    pub image: Option<StreamUrl>,
    /// Language.
    pub language: Option<String>,
}

impl TryFrom<EventSpec> for Event {
    type Error = DomainError;
    fn try_from(s: EventSpec) -> Result<Self, DomainError> {
        if s.end <= s.start {
            return Err(DomainError::EndBeforeStart {
                start: s.start,
                end: s.end,
            });
        }
        if s.end.as_second() - s.start.as_second() > MAX_EVENT_DAYS * 86_400 {
            return Err(DomainError::TooLongEvent(MAX_EVENT_DAYS));
        }
        Ok(Self {
            id: Id::parse(&s.id)?,
            title: text("title", &s.title, MAX_NAME)?,
            kind: s.kind,
            performers: names("performers", &s.performers)?,
            station: s
                .station
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(Id::parse)
                .transpose()?,
            genres: genres(&s.genres)?,
            start: s.start,
            end: s.end,
            stream_url: opt_url(s.stream_url.as_deref())?,
            description: opt_text("description", s.description.as_deref(), MAX_TEXT)?,
            image: opt_url(s.image.as_deref())?,
            language: opt_text("language", s.language.as_deref(), 35)?,
        })
    }
}

impl Event {
    /// Whether the event is on at `t` (start inclusive, end exclusive).
    pub fn is_live_at(&self, t: Timestamp) -> bool {
        self.start <= t && t < self.end
    }
}

/// Raw episode fields.
#[derive(Debug, Clone, PartialEq)]
pub struct EpisodeSpec {
    /// Id.
    pub id: String,
    /// Show (podcast) name.
    pub show: String,
    /// Episode title.
    pub title: String,
    /// Publication time.
    pub published: Timestamp,
    /// Duration in seconds, when known.
    pub duration_s: Option<u64>,
    /// Audio URL.
    pub audio_url: String,
    /// Cover image.
    pub image: Option<String>,
}

/// A podcast episode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// Id.
    pub id: Id,
    /// Show name.
    pub show: String,
    /// Title.
    pub title: String,
    /// Publication time.
    pub published: Timestamp,
    /// Duration in seconds.
    pub duration_s: Option<u64>,
    /// Audio URL.
    pub audio_url: StreamUrl,
    /// Cover image.
    #[serde(default)]
    pub image: Option<StreamUrl>,
}

impl TryFrom<EpisodeSpec> for Episode {
    type Error = DomainError;
    fn try_from(s: EpisodeSpec) -> Result<Self, DomainError> {
        Ok(Self {
            id: Id::parse(&s.id)?,
            show: text("show", &s.show, MAX_NAME)?,
            title: text("title", &s.title, MAX_NAME)?,
            published: s.published,
            duration_s: s.duration_s,
            audio_url: StreamUrl::parse(&s.audio_url)?,
            image: opt_url(s.image.as_deref())?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("ts")
    }

    fn spec() -> EventSpec {
        EventSpec {
            id: "ev-1".into(),
            title: " Radiohead live ".into(),
            kind: EventKind::Concert,
            performers: vec!["Radiohead".into(), "".into(), "Radiohead".into()],
            station: Some("radio-nova".into()),
            genres: vec!["Rock".into()],
            start: ts("2026-11-21T20:00:00Z"),
            end: ts("2026-11-21T22:00:00Z"),
            stream_url: None,
            description: None,
            image: None,
            language: Some("en".into()),
        }
    }

    #[test]
    fn valid_event_is_normalised() {
        let e = Event::try_from(spec()).expect("valid");
        assert_eq!(e.title, "Radiohead live");
        assert_eq!(e.performers, vec!["Radiohead"]);
        assert_eq!(e.genres, vec!["rock"]);
    }

    #[test]
    fn end_must_follow_start() {
        let mut s = spec();
        s.end = s.start;
        assert!(matches!(
            Event::try_from(s),
            Err(DomainError::EndBeforeStart { .. })
        ));
    }

    #[test]
    fn overlong_event_is_refused() {
        let mut s = spec();
        s.end = ts("2026-12-31T22:00:00Z");
        assert_eq!(Event::try_from(s), Err(DomainError::TooLongEvent(31)));
        let mut festival = spec();
        festival.end = ts("2026-11-24T23:00:00Z");
        assert!(
            Event::try_from(festival).is_ok(),
            "a four-day festival is kept"
        );
    }

    #[test]
    fn ids_are_checked() {
        assert!(Id::parse("radio-nova").is_ok());
        assert!(Id::parse("").is_err());
        assert!(Id::parse("a b").is_err());
        assert!(Id::parse("a\0b").is_err());
        assert!(Id::parse(&"x".repeat(201)).is_err());
        assert!(Id::parse("chaîne.fr").is_ok());
    }

    #[test]
    fn urls_are_checked() {
        assert!(StreamUrl::parse("https://radio.example/live.mp3").is_ok());
        assert!(StreamUrl::parse("http://127.0.0.1:8080/audio/x.mp3").is_ok());
        assert!(StreamUrl::parse("ftp://x/y").is_err());
        assert!(StreamUrl::parse("https://user:pw@x/y").is_err());
        assert!(StreamUrl::parse("not a url").is_err());
    }

    #[test]
    fn empty_title_is_refused() {
        let mut s = spec();
        s.title = "   ".into();
        assert_eq!(Event::try_from(s), Err(DomainError::Empty("title")));
    }

    #[test]
    fn stations_merge() {
        let guide = Station::try_from(StationSpec {
            id: "nova".into(),
            name: "Radio Nova".into(),
            aliases: vec!["Nova".into()],
            ..Default::default()
        })
        .expect("valid");
        let playlist = Station::try_from(StationSpec {
            id: "nova".into(),
            name: "NOVA".into(),
            stream_url: Some("https://nova.example/live".into()),
            ..Default::default()
        })
        .expect("valid");
        let merged = guide.clone().merged_over(&playlist);
        assert_eq!(merged.name, "Radio Nova");
        assert!(merged.stream_url.is_some());
        assert!(merged.aliases.contains(&"NOVA".to_string()));
    }
}
