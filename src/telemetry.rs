//! The tracing subscriber, set up once for the process.

use crate::config::LogFormat;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber writing to stderr. `RUST_LOG` overrides the default `info`
/// level. Installing twice is harmless (tests call it from many places).
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    use std::io::IsTerminal;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colour codes only where a person reads them, not in files or log collectors.
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
