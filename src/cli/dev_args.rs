//! Flags of the commands that take the skill from the terminal to a device: `onair test` and
//! `onair skill-package`.

use crate::devtools;
use clap::Args;
use std::path::PathBuf;

/// `onair test` flags.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Script files or folders of them (*.yaml, searched recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also write a JUnit XML report here, for CI.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Run against a deployed onair (its base URL) instead of in-process; the scripts'
    /// schedule and listener state are not applied there.
    #[arg(long)]
    pub server: Option<String>,
    /// Skill package directory [default: ./skill-manifest, else the one onair was built from].
    #[arg(long)]
    pub manifest: Option<PathBuf>,
}

/// `onair skill-package` flags.
#[derive(Debug, Args)]
pub struct SkillPackageArgs {
    /// Public https:// URL of this server's /alexa, e.g. https://onair.example.org/alexa.
    #[arg(long)]
    pub endpoint: String,
    /// Folder to write the ASK CLI project into.
    #[arg(long)]
    pub out: PathBuf,
    /// Update this existing skill (amzn1.ask.skill.…) instead of creating one.
    #[arg(long)]
    pub skill_id: Option<String>,
    /// How Alexa checks the endpoint's certificate.
    #[arg(long, value_enum, ignore_case = true, default_value = "Trusted")]
    pub certificate_type: devtools::skill_package::CertificateType,
    /// Skill package directory [default: ./skill-manifest, else the one onair was built from].
    #[arg(long)]
    pub manifest: Option<PathBuf>,
}
