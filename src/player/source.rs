//! What to open: a file path or an HTTP(S) URL, following playlists (PLS,
//! M3U, HLS master → media) until something playable turns up.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use url::Url;

use super::hls::{self, ErrorSlot};
use super::http_stream::Net;
use super::icy::TitleFeed;
use super::playlist::{self, Playlist, MAX_PLAYLIST_BYTES};
use super::reader::ReadSeek;
use super::sniff::{
    classify, context, describe_head, sniff, AudioKind, Class, PlaylistKind, Sniffed,
};
use super::PlayerError;

/// How many playlists may lead to one another before the player gives up
/// (this also breaks playlist loops).
pub const MAX_PLAYLIST_DEPTH: usize = 5;

/// Bytes looked at to decide what a body is.
const SNIFF_BYTES: usize = 1024;

/// Something the decoder can play, with what is known about it.
pub(super) struct Media {
    pub reader: Box<dyn ReadSeek>,
    /// Sniffed (or labelled) kind, used as the decoder's hint.
    pub kind: Option<AudioKind>,
    /// Total length when known and seekable (files, fixed-length downloads).
    pub byte_len: Option<u64>,
    /// Value for [`PlayReport::format`](super::PlayReport).
    pub label: String,
    /// The file or URL the audio comes from.
    pub origin: String,
    /// Content-type and first bytes, for error messages.
    pub context: String,
    /// ICY titles, for streams that interleave them.
    pub titles: Option<TitleFeed>,
    /// Set for HLS: the follower's error, if it stopped early.
    pub hls_errors: Option<ErrorSlot>,
}

/// Creates the network side only when a URL is involved.
#[derive(Default)]
pub(super) struct LazyNet(Option<Net>);

impl LazyNet {
    fn get(&mut self) -> Result<&Net, PlayerError> {
        if self.0.is_none() {
            self.0 = Some(Net::new()?);
        }
        // Just filled in above.
        self.0.as_ref().ok_or_else(|| PlayerError::Internal {
            detail: "network runtime missing".into(),
        })
    }

    pub(super) fn shutdown(self) {
        if let Some(net) = self.0 {
            net.shutdown();
        }
    }
}

#[derive(Debug, Clone)]
enum Target {
    File(PathBuf),
    Url(Url),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::File(p) => write!(f, "{}", p.display()),
            Self::Url(u) => write!(f, "{u}"),
        }
    }
}

enum Opened {
    Media(Media),
    Playlist {
        location: String,
        entries: Vec<Target>,
    },
}

/// Opens `target`, following playlists.
pub(super) fn open(target: &str, net: &mut LazyNet) -> Result<Media, PlayerError> {
    let target = parse_target(target)?;
    open_target(&target, net, &mut Vec::new())
}

fn parse_target(s: &str) -> Result<Target, PlayerError> {
    let invalid = |detail: String| PlayerError::InvalidTarget {
        target: s.to_owned(),
        detail,
    };
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(invalid("empty".into()));
    }
    let Some((scheme, _)) = trimmed.split_once("://") else {
        return Ok(Target::File(PathBuf::from(trimmed)));
    };
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" => Url::parse(trimmed)
            .map(Target::Url)
            .map_err(|e| invalid(e.to_string())),
        "file" => Url::parse(trimmed)
            .ok()
            .and_then(|u| u.to_file_path().ok())
            .map(Target::File)
            .ok_or_else(|| invalid("not a local file URL".into())),
        other => Err(invalid(format!(
            "unsupported scheme {other}://; give a file path or an http(s) URL"
        ))),
    }
}

