//! The real-world-shaped corpus in `tests/data/corpus/` (see its README): one test per class
//! of issue 14, each comparing what onair reads with what the format's spec says the file
//! holds (RFC 5545, the XMLTV DTD, RSS 2.0 and the iTunes tags, M3U/EXTINF, PLS, XSPF, ASX).

use onair::import::{parse, Context, Fetcher, ImportError, ImportOptions, Origin, Parsed};
use onair::schedule::{Episode, Event, Station};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Friday 20 November 2026, noon UTC.
const NOW: &str = "2026-11-20T12:00:00Z";

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/corpus")
        .join(name)
}

fn options() -> ImportOptions {
    crate::helpers::options(NOW)
}

fn read_with(
    name: &str,
    options: &ImportOptions,
    fetcher: Option<Arc<dyn Fetcher>>,
) -> Result<Parsed, ImportError> {
    let origin = Origin::File(corpus(name));
    let ctx = Context::new(options, &origin, fetcher).expect("context");
    let file = std::fs::File::open(corpus(name)).expect("open");
    parse(Box::new(file), &ctx).map(|(_, p)| p)
}

fn read(name: &str) -> Parsed {
    read_with(name, &options(), None).expect("parse")
}

fn event<'a>(p: &'a Parsed, id: &str) -> &'a Event {
    p.batch
        .events
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no event {id}; have {:?}", ids(&p.batch.events)))
}

fn ids(events: &[Event]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

fn station<'a>(p: &'a Parsed, id: &str) -> &'a Station {
    p.batch
        .stations
        .iter()
        .find(|s| s.id.as_str() == id)
        .unwrap_or_else(|| panic!("no station {id}"))
}

fn episode<'a>(p: &'a Parsed, id: &str) -> &'a Episode {
    p.batch
        .episodes
        .iter()
        .find(|e| e.id.as_str() == id)
        .unwrap_or_else(|| panic!("no episode {id}"))
}

fn span(e: &Event) -> (String, String) {
    (e.start.to_string(), e.end.to_string())
}

fn notes(list: onair::import::Rejections) -> Vec<String> {
    list.into_vec()
        .into_iter()
        .map(|r| format!("{}: {}", r.location, r.reason))
        .collect()
}

/// Answers every fetch with a one-station list, counting calls and the most at once.
#[derive(Default)]
struct CountingFetcher {
    calls: AtomicUsize,
    running: AtomicUsize,
    most_at_once: AtomicUsize,
    urls: Mutex<Vec<String>>,
    delay: Duration,
}

impl Fetcher for CountingFetcher {
    fn fetch(&self, url: &url::Url, _timeout: Duration) -> Result<Vec<u8>, String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most_at_once.fetch_max(now, Ordering::SeqCst);
        self.urls.lock().expect("lock").push(url.to_string());
        std::thread::sleep(self.delay);
        self.running.fetch_sub(1, Ordering::SeqCst);
        Ok(format!(
            "[playlist]\nFile1=https://stream.example/{}.mp3\n",
            url.path().trim_matches('/').replace('/', "-")
        )
        .into_bytes())
    }
}

#[test]
fn class01_a_local_iptv_list_makes_no_request_and_keeps_every_hls_channel() {
    let fetcher = Arc::new(CountingFetcher::default());
    let p = read_with("iptv-hls.m3u", &options(), Some(fetcher.clone())).expect("parse");
    assert_eq!(fetcher.calls.load(Ordering::SeqCst), 0, "no network call");
    let got: Vec<(&str, Option<&str>)> = p
        .batch
        .stations
        .iter()
        .map(|s| (s.id.as_str(), s.stream_url.as_ref().map(|u| u.as_str())))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "radio1.uk",
                Some("https://hls.radio1.example/live/master.m3u8")
            ),
            (
                "news24.fr",
                Some("https://cdn.news24.example/hls/index.m3u8")
            ),
            ("jazz.de", Some("https://jazz.example/live/playlist.m3u8")),
            (
                "talk.es",
                Some("https://streams.talk.example/talk/chunklist.m3u8?token=abc123")
            ),
            ("ice.nl", Some("http://ice.example.nl:8000/stream.mp3")),
        ]
    );
    let rejected = notes(p.rejected);
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert!(rejected[0].starts_with("line 17: rtmp:"), "{rejected:?}");
}

