//! Response envelopes and the builder handlers use.

use super::directive::{Directive, PlayBehavior};
use super::ssml::Ssml;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The whole body of a response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseEnvelope {
    /// Always "1.0".
    pub version: String,
    /// Echoed back next turn while the session lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_attributes: Option<Map<String, Value>>,
    /// The response proper.
    pub response: ResponseBody,
}

impl ResponseEnvelope {
    /// `{"version":"1.0","response":{}}`: the answer to events that allow no content.
    pub fn empty() -> Self {
        Self {
            version: "1.0".into(),
            session_attributes: None,
            response: ResponseBody::default(),
        }
    }
}

/// `response`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResponseBody {
    /// What Alexa says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_speech: Option<OutputSpeech>,
    /// What the app or screen shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// Said if the listener stays silent with the session open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reprompt: Option<Reprompt>,
    /// Directives.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub directives: Vec<Directive>,
    /// Whether the session ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub should_end_session: Option<bool>,
    /// CanFulfillIntentRequest answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub can_fulfill_intent: Option<Value>,
}

impl ResponseBody {
    /// True when the body carries no content at all.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// `outputSpeech`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputSpeech {
    /// Plain text or SSML.
    #[serde(flatten)]
    pub content: SpeechContent,
    /// How this speech relates to speech already queued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub play_behavior: Option<PlayBehavior>,
}

/// The text of `outputSpeech`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum SpeechContent {
    /// Plain text.
    PlainText {
        /// The text.
        text: String,
    },
    /// SSML wrapped in `<speak>`.
    #[serde(rename = "SSML")]
    Ssml {
        /// The document.
        ssml: String,
    },
}

impl OutputSpeech {
    /// The text or SSML source, for length checks and logs.
    pub fn source(&self) -> &str {
        match &self.content {
            SpeechContent::PlainText { text } => text,
            SpeechContent::Ssml { ssml } => ssml,
        }
    }

    /// Plain-text speech.
    pub fn plain(text: impl Into<String>) -> Self {
        Self {
            content: SpeechContent::PlainText { text: text.into() },
            play_behavior: None,
        }
    }
}

impl From<Ssml> for OutputSpeech {
    fn from(s: Ssml) -> Self {
        Self {
            content: SpeechContent::Ssml { ssml: s.build() },
            play_behavior: None,
        }
    }
}

/// `reprompt`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reprompt {
    /// What to say.
    pub output_speech: OutputSpeech,
}

/// `card`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Card {
    /// Title and text.
    Simple {
        /// Title.
        title: String,
        /// Body.
        content: String,
    },
    /// Title, text and image.
    Standard {
        /// Title.
        title: String,
        /// Body (`text`, not `content`, for this type).
        text: String,
        /// Image URLs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        image: Option<CardImage>,
    },
    /// Ask the listener to link an account in the Alexa app.
    LinkAccount,
    /// Ask for permissions in the Alexa app.
    AskForPermissionsConsent {
        /// Scopes asked for.
        permissions: Vec<String>,
    },
}

impl Card {
    /// Characters counted against the 8000-character card limit.
    pub fn text_len(&self) -> usize {
        match self {
            Self::Simple { title, content } => title.chars().count() + content.chars().count(),
            Self::Standard { title, text, image } => {
                title.chars().count()
                    + text.chars().count()
                    + image.as_ref().map_or(0, |i| {
                        i.small_image_url.as_deref().map_or(0, str::len)
                            + i.large_image_url.as_deref().map_or(0, str::len)
                    })
            }
            Self::AskForPermissionsConsent { permissions } => {
                permissions.iter().map(String::len).sum()
            }
            Self::LinkAccount => 0,
        }
    }
}

/// Standard card images.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardImage {
    /// 720x480.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub small_image_url: Option<String>,
    /// 1200x800.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large_image_url: Option<String>,
}

/// Builds a response; the policy check happens later, in one place, when it is sent.
#[derive(Debug, Clone, Default)]
pub struct ResponseBuilder {
    body: ResponseBody,
    attributes: Option<Map<String, Value>>,
}

impl ResponseBuilder {
    /// An empty response.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the speech.
    pub fn speak(mut self, speech: impl Into<OutputSpeech>) -> Self {
        self.body.output_speech = Some(speech.into());
        self
    }

    /// Sets the reprompt.
    pub fn reprompt(mut self, speech: impl Into<OutputSpeech>) -> Self {
        self.body.reprompt = Some(Reprompt {
            output_speech: speech.into(),
        });
        self
    }

    /// Sets the card.
    pub fn card(mut self, card: Card) -> Self {
        self.body.card = Some(card);
        self
    }

    /// Adds a directive.
    pub fn directive(mut self, directive: Directive) -> Self {
        self.body.directives.push(directive);
        self
    }

    /// Sets `shouldEndSession`.
    pub fn end_session(mut self, end: bool) -> Self {
        self.body.should_end_session = Some(end);
        self
    }

    /// Sets the session attributes.
    pub fn attributes(mut self, attributes: Map<String, Value>) -> Self {
        self.attributes = Some(attributes);
        self
    }

    /// Sets the CanFulfillIntent answer.
    pub fn can_fulfill(mut self, answer: Value) -> Self {
        self.body.can_fulfill_intent = Some(answer);
        self
    }

    /// The finished envelope.
    pub fn build(self) -> ResponseEnvelope {
        ResponseEnvelope {
            version: "1.0".into(),
            session_attributes: self.attributes.filter(|a| !a.is_empty()),
            response: self.body,
        }
    }
}

impl From<&str> for OutputSpeech {
    fn from(text: &str) -> Self {
        Self::plain(text)
    }
}

impl From<String> for OutputSpeech {
    fn from(text: String) -> Self {
        Self::plain(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builder_produces_reference_shape() {
        let env = ResponseBuilder::new()
            .speak(Ssml::new().text("Hello & welcome"))
            .reprompt("What now?")
            .card(Card::Simple {
                title: "On Air".into(),
                content: "Hi".into(),
            })
            .end_session(false)
            .build();
        assert_eq!(
            serde_json::to_value(&env).expect("ser"),
            json!({"version": "1.0", "response": {
                "outputSpeech": {"type": "SSML", "ssml": "<speak>Hello &amp; welcome</speak>"},
                "card": {"type": "Simple", "title": "On Air", "content": "Hi"},
                "reprompt": {"outputSpeech": {"type": "PlainText", "text": "What now?"}},
                "shouldEndSession": false}})
        );
    }

    #[test]
    fn empty_is_minimal() {
        assert_eq!(
            serde_json::to_value(ResponseEnvelope::empty()).expect("ser"),
            json!({"version": "1.0", "response": {}})
        );
    }
}
