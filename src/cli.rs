//! The command line: each subcommand parses its flags and calls the library.

use crate::config::{LogFormat, Settings};
use crate::devtools;
use crate::import::fetch::{feed_client, import_location, LocationOutcome, ReadHook, Validators};
use crate::import::input::DynRead;
use crate::import::{Format, ImportError, ImportOptions, ImportReport};
use crate::store::{SledStore, Store, StoreError};
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

mod dev;
mod dev_args;

pub use dev_args::{SkillPackageArgs, TestArgs};

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
    /// Say something to the skill as to a speaker; without an utterance, talk interactively.
    Say(SayArgs),
    /// Answer a request envelope from a file (`-` for stdin) and print the response JSON.
    Simulate(SimulateArgs),
    /// Play a file or stream locally, on the speaker (feature `speaker`) or into a WAV file.
    Play(PlayArgs),
    /// Check the interaction models of the skill package.
    CheckModel(CheckModelArgs),
    /// Run conversation scripts (YAML) and check every turn's answer.
    Test(TestArgs),
    /// Write a deployable copy of the skill package with the real endpoint filled in.
    SkillPackage(SkillPackageArgs),
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
    /// Serve the browser console under /console/ (on with --demo). Behind the admin token when
    /// one is set; without one, only on a loopback address.
    #[arg(long)]
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub console: bool,
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
    /// Bearer token enabling the admin API under /admin (at least 16 characters). Prefer
    /// ONAIR_ADMIN_TOKEN or the config file: a flag is visible in the process list.
    #[arg(long, value_parser = parse_secret)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub admin_token: Option<Secret>,
    /// Write each request that reached the skill, with its response, as a fixture folder in
    /// DIR (ids hashed, tokens blanked). Off by default.
    #[arg(long = "record", value_name = "DIR")]
    #[serde(rename = "record_dir", skip_serializing_if = "Option::is_none")]
    pub record: Option<PathBuf>,
    /// With --record: stop after this many cases [default: 1000].
    #[arg(long, requires = "record")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record_max_cases: Option<usize>,
}

