//! What each request type may be answered with (protocol §1.5) and Alexa's size limits (§2.4),
//! checked in this one place before anything is sent.

use super::directive::{Directive, PlayBehavior};
use super::request::{PlaybackEventKind, RequestBody};
use super::response::ResponseEnvelope;

/// Longest speech or reprompt Alexa accepts, in characters.
pub const MAX_SPEECH_CHARS: usize = 8000;
/// Longest card text (title + body + image URLs).
pub const MAX_CARD_CHARS: usize = 8000;
/// Longest stream token and expectedPreviousToken.
pub const MAX_TOKEN_CHARS: usize = 1024;
/// Longest stream URL.
pub const MAX_URL_CHARS: usize = 8000;
/// Largest response body we let out; Alexa's documented cap has long been 24 KB.
pub const MAX_RESPONSE_BYTES: usize = 24 * 1024;

/// The classes of request that share answering rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestClass {
    /// LaunchRequest and IntentRequest: anything goes.
    Conversational,
    /// CanFulfillIntentRequest: `canFulfillIntent` only.
    CanFulfill,
    /// PlaybackStarted / PlaybackFinished: Stop or ClearQueue at most.
    PlaybackStartedOrFinished,
    /// PlaybackNearlyFinished and PlaybackFailed: one Play, Stop or ClearQueue.
    PlaybackMayPlay,
    /// PlaybackStopped: nothing.
    PlaybackStopped,
    /// PlaybackController: AudioPlayer directives only.
    Controller,
    /// SessionEnded, ExceptionEncountered, skill events and unknown types: nothing.
    Silent,
}

impl RequestClass {
    /// The class of a request body.
    pub fn of(body: &RequestBody) -> Self {
        match body {
            RequestBody::Launch | RequestBody::Intent { .. } => Self::Conversational,
            RequestBody::CanFulfillIntent { .. } => Self::CanFulfill,
            RequestBody::Playback(event) => match event.kind {
                PlaybackEventKind::Started | PlaybackEventKind::Finished => {
                    Self::PlaybackStartedOrFinished
                }
                PlaybackEventKind::NearlyFinished | PlaybackEventKind::Failed => {
                    Self::PlaybackMayPlay
                }
                PlaybackEventKind::Stopped => Self::PlaybackStopped,
            },
            RequestBody::Controller(_) => Self::Controller,
            RequestBody::SessionEnded { .. }
            | RequestBody::ExceptionEncountered { .. }
            | RequestBody::SkillEvent
            | RequestBody::Other => Self::Silent,
        }
    }

    /// Whether speech, cards, reprompts and `shouldEndSession` are allowed.
    pub fn allows_voice(self) -> bool {
        self == Self::Conversational
    }
}

/// A response that Alexa would reject.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// Speech, card, reprompt or shouldEndSession on a request that allows none.
    #[error("{0} is not allowed in answer to this request type")]
    VoiceNotAllowed(&'static str),
    /// A directive the request type does not allow.
    #[error("directive {0} is not allowed in answer to this request type")]
    DirectiveNotAllowed(&'static str),
    /// More than one Play.
    #[error("at most one AudioPlayer.Play per response")]
    TooManyPlays,
    /// canFulfillIntent outside CanFulfillIntentRequest, or missing there.
    #[error("canFulfillIntent belongs to CanFulfillIntentRequest answers only")]
    CanFulfillMisplaced,
    /// A text over its limit.
    #[error("{field} has {len} characters, limit {limit}")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A stream URL Alexa will not play.
    #[error("stream URL must be https: {0}")]
    InsecureStream(String),
    /// expectedPreviousToken outside ENQUEUE.
    #[error("expectedPreviousToken is only allowed with ENQUEUE")]
    PreviousTokenMisplaced,
    /// The session is kept open without a question to answer.
    #[error("shouldEndSession=false needs speech and a reprompt")]
    SilentOpenSession,
    /// The serialized body is too large.
    #[error("response body is {0} bytes, limit {MAX_RESPONSE_BYTES}")]
    BodyTooLarge(usize),
}

fn directive_name(d: &Directive) -> &'static str {
    match d {
        Directive::Play { .. } => "AudioPlayer.Play",
        Directive::Stop => "AudioPlayer.Stop",
        Directive::ClearQueue { .. } => "AudioPlayer.ClearQueue",
        Directive::ConfirmIntent { .. } => "Dialog.ConfirmIntent",
    }
}