#[test]
fn class01_remote_lists_are_kept_as_streams_unless_following_is_asked() {
    let fetcher = Arc::new(CountingFetcher::default());
    let p = read_with("remote-lists.pls", &options(), Some(fetcher.clone())).expect("parse");
    assert_eq!(
        fetcher.calls.load(Ordering::SeqCst),
        0,
        "not asked: no fetch"
    );
    assert_eq!(
        station(&p, "radio-nova-list")
            .stream_url
            .as_ref()
            .map(|u| u.as_str()),
        Some("https://lists.example.org/stations/nova.pls")
    );
    assert_eq!(p.batch.stations.len(), 3);
    let warnings = notes(p.warnings);
    assert!(
        warnings.iter().any(|w| w.contains("--follow-playlists")),
        "{warnings:?}"
    );

    let follow = ImportOptions {
        follow_playlists: true,
        ..options()
    };
    let fetcher = Arc::new(CountingFetcher::default());
    let p = read_with("remote-lists.pls", &follow, Some(fetcher.clone())).expect("parse");
    let urls = fetcher.urls.lock().expect("lock").clone();
    assert_eq!(
        urls,
        vec!["https://lists.example.org/stations/nova.pls"],
        "the .pls is followed; the .m3u8 is an HLS stream and is not fetched"
    );
    assert_eq!(
        station(&p, "radio-nova-list")
            .stream_url
            .as_ref()
            .map(|u| u.as_str()),
        Some("https://stream.example/stations-nova.pls.mp3")
    );
    assert_eq!(
        station(&p, "hls-station")
            .stream_url
            .as_ref()
            .map(|u| u.as_str()),
        Some("https://lists.example.org/more/hls.m3u8")
    );
}

#[test]
fn class01_nested_fetches_are_bounded_in_count_and_concurrency() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("many-lists.m3u");
    let mut text = String::from("#EXTM3U\n");
    for i in 0..200 {
        text.push_str(&format!(
            "#EXTINF:-1,List {i}\nhttps://lists.example.org/{i}/radio.pls\n"
        ));
    }
    std::fs::write(&path, text).expect("write");
    let fetcher = Arc::new(CountingFetcher {
        delay: Duration::from_millis(20),
        ..CountingFetcher::default()
    });
    let follow = ImportOptions {
        follow_playlists: true,
        ..options()
    };
    let origin = Origin::File(path.clone());
    let ctx = Context::new(&follow, &origin, Some(fetcher.clone())).expect("context");
    let started = Instant::now();
    let (_, p) = parse(Box::new(std::fs::File::open(&path).expect("open")), &ctx).expect("parse");
    let budget = onair::import::playlist::NESTED_BUDGET;
    let calls = fetcher.calls.load(Ordering::SeqCst);
    assert_eq!(calls, budget.max_fetches, "count bound");
    let at_once = fetcher.most_at_once.load(Ordering::SeqCst);
    assert!(at_once <= budget.concurrency, "{at_once} fetches at once");
    assert!(at_once > 1, "fetches run in parallel");
    assert!(started.elapsed() < budget.total, "time bound");
    assert_eq!(
        p.batch.stations.len(),
        200,
        "entries past the budget keep their URL"
    );
}

