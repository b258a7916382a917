//! The developer loop: talk to the skill without a device or the cloud.
//!
//! - [`say`]: typed utterance → offline NLU → a complete request envelope, run in-process or
//!   against a running server, with the conversation (session attributes, player state) kept
//!   between turns; [`repl`] is its interactive form.
//! - [`device`]: the simulated speaker's player and the AudioPlayer events it sends.
//! - [`fake_apis`]: the Settings and Reminders APIs on loopback, for offline reminders.
//! - [`script`]: `onair test`, conversation scripts with expectations.
//! - [`simulate`]: any request envelope from a file → the response JSON.
//! - [`skill_package`]: a deployable copy of the skill package with the real endpoint.
//! - [`record`]: `onair serve --record`, real traffic written as fixture folders.
//! - [`check_model`]: lints for the interaction models in the skill package.
//! - [`playback`]: handing a Play directive's stream to the local [`crate::player`].
//!
//! The pieces that build and interpret JSON ([`envelope`], [`conversation`], [`report`]) are
//! pure so they can be unit-tested; [`backend`] is the only part that touches the store or the
//! network. Text goes to strings or to the writer the caller passes, never straight to the
//! terminal (the one exception is the background player's child process, which shares it).

pub mod backend;
pub mod check_model;
pub mod conversation;
pub mod device;
pub mod envelope;
pub mod fake_apis;
pub mod playback;
pub mod record;
pub mod repl;
pub mod report;
pub mod say;
pub mod script;
pub mod simulate;
pub mod skill_package;

use crate::alexa::EnvelopeError;
use crate::nlu::NluError;
use crate::player::PlayerError;
use std::path::{Path, PathBuf};

/// Skill id the developer tools put in their envelopes (the same as the test fixtures').
pub const DEV_SKILL_ID: &str = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001";
/// User id used when `--user` is not given.
pub const DEV_USER_ID: &str = "amzn1.ask.account.ONAIRDEVELOPER";
/// Device id of the simulated speaker.
pub const DEV_DEVICE_ID: &str = "amzn1.ask.device.ONAIRDEVELOPER";

/// Why a developer command failed. [`DevtoolsError::exit_code`] tells bad input (2) from
/// everything else (1), so scripts can tell "your file is wrong" from "the tool failed".
/// Each message is complete on its own (causes are part of it, not a separate `source`), so the
/// CLI and the interactive session print the same text.
#[derive(Debug, thiserror::Error)]
pub enum DevtoolsError {
    /// The input is not an ASK request envelope; the message names the offending field.
    #[error("not a request envelope: {0}")]
    NotAnEnvelope(EnvelopeError),
    /// A flag or an interactive command has a bad value.
    #[error("{0}")]
    Usage(String),
    /// A file could not be read.
    #[error("cannot read {}: {cause}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// The interaction model of a locale could not be loaded.
    #[error("interaction model for {locale}: {cause}")]
    Model {
        /// The locale asked for.
        locale: String,
        /// Why it did not load.
        cause: NluError,
    },
    /// The local data directory could not be opened or prepared.
    #[error("data directory {}: {detail}", dir.display())]
    DataDir {
        /// The directory.
        dir: PathBuf,
        /// What failed, with a hint when the cause is likely a running server.
        detail: String,
    },
    /// The server given with `--server` failed or answered with an error.
    #[error("{url}: {detail}")]
    Server {
        /// The endpoint.
        url: String,
        /// What went wrong.
        detail: String,
    },
    /// `onair test`: some conversations did not go as their scripts expect (each difference
    /// was reported before).
    #[error("some conversations did not go as expected (see above)")]
    TestsFailed,
    /// `check-model` found problems (they were reported one by one before).
    #[error("{0} problem(s) found in the interaction models")]
    ModelProblems(usize),
    /// Local playback failed.
    #[error(transparent)]
    Player(#[from] PlayerError),
    /// Reading input or writing output failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl DevtoolsError {
    /// The process exit code: 2 for unusable input, 1 for every other failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::NotAnEnvelope(_) | Self::Usage(_) => 2,
            _ => 1,
        }
    }
}

/// The skill package directory: `./skill-manifest` when run from a checkout, else the one this
/// binary was built from, so the tools work from any directory on a developer machine.
pub fn default_manifest_dir() -> PathBuf {
    let local = PathBuf::from("skill-manifest");
    if local.join("interactionModels").is_dir() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("skill-manifest")
    }
}

/// The interaction model file of `locale` inside a skill package directory.
pub fn model_path(manifest_dir: &Path, locale: &str) -> PathBuf {
    manifest_dir
        .join("interactionModels/custom")
        .join(format!("{locale}.json"))
}
