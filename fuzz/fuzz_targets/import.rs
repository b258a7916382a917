//! Every importer: the first byte picks the format (or detection), the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use onair::import::{Context, Format, ImportOptions, Origin};

const FORMATS: [Option<Format>; 7] = [
    None,
    Some(Format::Json),
    Some(Format::Xmltv),
    Some(Format::Ical),
    Some(Format::M3u),
    Some(Format::Pls),
    Some(Format::Rss),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let options = ImportOptions {
        format: FORMATS[usize::from(pick) % FORMATS.len()],
        ..ImportOptions::default()
    };
    let ctx = Context {
        options: &options,
        now: jiff::Timestamp::from_second(1_795_000_000).unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        zone: jiff::tz::TimeZone::UTC,
        origin: &Origin::Upload,
        fetcher: None,
    };
    let reader = Box::new(std::io::Cursor::new(file.to_vec()));
    let _ = onair::import::parse(reader, &ctx);
});
