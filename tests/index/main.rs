//! Integration tests of the in-memory schedule index through the real server: readers see one
//! whole schedule during an import, the index follows every kind of change, answers stay
//! bounded on huge and hostile schedules, and personal ordering reaches past the first page.
//!
//! One test binary (modules under `tests/index/`) so the crate links once.

#[path = "../import/helpers.rs"]
#[allow(dead_code)]
mod helpers;

mod bounded;
mod follows;
mod personal;
mod schedule;
mod swap;
