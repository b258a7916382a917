//! One integration-test binary: every test boots the real server on a random loopback port and
//! speaks HTTP to it.

mod can_fulfill;
mod conformance;
mod errors;
mod fake_alexa;
mod fixtures;
mod follows;
mod helpers;
mod hostile;
mod hostile_admin;
mod model;
mod personal;
mod playback;
mod reminders;
mod server;
mod verification;
mod zones;
