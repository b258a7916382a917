//! One test binary for the command line: every test runs the built `onair` binary, the way a
//! developer would, and checks its output and exit code.

mod check_model;
mod conversations;
mod device;
mod helpers;
mod package_and_record;
mod play;
mod say;
mod simulate;
