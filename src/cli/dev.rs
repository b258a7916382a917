//! The developer commands (`say`, `simulate`, `play`, `check-model`): flags in, library calls,
//! text out. Everything with logic lives in [`crate::devtools`].

use super::{CheckModelArgs, PlayArgs, SayArgs, SimulateArgs, SkillPackageArgs, TestArgs};
use crate::devtools::{self, playback, say::Say};
use anyhow::Context;
use std::io::IsTerminal;
use std::path::PathBuf;

/// `onair say`: one turn, or the interactive session when no utterance is given.
pub(super) async fn say(args: SayArgs) -> anyhow::Result<()> {
    if args.play && args.out.is_none() {
        speaker_available()?;
    }
    let options = devtools::say::SayOptions {
        locale: args.locale.clone(),
        at: args.at.clone(),
        tz: args.tz.clone(),
        user: args.user.clone(),
        data_dir: args.data_dir.clone(),
        server: args.server.clone(),
        demo: args.demo,
        manifest_dir: args
            .manifest
            .clone()
            .unwrap_or_else(devtools::default_manifest_dir),
        fake_apis: args.fake_apis.then(|| devtools::fake_apis::FakeApiOptions {
            timezone: args.device_tz.clone().unwrap_or_else(|| args.tz.clone()),
            reminders: args.reminders,
        }),
    };
    let mut speaker = Say::open(&options).await?;
    if let Some(s) = speaker.seeded() {
        eprintln!(
            "demo schedule seeded into {}: {} added, {} updated, {} removed",
            args.data_dir.display(),
            s.added,
            s.updated,
            s.removed
        );
    }
    let in_process = !speaker.backend().is_server();
    let Some(utterance) = &args.utterance else {
        let mut background = args.play.then(|| {
            let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("onair"));
            playback::BackgroundPlayer::new(exe, play_flags(args.seconds, args.out.as_deref()))
        });
        let input = tokio::io::BufReader::new(tokio::io::stdin());
        let mut out = std::io::stdout();
        let options = devtools::repl::ReplOptions {
            json: args.json,
            echo: !std::io::stdin().is_terminal(),
        };
        let result = devtools::repl::run(&mut speaker, input, &mut out, options, |turn| {
            let player = background.as_mut()?;
            follow_directives(player, turn, in_process)
        })
        .await;
        speaker.finish()?;
        return Ok(result?);
    };
    let turns = speaker.turn(utterance).await?;
    print!("{}", devtools::report::render_all(&turns, args.json));
    speaker.finish()?;
    if args.play {
        let Some(stream) = turns
            .first()
            .into_iter()
            .flat_map(|turn| &turn.answer.response.response.directives)
            .find_map(|d| d.stream())
        else {
            anyhow::bail!("--play: the response has no AudioPlayer.Play directive");
        };
        let target = playback::target_for(&stream.url, in_process, &crate::service::audio_dir());
        if target != stream.url {
            println!("(in-process: playing the sample file this demo URL serves; run `onair serve --demo` and add --server for the live stream's ICY titles)");
        }
        play_to_end(&target, args.seconds, args.out).await?;
    }
    Ok(())
}

/// `--seconds`/`--out` as `onair play` flags, for the background player.
fn play_flags(seconds: Option<f64>, out: Option<&std::path::Path>) -> Vec<String> {
    let mut flags = Vec::new();
    if let Some(s) = seconds {
        flags.extend(["--seconds".to_string(), s.to_string()]);
    }
    if let Some(o) = out {
        flags.extend(["--out".to_string(), o.display().to_string()]);
    }
    flags
}

/// Interactive `--play`: a Play starts the stream in the background, a Stop stops it.
fn follow_directives(
    player: &mut playback::BackgroundPlayer,
    turns: &[devtools::say::Turn],
    in_process: bool,
) -> Option<String> {
    use crate::alexa::{ClearBehavior, Directive};
    let mut note = None;
    for directive in turns
        .iter()
        .flat_map(|t| &t.answer.response.response.directives)
    {
        match directive {
            Directive::Play { audio_item, .. } => {
                let target = playback::target_for(
                    &audio_item.stream.url,
                    in_process,
                    &crate::service::audio_dir(),
                );
                note = Some(match player.start(&target) {
                    Ok(()) => format!("(playing {target} in the background; say \"stop\" to stop)"),
                    Err(e) => format!("(could not start the player: {e})"),
                });
            }
            Directive::Stop
            | Directive::ClearQueue {
                clear_behavior: ClearBehavior::ClearAll,
            } if player.is_playing() => {
                player.stop();
                note = Some("(playback stopped)".into());
            }
            _ => {}
        }
    }
    note
}

