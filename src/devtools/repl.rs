//! The interactive `onair say`: one utterance per line, `:`-commands to change the setting.
//!
//! Lines are read from any async reader, so piping a script into `onair say` works the same as
//! typing, and tests drive it with a byte slice. There is no line editing or history; wrap the
//! command in `rlwrap` for that.

use super::conversation::{parse_instant, today_at, Clock};
use super::device::{Button, DeviceEvent};
use super::report::render_all;
use super::say::{Say, Turn};
use super::DevtoolsError;
use std::io::Write;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The commands besides utterances.
pub const HELP: &str = "\
Type what you would say to the speaker, e.g. \"what's on tonight\" or \"open on air\".
Commands:
  :json             toggle printing the request and response JSON
  :locale fr-FR     switch the locale (en-US, en-GB, fr-FR)
  :at 21:00         fix \"now\" to today at that local time
  :at 2026-11-21T21:00:00Z   fix \"now\" to that instant
  :at now           follow the real clock again
  :wait 45m         move the clock on; the device reports what plays to its end meanwhile
  :event finished   send a device event: started, nearly-finished, finished, stopped <ms>,
                    failed <type>
  :button pause     press a device button: play, pause, next, previous
  :confirm yes      answer a pending confirmation (saying yes or oui does too)
  :player           show the device's player
  :reminders        list the reminders created (with --fake-apis)
  :help             this text
  :quit             leave (also Ctrl-D)
";

/// One input line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Something to say.
    Utterance(String),
    /// `:json`.
    ToggleJson,
    /// `:locale <tag>`.
    Locale(String),
    /// `:at <time>`.
    At(String),
    /// `:wait <duration>`.
    Wait(std::time::Duration),
    /// `:event <event>` or `:button <button>`.
    Event(DeviceEvent),
    /// `:confirm yes|no`.
    Confirm(bool),
    /// `:player`.
    Player,
    /// `:reminders`.
    Reminders,
    /// `:help`.
    Help,
    /// `:quit`.
    Quit,
    /// A blank line.
    Nothing,
}

/// Parses a line; an unknown or incomplete `:`-command is an error message.
pub fn parse(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let Some(command) = line.strip_prefix(':') else {
        return Ok(if line.is_empty() {
            Command::Nothing
        } else {
            Command::Utterance(line.to_string())
        });
    };
    let (name, arg) = command
        .split_once(char::is_whitespace)
        .map(|(n, a)| (n, a.trim()))
        .unwrap_or((command, ""));
    match (name, arg.is_empty()) {
        ("json", _) => Ok(Command::ToggleJson),
        ("help" | "h" | "?", _) => Ok(Command::Help),
        ("quit" | "q" | "exit", _) => Ok(Command::Quit),
        ("locale", false) => Ok(Command::Locale(arg.to_string())),
        ("at", false) => Ok(Command::At(arg.to_string())),
        ("player", _) => Ok(Command::Player),
        ("reminders", _) => Ok(Command::Reminders),
        ("wait", false) => humantime::parse_duration(arg)
            .map(Command::Wait)
            .map_err(|e| format!(":wait {arg:?}: {e} (e.g. :wait 45m, :wait 12m34s)")),
        ("event", false) => DeviceEvent::parse(arg).map(Command::Event),
        ("button", false) => Button::parse(arg)
            .map(|b| Command::Event(DeviceEvent::Button(b)))
            .ok_or_else(|| format!(":button {arg:?}: use play, pause, next or previous")),
        ("confirm", false) => match arg.to_ascii_lowercase().as_str() {
            "yes" | "oui" => Ok(Command::Confirm(true)),
            "no" | "non" => Ok(Command::Confirm(false)),
            _ => Err(format!(":confirm {arg:?}: use yes or no")),
        },
        ("locale" | "at" | "wait" | "event" | "button" | "confirm", true) => {
            Err(format!(":{name} needs a value; see :help"))
        }
        _ => Err(format!("unknown command :{name}; see :help")),
    }
}

/// How the session prints.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReplOptions {
    /// Start with JSON output.
    pub json: bool,
    /// Repeat each input line after the prompt: when input is piped, this keeps the transcript
    /// readable, as if it had been typed.
    pub echo: bool,
}

