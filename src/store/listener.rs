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
    /// Keys of `episode_offsets`, least recently saved first: eviction drops the oldest.
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    pub offsets_order: VecDeque<String>,
    /// Ids of `announced`, oldest first.
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    pub announced_order: VecDeque<String>,
    /// Keys of `reminders`, oldest first.
    #[serde(default, skip_serializing_if = "VecDeque::is_empty")]
    pub reminders_order: VecDeque<String>,
}

/// Moves `key` to the newest end of `order`, forgetting keys `present` no longer holds.
fn touch(order: &mut VecDeque<String>, key: &str, present: impl Fn(&str) -> bool) {
    order.retain(|k| k != key && present(k));
    order.push_back(key.to_string());
}

/// The key to evict next: the least recent in `order`, else (values saved before the order was
/// kept) the first key `present` holds that `order` does not know, which is older than any
/// ordered one.
fn oldest<'a>(
    order: &VecDeque<String>,
    mut keys: impl Iterator<Item = &'a String>,
    keep: &str,
) -> Option<String> {
    keys.find(|k| *k != keep && !order.contains(k))
        .cloned()
        .or_else(|| order.iter().find(|k| *k != keep).cloned())
}

impl ListenerState {
    /// Appends to the history, dropping the oldest entries past the limit.
    pub fn push_history(&mut self, entry: HistoryEntry) {
        self.history.push_back(entry);
        while self.history.len() > HISTORY_LIMIT {
            self.history.pop_front();
        }
    }

    /// Saves an episode position, dropping the least recently saved positions past the limit.
    pub fn save_offset(&mut self, episode: &str, offset_ms: i64) {
        self.episode_offsets
            .insert(episode.to_string(), offset_ms.max(0));
        let map = &self.episode_offsets;
        touch(&mut self.offsets_order, episode, |k| map.contains_key(k));
        while self.episode_offsets.len() > OFFSETS_LIMIT {
            let Some(old) = oldest(&self.offsets_order, self.episode_offsets.keys(), episode)
            else {
                break;
            };
            self.episode_offsets.remove(&old);
            self.offsets_order.retain(|k| *k != old);
        }
    }

    /// Marks `ids` announced, keeping at most `cap`: ids in `stale` (ended events) go first,
    /// then the longest-announced.
    pub fn remember_announced(&mut self, ids: &[String], stale: &[String], cap: usize) {
        for id in ids {
            self.announced.insert(id.clone());
            let set = &self.announced;
            touch(&mut self.announced_order, id, |k| set.contains(k));
        }
        for old in stale {
            if self.announced.len() <= cap {
                break;
            }
            if !ids.contains(old) && self.announced.remove(old) {
                self.announced_order.retain(|k| k != old);
            }
        }
        while self.announced.len() > cap {
            let newest = ids.last().map(String::as_str).unwrap_or_default();
            let Some(old) = oldest(&self.announced_order, self.announced.iter(), newest) else {
                break;
            };
            self.announced.remove(&old);
            self.announced_order.retain(|k| *k != old);
        }
    }

    /// Records a reminder created for `event`, keeping at most `cap`: reminders of ended events
    /// (`stale`) go first, then the oldest created.
    pub fn remember_reminder(&mut self, event: &str, token: &str, stale: &[String], cap: usize) {
        self.reminders.insert(event.to_string(), token.to_string());
        let map = &self.reminders;
        touch(&mut self.reminders_order, event, |k| map.contains_key(k));
        for old in stale {
            if self.reminders.len() <= cap {
                break;
            }
            if old != event && self.reminders.remove(old).is_some() {
                self.reminders_order.retain(|k| k != old);
            }
        }
        while self.reminders.len() > cap {
            let Some(old) = oldest(&self.reminders_order, self.reminders.keys(), event) else {
                break;
            };
            self.reminders.remove(&old);
            self.reminders_order.retain(|k| *k != old);
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

    #[test]
    fn the_oldest_position_is_evicted_not_the_lowest_id() {
        let mut s = ListenerState::default();
        // Ids sort the other way round from their age: "z..." saved first, "a..." last.
        for i in 0..OFFSETS_LIMIT {
            s.save_offset(&format!("z{:03}", OFFSETS_LIMIT - i), 1);
        }
        s.save_offset("z100", 2); // re-saving makes it the newest
        s.save_offset("a-newest", 3);
        assert_eq!(s.episode_offsets.len(), OFFSETS_LIMIT);
        assert_eq!(
            s.episode_offsets.get("a-newest"),
            Some(&3),
            "the newest is kept"
        );
        assert_eq!(
            s.episode_offsets.get("z100"),
            Some(&2),
            "re-saved, so recent"
        );
        assert!(
            !s.episode_offsets.contains_key("z099"),
            "the oldest untouched one went"
        );
        assert_eq!(s.offsets_order.len(), OFFSETS_LIMIT);
    }

    #[test]
    fn positions_saved_before_the_order_was_kept_go_first() {
        let mut s = ListenerState::default();
        for i in 0..OFFSETS_LIMIT {
            s.episode_offsets.insert(format!("old{i:03}"), 1);
        }
        s.save_offset("fresh", 5);
        assert_eq!(s.episode_offsets.len(), OFFSETS_LIMIT);
        assert_eq!(s.episode_offsets.get("fresh"), Some(&5));
    }

    #[test]
    fn announced_and_reminders_are_capped_by_age() {
        let mut s = ListenerState::default();
        for i in 0..10 {
            s.remember_announced(&[format!("z{}", 9 - i)], &[], 5);
        }
        let kept: Vec<&String> = s.announced.iter().collect();
        assert_eq!(
            kept,
            ["z0", "z1", "z2", "z3", "z4"],
            "the five announced last"
        );
        s.remember_announced(&["new".into()], &["z3".into()], 5);
        assert!(
            s.announced.contains("new") && !s.announced.contains("z3"),
            "stale first"
        );

        for i in 0..10 {
            s.remember_reminder(&format!("e{}", 9 - i), "tok", &[], 3);
        }
        let kept: Vec<&String> = s.reminders.keys().collect();
        assert_eq!(kept, ["e0", "e1", "e2"]);
    }
}
