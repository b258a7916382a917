//! The `onair` binary: parse the command line and hand over to the library.

use clap::Parser;
use std::time::Duration;

/// sled allocates and frees a node for every write; jemalloc serves that pattern about a third
/// faster than the system allocator, which is most of an import's time.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    let cli = onair::cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: starting the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(async {
        match onair::cli::run(cli).await {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                std::process::ExitCode::from(onair::cli::exit_code(&e))
            }
        }
    });
    // Work abandoned at shutdown (a request stuck past its deadline) must not hold the exit:
    // the store is already flushed.
    runtime.shutdown_timeout(Duration::from_secs(1));
    code
}
