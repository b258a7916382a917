//! The simulated device in the interactive `onair say`, driven through standard input: it
//! sends what an Echo sends after a Play, the clock moves with `:wait`, and positions survive a
//! stop. Also the fake Alexa APIs: "remind me when it starts", confirmed, offline.

use super::helpers::{path, root, run, run_with_stdin};

/// A data directory holding the example schedule.
fn example_data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let schedule = root().join("examples/schedule.json");
    run(&["import", path(&schedule), "--data-dir", path(dir.path())]).ok();
    dir
}

/// Asserts `needles` appear in `haystack` in this order; returns the text after the last.
fn in_order<'a>(haystack: &'a str, needles: &[&str]) -> &'a str {
    let mut rest = haystack;
    for needle in needles {
        let Some(at) = rest.find(needle) else {
            panic!("missing {needle:?} (in this order) in:\n{haystack}");
        };
        rest = &rest[at + needle.len()..];
    }
    rest
}

#[test]
fn a_live_event_to_its_end_then_pause_wait_resume_and_a_podcast_position() {
    let data = example_data();
    let script = "\
play the evening news
:wait 30m
pause
:wait 10m
resume
play the latest episode of jazz notes
:wait 12m34s
stop
resume
:player
";
    let args = [
        "say",
        "--at",
        "2026-11-21T19:04:05Z",
        "--tz",
        "America/New_York",
        "--data-dir",
        path(data.path()),
    ];
    let out = run_with_stdin(&args, script).ok().stdout;
    in_order(
        &out,
        &[
            // The Play, and the device reporting it started.
            "onair> play the evening news",
            "play      https://streams.example.org/news-hd.mp3",
            "device    AudioPlayer.PlaybackStarted",
            // Near the end of the news, the next programme is enqueued after it...
            "onair> :wait 30m",
            "device    AudioPlayer.PlaybackNearlyFinished",
            "play      https://streams.example.org/jazz-hour.mp3",
            "ENQUEUE after onair1.e.",
            // ...and the device moves on to it by itself.
            "device    AudioPlayer.PlaybackFinished",
            "device    AudioPlayer.PlaybackStarted",
            "ev-jazz-hour at 0 ms",
            "now 14:34:05 EST",
            // Pause: Stop, then the device reports where it stopped.
            "onair> pause",
            "stop      AudioPlayer.Stop",
            "device    AudioPlayer.PlaybackStopped",
            // Ten minutes later, resume rejoins the live edge.
            "onair> :wait 10m",
            "onair> resume",
            "player    STOPPED onair1.e.",
            "offset 0 ms · REPLACE_ALL",
            // The podcast, stopped at 12:34...
            "onair> play the latest episode of jazz notes",
            "play      https://pod.example.org/jazz-notes/2.mp3",
            "onair> :wait 12m34s",
            "onair> stop",
            "device    AudioPlayer.PlaybackStopped",
            "ep-jn-2 at 754000 ms",
            // ...resumes at 12:34.
            "onair> resume",
            "play      https://pod.example.org/jazz-notes/2.mp3",
            "offset 754000 ms · REPLACE_ALL",
            "onair> :player",
            "player    PLAYING onair1.p.",
        ],
    );
}

#[test]
fn events_need_a_player_and_bad_commands_say_why() {
    let data = example_data();
    let out = run_with_stdin(
        &[
            "say",
            "--at",
            "2026-11-21T19:04:05Z",
            "--data-dir",
            path(data.path()),
        ],
        ":event finished\n:wait soon\n:confirm yes\n:button pause\n",
    )
    .ok()
    .stdout;
    in_order(
        &out,
        &[
            "error: cannot send AudioPlayer.PlaybackFinished: the device's player holds nothing",
            "error: :wait \"soon\"",
            "error: nothing to confirm",
            "device    PlaybackController.PauseCommandIssued",
        ],
    );
}

fn remind(locale: &str, ask: &str, yes: &str) -> String {
    let data = example_data();
    let args = [
        "say",
        "--at",
        "2026-11-21T19:04:05Z",
        "--locale",
        locale,
        "--fake-apis",
        "--device-tz",
        "Europe/Paris",
        "--data-dir",
        path(data.path()),
    ];
    run_with_stdin(&args, &format!(":reminders\n{ask}\n{yes}\n:reminders\n"))
        .ok()
        .stdout
}

#[test]
fn reminders_work_offline_with_confirmation_in_english() {
    let out = remind("en-US", "remind me about late night jazz", "yes");
    let rest = in_order(
        &out,
        &[
            "onair> :reminders",
            "no reminders",
            "directive {\"type\":\"Dialog.ConfirmIntent\"",
            "onair> yes",
            "CONFIRMED",
            "onair> :reminders",
            // 02:00 UTC is 03:00 in Paris, the device's zone from the fake Settings API.
            "reminder  2026-11-22T03:00:00",
            "Late Night Jazz",
            "fake-alert-1",
        ],
    );
    assert!(!rest.contains("reminder "), "one reminder only:\n{out}");
}

#[test]
fn reminders_work_offline_with_confirmation_in_french() {
    let out = remind("fr-FR", "rappelle-moi late night jazz", "oui");
    in_order(
        &out,
        &[
            "no reminders",
            "Dialog.ConfirmIntent",
            "onair> oui",
            "CONFIRMED",
            "reminder  2026-11-22T03:00:00",
            "fake-alert-1",
        ],
    );
}

#[test]
fn a_denied_permission_creates_nothing() {
    let data = example_data();
    let args = [
        "say",
        "--at",
        "2026-11-21T19:04:05Z",
        "--fake-apis",
        "--reminders",
        "denied",
        "--data-dir",
        path(data.path()),
    ];
    let out = run_with_stdin(&args, "remind me about late night jazz\nyes\n:reminders\n")
        .ok()
        .stdout;
    assert!(out.contains("no reminders"), "{out}");
}
