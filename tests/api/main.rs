//! One integration-test binary: every test boots the real server on a random loopback port and
//! speaks HTTP to it.

mod conformance;
mod errors;
mod fixtures;
// Builder methods not every test uses yet; `-D warnings` would otherwise fail the CI lint step.
#[allow(dead_code)]
mod helpers;
mod model;
mod server;
