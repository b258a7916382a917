//! onair answers Alexa Skills Kit requests for live audio (concerts, radio shows, podcasts and
//! broadcast events) from a schedule kept in an embedded store.
//!
//! # Layout
//! - [`alexa`]: the ASK wire format, the answering rules and size limits; no behaviour.
//! - [`skill`]: dispatch and one handler module per intent family; speech per locale.
//! - [`schedule`]: stations, events and episodes, valid by construction; spoken-name folding.
//! - [`verify`]: request authenticity: certificate URL rules, chain, signature, timestamp,
//!   application id; every failure a typed reason.
//! - [`store`]: the `Store` trait and its sled implementation; listener state.
//! - [`import`]: schedule formats into domain records, applied atomically per source.
//! - [`server`]: the axum router, the skill endpoint, health and metrics, graceful shutdown.
//! - [`config`], [`telemetry`], [`service`]: settings, logging, and wiring them together.
//! - [`demo`]: the offline demo schedule.
//! - [`devtools`]: the developer loop behind `say`, `simulate` and `check-model`.
//! - [`nlu`]: offline utterance → intent and slots, from the skill package's interaction models.
//! - [`player`]: local playback of files, HTTP/ICY streams, playlists and HLS (speaker or WAV);
//!   also the demo's looping ICY stream.
//! - [`cli`]: the command line the binary runs.

pub mod alexa;
pub mod cli;
pub mod config;
pub mod demo;
pub mod devtools;
pub mod import;
pub mod nlu;
pub mod player;
pub mod privacy;
pub mod schedule;
pub mod server;
pub mod service;
pub mod skill;
pub mod store;
pub mod telemetry;
pub mod verify;