fn open_target(
    target: &Target,
    net: &mut LazyNet,
    chain: &mut Vec<String>,
) -> Result<Media, PlayerError> {
    let (location, entries) = match open_once(target, net)? {
        Opened::Media(media) => return Ok(media),
        Opened::Playlist { location, entries } => (location, entries),
    };
    chain.push(location.clone());
    if chain.len() > MAX_PLAYLIST_DEPTH {
        return Err(PlayerError::PlaylistDepth {
            limit: MAX_PLAYLIST_DEPTH,
            chain: chain.clone(),
        });
    }
    let mut first_error = None;
    for entry in &entries {
        match open_target(entry, net, chain) {
            Ok(media) => return Ok(media),
            Err(e @ PlayerError::PlaylistDepth { .. }) => return Err(e),
            Err(e) => {
                tracing::warn!(playlist = location, entry = %entry, "skipping entry: {e}");
                first_error.get_or_insert((entry.to_string(), e));
            }
        }
    }
    chain.pop();
    Err(PlayerError::Playlist {
        location,
        detail: match first_error {
            None => "it lists no entries".into(),
            Some((entry, e)) => format!("no playable entry (first entry {entry}: {e})"),
        },
    })
}

fn open_once(target: &Target, net: &mut LazyNet) -> Result<Opened, PlayerError> {
    match target {
        Target::File(path) => open_file(path),
        Target::Url(url) => open_url(url, net),
    }
}

fn unsupported(origin: &impl std::fmt::Display, what: String) -> PlayerError {
    PlayerError::UnsupportedFormat {
        detail: format!("{origin}: {what}"),
    }
}

fn open_file(path: &Path) -> Result<Opened, PlayerError> {
    let io_err = |source| PlayerError::File {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(io_err)?;
    let len = file.metadata().map_err(io_err)?.len();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut file)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(io_err)?;
    file.seek(SeekFrom::Start(0)).map_err(io_err)?;
    let ext = path.extension().and_then(|e| e.to_str());
    match classify(&head, None, ext).map_err(|what| unsupported(&path.display(), what))? {
        Class::Audio(kind) => Ok(Opened::Media(Media {
            reader: Box::new(file),
            kind,
            byte_len: Some(len),
            label: kind.map_or("unknown", AudioKind::label).to_owned(),
            origin: path.display().to_string(),
            context: context(None, &head),
            titles: None,
            hls_errors: None,
        })),
        Class::Playlist(kind) => {
            if len > MAX_PLAYLIST_BYTES as u64 {
                return Err(unsupported(
                    &path.display(),
                    "playlist file is too large".into(),
                ));
            }
            let body = std::fs::read(path).map_err(io_err)?;
            let location = path.display().to_string();
            let dir = path.parent().unwrap_or(Path::new("."));
            match playlist::parse(kind, &body) {
                Ok(Playlist::Entries(entries)) => Ok(Opened::Playlist {
                    entries: entries.iter().filter_map(|e| local_entry(dir, e)).collect(),
                    location,
                }),
                Ok(_) => Err(unsupported(
                    &location,
                    "HLS playlists are only followed over HTTP".into(),
                )),
                Err(detail) => Err(PlayerError::Playlist { location, detail }),
            }
        }
    }
}

/// Entries of a local playlist: URLs, or paths relative to the playlist.
fn local_entry(dir: &Path, entry: &str) -> Option<Target> {
    if entry.contains("://") {
        return parse_target(entry)
            .inspect_err(|e| tracing::warn!("ignoring playlist entry: {e}"))
            .ok();
    }
    Some(Target::File(dir.join(entry)))
}

/// Entries of a remote playlist resolve against its URL. Only HTTP(S) is
/// followed: a remote playlist has no business pointing at local files.
fn remote_entries(base: &Url, entries: &[String]) -> Vec<Target> {
    entries
        .iter()
        .filter_map(|entry| match base.join(entry) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => Some(Target::Url(url)),
            Ok(url) => {
                tracing::warn!(%url, "ignoring non-HTTP entry of a remote playlist");
                None
            }
            Err(e) => {
                tracing::warn!(entry, "ignoring malformed playlist entry: {e}");
                None
            }
        })
        .collect()
}

fn url_extension(url: &Url) -> Option<&str> {
    let last = url.path_segments()?.next_back()?;
    last.rsplit_once('.').map(|(_, ext)| ext)
}