/// Runs the session until `:quit` or the end of input. Each turn is printed to `out`, then
/// handed to `after_turn` (which the CLI uses for `--play`); a failing turn is reported and the
/// session goes on.
pub async fn run<R, W>(
    say: &mut Say,
    input: R,
    out: &mut W,
    options: ReplOptions,
    mut after_turn: impl FnMut(&[Turn]) -> Option<String>,
) -> Result<(), DevtoolsError>
where
    R: AsyncBufRead + Unpin,
    W: Write,
{
    writeln!(
        out,
        "onair say: {} · locale {} · now {} ({})\nType :help for commands, :quit to leave.",
        if say.backend().is_server() {
            "server"
        } else {
            "in-process"
        },
        say.locale(),
        say.now_local().strftime("%Y-%m-%d %H:%M"),
        say.zone().iana_name().unwrap_or("UTC"),
    )?;
    let mut json = options.json;
    let mut lines = input.lines();
    loop {
        write!(out, "onair> ")?;
        out.flush()?;
        let Some(line) = lines.next_line().await? else {
            writeln!(out)?;
            break;
        };
        if options.echo {
            writeln!(out, "{line}")?;
        }
        match parse(&line) {
            Ok(Command::Nothing) => {}
            Ok(Command::Quit) => break,
            Ok(Command::Help) => write!(out, "{HELP}")?,
            Ok(Command::ToggleJson) => {
                json = !json;
                writeln!(out, "JSON output {}", if json { "on" } else { "off" })?;
            }
            Ok(Command::Locale(locale)) => match say.set_locale(&locale) {
                Ok(()) => writeln!(out, "locale {locale}")?,
                Err(e) => writeln!(out, "error: {e}")?,
            },
            Ok(Command::At(when)) => match set_time(say, &when) {
                Ok(text) => writeln!(out, "now {text}")?,
                Err(e) => writeln!(out, "error: {e}")?,
            },
            Ok(Command::Player) => write!(out, "{}", describe_player(say))?,
            Ok(Command::Reminders) => write!(out, "{}", describe_reminders(say))?,
            Ok(step) => {
                let waited = matches!(step, Command::Wait(_));
                let result = match step {
                    Command::Utterance(text) => say.turn(&text).await,
                    Command::Wait(by) => say.wait(by).await,
                    Command::Event(event) => say.event(event).await,
                    Command::Confirm(yes) => say.confirm(yes).await,
                    _ => Ok(Vec::new()),
                };
                match result {
                    Ok(turns) => {
                        write!(out, "{}", render_all(&turns, json))?;
                        if let Some(note) = after_turn(&turns) {
                            writeln!(out, "{note}")?;
                        }
                        if waited {
                            writeln!(out, "now {}", say.now_local().strftime("%H:%M:%S %Z"))?;
                        }
                    }
                    Err(e) => writeln!(out, "error: {e}")?,
                }
            }
            Err(message) => writeln!(out, "error: {message}")?,
        }
    }
    Ok(())
}

/// `:player`: token, activity, offset and what is enqueued.
fn describe_player(say: &Say) -> String {
    let state = say.player_state();
    let activity = state
        .player_activity
        .and_then(|a| serde_json::to_value(a).ok())
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut text = match &state.token {
        Some(token) => format!(
            "player    {activity} {token} at {} ms\n",
            state.offset_in_milliseconds.unwrap_or(0)
        ),
        None => format!("player    {activity}, nothing loaded\n"),
    };
    if let Some(end) = say.player().ends_at {
        let local = end.to_zoned(say.zone().clone());
        text.push_str(&format!("ends      {}\n", local.strftime("%H:%M:%S %Z")));
    }
    if let Some(next) = &say.player().queued {
        text.push_str(&format!(
            "queued    {} from {} ms\n",
            next.token, next.offset_ms
        ));
    }
    text
}

/// `:reminders`: what the fake Reminders API holds.
fn describe_reminders(say: &Say) -> String {
    let Some(apis) = say.apis() else {
        return "no reminders API: start with --fake-apis\n".into();
    };
    let reminders = apis.reminders();
    if reminders.is_empty() {
        return "no reminders\n".into();
    }
    reminders
        .iter()
        .map(|r| {
            format!(
                "reminder  {} · {} · {}\n",
                r.scheduled(),
                r.text(),
                r.alert_token
            )
        })
        .collect()
}

/// Applies `:at`: "now", a clock time today, or an instant.
fn set_time(say: &mut Say, when: &str) -> Result<String, String> {
    let clock = if when.eq_ignore_ascii_case("now") {
        Clock::System
    } else {
        let now = say.now_local();
        let t = today_at(&now, when)
            .or_else(|| parse_instant(when, say.zone()))
            .ok_or_else(|| {
                format!("{when:?} is neither a time like 21:00 nor an instant like 2026-11-21T21:00:00Z")
            })?;
        Clock::Fixed(t)
    };
    say.set_clock(clock);
    let local = say.now_local();
    Ok(match clock {
        Clock::System => format!("follows the clock: {}", local.strftime("%Y-%m-%d %H:%M %Z")),
        Clock::Fixed(t) => format!(
            "{} ({})",
            super::envelope::timestamp(t),
            local.strftime("%a %Y-%m-%d %H:%M %Z")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commands_and_utterances() {
        assert_eq!(
            parse("  what's on tonight "),
            Ok(Command::Utterance("what's on tonight".into()))
        );
        assert_eq!(parse(""), Ok(Command::Nothing));
        assert_eq!(parse(":json"), Ok(Command::ToggleJson));
        assert_eq!(parse(":locale fr-FR"), Ok(Command::Locale("fr-FR".into())));
        assert_eq!(parse(":at 21:00"), Ok(Command::At("21:00".into())));
        assert_eq!(parse(":q"), Ok(Command::Quit));
        assert!(parse(":at").is_err());
        assert_eq!(
            parse(":wait 12m34s"),
            Ok(Command::Wait(std::time::Duration::from_secs(754)))
        );
        assert_eq!(
            parse(":event stopped 1000"),
            Ok(Command::Event(DeviceEvent::Stopped(Some(1000))))
        );
        assert_eq!(
            parse(":button next"),
            Ok(Command::Event(DeviceEvent::Button(Button::Next)))
        );
        assert_eq!(parse(":confirm oui"), Ok(Command::Confirm(true)));
        assert!(parse(":wait soon").is_err());
        assert!(parse(":confirm maybe").is_err());
        assert!(parse(":dance").expect_err("unknown").contains(":help"));
    }
}
