//! The `onair` binary: parse the command line and hand over to the library.

use clap::Parser;

/// sled allocates and frees a node for every write; jemalloc serves that pattern about a third
/// faster than the system allocator, which is most of an import's time.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = onair::cli::Cli::parse();
    match onair::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::from(onair::cli::exit_code(&e))
        }
    }
}