#[test]
fn class01_a_2000_entry_playlist_imports_in_well_under_a_second() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("iptv-2000.m3u");
    let mut text = String::from("#EXTM3U x-tvg-url=\"https://epg.example.org/guide.xml\"\n");
    for i in 0..2000 {
        text.push_str(&format!(
            "#EXTINF:-1 tvg-id=\"ch{i}.example\" tvg-logo=\"https://logos.example.org/{i}.png\" group-title=\"Group {}\",Channel {i}\n",
            i % 20
        ));
        match i % 4 {
            0 => text.push_str(&format!("https://cdn{i}.example/live/master.m3u8\n")),
            1 => text.push_str(&format!("https://lists.example.org/{i}.pls\n")),
            2 => text.push_str(&format!(
                "https://cdn{i}.example/hls/index.m3u8|User-Agent=Mozilla/5.0\n"
            )),
            _ => text.push_str(&format!("http://ice{i}.example:8000/stream.mp3\n")),
        }
    }
    std::fs::write(&path, text).expect("write");
    let store = onair::store::SledStore::temporary().expect("store");
    let started = Instant::now();
    let report = onair::import::import_file(&store, &path, &options()).expect("import");
    let took = started.elapsed();
    println!("2000-entry playlist imported in {took:?}");
    assert_eq!(report.summary.added, 2000, "{:?}", report.rejected);
    assert!(report.rejected.is_empty());
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

#[test]
fn class02_multi_day_events_kept_long_all_day_spans_left_out() {
    let p = read("google.ics");
    // RFC 5545 §3.6.1: DTEND;VALUE=DATE is exclusive; all-day in the default zone (Paris).
    assert_eq!(
        span(event(&p, "festival-3days@google.com")),
        ("2026-11-26T23:00:00Z".into(), "2026-11-29T23:00:00Z".into())
    );
    assert_eq!(
        span(event(&p, "residency-10days@google.com")),
        ("2026-11-21T09:00:00Z".into(), "2026-12-01T17:00:00Z".into())
    );
    assert!(!ids(&p.batch.events).contains(&"school-holiday@google.com"));
    let warnings = notes(p.warnings);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("school-holiday") && w.contains("16 days is not a broadcast")),
        "{warnings:?}"
    );
    let p = read("ical4j.ics");
    let rejected = notes(p.rejected);
    assert!(
        rejected
            .iter()
            .any(|r| r.contains("installation") && r.contains("longer than 31 days")),
        "{rejected:?}"
    );
}

#[test]
fn class03_an_event_without_summary_is_titled_from_its_description() {
    let p = read("google.ics");
    let e = event(&p, "nosummary@google.com");
    assert_eq!(e.title, "Open mic night");
    assert_eq!(
        span(e),
        ("2026-11-22T18:00:00Z".into(), "2026-11-22T19:00:00Z".into())
    );
    let warnings = notes(p.warnings);
    assert!(
        warnings.iter().any(|w| w.contains("no SUMMARY")),
        "{warnings:?}"
    );
}

#[test]
fn class04_a_channel_without_title_keeps_its_items() {
    let p = read("untitled-channel.rss");
    assert!(p.rejected.is_empty());
    let ep = episode(&p, "radio-libre-talk-2");
    assert_eq!(ep.show, "Radio Libre");
    assert_eq!(ep.published.to_string(), "2026-11-16T18:00:00Z");
    assert_eq!(p.batch.episodes.len(), 2);
}

#[test]
fn class05_items_without_pub_date_and_colon_offsets() {
    let p = read("anchor.rss");
    // RFC 822 dates, offset written "+13:00".
    assert_eq!(
        episode(&p, "kiwi-sessions-kiwi-14").published.to_string(),
        "2026-11-20T20:00:00Z"
    );
    assert_eq!(
        episode(&p, "kiwi-sessions-kiwi-13").published.to_string(),
        "2026-11-14T08:00:00Z",
        "dc:date stands in for pubDate"
    );
    // No date at all: the channel's lastBuildDate, minus its position (3rd) in seconds.
    assert_eq!(
        episode(&p, "kiwi-sessions-kiwi-12").published.to_string(),
        "2026-11-20T19:59:57Z"
    );
}

