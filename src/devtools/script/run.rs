//! Running a script: set up the store, the clock, the listener and the fake APIs, then play
//! every step through a simulated speaker and check what it expects.

use super::expect::{Mismatch, Observed};
use super::parse::{Script, Step, StepAction};
use crate::devtools::backend::Backend;
use crate::devtools::conversation::{parse_instant, Clock};
use crate::devtools::envelope::Identity;
use crate::devtools::fake_apis::FakeApis;
use crate::devtools::say::{Say, Turn};
use crate::devtools::DevtoolsError;
use crate::nlu::{Resolution, ResolvedSlot};
use crate::store::{SledStore, Store};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// Largest raw request file: Alexa's requests stay far below this.
const MAX_REQUEST_BYTES: u64 = 256 * 1024;

/// Where the scripts run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// The skill package (interaction models for utterances).
    pub manifest_dir: PathBuf,
    /// A deployed onair to talk to instead of an in-process skill.
    pub server: Option<String>,
}

/// A step that did not go as expected.
#[derive(Debug, Clone)]
pub struct StepFailure {
    /// Line of the step.
    pub line: usize,
    /// 1-based position of the step.
    pub turn: usize,
    /// What the step did, e.g. `say "what's on"`.
    pub action: String,
    /// The differences; empty when `error` says why the step could not run.
    pub mismatches: Vec<Mismatch>,
    /// Why the step could not run (timeout, no player, bad request file).
    pub error: Option<String>,
}

/// The result of one script in one locale.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The script file.
    pub path: PathBuf,
    /// The script's name.
    pub name: String,
    /// The locale of this run.
    pub locale: String,
    /// Steps that ran.
    pub steps_run: usize,
    /// The first failing step; `None` when everything held.
    pub failure: Option<StepFailure>,
    /// How long it took.
    pub seconds: f64,
}

