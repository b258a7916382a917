//! Import benchmark: generates an XMLTV guide of 100,000 programmes (50 channels, two
//! languages, credits and categories, like a real grabber's output), imports it into a fresh
//! on-disk store and prints the wall time and the process's peak resident memory (VmHWM).
//!
//! Targets: under 5 s and under 100 MB. One import is one measurement; criterion's repeated
//! sampling would take minutes per run and say nothing more about a 100k-record batch.
//!
//! ```text
//! cargo bench --bench import_xmltv                      # import and report
//! cargo bench --bench import_xmltv -- --programmes 20000
//! cargo bench --bench import_xmltv -- --write guide.xml # only write the guide (for the CLI)
//! ```

use onair::import::{import_file, ImportOptions};
use onair::store::{SledStore, Store};
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

/// The allocator of the `onair` binary, so the figures are the command's.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const CHANNELS: usize = 50;

fn write_guide(path: &Path, programmes: usize) -> std::io::Result<u64> {
    let mut w = BufWriter::new(std::fs::File::create(path)?);
    writeln!(w, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(w, "<tv generator-info-name=\"onair-bench\">")?;
    for c in 0..CHANNELS {
        writeln!(
            w,
            "  <channel id=\"ch{c}.bench\"><display-name lang=\"en\">Channel {c}</display-name>\
             <display-name lang=\"fr\">Chaîne {c}</display-name>\
             <icon src=\"https://img.example/ch{c}.png\"/></channel>"
        )?;
    }
    let per_channel = programmes.div_ceil(CHANNELS);
    let start = jiff::civil::date(2026, 11, 1).at(0, 0, 0, 0);
    let mut written = 0;
    'outer: for c in 0..CHANNELS {
        for i in 0..per_channel {
            if written == programmes {
                break 'outer;
            }
            let s = start
                .checked_add(jiff::Span::new().minutes(30 * i as i64))
                .map_err(std::io::Error::other)?;
            let e = s
                .checked_add(jiff::Span::new().minutes(30))
                .map_err(std::io::Error::other)?;
            let fmt = |t: jiff::civil::DateTime| t.strftime("%Y%m%d%H%M%S").to_string();
            writeln!(
                w,
                "  <programme start=\"{} +0100\" stop=\"{} +0100\" channel=\"ch{c}.bench\">\
                 <title lang=\"en\">Show {i} on channel {c}</title>\
                 <title lang=\"fr\">Émission {i} sur la chaîne {c}</title>\
                 <desc lang=\"en\">An evening of music and conversation, episode {i}, with guests \
                 from around the world and listeners' requests.</desc>\
                 <credits><presenter>Host {}</presenter><guest>Guest {}</guest></credits>\
                 <category lang=\"en\">{}</category></programme>",
                fmt(s),
                fmt(e),
                i % 17,
                i % 101,
                if i % 5 == 0 { "Concert" } else { "Talk" }
            )?;
            written += 1;
        }
    }
    writeln!(w, "</tv>")?;
    w.flush()?;
    Ok(std::fs::metadata(path)?.len())
}

/// Peak resident set size in kB, from /proc (Linux).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let programmes: usize = value("--programmes")
        .map(|v| v.parse())
        .transpose()?
        .unwrap_or(100_000);
    if let Some(path) = value("--write") {
        let bytes = write_guide(Path::new(&path), programmes)?;
        println!("wrote {path}: {programmes} programmes, {bytes} bytes");
        return Ok(());
    }
    let dir = tempfile::tempdir()?;
    let guide = dir.path().join("guide.xml");
    let bytes = write_guide(&guide, programmes)?;
    // Opened as `onair import` opens it.
    let store = SledStore::open_for_import(&dir.path().join("data"))?;
    let before = peak_rss_kb().unwrap_or(0);
    let started = Instant::now();
    let report = import_file(&store, &guide, &ImportOptions::default())?;
    let elapsed = started.elapsed();
    let peak = peak_rss_kb().unwrap_or(0);
    println!(
        "import_xmltv: {programmes} programmes ({:.1} MB of XML) in {:.2} s; \
         {} added, {} rejected; {} events stored",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        report.summary.added,
        report.rejected.len(),
        store.event_count()?
    );
    println!(
        "peak RSS (VmHWM): {:.1} MB (before the import: {:.1} MB)",
        peak as f64 / 1024.0,
        before as f64 / 1024.0
    );
    Ok(())
}
