//! The Alexa Skills Kit wire format, and nothing else.
//!
//! This module knows the JSON shapes Alexa sends and accepts, the rules about what each request
//! type may be answered with, and the size limits Alexa enforces. It knows nothing about
//! schedules or stores, so it can be tested against the public SDK samples on its own. The one
//! outgoing call that belongs to the wire format, creating a reminder, lives in [`reminders`].

pub mod api;
pub mod bounds;
pub mod breaker;
pub mod directive;
pub mod policy;
pub mod reminders;
pub mod request;
pub mod response;
pub mod ssml;
pub mod time;

pub use directive::{AudioItem, ClearBehavior, Directive, PlayBehavior, Stream, StreamMetadata};
pub use policy::{RequestClass, Violation};
pub use request::{
    AudioPlayerState, Context, Device, EnvelopeError, Intent, PlaybackEvent, PlaybackEventKind,
    PlayerActivity, Request, RequestBody, RequestEnvelope, Session, Slot, System,
};
pub use response::{
    Card, OutputSpeech, Reprompt, ResponseBody, ResponseBuilder, ResponseEnvelope, SpeechContent,
};
pub use ssml::Ssml;
