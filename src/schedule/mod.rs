//! The schedule's domain: stations, events and podcast episodes that are valid by construction,
//! and the folding of spoken names so "a c d c" finds "AC/DC".

pub mod index;
pub mod names;
pub mod types;

pub use names::{fold, NameMatch};
pub use types::{
    DomainError, Episode, EpisodeSpec, Event, EventKind, EventSpec, Id, Station, StationSpec,
    StreamUrl,
};
