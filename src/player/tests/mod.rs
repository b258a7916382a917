//! Tests of the player against the sample files in `audio/` and local
//! (127.0.0.1) servers; nothing here touches the network beyond loopback.

mod demo;
mod files;
mod hls;
mod http;
mod playlists;
#[cfg(feature = "speaker")]
mod speaker;
mod support;
