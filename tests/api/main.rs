//! One integration-test binary: every test boots the real server on a random loopback port and
//! speaks HTTP to it.

mod conformance;
mod errors;
mod fixtures;
mod helpers;
mod model;
mod playback;
mod server;
mod verification;
