//! Integration tests of schedule imports: each format imported from the sample files in
//! `tests/data/`, then checked through the real skill endpoint; sources, crash safety, the
//! admin API, background refresh and the `onair import` command.
//!
//! One test binary (modules under `tests/import/`) so the crate links once.

#[path = "import/admin.rs"]
mod admin;
#[path = "import/cli.rs"]
mod cli;
#[path = "import/corpus.rs"]
mod corpus;
#[path = "import/formats.rs"]
mod formats;
#[path = "import/helpers.rs"]
mod helpers;
#[path = "import/refresh.rs"]
mod refresh;
#[path = "import/sources.rs"]
mod sources;
