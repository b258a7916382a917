//! Request verification against forged, broken and genuine requests, a test CA made for the
//! tests, and Amazon's real certificate chains.

mod amazon_chains;
mod common;
mod fetching;
mod forged_requests;
mod https_source;
