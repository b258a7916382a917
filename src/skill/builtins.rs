//! Help, fallback, stop and cancel.

use super::phrases::Phrase;
use super::{Reply, Turn};
use crate::alexa::{Directive, PlayerActivity, ResponseBuilder};

/// Specific help that ends in a question and keeps the session open.
pub(super) fn help(turn: &Turn<'_>) -> Reply {
    Ok(ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::Help))
        .reprompt(turn.locale.text(Phrase::HelpReprompt))
        .end_session(false))
}

/// What the skill can do, for utterances it does not understand.
pub(super) fn fallback(turn: &Turn<'_>) -> Reply {
    Ok(ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::Fallback))
        .reprompt(turn.locale.text(Phrase::HelpReprompt))
        .end_session(false))
}

/// Stops audio and ends the session. A listener who stops a stream hears nothing more; one who
/// leaves a conversation hears goodbye.
pub(super) fn stop(turn: &Turn<'_>) -> Reply {
    let playing = matches!(
        turn.env
            .context
            .audio_player
            .as_ref()
            .and_then(|p| p.player_activity),
        Some(PlayerActivity::Playing | PlayerActivity::BufferUnderrun)
    );
    let mut reply = ResponseBuilder::new()
        .directive(Directive::Stop)
        .end_session(true);
    if !playing {
        reply = reply.speak(turn.locale.text(Phrase::Goodbye));
    }
    Ok(reply)
}