#[test]
fn class06_overlong_texts_are_cut_at_a_word() {
    let p = read("anchor.rss");
    let ep = episode(&p, "kiwi-sessions-kiwi-12");
    assert!(ep.title.chars().count() <= 300);
    assert!(ep.title.ends_with("episode title…"), "{}", ep.title);
    let guide = read("tv_grab_uk.xml");
    let long = event(&guide, "jazz.uk-20261121T210000Z");
    assert!(long.title.starts_with("The Very Very"));
    assert!(long.title.ends_with('…'));
    let desc = event(&guide, "jazz.uk-20260621T170000Z")
        .description
        .clone()
        .expect("description");
    assert!(desc.chars().count() <= 2000 && desc.ends_with('…'));
    let warnings = notes(guide.warnings);
    assert!(warnings.iter().any(|w| w.contains("title longer than 300")));
    assert!(warnings
        .iter()
        .any(|w| w.contains("description longer than 2000")));
}

#[test]
fn class07_clumps_are_distinct_and_stops_come_from_the_next_later_start() {
    let p = read("tv_grab_uk.xml");
    assert!(p.rejected.is_empty(), "{:?}", notes(p.rejected));
    // XMLTV DTD: a programme without stop ends at the next programme's start on its channel.
    assert_eq!(
        span(event(&p, "bbc-radio-3.uk-20261121T190000Z")),
        ("2026-11-21T19:00:00Z".into(), "2026-11-21T20:30:00Z".into())
    );
    // clumpidx 0/2 and 1/2 share the slot up to the next later start.
    let first = event(&p, "bbc-radio-3.uk-20261121T203000Z");
    let second = event(&p, "bbc-radio-3.uk-20261121T203000Z-clump1");
    assert_eq!(first.title, "Radio 3 in Concert: Part One");
    assert_eq!(second.title, "Radio 3 in Concert: Interval Talk");
    assert_eq!(span(first), span(second));
    assert_eq!(span(first).1, "2026-11-21T22:00:00Z");
    // Listed after it but earlier: the 21:00 programme ends at 23:00, not at 20:00.
    assert_eq!(
        span(event(&p, "jazz.uk-20261121T210000Z")),
        ("2026-11-21T21:00:00Z".into(), "2026-11-21T23:00:00Z".into())
    );
    assert_eq!(p.batch.events.len(), 9);
}

#[test]
fn class08_escaped_commas_in_tzid() {
    let p = read("outlook.ics");
    let e = event(
        &p,
        "040000008200E00074C5B7101A82E00800000000AAAAAAAAAAAAAAAA",
    );
    // 19:30 at UTC+08:00.
    assert_eq!(
        span(e),
        ("2026-11-25T11:30:00Z".into(), "2026-11-25T13:00:00Z".into())
    );
}

#[test]
fn class09_relative_images_cost_only_the_image() {
    let p = read("tv_grab_uk.xml");
    let radio3 = station(&p, "bbc-radio-3.uk");
    assert_eq!(radio3.name, "BBC Radio 3");
    assert!(radio3.image.is_none());
    assert!(event(&p, "bbc-radio-3.uk-20261121T220000Z").image.is_none());
    let warnings = notes(p.warnings);
    assert!(
        warnings
            .iter()
            .filter(|w| w.contains("image dropped"))
            .count()
            == 2,
        "{warnings:?}"
    );
    let iptv = read("iptv-hls.m3u");
    assert!(station(&iptv, "news24.fr").image.is_none());
    assert!(station(&iptv, "radio1.uk").image.is_some());
}

#[test]
fn class10_kodi_header_suffixes_are_split_off() {
    let p = read("iptv-hls.m3u");
    assert_eq!(
        station(&p, "jazz.de")
            .stream_url
            .as_ref()
            .map(|u| u.as_str()),
        Some("https://jazz.example/live/playlist.m3u8")
    );
    let warnings = notes(p.warnings);
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("line 9: request headers") && w.contains("User-Agent")),
        "{warnings:?}"
    );
}