fn check_len(field: &'static str, text: &str, limit: usize) -> Result<(), Violation> {
    let len = text.chars().count();
    if len > limit {
        return Err(Violation::TooLong { field, len, limit });
    }
    Ok(())
}

/// Checks a response against the rules for `class`. `allow_plain_http` admits `http://` stream
/// URLs, which only the loopback demo uses.
pub fn check(
    class: RequestClass,
    envelope: &ResponseEnvelope,
    allow_plain_http: bool,
) -> Result<(), Violation> {
    let body = &envelope.response;
    if !class.allows_voice() {
        let voice = [
            (body.output_speech.is_some(), "outputSpeech"),
            (body.card.is_some(), "card"),
            (body.reprompt.is_some(), "reprompt"),
            (body.should_end_session.is_some(), "shouldEndSession"),
            (envelope.session_attributes.is_some(), "sessionAttributes"),
        ];
        if let Some((_, field)) = voice.iter().find(|(present, _)| *present) {
            return Err(Violation::VoiceNotAllowed(field));
        }
    }
    if (class == RequestClass::CanFulfill) != body.can_fulfill_intent.is_some() {
        return Err(Violation::CanFulfillMisplaced);
    }
    let mut plays = 0;
    for d in &body.directives {
        let allowed = match class {
            RequestClass::Conversational => true,
            RequestClass::PlaybackMayPlay | RequestClass::Controller => d.is_audio_player(),
            RequestClass::PlaybackStartedOrFinished => {
                matches!(d, Directive::Stop | Directive::ClearQueue { .. })
            }
            RequestClass::CanFulfill | RequestClass::PlaybackStopped | RequestClass::Silent => {
                false
            }
        };
        if !allowed {
            return Err(Violation::DirectiveNotAllowed(directive_name(d)));
        }
        if let Directive::Play {
            play_behavior,
            audio_item,
        } = d
        {
            plays += 1;
            let stream = &audio_item.stream;
            check_len("audioItem.stream.token", &stream.token, MAX_TOKEN_CHARS)?;
            check_len("audioItem.stream.url", &stream.url, MAX_URL_CHARS)?;
            if let Some(prev) = &stream.expected_previous_token {
                check_len("expectedPreviousToken", prev, MAX_TOKEN_CHARS)?;
                if *play_behavior != PlayBehavior::Enqueue {
                    return Err(Violation::PreviousTokenMisplaced);
                }
            }
            let https = stream.url.starts_with("https://");
            let plain_ok = allow_plain_http && stream.url.starts_with("http://");
            if !https && !plain_ok {
                return Err(Violation::InsecureStream(stream.url.clone()));
            }
        }
    }
    if plays > 1 {
        return Err(Violation::TooManyPlays);
    }
    if let Some(speech) = &body.output_speech {
        check_len("outputSpeech", speech.source(), MAX_SPEECH_CHARS)?;
    }
    if let Some(reprompt) = &body.reprompt {
        check_len(
            "reprompt",
            reprompt.output_speech.source(),
            MAX_SPEECH_CHARS,
        )?;
    }
    if let Some(card) = &body.card {
        let len = card.text_len();
        if len > MAX_CARD_CHARS {
            return Err(Violation::TooLong {
                field: "card",
                len,
                limit: MAX_CARD_CHARS,
            });
        }
    }
    if body.should_end_session == Some(false)
        && (body.output_speech.is_none() || body.reprompt.is_none())
    {
        return Err(Violation::SilentOpenSession);
    }
    let size = json_len(envelope);
    if size > MAX_RESPONSE_BYTES {
        return Err(Violation::BodyTooLarge(size));
    }
    Ok(())
}

