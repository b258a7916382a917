//! The page itself in headless Chromium: talking, hearing the stream, the grid, uploads.

use crate::browser::{open, ONE_AT_A_TIME};
use crate::harness::{start, Options, TOKEN};
use onair::store::Store;
use serde_json::Value;

#[tokio::test]
async fn whats_on_tonight_shows_the_listing_and_the_json() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = open().await else { return };
    let server = start(Options::default()).await;
    browser.sign_in(&server.base, TOKEN).await;
    browser.type_into("#utterance", "what's on tonight").await;
    browser.click("#send").await;
    browser
        .until(
            "the response JSON",
            "return document.querySelector('#response-json').textContent.includes('outputSpeech')",
        )
        .await;
    assert!(browser.text("#resolved").await.starts_with("WhatsOnIntent"));
    let request: Value =
        serde_json::from_str(&browser.text("#request-json").await).expect("request JSON shown");
    assert_eq!(request["request"]["intent"]["name"], "WhatsOnIntent");
    assert_eq!(request["request"]["locale"], "en-US");
    let response: Value =
        serde_json::from_str(&browser.text("#response-json").await).expect("response JSON shown");
    // The listing the skill read out is on the page, title by title.
    let speech = browser.text("#speech").await;
    let listing = response["sessionAttributes"]["listing"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!listing.is_empty(), "a listing: {response}");
    for item in listing.iter().filter(|i| i["kind"] == "event") {
        let id = item["id"].as_str().expect("id");
        let event = server
            .store
            .event(id)
            .expect("store")
            .expect("listed event");
        assert!(
            speech.contains(&event.title),
            "{speech:?} lacks {:?}",
            event.title
        );
    }
    assert!(browser
        .text("#transcript")
        .await
        .contains("you: what's on tonight"));
    browser.screenshot("talk").await;
    browser.close().await;
}

#[tokio::test]
async fn play_the_live_concert_plays_the_stream_and_reports_it() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = open().await else { return };
    let server = start(Options::default()).await;
    browser.sign_in(&server.base, TOKEN).await;
    browser
        .type_into("#utterance", "play the live concert")
        .await;
    browser.click("#send").await;
    browser
        .until(
            "the audio element to play",
            "const a = document.querySelector('#player'); return !a.paused && a.currentTime > 1.0",
        )
        .await;
    let src = browser
        .eval("return document.querySelector('#player').currentSrc")
        .await;
    let src = src.as_str().unwrap_or_default();
    assert!(
        src.starts_with(&format!("{}/audio/live.mp3", server.base)),
        "{src}"
    );
    browser
        .until(
            "PlaybackStarted in the device events",
            "return document.querySelector('#device-events').textContent.includes('AudioPlayer.PlaybackStarted')",
        )
        .await;
    // The skill took it as a device's: the listener's stream is marked playing.
    let key = onair::privacy::user_key(onair::server::console::CONSOLE_USER_ID);
    let listener = server
        .store
        .listener(&key)
        .expect("store")
        .expect("listener");
    let playing = listener.now_playing.expect("now playing");
    assert!(playing.active, "PlaybackStarted reached the skill");
    // Pausing the element reports PlaybackStopped.
    browser
        .eval("document.querySelector('#player').pause(); return true")
        .await;
    browser
        .until(
            "PlaybackStopped in the device events",
            "return document.querySelector('#device-events').textContent.includes('AudioPlayer.PlaybackStopped')",
        )
        .await;
    browser.screenshot("conversation").await;
    browser.close().await;
}

#[tokio::test]
async fn the_grid_shows_the_live_event_on_its_row_at_local_time() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = open().await else { return };
    let server = start(Options::default()).await;
    let zone = "America/New_York";
    let now = jiff::Timestamp::now();
    let live = server
        .store
        .live_at(now)
        .expect("store")
        .into_iter()
        .find(|e| e.id.as_str() == "demo-radiohead-live")
        .expect("the demo's live concert");
    let tz = jiff::tz::TimeZone::get(zone).expect("tz");
    let today = now.to_zoned(tz.clone()).date();
    browser.sign_in(&server.base, TOKEN).await;
    browser.click("#tab-schedule").await;
    browser.type_into("#sched-zone", zone).await;
    browser
        .eval(&format!(
            "document.querySelector('#sched-date').value = '{today}'; return true"
        ))
        .await;
    browser.click("#sched-show").await;
    browser
        .until(
            "the grid in the chosen zone",
            &format!("const g = document.querySelector('#grid'); return g.dataset.zone === '{zone}' && g.querySelector('.event') !== null"),
        )
        .await;
    let selector = format!(
        ".row[data-station='echo-live'] .event[data-event='{}']",
        live.id.as_str()
    );
    let found = browser
        .eval(&format!(
            "const b = document.querySelector(\"{selector}\"); return b ? [b.dataset.startLocal, b.classList.contains('live'), parseFloat(b.style.left)] : null"
        ))
        .await;
    let expected = live
        .start
        .to_zoned(tz.clone())
        .strftime("%H:%M")
        .to_string();
    assert_eq!(found[0], expected.as_str(), "{found}");
    assert_eq!(found[1], true, "marked live");
    // Its left edge sits where its start falls in the local day (0 when it began yesterday).
    let day_start = today.to_zoned(tz.clone()).expect("midnight").timestamp();
    let day_end = today
        .tomorrow()
        .expect("date")
        .to_zoned(tz)
        .expect("midnight")
        .timestamp();
    let share = (live.start.as_second() - day_start.as_second()) as f64
        / (day_end.as_second() - day_start.as_second()) as f64;
    let left = found[2].as_f64().expect("left");
    assert!(
        (left - (share * 100.0).clamp(0.0, 100.0)).abs() < 0.01,
        "left {left}% vs {share}"
    );
    let line = browser
        .eval("return document.querySelector('#now-line') !== null")
        .await;
    assert_eq!(line, true, "the current time is marked");
    // A click shows the record and plays its stream.
    browser.click(&selector).await;
    browser
        .until(
            "the event's record",
            "return document.querySelector('#event-record').textContent.includes('demo-radiohead-live')",
        )
        .await;
    browser
        .until(
            "the event's stream",
            "return document.querySelector('#player').currentSrc.includes('station=echo-live')",
        )
        .await;
    browser.screenshot("schedule").await;
    browser.close().await;
}