async fn play_to_end(
    target: &str,
    seconds: Option<f64>,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    if out.is_none() {
        speaker_available()?;
    }
    match &out {
        Some(path) => println!("playing {target} into {}", path.display()),
        None => println!("playing {target} (Ctrl-C stops)"),
    }
    let target = target.to_string();
    let options = crate::player::PlayOptions {
        seconds,
        out_wav: out,
        on_title: Some(Box::new(|title: &str| println!("♪ {title}"))),
    };
    let report = tokio::task::spawn_blocking(move || crate::player::play(&target, options))
        .await
        .context("player task")?
        .map_err(devtools::DevtoolsError::from)?;
    print!("{}", playback::describe(&report));
    Ok(())
}

/// Fails with the player's "how to enable the speaker" message in builds without one, before
/// anything is printed or sent.
fn speaker_available() -> Result<(), devtools::DevtoolsError> {
    if cfg!(feature = "speaker") {
        Ok(())
    } else {
        Err(crate::player::PlayerError::NoSpeaker.into())
    }
}

/// `onair simulate`: one envelope in, the response JSON out.
pub(super) async fn simulate(args: SimulateArgs) -> anyhow::Result<()> {
    let body = devtools::simulate::read_input(&args.file)?;
    let backend = match &args.server {
        Some(url) => devtools::backend::Backend::server(url)?,
        None => {
            // Checked before opening the store, so a bad file never creates a data directory.
            crate::alexa::RequestEnvelope::from_slice(&body)
                .map_err(devtools::DevtoolsError::NotAnEnvelope)?;
            let options = devtools::backend::LocalOptions {
                data_dir: args.data_dir.clone(),
                timezone: args.tz.clone(),
                demo: false,
                now: jiff::Timestamp::now(),
            };
            devtools::backend::Backend::local(&options)?.0
        }
    };
    let answer = devtools::simulate::simulate(&body, &backend).await?;
    backend.finish()?;
    if let Some(error) = &answer.handler_error {
        eprintln!("handler error (answered with the apology): {error}");
    }
    print!("{}", devtools::simulate::render(&answer));
    Ok(())
}

/// `onair play`: a file or stream to the speaker or a WAV file.
pub(super) async fn play(args: PlayArgs) -> anyhow::Result<()> {
    play_to_end(&args.target, args.seconds, args.out).await
}

/// `onair check-model`: every problem on its own line, then a summary; fails if any.
pub(super) fn check_model(args: CheckModelArgs) -> anyhow::Result<()> {
    let dir = args.dir.unwrap_or_else(devtools::default_manifest_dir);
    let report = devtools::check_model::check_dir(&dir)?;
    for problem in &report.problems {
        println!("{problem}");
    }
    println!(
        "{}: {} locale(s) ({}), {} intents, {} samples checked, {} problem(s)",
        dir.display(),
        report.locales.len(),
        report.locales.join(", "),
        report.intents,
        report.samples,
        report.problems.len()
    );
    if report.problems.is_empty() {
        Ok(())
    } else {
        Err(devtools::DevtoolsError::ModelProblems(report.problems.len()).into())
    }
}

/// `onair test`: every script, a line per case, the differences of failures; exit 1 on any.
pub(super) async fn test(args: TestArgs) -> anyhow::Result<()> {
    let files = devtools::script::collect(&args.paths)?;
    if let Some(url) = &args.server {
        // Checked once up front, so a typo is one error rather than one per script.
        devtools::backend::Backend::server(url)?;
        println!("against {url}: the scripts' schedule and listener state are not applied");
    }
    let options = devtools::script::RunOptions {
        manifest_dir: args
            .manifest
            .clone()
            .unwrap_or_else(devtools::default_manifest_dir),
        server: args.server.clone(),
    };
    let summary = devtools::script::run_all(&files, &options).await;
    print!("{}", devtools::script::render(&summary));
    if let Some(path) = &args.junit {
        let xml = devtools::script::junit::render(&summary)?;
        std::fs::write(path, xml).with_context(|| format!("writing {}", path.display()))?;
    }
    if summary.passed() {
        Ok(())
    } else {
        Err(devtools::DevtoolsError::TestsFailed.into())
    }
}

/// `onair skill-package`: the deployable ASK CLI project.
pub(super) fn skill_package(args: SkillPackageArgs) -> anyhow::Result<()> {
    let written = devtools::skill_package::write(&devtools::skill_package::PackageOptions {
        manifest_dir: args.manifest.unwrap_or_else(devtools::default_manifest_dir),
        out_dir: args.out.clone(),
        endpoint: args.endpoint,
        certificate: args.certificate_type,
        skill_id: args.skill_id,
    })?;
    for file in &written.files {
        println!("wrote {}", file.display());
    }
    println!(
        "endpoint {}; deploy with: cd {} && ask deploy",
        written.endpoint,
        args.out.display()
    );
    Ok(())
}