/// Runs `script` once per locale.
pub async fn run_script(script: &Script, options: &RunOptions) -> Vec<CaseResult> {
    let mut results = Vec::new();
    for locale in &script.locales {
        let started = Instant::now();
        let (steps_run, failure) = match run_locale(script, locale, options).await {
            Ok(done) => done,
            Err(e) => (
                0,
                Some(StepFailure {
                    line: 1,
                    turn: 0,
                    action: "set-up".into(),
                    mismatches: Vec::new(),
                    error: Some(e.to_string()),
                }),
            ),
        };
        results.push(CaseResult {
            path: script.path.clone(),
            name: script.name.clone(),
            locale: locale.clone(),
            steps_run,
            failure,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    results
}

async fn run_locale(
    script: &Script,
    locale: &str,
    options: &RunOptions,
) -> Result<(usize, Option<StepFailure>), DevtoolsError> {
    let zone = jiff::tz::TimeZone::get(&script.timezone).map_err(|_| {
        DevtoolsError::Usage(format!(
            "timezone {:?} is not an IANA time zone",
            script.timezone
        ))
    })?;
    let clock = match &script.at {
        Some(raw) => Clock::Fixed(parse_instant(raw, &zone).ok_or_else(|| {
            DevtoolsError::Usage(format!(
                "at {raw:?} is not a time like 2026-11-21T21:00:00Z"
            ))
        })?),
        None => Clock::System,
    };
    let user = script
        .user
        .clone()
        .unwrap_or_else(|| crate::devtools::DEV_USER_ID.into());
    // Kept alive for the run: the in-process store lives in it.
    let data = tempfile::tempdir()?;
    let backend = match &options.server {
        Some(url) => Backend::server(url)?,
        None => Backend::over_store(prepare_store(script, &user, data.path())?, &script.timezone)?,
    };
    let mut identity = Identity {
        user_id: user,
        ..Identity::default()
    };
    let apis = match &script.apis {
        Some(o) => {
            let apis = FakeApis::start(o.clone()).await?;
            apis.attach(&mut identity);
            Some(apis)
        }
        None => None,
    };
    let mut say = Say::with_backend(backend, identity, clock, zone, &options.manifest_dir);
    if let Some(apis) = apis {
        say.keep_apis(apis);
    }
    say.set_locale(locale)?;
    for (index, step) in script.steps.iter().enumerate() {
        let fail = |mismatches: Vec<Mismatch>, error: Option<String>| StepFailure {
            line: step.line,
            turn: index + 1,
            action: step.action.describe(locale),
            mismatches,
            error,
        };
        let turns = match tokio::time::timeout(step.timeout, run_step(&mut say, step, locale)).await
        {
            Ok(Ok(turns)) => turns,
            Ok(Err(e)) => return Ok((index, Some(fail(Vec::new(), Some(e.to_string()))))),
            Err(_) => {
                let waited = humantime::format_duration(step.timeout);
                let message =
                    format!("timed out after {waited} (set `timeout:` on the turn or the script)");
                return Ok((index, Some(fail(Vec::new(), Some(message)))));
            }
        };
        let seen = Observed {
            turns: &turns,
            wait: matches!(step.action, StepAction::Wait(_)),
            locale,
            player: say.player_state(),
            queued: say.player().queued.as_ref().map(|q| q.token.clone()),
            reminders: say.apis().map(|a| a.reminders().len()),
        };
        let mismatches = step.expect.check(&seen);
        if !mismatches.is_empty() {
            return Ok((index + 1, Some(fail(mismatches, None))));
        }
    }
    say.finish()?;
    Ok((script.steps.len(), None))
}

/// A fresh store with the script's schedule and listener state.
fn prepare_store(
    script: &Script,
    user: &str,
    dir: &std::path::Path,
) -> Result<Arc<dyn Store>, DevtoolsError> {
    let data_err = |detail: String| DevtoolsError::DataDir {
        dir: dir.to_path_buf(),
        detail,
    };
    let store = SledStore::open(dir).map_err(|e| data_err(e.to_string()))?;
    if let Some(schedule) = &script.schedule {
        crate::import::import_file(&store, schedule, &crate::import::ImportOptions::default())
            .map_err(|e| DevtoolsError::Usage(format!("schedule {}: {e}", schedule.display())))?;
    }
    if let Some(state) = &script.listener {
        let state: crate::store::ListenerState = serde_json::from_value(state.clone())
            .map_err(|e| DevtoolsError::Usage(format!("listener: {e}")))?;
        let key = crate::privacy::user_key(user);
        store
            .update_listener(&key, &mut |s| *s = state.clone())
            .map_err(|e| data_err(e.to_string()))?;
    }
    Ok(Arc::new(store))
}

async fn run_step(say: &mut Say, step: &Step, locale: &str) -> Result<Vec<Turn>, DevtoolsError> {
    match &step.action {
        StepAction::Say(texts) => {
            let text = texts.get(locale).map_or("", String::as_str);
            say.turn(text).await
        }
        StepAction::Intent { name, slots } => {
            let resolution = Resolution {
                intent: name.clone(),
                slots: slots
                    .iter()
                    .map(|(name, value)| ResolvedSlot {
                        name: name.clone(),
                        value: Some(value.clone()),
                        entity: None,
                    })
                    .collect(),
                confidence: 1.0,
            };
            say.intent(resolution).await
        }
        StepAction::Event(event) => say.event(event.clone()).await,
        StepAction::Request(path) => {
            let read = |cause| DevtoolsError::Read {
                path: path.clone(),
                cause,
            };
            let size = std::fs::metadata(path).map_err(read)?.len();
            if size > MAX_REQUEST_BYTES {
                return Err(DevtoolsError::Usage(format!(
                    "{}: {size} bytes; Alexa sends at most {MAX_REQUEST_BYTES}",
                    path.display()
                )));
            }
            let text = std::fs::read_to_string(path).map_err(read)?;
            let request: Value = serde_json::from_str(&text)
                .map_err(|e| DevtoolsError::Usage(format!("{}: not JSON: {e}", path.display())))?;
            say.raw(request).await
        }
        StepAction::Wait(by) => say.wait(*by).await,
        StepAction::Confirm(yes) => say.confirm(*yes).await,
    }
}
