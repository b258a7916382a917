//! `onair say`: in-process against a seeded store, interactive, with the demo, and against a
//! running server.

use super::helpers::{path, run, run_with_stdin, seeded_data_dir, wav_seconds, FIXTURE_NOW};
use serde_json::Value;

fn say(data: &tempfile::TempDir, utterance: &str, extra: &[&str]) -> super::helpers::Run {
    let mut args = vec!["say", utterance, "--at", FIXTURE_NOW, "--tz", "UTC"];
    args.extend(["--data-dir", path(data.path())]);
    args.extend(extra);
    run(&args).ok()
}

#[test]
fn resolves_runs_and_prints_the_play_directive() {
    let data = seeded_data_dir();
    let out = say(&data, "play radiohead live", &[]).stdout;
    for expected in [
        "intent    PlayLiveIntent (confidence 1.00)",
        "slots     performer = \"radiohead\" → radiohead (Radiohead) [ER_SUCCESS_MATCH]",
        "speech    Here's Radiohead live at Glastonbury, live on Echo Live.",
        "play      https://streams.example.org/radiohead.mp3",
        "          token onair1.e.",
        "          offset 0 ms · REPLACE_ALL",
        "session   ends",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn open_on_air_is_a_launch_request() {
    let data = seeded_data_dir();
    let out = say(&data, "open on air", &["--json"]).stdout;
    let doc: Value = serde_json::from_str(&out).expect("--json prints one JSON document");
    assert_eq!(doc["request"]["request"]["type"], "LaunchRequest");
    assert_eq!(doc["response"]["response"]["shouldEndSession"], false);
}

#[test]
fn json_shows_a_complete_alexa_envelope() {
    let data = seeded_data_dir();
    let out = say(
        &data,
        "play radio nova",
        &["--json", "--user", "amzn1.ask.account.T"],
    )
    .stdout;
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let req = &doc["request"];
    assert_eq!(req["version"], "1.0");
    assert_eq!(req["session"]["new"], true);
    assert_eq!(req["session"]["user"]["userId"], "amzn1.ask.account.T");
    let system = &req["context"]["System"];
    assert_eq!(
        system["device"]["supportedInterfaces"]["AudioPlayer"],
        serde_json::json!({})
    );
    assert_eq!(system["apiEndpoint"], "https://api.amazonalexa.com");
    let skill = system["application"]["applicationId"]
        .as_str()
        .expect("skill id");
    assert_eq!(req["context"]["AudioPlayer"]["playerActivity"], "IDLE");
    assert_eq!(req["request"]["timestamp"], FIXTURE_NOW);
    assert_eq!(req["request"]["locale"], "en-US");
    let slot = &req["request"]["intent"]["slots"]["station"];
    let authority = &slot["resolutions"]["resolutionsPerAuthority"][0];
    assert_eq!(
        authority["authority"],
        format!("amzn1.er-authority.echo-sdk.{skill}.STATION_NAME")
    );
    assert_eq!(authority["status"]["code"], "ER_SUCCESS_MATCH");
    assert_eq!(authority["values"][0]["value"]["id"], "radio-nova");
    assert_eq!(doc["resolution"]["intent"], "PlayStationIntent");
    let play = &doc["response"]["response"]["directives"][0];
    assert_eq!(
        play["audioItem"]["stream"]["url"],
        "https://streams.example.org/nova.mp3"
    );

    let out = say(&data, "play radio gaga", &["--json"]).stdout;
    let doc: Value = serde_json::from_str(&out).expect("JSON");
    let slot = &doc["request"]["request"]["intent"]["slots"]["station"];
    assert_eq!(
        slot["resolutions"]["resolutionsPerAuthority"][0]["status"]["code"],
        "ER_SUCCESS_NO_MATCH"
    );
}

#[test]
fn french_utterances_use_the_french_model() {
    let data = seeded_data_dir();
    let out = say(&data, "qu'est-ce qu'il y a ce soir", &["--locale", "fr-FR"]).stdout;
    assert!(out.contains("intent    WhatsOnIntent"), "{out}");
    assert!(
        out.contains("speech    Voici le programme ce soir"),
        "{out}"
    );
}

#[test]
fn interactive_session_carries_attributes_and_player_state() {
    let data = seeded_data_dir();
    let args = ["say", "--at", FIXTURE_NOW, "--data-dir", path(data.path())];
    let script = "what's on tonight\nplay the first one\n:at 19:34\nwhat's playing\n:quit\n";
    let out = run_with_stdin(&args, script).ok().stdout;
    let turns: Vec<&str> = out.split("onair> ").collect();
    assert_eq!(turns.len(), 6, "{out}");
    let (listing, play, playing) = (turns[1], turns[2], turns[4]);
    assert!(listing.contains("session   new"), "{listing}");
    assert!(
        listing
            .contains("session   stays open · attributes {\"listing\":[{\"id\":\"ev-radiohead\""),
        "{listing}"
    );
    assert!(play.contains("intent    PlayItemIntent"), "{play}");
    assert!(
        play.contains("session   continued · attributes {\"listing\":[{\"id\":\"ev-radiohead\""),
        "{play}"
    );
    assert!(
        play.contains("play      https://streams.example.org/radiohead.mp3"),
        "{play}"
    );
    assert!(
        turns[3].contains("now 2026-11-21T19:34:00Z"),
        "{}",
        turns[3]
    );
    // The Play ended the session; the player keeps playing, 30 minutes further in.
    assert!(playing.contains("session   new"), "{playing}");
    assert!(playing.contains("player    PLAYING onair1.e."), "{playing}");
    assert!(playing.contains("at 1795000 ms"), "{playing}");
    assert!(
        playing.contains("You're listening to Radiohead live at Glastonbury"),
        "{playing}"
    );
}

#[test]
fn demo_in_process_plays_the_local_sample() {
    let data = tempfile::tempdir().expect("tmp");
    let wav = data.path().join("out.wav");
    let out = run(&[
        "say",
        "play the live concert",
        "--demo",
        "--data-dir",
        path(&data.path().join("db")),
        "--play",
        "--seconds",
        "1",
        "--out",
        path(&wav),
    ])
    .ok();
    assert!(
        out.stderr.contains("demo schedule seeded"),
        "{}",
        out.stderr
    );
    assert!(
        out.stdout
            .contains("play      http://127.0.0.1:8080/audio/live.mp3?station=echo-live"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("audio/concert.mp3 into"),
        "{}",
        out.stdout
    );
    assert!((wav_seconds(&wav) - 1.0).abs() < 0.01);
}

#[test]
fn a_bad_time_or_zone_is_a_usage_error() {
    let bad_at = run(&["say", "help", "--at", "yesterday"]);
    assert_eq!(bad_at.code, 2);
    assert!(
        bad_at.stderr.contains("--at \"yesterday\""),
        "{}",
        bad_at.stderr
    );
    let bad_tz = run(&["say", "help", "--tz", "Mars/Olympus"]);
    assert_eq!(bad_tz.code, 2);
    assert!(bad_tz.stderr.contains("Mars/Olympus"), "{}", bad_tz.stderr);
}

/// `onair serve --demo` on a free loopback port, stopped on drop.
struct DemoServer {
    child: std::process::Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl DemoServer {
    fn start() -> Self {
        use std::io::BufRead;
        // The demo's stream URLs carry the configured address, so the port must be known
        // before the server starts: take a free one from the OS.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let dir = tempfile::tempdir().expect("tmp");
        let addr = format!("127.0.0.1:{port}");
        let mut child = super::helpers::onair()
            .args(["serve", "--demo", "--no-verify", "--addr", &addr])
            .args(["--data-dir", path(dir.path())])
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("start the server");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = std::io::BufReader::new(stderr).lines();
        let mut seen = String::new();
        // Startup is over when the server says it listens (the listener is bound by then).
        loop {
            match lines.next() {
                Some(Ok(line)) => {
                    seen.push_str(&line);
                    seen.push('\n');
                    if line.contains("onair listening") {
                        break;
                    }
                }
                _ => panic!("the server stopped before listening:\n{seen}"),
            }
        }
        // Keep reading so the server never blocks on a full pipe.
        std::thread::spawn(move || lines.for_each(drop));
        Self {
            child,
            base: format!("http://{addr}"),
            _dir: dir,
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn against_a_demo_server_the_live_stream_plays_with_icy_titles() {
    let server = DemoServer::start();
    let out_dir = tempfile::tempdir().expect("tmp");
    let wav = out_dir.path().join("live.wav");
    let out = run(&[
        "say",
        "play the live concert",
        "--server",
        &server.base,
        "--play",
        "--seconds",
        "3",
        "--out",
        path(&wav),
    ])
    .ok()
    .stdout;
    let live_url = format!("play      {}/audio/live.mp3?station=echo-live", server.base);
    assert!(out.contains(&live_url), "{out}");
    assert!(out.contains("♪ Radiohead live at Glastonbury"), "{out}");
    assert!(out.contains("format      MP3"), "{out}");
    assert!((wav_seconds(&wav) - 3.0).abs() < 0.01);
}