fn open_url(url: &Url, net: &mut LazyNet) -> Result<Opened, PlayerError> {
    let net = net.get()?;
    let ext = url_extension(url);
    if ext.and_then(PlaylistKind::from_extension).is_some() {
        // Fetched whole so that relative entries resolve against the URL
        // after redirects (HLS CDNs redirect a lot).
        let fetched = net.fetch(url, MAX_PLAYLIST_BYTES)?;
        let head = &fetched.body[..fetched.body.len().min(SNIFF_BYTES)];
        let ct = fetched.content_type.as_deref();
        match classify(head, ct, ext).map_err(|what| unsupported(url, what))? {
            Class::Playlist(kind) => return playlist_body(net, kind, &fetched.body, &fetched.url),
            // Labelled like a playlist but audio inside: stream it instead.
            Class::Audio(_) => {}
        }
    }
    let mut body = net.open_stream(url)?;
    let read_err = |e: std::io::Error| PlayerError::Http {
        url: url.to_string(),
        detail: e.to_string(),
    };
    let head = body.reader.peek(SNIFF_BYTES).map_err(read_err)?.to_vec();
    let ct = body.content_type.as_deref();
    match classify(&head, ct, ext).map_err(|what| unsupported(url, what))? {
        Class::Audio(kind) => Ok(Opened::Media(Media {
            kind,
            byte_len: body.content_length,
            label: kind.map_or("unknown", AudioKind::label).to_owned(),
            origin: url.to_string(),
            context: context(ct, &head),
            titles: body.titles.take(),
            hls_errors: None,
            reader: Box::new(body.reader),
        })),
        Class::Playlist(kind) => {
            let text = body.reader.read_all(MAX_PLAYLIST_BYTES).map_err(read_err)?;
            playlist_body(net, kind, &text, url)
        }
    }
}

fn playlist_body(
    net: &Net,
    kind: PlaylistKind,
    body: &[u8],
    base: &Url,
) -> Result<Opened, PlayerError> {
    let location = base.to_string();
    match playlist::parse(kind, body) {
        Ok(Playlist::Entries(entries)) => Ok(Opened::Playlist {
            entries: remote_entries(base, &entries),
            location,
        }),
        Ok(Playlist::HlsMaster { variant }) => Ok(Opened::Playlist {
            entries: remote_entries(base, &[variant]),
            location,
        }),
        Ok(Playlist::HlsMedia(media)) => open_hls(net, base, media).map(Opened::Media),
        Err(detail) => Err(PlayerError::Playlist { location, detail }),
    }
}

fn open_hls(net: &Net, url: &Url, media: playlist::HlsMedia) -> Result<Media, PlayerError> {
    let (mut reader, errors) = hls::follow(net, url.clone(), media)?;
    let head = reader
        .peek(SNIFF_BYTES)
        .map_err(|e| PlayerError::Hls {
            url: url.to_string(),
            detail: e.to_string(),
        })?
        .to_vec();
    if head.is_empty() {
        return Err(
            hls::take_error(&errors).unwrap_or_else(|| PlayerError::Hls {
                url: url.to_string(),
                detail: "the playlist has no segment data".into(),
            }),
        );
    }
    let found = match sniff(&head) {
        Sniffed::Audio(kind @ (AudioKind::Adts | AudioKind::Mp3)) => Ok(kind),
        Sniffed::Audio(kind) => Err(kind.label()),
        Sniffed::NotAudio(what) => Err(what),
        _ => Err("unrecognised data"),
    };
    let kind = found.map_err(|what| {
        unsupported(
            url,
            format!(
                "HLS segments: {what} ({}); only packed audio (ADTS AAC or MP3) \
                 segments are supported",
                describe_head(&head)
            ),
        )
    })?;
    Ok(Media {
        reader: Box::new(reader),
        kind: Some(kind),
        byte_len: None,
        label: format!("HLS {}", kind.label()),
        origin: url.to_string(),
        context: context(None, &head),
        titles: None,
        hls_errors: Some(errors),
    })
}
