//! The command line: each subcommand parses its flags and calls the library.

use crate::config::{LogFormat, Settings};
use crate::import::{self, Format, ImportOptions};
use crate::store::SledStore;
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::net::SocketAddr;
use std::path::PathBuf;

/// onair: a self-hosted Alexa skill backend for live concerts, radio and podcasts.
#[derive(Debug, Parser)]
#[command(name = "onair", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the skill endpoint.
    Serve(ServeArgs),
    /// Import a schedule file into the data directory.
    Import(ImportArgs),
}

/// `onair serve` flags. Each one overrides the config file and `ONAIR_*` variables.
#[derive(Debug, Args, Serialize)]
pub struct ServeArgs {
    /// Config file (TOML).
    #[arg(long)]
    #[serde(skip)]
    pub config: Option<PathBuf>,
    /// Listen address [default: 127.0.0.1:8080].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addr: Option<SocketAddr>,
    /// Data directory [default: onair-data].
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    /// Log format.
    #[arg(long, value_enum)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,
    /// IANA time zone used when a device's zone is unknown [default: UTC].
    #[arg(long = "tz")]
    #[serde(rename = "default_timezone", skip_serializing_if = "Option::is_none")]
    pub tz: Option<String>,
    /// Seed the demo schedule and serve the sample audio.
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
    /// Accept unsigned requests (local development only).
    #[arg(long)]
    #[serde(skip)]
    pub no_verify: bool,
    /// Allow --no-verify on a non-loopback address.
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub allow_insecure_public: bool,
    /// Skill id(s) whose requests are accepted (repeatable; required unless --no-verify).
    #[arg(long = "skill-id")]
    #[serde(rename = "skill_ids", skip_serializing_if = "Vec::is_empty")]
    pub skill_ids: Vec<String>,
    /// Extra trusted root certificate (PEM) for request signatures (repeatable).
    #[arg(long = "trust-root")]
    #[serde(rename = "trusted_roots", skip_serializing_if = "Vec::is_empty")]
    pub trusted_roots: Vec<PathBuf>,
    /// TLS certificate chain (PEM); with --tls-key, serve HTTPS directly.
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<PathBuf>,
    /// TLS private key (PEM).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,
    /// Base URL devices use to reach this server (for demo audio URLs).
    #[arg(long)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
}

impl ServeArgs {
    /// The settings these flags select.
    pub fn settings(&self) -> anyhow::Result<Settings> {
        #[derive(Serialize)]
        struct Overrides<'a> {
            #[serde(flatten)]
            args: &'a ServeArgs,
            #[serde(skip_serializing_if = "Option::is_none")]
            verify: Option<bool>,
        }
        let overrides = Overrides {
            args: self,
            verify: self.no_verify.then_some(false),
        };
        Ok(Settings::load(self.config.as_deref(), overrides)?)
    }
}

/// `onair import` flags.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import.
    pub path: PathBuf,
    /// Data directory.
    #[arg(long, default_value = "onair-data", env = "ONAIR_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Format; detected from the content when absent.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Show what would change without writing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let settings = args.settings()?;
            crate::telemetry::init(settings.log_format);
            crate::service::run(settings).await?;
            Ok(())
        }
        Command::Import(args) => {
            crate::telemetry::init(LogFormat::Text);
            let store = SledStore::open(&args.data_dir)
                .with_context(|| format!("opening {}", args.data_dir.display()))?;
            let options = ImportOptions {
                format: args.format,
                dry_run: args.dry_run,
            };
            let path = args.path.clone();
            let report =
                tokio::task::spawn_blocking(move || import::import_file(&store, &path, &options))
                    .await
                    .context("import task")??;
            let s = &report.summary;
            println!(
                "{}{}: {} added, {} updated, {} unchanged, {} removed, {} rejected",
                if args.dry_run {
                    "dry run, nothing written. "
                } else {
                    ""
                },
                args.path.display(),
                s.added,
                s.updated,
                s.unchanged,
                s.removed,
                report.rejected.len()
            );
            for r in &report.rejected {
                println!("  rejected {}: {}", r.location, r.reason);
            }
            Ok(())
        }
    }
}