/// The length of `envelope` as JSON, counted as it is written: nothing is kept.
fn json_len(envelope: &ResponseEnvelope) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0 += bytes.len();
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, envelope) {
        Ok(()) => count.0,
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alexa::directive::{AudioItem, Stream};
    use crate::alexa::response::ResponseBuilder;

    fn play(url: &str, token: &str, behavior: PlayBehavior, prev: Option<&str>) -> Directive {
        Directive::Play {
            play_behavior: behavior,
            audio_item: AudioItem {
                stream: Stream {
                    url: url.into(),
                    token: token.into(),
                    expected_previous_token: prev.map(Into::into),
                    offset_in_milliseconds: 0,
                },
                metadata: None,
            },
        }
    }

    #[test]
    fn speech_to_player_event_is_refused() {
        let r = ResponseBuilder::new().speak("hi").build();
        assert_eq!(
            check(RequestClass::PlaybackStartedOrFinished, &r, false),
            Err(Violation::VoiceNotAllowed("outputSpeech"))
        );
        let r = ResponseBuilder::new().end_session(true).build();
        assert_eq!(
            check(RequestClass::Controller, &r, false),
            Err(Violation::VoiceNotAllowed("shouldEndSession"))
        );
    }

    #[test]
    fn stopped_allows_nothing() {
        let r = ResponseBuilder::new().directive(Directive::Stop).build();
        assert!(check(RequestClass::PlaybackStopped, &r, false).is_err());
        assert!(check(
            RequestClass::PlaybackStopped,
            &ResponseEnvelope::empty(),
            false
        )
        .is_ok());
    }

    #[test]
    fn one_play_only() {
        let p = play("https://a/x", "t", PlayBehavior::ReplaceAll, None);
        let r = ResponseBuilder::new()
            .directive(p.clone())
            .directive(p)
            .build();
        assert_eq!(
            check(RequestClass::Conversational, &r, false),
            Err(Violation::TooManyPlays)
        );
    }

    #[test]
    fn token_limit() {
        let long = "x".repeat(1025);
        let r = ResponseBuilder::new()
            .directive(play("https://a/x", &long, PlayBehavior::ReplaceAll, None))
            .build();
        assert!(matches!(
            check(RequestClass::Conversational, &r, false),
            Err(Violation::TooLong {
                field: "audioItem.stream.token",
                ..
            })
        ));
    }

    #[test]
    fn speech_limit() {
        let r = ResponseBuilder::new()
            .speak("a".repeat(8001).as_str())
            .build();
        assert!(check(RequestClass::Conversational, &r, false).is_err());
        let r = ResponseBuilder::new()
            .speak("a".repeat(8000).as_str())
            .build();
        assert!(check(RequestClass::Conversational, &r, false).is_ok());
    }

    #[test]
    fn http_stream_only_in_demo() {
        let r = ResponseBuilder::new()
            .directive(play(
                "http://127.0.0.1/a",
                "t",
                PlayBehavior::ReplaceAll,
                None,
            ))
            .build();
        assert!(check(RequestClass::Conversational, &r, false).is_err());
        assert!(check(RequestClass::Conversational, &r, true).is_ok());
    }

    #[test]
    fn previous_token_only_with_enqueue() {
        let r = ResponseBuilder::new()
            .directive(play("https://a", "t", PlayBehavior::ReplaceAll, Some("p")))
            .build();
        assert_eq!(
            check(RequestClass::Conversational, &r, false),
            Err(Violation::PreviousTokenMisplaced)
        );
    }

    #[test]
    fn open_session_needs_reprompt() {
        let r = ResponseBuilder::new()
            .speak("Hi")
            .end_session(false)
            .build();
        assert_eq!(
            check(RequestClass::Conversational, &r, false),
            Err(Violation::SilentOpenSession)
        );
    }

    #[test]
    fn can_fulfill_only_for_its_request() {
        let r = ResponseBuilder::new()
            .can_fulfill(serde_json::json!({"canFulfill": "NO"}))
            .build();
        assert!(check(RequestClass::CanFulfill, &r, false).is_ok());
        assert!(check(RequestClass::Conversational, &r, false).is_err());
        assert!(check(RequestClass::CanFulfill, &ResponseEnvelope::empty(), false).is_err());
    }
}