#[tokio::test]
async fn an_uploaded_guide_shows_in_the_grid() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = open().await else { return };
    let server = start(Options::default()).await;
    browser.sign_in(&server.base, TOKEN).await;
    browser.click("#tab-sources").await;
    let guide = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/guide.xml");
    browser
        .client
        .find(fantoccini::Locator::Css("#upload-file"))
        .await
        .expect("file input")
        .send_keys(guide)
        .await
        .expect("file chosen");
    browser.click("#upload-button").await;
    browser
        .until(
            "the upload summary",
            "return document.querySelector('#upload-summary').dataset.done === 'ok'",
        )
        .await;
    let progress = browser
        .eval("return document.querySelector('#upload-progress').value")
        .await;
    assert_eq!(progress.as_f64(), Some(100.0));
    assert!(browser
        .text("#upload-summary")
        .await
        .contains("console:xmltv"));
    browser
        .until(
            "the upload in the feed list",
            "return document.querySelector(\"#source-table tr[data-source='console:xmltv']\") !== null",
        )
        .await;
    browser.screenshot("sources").await;
    // The guide's evening concert, where the store put it.
    let from: jiff::Timestamp = "2026-10-24T00:00:00+02:00".parse().expect("ts");
    let to: jiff::Timestamp = "2026-10-25T00:00:00+02:00".parse().expect("ts");
    let concert = server
        .store
        .overlapping(from, to, 100)
        .expect("store")
        .into_iter()
        .find(|e| e.title.contains("Radiohead"))
        .expect("the guide's concert imported");
    let station = concert
        .station
        .as_ref()
        .expect("a station")
        .as_str()
        .to_string();
    browser.click("#tab-schedule").await;
    browser.type_into("#sched-zone", "Europe/Paris").await;
    browser
        .eval("document.querySelector('#sched-date').value = '2026-10-24'; return true")
        .await;
    browser.click("#sched-show").await;
    let selector = format!(
        ".row[data-station='{station}'] .event[data-event='{}']",
        concert.id.as_str()
    );
    browser
        .until(
            "the uploaded concert in the grid",
            &format!("return document.querySelector(\"{selector}\") !== null"),
        )
        .await;
    let start = browser
        .eval(&format!(
            "return document.querySelector(\"{selector}\").dataset.startLocal"
        ))
        .await;
    assert_eq!(start, "20:00", "20:00 +0200 in the guide");
    browser.close().await;
}

#[tokio::test]
async fn an_episode_played_to_its_end_reports_it_and_shows_in_the_listener_view() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = open().await else { return };
    let server = start(Options::default()).await;
    browser.sign_in(&server.base, TOKEN).await;
    browser
        .type_into("#utterance", "play the latest episode of jazz notes")
        .await;
    browser.click("#send").await;
    browser
        .until(
            "the episode to play",
            "const a = document.querySelector('#player'); return !a.paused && isFinite(a.duration) && a.currentTime > 0.2",
        )
        .await;
    // Fast forward (the demo's files are served whole, without ranges to seek in).
    browser
        .eval("document.querySelector('#player').playbackRate = 16; return true")
        .await;
    browser
        .until(
            "PlaybackNearlyFinished and PlaybackFinished",
            "const t = document.querySelector('#device-events').textContent; return t.includes('AudioPlayer.PlaybackNearlyFinished') && t.includes('AudioPlayer.PlaybackFinished')",
        )
        .await;
    let key = onair::privacy::user_key(onair::server::console::CONSOLE_USER_ID);
    let listener = server
        .store
        .listener(&key)
        .expect("store")
        .expect("listener");
    assert!(
        listener.finished_episodes.contains("demo-jazz-notes-2"),
        "PlaybackFinished reached the skill: {:?}",
        listener.finished_episodes
    );
    // The listener view shows it; "forget" asks once more, then deletes everything.
    browser.click("#tab-listener").await;
    browser.click("#listener-show").await;
    browser
        .until(
            "the listening history",
            "return document.querySelector('#listener-history').textContent.includes('episode demo-jazz-notes-2')",
        )
        .await;
    browser.screenshot("listener").await;
    browser.click("#listener-forget").await;
    assert!(
        server.store.listener(&key).expect("store").is_some(),
        "the first press only asks"
    );
    browser.click("#listener-forget").await;
    browser
        .until(
            "the listener forgotten",
            "return document.querySelector('#status').textContent.startsWith('Forgotten')",
        )
        .await;
    assert!(server.store.listener(&key).expect("store").is_none());
    browser.close().await;
}

