//! What onair remembers about one listener, keyed by a hash of the user id.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// History entries kept per listener; older ones fall off.
pub const HISTORY_LIMIT: usize = 200;
/// Saved episode positions kept per listener.
pub const OFFSETS_LIMIT: usize = 100;

/// What is (or was last) played.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "id", rename_all = "lowercase")]
pub enum PlayItem {
    /// A scheduled event, live.
    Event(String),
    /// A station's stream.
    Station(String),
    /// A podcast episode.
    Episode(String),
}

/// The stream currently handed to the listener's device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NowPlaying {
    /// The token sent with the Play.
    pub token: String,
    /// What it plays.
    pub item: PlayItem,
    /// When the Play was sent.
    pub since: Timestamp,
    /// Last known position.
    pub offset_ms: i64,
    /// Whether the device reported it playing (PlaybackStarted) and not yet stopped.
    pub active: bool,
}

/// One listening session in the history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// What was played.
    pub item: PlayItem,
    /// Genres of it, copied so affinity needs no look-ups.
    #[serde(default)]
    pub genres: Vec<String>,
    /// Performers of it.
    #[serde(default)]
    pub performers: Vec<String>,
    /// Station of it.
    #[serde(default)]
    pub station: Option<String>,
    /// When it started.
    pub at: Timestamp,
    /// How long it was listened to, in seconds (0 until it stops).
    pub seconds: i64,
}

/// Everything kept about a listener. Fields default so older values still load.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ListenerState {
    /// Schema version of this value.
    #[serde(default)]
    pub v: u16,
    /// What plays now.
    #[serde(default)]
    pub now_playing: Option<NowPlaying>,
    /// The token already enqueued after the current one, so a repeated NearlyFinished does not
    /// enqueue twice.
    #[serde(default)]
    pub enqueued_after: Option<String>,
    /// Token that a PlaybackFailed retry already used, so a retry happens once.
    #[serde(default)]
    pub retried_token: Option<String>,
    /// Saved positions of episodes, in milliseconds.
    #[serde(default)]
    pub episode_offsets: BTreeMap<String, i64>,
    /// Episodes listened to the end.
    #[serde(default)]
    pub finished_episodes: BTreeSet<String>,
    /// Listening history, newest last.
    #[serde(default)]
    pub history: VecDeque<HistoryEntry>,
    /// Station ids in the order next/previous walks them.
    #[serde(default)]
    pub station_order: Vec<String>,
    /// The event last listed or talked about, for "remind me when it starts".
    #[serde(default)]
    pub last_event: Option<String>,
    /// Followed performers (folded names to display names).
    #[serde(default)]
    pub followed_performers: BTreeMap<String, String>,
    /// Followed station ids.
    #[serde(default)]
    pub followed_stations: BTreeSet<String>,
    /// Events already announced at launch.
    #[serde(default)]
    pub announced: BTreeSet<String>,
    /// Reminders created: event id to alert token.
    #[serde(default)]
    pub reminders: BTreeMap<String, String>,
}

impl ListenerState {
    /// Appends to the history, dropping the oldest entries past the limit.
    pub fn push_history(&mut self, entry: HistoryEntry) {
        self.history.push_back(entry);
        while self.history.len() > HISTORY_LIMIT {
            self.history.pop_front();
        }
    }

    /// Saves an episode position, dropping the oldest saved positions past the limit.
    pub fn save_offset(&mut self, episode: &str, offset_ms: i64) {
        self.episode_offsets
            .insert(episode.to_string(), offset_ms.max(0));
        while self.episode_offsets.len() > OFFSETS_LIMIT {
            let Some(first) = self.episode_offsets.keys().next().cloned() else {
                break;
            };
            self.episode_offsets.remove(&first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_is_bounded() {
        let mut s = ListenerState::default();
        for i in 0..(HISTORY_LIMIT + 10) {
            s.push_history(HistoryEntry {
                item: PlayItem::Station(format!("s{i}")),
                genres: vec![],
                performers: vec![],
                station: None,
                at: Timestamp::UNIX_EPOCH,
                seconds: 0,
            });
        }
        assert_eq!(s.history.len(), HISTORY_LIMIT);
        assert_eq!(
            s.history.front().map(|h| h.item.clone()),
            Some(PlayItem::Station("s10".into()))
        );
    }

    #[test]
    fn old_values_load_with_defaults() {
        let s: ListenerState = serde_json::from_str("{}").expect("loads");
        assert_eq!(s, ListenerState::default());
    }

    #[test]
    fn offsets_are_bounded_and_non_negative() {
        let mut s = ListenerState::default();
        s.save_offset("e", -5);
        assert_eq!(s.episode_offsets.get("e"), Some(&0));
        for i in 0..200 {
            s.save_offset(&format!("ep{i:03}"), i);
        }
        assert_eq!(s.episode_offsets.len(), OFFSETS_LIMIT);
    }
}
