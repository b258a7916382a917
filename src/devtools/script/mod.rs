//! `onair test`: conversation scripts (YAML) replayed against the skill, in-process or on a
//! deployed server, with a fixed clock, zone, locale, schedule and listener state.
//!
//! A script is a list of turns: an utterance (through the offline NLU), a named intent, a
//! device event or button, a raw request file, a clock move or a yes/no to a pending
//! confirmation; each turn may `expect` speech, reprompt, card, directives, session end and
//! attributes, the events the device sent, its player and the reminders created. The format is
//! documented in `docs/developer-loop.md`; `examples/` holds one script per README feature.
//!
//! - [`parse`]: YAML → [`Script`], with the line of every turn.
//! - [`expect`], [`text`], [`directive`]: expectations and the comparison.
//! - [`run`]: the replay.
//! - [`junit`]: the CI report.

pub mod directive;
pub mod expect;
pub mod junit;
pub mod parse;
pub mod run;
pub mod text;

pub use parse::{Script, ScriptError};
pub use run::{CaseResult, RunOptions};

use super::DevtoolsError;
use std::fmt::Write;
use std::path::{Path, PathBuf};

/// Every result of a test run, including scripts that could not be read.
#[derive(Debug, Default)]
pub struct Summary {
    /// One per script and locale that ran.
    pub cases: Vec<CaseResult>,
    /// Scripts that could not be read.
    pub broken: Vec<ScriptError>,
}

impl Summary {
    /// True when every script was read and every case passed.
    pub fn passed(&self) -> bool {
        self.broken.is_empty() && self.cases.iter().all(|c| c.failure.is_none())
    }
}

/// The script files under `paths`: files as given, folders searched for `*.yaml`/`*.yml`
/// (sorted, recursively).
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>, DevtoolsError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            walk(path, &mut files)?;
            files[before..].sort();
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            return Err(DevtoolsError::Usage(format!(
                "{}: no such file or folder",
                path.display()
            )));
        }
    }
    if files.is_empty() {
        return Err(DevtoolsError::Usage(
            "no conversation scripts (*.yaml) found".into(),
        ));
    }
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DevtoolsError> {
    let read = |e| DevtoolsError::Read {
        path: dir.to_path_buf(),
        cause: e,
    };
    for entry in std::fs::read_dir(dir).map_err(read)? {
        let path = entry.map_err(read)?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads and runs every script in `files`, in order.
pub async fn run_all(files: &[PathBuf], options: &RunOptions) -> Summary {
    let mut summary = Summary::default();
    for file in files {
        match parse::load(file) {
            Ok(script) => summary
                .cases
                .extend(run::run_script(&script, options).await),
            Err(e) => summary.broken.push(e),
        }
    }
    summary
}

/// The report for a terminal or a CI log: one line per case, the differences of each failure
/// (file:line, turn and field), then the totals.
pub fn render(summary: &Summary) -> String {
    let mut out = String::new();
    for broken in &summary.broken {
        let _ = writeln!(out, "ERROR {broken}");
    }
    for case in &summary.cases {
        let head = format!("{} [{}] {}", case.path.display(), case.locale, case.name);
        match &case.failure {
            None => {
                let _ = writeln!(out, "PASS  {head} ({} turns)", case.steps_run);
            }
            Some(f) => {
                let _ = writeln!(out, "FAIL  {head}");
                out.push_str(&describe_failure(case, f));
            }
        }
    }
    let failed = summary.cases.iter().filter(|c| c.failure.is_some()).count();
    let _ = writeln!(
        out,
        "{} passed, {failed} failed, {} unreadable",
        summary.cases.len() - failed,
        summary.broken.len()
    );
    out
}

/// One failure: where, which turn, and each field's expected and actual value.
pub fn describe_failure(case: &CaseResult, f: &run::StepFailure) -> String {
    let mut out = String::new();
    let at = format!("{}:{}", case.path.display(), f.line);
    if let Some(error) = &f.error {
        let _ = writeln!(out, "  {at}: turn {} ({}): {error}", f.turn, f.action);
    }
    for m in &f.mismatches {
        let _ = writeln!(out, "  {at}: turn {} ({}), {}:", f.turn, f.action, m.field);
        let _ = writeln!(out, "      expected: {}", m.expected);
        let _ = writeln!(out, "      actual:   {}", m.actual);
    }
    out
}
