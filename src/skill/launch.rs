//! LaunchRequest: the welcome.

use super::phrases::Phrase;
use super::{Reply, Skill, Turn};
use crate::alexa::ResponseBuilder;

/// Welcomes the listener, naming two things to say, and waits for an answer.
pub(super) fn handle(_skill: &Skill, turn: &Turn<'_>) -> Reply {
    Ok(ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::Welcome))
        .reprompt(turn.locale.text(Phrase::WelcomeReprompt))
        .end_session(false))
}
