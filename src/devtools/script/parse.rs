//! Reading a conversation script: YAML in, a checked [`Script`] out, every step knowing the
//! line it came from so failures point at the file and line to fix.

use super::expect::{self, Expect, RawExpect};
use crate::devtools::device::DeviceEvent;
use crate::devtools::fake_apis::{FakeApiOptions, Permission};
use marked_yaml::{LoaderOptions, Spanned};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Largest script read: a conversation is a few kilobytes; anything near this is a mistake.
pub const MAX_SCRIPT_BYTES: u64 = 1024 * 1024;

/// How long one step may take when the script does not say.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a script cannot run; the message names the file and the line.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct ScriptError {
    /// The script file.
    pub path: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A conversation to replay.
#[derive(Debug, Clone)]
pub struct Script {
    /// The file.
    pub path: PathBuf,
    /// What it shows.
    pub name: String,
    /// Each locale runs the whole conversation once.
    pub locales: Vec<String>,
    /// Fixed "now" (RFC 3339, or a local date-time in `timezone`).
    pub at: Option<String>,
    /// Default zone of the skill (and the zone `at` is read in).
    pub timezone: String,
    /// Schedule file imported before the first turn.
    pub schedule: Option<PathBuf>,
    /// Stored listener state before the first turn.
    pub listener: Option<Value>,
    /// `userId`.
    pub user: Option<String>,
    /// Fake Settings and Reminders APIs.
    pub apis: Option<FakeApiOptions>,
    /// The steps.
    pub steps: Vec<Step>,
}

/// One step of a conversation.
#[derive(Debug, Clone)]
pub struct Step {
    /// Line of the step in the file.
    pub line: usize,
    /// What it does.
    pub action: StepAction,
    /// Longest it may take.
    pub timeout: Duration,
    /// What must hold afterwards.
    pub expect: Expect,
}

/// What a step sends.
#[derive(Debug, Clone, PartialEq)]
pub enum StepAction {
    /// An utterance through the offline NLU, per locale.
    Say(BTreeMap<String, String>),
    /// A named intent with slot values.
    Intent {
        /// Intent name (or `LaunchRequest`).
        name: String,
        /// Slot values by name.
        slots: Vec<(String, String)>,
    },
    /// A device event or button.
    Event(DeviceEvent),
    /// A request envelope read from this file.
    Request(PathBuf),
    /// Moving the clock.
    Wait(Duration),
    /// Answering a pending `Dialog.ConfirmIntent`.
    Confirm(bool),
}