/// A secret flag value: serialized as itself (to reach the settings), never shown by Debug.
#[derive(Clone, Serialize)]
#[serde(transparent)]
pub struct Secret(String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

fn parse_secret(raw: &str) -> Result<Secret, String> {
    Ok(Secret(raw.to_string()))
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
    /// The file path or http(s) URL to import.
    #[arg(value_name = "PATH|URL")]
    pub location: String,
    /// Data directory.
    #[arg(long, default_value = "onair-data", env = "ONAIR_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Format; detected from the content when absent.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Station of events that name none (iCalendar).
    #[arg(long)]
    pub station: Option<String>,
    /// How far ahead recurring events are expanded ("30d", "12h", or a number of days).
    #[arg(long, default_value = "30d", value_parser = parse_horizon)]
    pub horizon: Duration,
    /// Preferred language of titles and descriptions in multilingual guides.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// IANA zone for times without one (iCalendar floating times and all-day events).
    #[arg(long = "tz", default_value = "UTC", env = "ONAIR_DEFAULT_TIMEZONE")]
    pub tz: String,
    /// Show what would change without writing.
    #[arg(long)]
    pub dry_run: bool,
    /// Fetch remote station lists (.m3u, .pls) that a playlist names, within a bounded budget;
    /// without it they are kept as streams and nothing is fetched.
    #[arg(long)]
    pub follow_playlists: bool,
    /// All-day iCalendar events spanning more days than this are left out (not broadcasts).
    #[arg(long, default_value_t = crate::import::DEFAULT_MAX_ALL_DAY_DAYS)]
    pub max_all_day_days: u32,
}

/// `onair say` flags.
#[derive(Debug, Args)]
pub struct SayArgs {
    /// What to say, e.g. "what's on tonight"; without it an interactive session starts.
    pub utterance: Option<String>,
    /// Locale of the request and of the interaction model.
    #[arg(long, default_value = "en-US")]
    pub locale: String,
    /// Fixed "now": RFC 3339 (2026-11-21T21:00:00Z) or a local date-time in --tz.
    #[arg(long)]
    pub at: Option<String>,
    /// IANA time zone of the simulated device (and of the in-process skill's default).
    #[arg(long, default_value = "UTC")]
    pub tz: String,
    /// userId to send.
    #[arg(long)]
    pub user: Option<String>,
    /// Print the resolution, request and response as JSON.
    #[arg(long)]
    pub json: bool,
    /// Data directory of the in-process skill.
    #[arg(long, default_value = "onair-data", env = "ONAIR_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Send to a running server (e.g. http://127.0.0.1:8080) instead of running in-process.
    #[arg(long)]
    pub server: Option<String>,
    /// Play the stream of a Play directive locally.
    #[arg(long)]
    pub play: bool,
    /// Seed the demo schedule first when the data directory holds nothing else.
    #[arg(long)]
    pub demo: bool,
    /// With --play: stop after this many seconds.
    #[arg(long, requires = "play")]
    pub seconds: Option<f64>,
    /// With --play: render into this WAV file instead of the speaker.
    #[arg(long, requires = "play")]
    pub out: Option<PathBuf>,
    /// Skill package directory [default: ./skill-manifest, else the one onair was built from].
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Run the Settings and Reminders APIs in-process and send an apiAccessToken, so the
    /// device zone and reminders work offline.
    #[arg(long)]
    pub fake_apis: bool,
    /// With --fake-apis: the device time zone the Settings API reports [default: --tz].
    #[arg(long, requires = "fake_apis")]
    pub device_tz: Option<String>,
    /// With --fake-apis: the reminders permission the device reports.
    #[arg(long, value_enum, default_value = "granted", requires = "fake_apis")]
    pub reminders: devtools::fake_apis::Permission,
}

/// `onair simulate` flags.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Request envelope JSON file, or `-` for standard input.
    pub file: PathBuf,
    /// Send to a running server instead of running in-process.
    #[arg(long)]
    pub server: Option<String>,
    /// Data directory of the in-process skill.
    #[arg(long, default_value = "onair-data", env = "ONAIR_DATA_DIR")]
    pub data_dir: PathBuf,
    /// Default IANA time zone of the in-process skill.
    #[arg(long, default_value = "UTC")]
    pub tz: String,
}