#[tokio::test]
async fn filters_stream_checks_and_the_keyboard_work() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = open().await else { return };
    let server = start(Options::default()).await;
    browser.sign_in(&server.base, TOKEN).await;
    // The arrow keys move between the panels.
    let talk_tab = browser
        .client
        .find(fantoccini::Locator::Css("#tab-talk"))
        .await
        .expect("tab");
    talk_tab
        .send_keys(&String::from(char::from(fantoccini::key::Key::Right)))
        .await
        .expect("key");
    browser
        .until(
            "the Schedule panel",
            "return document.querySelector('#tab-schedule').getAttribute('aria-selected') === 'true' && !document.querySelector('#schedule').hidden && document.activeElement.id === 'tab-schedule'",
        )
        .await;
    browser
        .until(
            "today's grid",
            "return document.querySelector(\"#grid .event[data-event='demo-radiohead-live']\") !== null",
        )
        .await;
    // A genre fades what is not of it; a search what does not match.
    browser
        .client
        .find(fantoccini::Locator::Css("#sched-genre"))
        .await
        .expect("genre select")
        .select_by_value("news")
        .await
        .expect("news chosen");
    let dim = |id: &str| {
        format!("return document.querySelector(\"#grid .event[data-event='{id}']\").classList.contains('dim')")
    };
    assert_eq!(browser.eval(&dim("demo-radiohead-live")).await, true);
    assert_eq!(browser.eval(&dim("demo-morning-news")).await, false);
    browser
        .client
        .find(fantoccini::Locator::Css("#sched-genre"))
        .await
        .expect("genre select")
        .select_by_value("")
        .await
        .expect("all genres");
    browser.type_into("#sched-search", "radiohead").await;
    browser.until("the search", &dim("demo-morning-news")).await;
    assert_eq!(browser.eval(&dim("demo-radiohead-live")).await, false);
    // The station list checks a stream.
    browser
        .until(
            "the station list",
            "return document.querySelector(\"#stations tr[data-station='jazz-cellar'] button\") !== null",
        )
        .await;
    browser
        .click("#stations tr[data-station='jazz-cellar'] button")
        .await;
    browser
        .until(
            "the stream check",
            "return document.querySelector(\"#stations tr[data-station='jazz-cellar'] .check-result\").classList.contains('ok')",
        )
        .await;
    let result = browser
        .text("#stations tr[data-station='jazz-cellar'] .check-result")
        .await;
    assert!(
        result.contains("reachable") && result.contains("MP3") && result.contains("kbit/s"),
        "{result}"
    );
    browser.close().await;
}

#[tokio::test]
async fn an_intent_picked_with_its_slots_is_sent_in_the_chosen_locale() {
    let _one = ONE_AT_A_TIME.lock().await;
    let Some(browser) = open().await else { return };
    let server = start(Options::default()).await;
    browser.sign_in(&server.base, TOKEN).await;
    browser
        .client
        .find(fantoccini::Locator::Css("#locale"))
        .await
        .expect("locale select")
        .select_by_value("en-GB")
        .await
        .expect("en-GB");
    browser.click("#intent-mode summary").await;
    browser
        .client
        .find(fantoccini::Locator::Css("#intent"))
        .await
        .expect("intent select")
        .select_by_value("PlayStationIntent")
        .await
        .expect("intent chosen");
    browser
        .type_into("#slots input[name='station']", "jazz cellar")
        .await;
    browser.click("#send").await;
    browser
        .until(
            "the station's stream",
            "return document.querySelector('#player').currentSrc.includes('station=jazz-cellar')",
        )
        .await;
    assert!(browser
        .text("#resolved")
        .await
        .starts_with("PlayStationIntent (station=jazz cellar)"));
    let request: serde_json::Value =
        serde_json::from_str(&browser.text("#request-json").await).expect("request JSON");
    assert_eq!(request["request"]["locale"], "en-GB");
    assert_eq!(
        request["request"]["intent"]["slots"]["station"]["value"],
        "jazz cellar"
    );
    browser.close().await;
}