impl StepAction {
    /// A short description for reports, e.g. `say "what's on"`.
    pub fn describe(&self, locale: &str) -> String {
        match self {
            Self::Say(texts) => format!("say {:?}", texts.get(locale).map_or("", |s| s.as_str())),
            Self::Intent { name, .. } => format!("intent {name}"),
            Self::Event(e) => format!("event {}", e.request_type()),
            Self::Request(p) => format!("request {}", p.display()),
            Self::Wait(d) => format!("wait {}", humantime::format_duration(*d)),
            Self::Confirm(yes) => format!("confirm {}", if *yes { "yes" } else { "no" }),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScript {
    name: Option<String>,
    locale: Option<String>,
    locales: Option<Vec<String>>,
    at: Option<String>,
    timezone: Option<String>,
    schedule: Option<String>,
    listener: Option<Value>,
    user: Option<String>,
    apis: Option<RawApis>,
    timeout: Option<String>,
    turns: Vec<Spanned<RawTurn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApis {
    timezone: Option<String>,
    reminders: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTurn {
    say: Option<Value>,
    intent: Option<String>,
    slots: Option<BTreeMap<String, String>>,
    event: Option<String>,
    button: Option<String>,
    request: Option<String>,
    wait: Option<String>,
    confirm: Option<String>,
    timeout: Option<String>,
    expect: Option<Spanned<RawExpect>>,
}

/// Reads and checks the script at `path`.
pub fn load(path: &Path) -> Result<Script, ScriptError> {
    let fail = |line: usize, message: String| ScriptError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(0, format!("cannot read: {e}")))?
        .len();
    if size > MAX_SCRIPT_BYTES {
        return Err(fail(
            0,
            format!("{size} bytes: a script holds at most {MAX_SCRIPT_BYTES}"),
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| fail(0, format!("cannot read: {e}")))?;
    let options = LoaderOptions::default().error_on_duplicate_keys(true);
    let raw: RawScript = marked_yaml::from_yaml_with_options(0, &text, options)
        .map_err(|e| yaml_error(path, &text, &e))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let locales = match (raw.locale, raw.locales) {
        (Some(_), Some(_)) => return Err(fail(1, "give `locale` or `locales`, not both".into())),
        (Some(one), None) => vec![one],
        (None, Some(many)) if !many.is_empty() => many,
        (None, Some(_)) => return Err(fail(1, "`locales` is empty".into())),
        (None, None) => vec!["en-US".into()],
    };
    let timeout = match &raw.timeout {
        Some(t) => duration(t).map_err(|m| fail(1, format!("timeout: {m}")))?,
        None => DEFAULT_TIMEOUT,
    };
    let apis = match raw.apis {
        Some(a) => Some(FakeApiOptions {
            timezone: a
                .timezone
                .unwrap_or_else(|| FakeApiOptions::default().timezone),
            reminders: match a.reminders.as_deref() {
                None => Permission::Granted,
                Some(p) => Permission::parse(p).ok_or_else(|| {
                    fail(
                        1,
                        format!("apis.reminders {p:?}: use granted, denied or none"),
                    )
                })?,
            },
        }),
        None => None,
    };
    if raw.turns.is_empty() {
        return Err(fail(
            1,
            "`turns` is empty: a conversation needs at least one".into(),
        ));
    }
    let mut steps = Vec::with_capacity(raw.turns.len());
    for turn in raw.turns {
        let line = line_of(turn.span());
        let step = step(&turn, line, timeout, &locales, base, apis.is_some())
            .map_err(|(l, m)| fail(l, m))?;
        steps.push(step);
    }
    Ok(Script {
        path: path.to_path_buf(),
        name: raw.name.unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        }),
        locales,
        at: raw.at,
        timezone: raw.timezone.unwrap_or_else(|| "UTC".into()),
        schedule: raw.schedule.map(|s| base.join(s)),
        listener: raw.listener.map(expect::coerce),
        user: raw.user,
        apis,
        steps,
    })
}

fn line_of(span: &marked_yaml::Span) -> usize {
    span.start().map_or(0, |m| m.line())
}

/// The first line where `field` is written as a mapping key, for errors the parser reports
/// without a position.
fn key_line(text: &str, field: &str) -> usize {
    let key = format!("{field}:");
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            l.starts_with(&key)
                || l.contains(&format!("{{{key}"))
                || l.contains(&format!(", {key}"))
        })
        .map_or(0, |i| i + 1)
}

fn yaml_error(path: &Path, text: &str, e: &marked_yaml::FromYamlError) -> ScriptError {
    use marked_yaml::LoadError;
    let (line, message) = match e {
        marked_yaml::FromYamlError::ParseYaml(load) => {
            let marker = match load {
                LoadError::TopLevelMustBeMapping(m)
                | LoadError::TopLevelMustBeSequence(m)
                | LoadError::UnexpectedAnchor(m)
                | LoadError::MappingKeyMustBeScalar(m)
                | LoadError::UnexpectedTag(m)
                | LoadError::ScanError(m, _) => Some(*m),
                LoadError::DuplicateKey(d) => d.key.span().start().copied(),
            };
            (
                marker.map_or(0, |m| m.line()),
                format!("malformed YAML: {load}"),
            )
        }
        marked_yaml::FromYamlError::FromNode(node) => {
            let mut line = node.start_mark().map_or(0, |m| m.line());
            if let (0, marked_yaml::Error::UnknownFieldError(field, _, _)) = (line, &**node) {
                line = key_line(text, field);
            }
            (line, node.to_string())
        }
    };
    ScriptError {
        path: path.to_path_buf(),
        line,
        message,
    }
}

type StepResult = Result<Step, (usize, String)>;

fn step(
    turn: &RawTurn,
    line: usize,
    default_timeout: Duration,
    locales: &[String],
    base: &Path,
    has_apis: bool,
) -> StepResult {
    let err = |m: String| (line, m);
    let given = [
        turn.say.is_some(),
        turn.intent.is_some(),
        turn.event.is_some(),
        turn.button.is_some(),
        turn.request.is_some(),
        turn.wait.is_some(),
        turn.confirm.is_some(),
    ]
    .iter()
    .filter(|g| **g)
    .count();
    if given != 1 {
        return Err(err(
            "each turn does one thing: say, intent, event, button, request, wait or confirm".into(),
        ));
    }
    if turn.slots.is_some() && turn.intent.is_none() {
        return Err(err("`slots` goes with `intent`".into()));
    }
    let action = if let Some(say) = &turn.say {
        StepAction::Say(per_locale(say, locales).map_err(err)?)
    } else if let Some(name) = &turn.intent {
        StepAction::Intent {
            name: name.clone(),
            slots: turn.slots.clone().unwrap_or_default().into_iter().collect(),
        }
    } else if let Some(event) = &turn.event {
        StepAction::Event(DeviceEvent::parse(event).map_err(err)?)
    } else if let Some(button) = &turn.button {
        let b = crate::devtools::device::Button::parse(button).ok_or_else(|| {
            err(format!(
                "button {button:?}: use play, pause, next or previous"
            ))
        })?;
        StepAction::Event(DeviceEvent::Button(b))
    } else if let Some(file) = &turn.request {
        StepAction::Request(base.join(file))
    } else if let Some(wait) = &turn.wait {
        StepAction::Wait(duration(wait).map_err(|m| err(format!("wait: {m}")))?)
    } else {
        let answer = turn.confirm.clone().unwrap_or_default();
        StepAction::Confirm(match answer.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "oui" => true,
            "no" | "false" | "non" => false,
            _ => return Err(err(format!("confirm {answer:?}: use yes or no"))),
        })
    };
    let timeout = match &turn.timeout {
        Some(t) => duration(t).map_err(|m| err(format!("timeout: {m}")))?,
        None => default_timeout,
    };
    let expect = match &turn.expect {
        Some(raw) => {
            let at = line_of(raw.span());
            let spoken = !matches!(action, StepAction::Wait(_));
            Expect::parse(raw, locales, spoken, has_apis).map_err(|m| (at, m))?
        }
        None => Expect::default(),
    };
    Ok(Step {
        line,
        action,
        timeout,
        expect,
    })
}

/// `say: text` for every locale, or `say: {en-US: …, fr-FR: …}` covering each of them.
fn per_locale(value: &Value, locales: &[String]) -> Result<BTreeMap<String, String>, String> {
    match value {
        Value::String(s) => Ok(locales.iter().map(|l| (l.clone(), s.clone())).collect()),
        Value::Object(map) => {
            let mut out = BTreeMap::new();
            for locale in locales {
                let text = map.get(locale).and_then(Value::as_str).ok_or_else(|| {
                    format!("say: no text for locale {locale} (give one per locale)")
                })?;
                out.insert(locale.clone(), text.to_string());
            }
            if let Some(extra) = map.keys().find(|k| !locales.contains(k)) {
                return Err(format!("say: {extra} is not one of the script's locales"));
            }
            Ok(out)
        }
        _ => Err("say: give the utterance, or one per locale".into()),
    }
}

/// `45m`, `10 minutes`, `12m34s`, `1h 30m`.
pub fn duration(raw: &str) -> Result<Duration, String> {
    humantime::parse_duration(raw.trim()).map_err(|e| format!("{raw:?}: {e}"))
}

#[cfg(test)]
mod tests;