/// `onair play` flags.
#[derive(Debug, Args)]
pub struct PlayArgs {
    /// File path or http(s) URL: audio files, Icecast streams, PLS/M3U playlists, HLS.
    pub target: String,
    /// Stop after this many seconds.
    #[arg(long)]
    pub seconds: Option<f64>,
    /// Render into this 16-bit WAV file instead of the speaker.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `onair check-model` flags.
#[derive(Debug, Args)]
pub struct CheckModelArgs {
    /// Skill package directory [default: ./skill-manifest, else the one onair was built from].
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

/// The exit code for a failed command: 2 for unusable input, 1 otherwise.
pub fn exit_code(error: &anyhow::Error) -> u8 {
    error
        .downcast_ref::<devtools::DevtoolsError>()
        .map_or(1, devtools::DevtoolsError::exit_code)
}

fn parse_horizon(raw: &str) -> Result<Duration, String> {
    if let Ok(days) = raw.trim().parse::<u64>() {
        return Ok(Duration::from_secs(days.saturating_mul(86_400)));
    }
    humantime::parse_duration(raw.trim()).map_err(|e| format!("{raw:?}: {e}"))
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    if std::env::var_os("RUST_LOG").is_some() {
        // The developer tools stay quiet unless asked; serve and import set up logging below.
        crate::telemetry::init(LogFormat::Text);
    }
    match cli.command {
        Command::Say(args) => dev::say(args).await,
        Command::Simulate(args) => dev::simulate(args).await,
        Command::Play(args) => dev::play(args).await,
        Command::CheckModel(args) => dev::check_model(args),
        Command::Test(args) => dev::test(args).await,
        Command::SkillPackage(args) => dev::skill_package(args),
        Command::Serve(args) => {
            let settings = args.settings()?;
            crate::telemetry::init(settings.log_format);
            if let Some(dir) = &settings.record_dir {
                devtools::record::install(devtools::record::RecordOptions {
                    dir: dir.clone(),
                    max_cases: settings.record_max_cases,
                    max_bytes: settings.record_max_bytes,
                    timezone: settings.default_timezone.clone(),
                })?;
                tracing::info!(dir = %dir.display(), "recording requests as fixtures");
            }
            crate::service::run(settings).await?;
            Ok(())
        }
        Command::Import(args) => import(args).await,
    }
}

/// A byte-count progress bar on stderr, drawn only when stdout is a terminal (so piped or
/// scripted runs print nothing but the summary).
fn progress_hook() -> (indicatif::ProgressBar, ReadHook) {
    let bar = if std::io::stdout().is_terminal() {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    } else {
        indicatif::ProgressBar::hidden()
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{spinner} {bytes}/{total_bytes} {bar:30} {bytes_per_sec} {msg}",
    ) {
        bar.set_style(style);
    }
    let handle = bar.clone();
    let hook: ReadHook = Box::new(move |reader: DynRead, length: Option<u64>| {
        if let Some(len) = length {
            handle.set_length(len);
        }
        Box::new(handle.wrap_read(reader))
    });
    (bar, hook)
}

async fn import(args: ImportArgs) -> anyhow::Result<()> {
    crate::telemetry::init(LogFormat::Text);
    let store: Arc<dyn Store> = Arc::new(
        SledStore::open_for_import(&args.data_dir)
            .with_context(|| format!("opening {}", args.data_dir.display()))?,
    );
    let options = ImportOptions {
        format: args.format,
        dry_run: args.dry_run,
        station: args.station.clone(),
        lang: args.lang.clone(),
        horizon: args.horizon,
        default_zone: args.tz.clone(),
        now: None,
        follow_playlists: args.follow_playlists,
        max_all_day_days: args.max_all_day_days,
    };
    let (bar, hook) = progress_hook();
    let outcome = import_location(
        store,
        &args.location,
        options,
        &feed_client(),
        &Validators::default(),
        Some(hook),
    )
    .await;
    bar.finish_and_clear();
    match outcome {
        Ok(LocationOutcome::Imported { report, .. }) => {
            print_report(&args, &report);
            Ok(())
        }
        Ok(LocationOutcome::NotModified) => {
            println!("{}: not modified", args.location);
            Ok(())
        }
        Err(ImportError::NothingUsable { rejected }) => {
            print_rejected(&rejected);
            anyhow::bail!(
                "{}: nothing usable was read (see the rejected records above); the store is unchanged",
                args.location
            )
        }
        Err(e @ ImportError::Store(StoreError::CommittedNotApplied(_))) => {
            Err(anyhow::Error::new(e).context(format!("importing {}", args.location)))
        }
        Err(e) => Err(anyhow::Error::new(e).context(format!(
            "importing {} (the store is unchanged)",
            args.location
        ))),
    }
}

fn print_report(args: &ImportArgs, report: &ImportReport) {
    let s = &report.summary;
    println!(
        "{}{}: {} added, {} updated, {} unchanged, {} removed, {} rejected",
        if args.dry_run {
            "dry run, nothing written. "
        } else {
            ""
        },
        args.location,
        s.added,
        s.updated,
        s.unchanged,
        s.removed,
        report.rejected.len()
    );
    print_rejected(&report.rejected);
    for w in &report.warnings {
        println!("  warning {}: {}", w.location, w.reason);
    }
}

fn print_rejected(rejected: &[crate::import::Rejected]) {
    for r in rejected {
        println!("  rejected {}: {}", r.location, r.reason);
    }
}
