//! Running the built binary.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// "Now" of the fixture schedule.
pub const FIXTURE_NOW: &str = "2026-11-21T19:04:05Z";

/// The repository root (the binary finds `skill-manifest/` and `audio/` from there).
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `onair` with a clean environment, run from the repository root.
pub fn onair() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_onair"));
    cmd.current_dir(root())
        .env_remove("ONAIR_DATA_DIR")
        .env_remove("RUST_LOG")
        .stdin(Stdio::null());
    cmd
}

/// What a run printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Self {
        Self {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Panics with both streams unless the run succeeded.
    pub fn ok(self) -> Self {
        assert_eq!(
            self.code, 0,
            "stdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Runs `onair <args>`.
pub fn run(args: &[&str]) -> Run {
    Run::from(onair().args(args).output().expect("run onair"))
}

/// Runs `onair <args>` with `input` on standard input.
pub fn run_with_stdin(args: &[&str], input: &str) -> Run {
    let mut child = onair()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn onair");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    Run::from(child.wait_with_output().expect("wait"))
}

/// A temporary data directory holding the fixture schedule, imported with `onair import`.
pub fn seeded_data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let schedule = root().join("tests/fixtures/schedule.json");
    run(&[
        "import",
        schedule.to_str().expect("utf-8 path"),
        "--data-dir",
        path(dir.path()),
    ])
    .ok();
    dir
}

/// A path as a command-line argument.
pub fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Seconds of audio in a WAV file.
pub fn wav_seconds(p: &PathBuf) -> f64 {
    let reader = hound::WavReader::open(p).expect("a WAV file");
    let spec = reader.spec();
    f64::from(reader.duration()) / f64::from(spec.sample_rate)
}
