//! `--play`: hearing the stream a Play directive hands to the device.
//!
//! The demo's stream URLs point at the server that seeded them (`http://127.0.0.1:8080/audio/…`
//! by default). When the skill ran in-process there is no such server, so those URLs are played
//! from the sample files they stand for: `/audio/<file>` is `audio/<file>`, and the looping live
//! stream `/audio/live.mp3` is the concert it loops (`audio/concert.mp3`, without the ICY
//! titles only a server adds). Against `--server`, URLs are played as they are.

use crate::player::PlayReport;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// The demo route of the looping live stream, and the file it loops.
pub const LIVE_STREAM: &str = "live.mp3";
/// The sample file the live stream loops.
pub const LIVE_SOURCE: &str = "concert.mp3";

/// The local sample file a loopback `/audio/…` URL stands for, if it exists in `audio_dir`.
pub fn local_stand_in(url: &str, audio_dir: &Path) -> Option<PathBuf> {
    let url = url::Url::parse(url).ok()?;
    let loopback = match url.host()? {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => IpAddr::V4(ip).is_loopback(),
        url::Host::Ipv6(ip) => IpAddr::V6(ip).is_loopback(),
    };
    let name = url.path().strip_prefix("/audio/")?;
    let safe = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if !loopback || !safe {
        return None;
    }
    let file = if name == LIVE_STREAM {
        LIVE_SOURCE
    } else {
        name
    };
    let path = audio_dir.join(file);
    path.is_file().then_some(path)
}

/// What to hand the player for a Play directive's URL.
pub fn target_for(url: &str, in_process: bool, audio_dir: &Path) -> String {
    if in_process {
        if let Some(path) = local_stand_in(url, audio_dir) {
            return path.display().to_string();
        }
    }
    url.to_string()
}

/// A play report as printed after playback.
pub fn describe(report: &PlayReport) -> String {
    format!(
        "format      {}\nsample rate {} Hz\nchannels    {}\nplayed      {:.2} s\n",
        report.format, report.sample_rate, report.channels, report.seconds_played
    )
}

/// Playback in the background for the interactive session, so the prompt stays usable while
/// the stream plays, as on a speaker. It runs `onair play` as a child process because the
/// player has no stop control: killing the child is the stop button.
pub struct BackgroundPlayer {
    exe: PathBuf,
    extra_args: Vec<String>,
    child: Option<Child>,
}

impl BackgroundPlayer {
    /// A player that runs `exe play <target> <extra_args…>`.
    pub fn new(exe: PathBuf, extra_args: Vec<String>) -> Self {
        Self {
            exe,
            extra_args,
            child: None,
        }
    }

    /// Stops what plays and starts `target`.
    pub fn start(&mut self, target: &str) -> std::io::Result<()> {
        self.stop();
        let child = Command::new(&self.exe)
            .arg("play")
            .arg(target)
            .args(&self.extra_args)
            .stdin(Stdio::null())
            .spawn()?;
        self.child = Some(child);
        Ok(())
    }

    /// Stops playback, if any.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Already finished is fine; anything else leaves nothing we could do.
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Whether a playback is running.
    pub fn is_playing(&mut self) -> bool {
        match &mut self.child {
            Some(child) => matches!(child.try_wait(), Ok(None)),
            None => false,
        }
    }
}

impl Drop for BackgroundPlayer {
    fn drop(&mut self) {
        self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audio() -> PathBuf {
        crate::service::audio_dir()
    }

    #[test]
    fn demo_urls_map_to_sample_files() {
        let dir = audio();
        assert_eq!(
            local_stand_in("http://127.0.0.1:8080/audio/jingle.mp3", &dir),
            Some(dir.join("jingle.mp3"))
        );
        assert_eq!(
            local_stand_in(
                "http://localhost:9000/audio/live.mp3?station=echo-live",
                &dir
            ),
            Some(dir.join("concert.mp3"))
        );
    }

    #[test]
    fn other_urls_are_left_alone() {
        let dir = audio();
        for url in [
            "https://streams.example.org/audio/jingle.mp3",
            "http://127.0.0.1:8080/audio/../Cargo.toml",
            "http://127.0.0.1:8080/audio/missing.mp3",
            "http://127.0.0.1:8080/other/jingle.mp3",
            "not a url",
        ] {
            assert_eq!(local_stand_in(url, &dir), None, "{url}");
        }
        assert_eq!(
            target_for("http://127.0.0.1:8080/audio/jingle.mp3", false, &dir),
            "http://127.0.0.1:8080/audio/jingle.mp3"
        );
    }
}
