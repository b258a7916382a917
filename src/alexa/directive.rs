//! Directives: AudioPlayer and Dialog.

use super::request::Intent;
use serde::{Deserialize, Serialize};

/// A directive in `response.directives`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Directive {
    /// Start or queue a stream.
    #[serde(rename = "AudioPlayer.Play", rename_all = "camelCase")]
    Play {
        /// How this item relates to what plays and what is queued.
        play_behavior: PlayBehavior,
        /// The stream and its metadata.
        audio_item: AudioItem,
    },
    /// Stop the current stream.
    #[serde(rename = "AudioPlayer.Stop")]
    Stop,
    /// Clear the queue.
    #[serde(rename = "AudioPlayer.ClearQueue", rename_all = "camelCase")]
    ClearQueue {
        /// What to clear.
        clear_behavior: ClearBehavior,
    },
    /// Ask the listener to confirm the whole intent.
    #[serde(rename = "Dialog.ConfirmIntent", rename_all = "camelCase")]
    ConfirmIntent {
        /// The intent as it should come back.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        updated_intent: Option<Intent>,
    },
}

impl Directive {
    /// Whether this is an `AudioPlayer.*` directive.
    pub fn is_audio_player(&self) -> bool {
        matches!(
            self,
            Self::Play { .. } | Self::Stop | Self::ClearQueue { .. }
        )
    }

    /// The Play's stream, if this is a Play.
    pub fn stream(&self) -> Option<&Stream> {
        match self {
            Self::Play { audio_item, .. } => Some(&audio_item.stream),
            _ => None,
        }
    }
}

/// `playBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlayBehavior {
    /// Stop what plays, clear the queue, play now.
    ReplaceAll,
    /// Append to the queue.
    Enqueue,
    /// Replace the queued items, keep the current one.
    ReplaceEnqueued,
}

/// `clearBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClearBehavior {
    /// Drop queued items, keep the current one.
    ClearEnqueued,
    /// Drop everything and stop.
    ClearAll,
}

/// `audioItem`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AudioItem {
    /// The stream.
    pub stream: Stream,
    /// What screens and the app show.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<StreamMetadata>,
}

/// `audioItem.stream`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Stream {
    /// HTTPS URL of the audio.
    pub url: String,
    /// Opaque token that comes back in every event.
    pub token: String,
    /// ENQUEUE only: the token that must be playing for the enqueue to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_previous_token: Option<String>,
    /// Start position; 0 for live streams.
    pub offset_in_milliseconds: i64,
}

/// `audioItem.metadata`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamMetadata {
    /// Title line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Second line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Square cover art.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub art: Option<Image>,
    /// Landscape background.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background_image: Option<Image>,
}

/// An image with its sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// Alternative text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_description: Option<String>,
    /// Sources.
    pub sources: Vec<ImageSource>,
}

impl Image {
    /// One image from one URL.
    pub fn from_url(url: &str, description: &str) -> Self {
        Self {
            content_description: Some(description.into()),
            sources: vec![ImageSource { url: url.into() }],
        }
    }
}

/// One image source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageSource {
    /// HTTPS URL.
    pub url: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn play_serializes_like_the_reference() {
        let d = Directive::Play {
            play_behavior: PlayBehavior::Enqueue,
            audio_item: AudioItem {
                stream: Stream {
                    url: "https://x/a.mp3".into(),
                    token: "t2".into(),
                    expected_previous_token: Some("t1".into()),
                    offset_in_milliseconds: 0,
                },
                metadata: Some(StreamMetadata {
                    title: Some("T".into()),
                    subtitle: None,
                    art: Some(Image::from_url("https://x/a.png", "art")),
                    background_image: None,
                }),
            },
        };
        assert_eq!(
            serde_json::to_value(&d).expect("ser"),
            json!({"type": "AudioPlayer.Play", "playBehavior": "ENQUEUE", "audioItem": {
                "stream": {"url": "https://x/a.mp3", "token": "t2", "expectedPreviousToken": "t1",
                           "offsetInMilliseconds": 0},
                "metadata": {"title": "T", "art": {"contentDescription": "art",
                              "sources": [{"url": "https://x/a.png"}]}}}})
        );
    }

    #[test]
    fn stop_and_clear_queue() {
        assert_eq!(
            serde_json::to_value(Directive::Stop).expect("ser"),
            json!({"type": "AudioPlayer.Stop"})
        );
        assert_eq!(
            serde_json::to_value(Directive::ClearQueue {
                clear_behavior: ClearBehavior::ClearAll
            })
            .expect("ser"),
            json!({"type": "AudioPlayer.ClearQueue", "clearBehavior": "CLEAR_ALL"})
        );
    }
}