#[test]
fn class11_ical_singles() {
    // DTSTART;VALUE=DATE holding a date-time: floating, read in the default zone (Paris).
    let p = read("ical4j.ics");
    assert_eq!(
        span(event(&p, "20261101T000000Z-matinee@ical4j.example")),
        ("2026-12-06T14:00:00Z".into(), "2026-12-06T16:00:00Z".into())
    );
    // A bare VEVENT is a calendar of one event.
    let p = read("bare-vevent.ics");
    assert_eq!(
        span(event(&p, "single-export-1@calendar.example")),
        ("2026-11-28T20:00:00Z".into(), "2026-11-28T22:00:00Z".into())
    );
    // A garbage RRULE part is ignored, the series kept (COUNT=2, Mondays 09:00 Paris).
    let p = read("google.ics");
    let weekly: Vec<&str> = ids(&p.batch.events)
        .into_iter()
        .filter(|id| id.starts_with("weekly-garbage"))
        .collect();
    assert_eq!(
        weekly,
        vec![
            "weekly-garbage@google.com-20261123T080000Z",
            "weekly-garbage@google.com-20261130T080000Z"
        ]
    );
    assert!(notes(p.warnings).iter().any(|w| w.contains("X-GOOGLE-FOO")));
    // BYSETPOS=1 with BYDAY=MO: the first Monday of each month; Windows zone ids.
    let ninety = ImportOptions {
        horizon: Duration::from_secs(90 * 86_400),
        ..options()
    };
    let p = read_with("outlook.ics", &ninety, None).expect("parse");
    let firsts: Vec<String> = p
        .batch
        .events
        .iter()
        .filter(|e| e.title == "Monday Jazz Club")
        .map(|e| e.start.to_string())
        .collect();
    assert_eq!(
        firsts,
        vec![
            "2026-12-07T19:00:00Z",
            "2027-01-04T19:00:00Z",
            "2027-02-01T19:00:00Z"
        ]
    );
    let brisbane = event(
        &p,
        "040000008200E00074C5B7101A82E00800000000BBBBBBBBBBBBBBBB",
    );
    assert_eq!(brisbane.start.to_string(), "2026-11-25T21:00:00Z");
}

#[test]
fn class11_xmltv_zone_names_after_the_time() {
    let p = read("tv_grab_uk.xml");
    // The XMLTV DTD's example: "200007281733 BST" (UTC+01:00).
    assert_eq!(
        span(event(&p, "jazz.uk-20000728T163300Z")),
        ("2000-07-28T16:33:00Z".into(), "2000-07-28T17:33:00Z".into())
    );
}

#[test]
fn class11_playlists_hls_media_xspf_asx() {
    let err = read_with("hls-media.m3u8", &options(), None).expect_err("refused");
    assert!(err.to_string().contains("HLS playlist"), "{err}");
    assert!(err.to_string().starts_with("line 3:"), "{err}");

    let p = read("clementine.xspf");
    let got: Vec<(&str, &str)> = p
        .batch
        .stations
        .iter()
        .map(|s| {
            (
                s.name.as_str(),
                s.stream_url.as_ref().map_or("", |u| u.as_str()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("FIP", "http://streams.fip.example/fip-midfi.mp3"),
            (
                "SomaFM Groove Salad",
                "https://somafm.example/groovesalad-128.aac"
            ),
        ]
    );
    assert_eq!(notes(p.rejected).len(), 1, "the track without location");

    let p = read("wmp.asx");
    assert_eq!(
        station(&p, "smooth-jazz-24")
            .stream_url
            .as_ref()
            .map(|u| u.as_str()),
        Some("http://wm.smoothjazz.example/live.wma")
    );
    let rejected = notes(p.rejected);
    assert_eq!(rejected.len(), 2, "{rejected:?}");
    assert!(rejected.iter().any(|r| r.contains("mms")));
    assert!(rejected.iter().any(|r| r.contains("EntryRef")));
}

#[test]
fn class11_image_and_video_enclosures_are_not_episodes() {
    let p = read("anchor.rss");
    assert_eq!(
        episode(&p, "kiwi-sessions-kiwi-11").audio_url.as_str(),
        "https://cdn.example.nz/kiwi/ep11.mp3"
    );
    let rejected = notes(p.rejected);
    assert_eq!(rejected.len(), 1, "{rejected:?}");
    assert!(rejected[0].contains("an image, not audio"));
    assert_eq!(p.batch.episodes.len(), 4);
}

#[test]
fn class12_the_files_own_vtimezone_governs() {
    let p = read("ical4j.ics");
    // The file defines "Europe/lisbon" with CET rules (UTC+01:00 in December), not Lisbon's WET.
    assert_eq!(
        span(event(&p, "20261101T000000Z-fado@ical4j.example")),
        ("2026-12-05T20:00:00Z".into(), "2026-12-05T22:00:00Z".into())
    );
}

#[test]
fn class12_a_vtimezone_after_its_events_still_governs() {
    // The same calendar with the VEVENT first: the definition read later still wins.
    let text = std::fs::read_to_string(corpus("ical4j.ics")).expect("read");
    let tz_start = text.find("BEGIN:VTIMEZONE").expect("vtimezone");
    let tz_end = text.find("END:VTIMEZONE\r\n").expect("end") + "END:VTIMEZONE\r\n".len();
    let reordered = format!(
        "{}{}{}END:VCALENDAR\r\n",
        &text[..tz_start],
        &text[tz_end..text.rfind("END:VCALENDAR").expect("end")],
        &text[tz_start..tz_end]
    );
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(dir.path().join("late-zone.ics"), reordered).expect("write");
    let origin = Origin::File(dir.path().join("late-zone.ics"));
    let opts = options();
    let ctx = Context::new(&opts, &origin, None).expect("context");
    let file = std::fs::File::open(dir.path().join("late-zone.ics")).expect("open");
    let (_, p) = parse(Box::new(file), &ctx).expect("parse");
    assert_eq!(
        span(event(&p, "20261101T000000Z-fado@ical4j.example")),
        ("2026-12-05T20:00:00Z".into(), "2026-12-05T22:00:00Z".into())
    );
}

#[test]
fn class07_and_09_a_jellyfin_shaped_guide() {
    let p = read("jellyfin.xml");
    assert!(p.rejected.is_empty(), "{:?}", notes(p.rejected));
    let jazz = station(&p, "I10436.labs.zap2it.com");
    assert_eq!(jazz.name, "Jazz 24");
    assert_eq!(jazz.aliases, vec!["24", "Jazz 24 HD"]);
    assert!(jazz.image.is_none(), "relative channel logo dropped");
    let evening = event(&p, "I10436.labs.zap2it.com-20261121T180000Z");
    // No stop: it ends when the next programme of its channel starts (XMLTV DTD).
    assert_eq!(
        span(evening),
        ("2026-11-21T18:00:00Z".into(), "2026-11-21T19:00:00Z".into())
    );
    assert_eq!(
        evening.performers,
        vec!["Sam Host"],
        "directors are not on air"
    );
    assert!(evening.image.is_none(), "relative programme icon dropped");
    let live = event(&p, "I10436.labs.zap2it.com-20261121T190000Z");
    assert_eq!(span(live).1, "2026-11-21T21:00:00Z");
    assert_eq!(live.kind, onair::schedule::EventKind::Concert);
    assert_eq!(
        event(&p, "I10759.labs.zap2it.com-20261121T200000Z")
            .image
            .as_ref()
            .map(|u| u.as_str()),
        Some("https://img.example.org/symphony.jpg")
    );
    assert_eq!(notes(p.warnings).len(), 2);
}
