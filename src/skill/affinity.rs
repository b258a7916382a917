//! How much a listener likes a genre, a performer or a station, from what they listened to and
//! for how long, plus what they follow. Pure: no store, no clock of its own.
//!
//! Each history entry weighs the minutes it was listened to, capped so one all-night stream
//! does not drown everything else, and fading with age (half-life [`HALF_LIFE_DAYS`]) so tastes
//! can change. A play shorter than [`SKIP_SECONDS`] counts as a skip and weighs nothing. An
//! entry still playing (`seconds == 0`) counts the time since it started, capped at
//! [`OPEN_CAP_SECONDS`], and at least [`OPEN_MIN_SECONDS`]: the device may never report the stop.
//!
//! A genre's (performer's, station's) share is the weight of the entries carrying it over the
//! weight of all entries, so shares are between 0 and 1 whatever the history's length. An item's
//! score adds its best genre share, its best performer share, half its station share, and fixed
//! bonuses for what the listener follows. The largest of those parts is the reason given aloud.

use crate::schedule::fold;
use crate::store::{HistoryEntry, ListenerState};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};

/// Plays shorter than this are skips.
pub const SKIP_SECONDS: i64 = 30;
/// Longest time one entry counts for.
pub const MAX_SECONDS: i64 = 3 * 3600;
/// Cap for an entry that never reported its end.
pub const OPEN_CAP_SECONDS: i64 = 30 * 60;
/// Floor for an entry that never reported its end.
pub const OPEN_MIN_SECONDS: i64 = 60;
/// Age at which an entry counts half.
pub const HALF_LIFE_DAYS: f64 = 30.0;

/// Weight of a followed performer: more than a genre and a station the listener hears all the
/// time together (1.5), because following is an explicit wish.
const FOLLOW_PERFORMER: f64 = 2.0;
/// Weight of a followed station.
const FOLLOW_STATION: f64 = 0.75;
/// Weight of the best genre share.
const GENRE: f64 = 1.0;
/// Weight of the best performer share.
const PERFORMER: f64 = 1.0;
/// Weight of the station share: a station carries many kinds of programme.
const STATION: f64 = 0.5;

/// What an item is made of, as far as taste goes.
#[derive(Debug, Clone, Copy)]
pub struct Features<'a> {
    /// Genres, as written in the schedule.
    pub genres: &'a [String],
    /// Performers, as written in the schedule.
    pub performers: &'a [String],
    /// Station id.
    pub station: Option<&'a str>,
}

/// Something a listener likes, as the schedule index names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Liked {
    /// A performer (folded name).
    Performer(String),
    /// A genre (folded).
    Genre(String),
    /// A station (id).
    Station(String),
}

/// Why an item scored: the part that weighed most.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// The listener follows this performer (display name).
    FollowsPerformer(String),
    /// The listener follows this station (id).
    FollowsStation(String),
    /// The listener listens to this genre a lot (as written in the history).
    Genre(String),
    /// The listener often listens to this performer (as written).
    Performer(String),
    /// The listener often listens to this station (id).
    Station(String),
}

/// A share of listening, with the spelling to speak.
#[derive(Debug, Clone, PartialEq)]
struct Share {
    display: String,
    weight: f64,
}

/// A listener's tastes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    total: f64,
    genres: BTreeMap<String, Share>,
    performers: BTreeMap<String, Share>,
    stations: BTreeMap<String, f64>,
    followed_performers: BTreeMap<String, String>,
    followed_stations: BTreeSet<String>,
}

/// How much one history entry counts at `now`, in minutes.
pub fn weight(entry: &HistoryEntry, now: Timestamp) -> f64 {
    let elapsed = (now.as_second() - entry.at.as_second()).max(0);
    let seconds = if entry.seconds > 0 {
        if entry.seconds < SKIP_SECONDS {
            return 0.0;
        }
        entry.seconds.min(MAX_SECONDS)
    } else {
        elapsed.clamp(OPEN_MIN_SECONDS, OPEN_CAP_SECONDS)
    };
    let age_days = elapsed as f64 / 86_400.0;
    (seconds as f64 / 60.0) * 0.5f64.powf(age_days / HALF_LIFE_DAYS)
}

fn add(map: &mut BTreeMap<String, Share>, name: &str, w: f64) {
    let key = fold(name);
    if key.is_empty() {
        return;
    }
    map.entry(key)
        .or_insert_with(|| Share {
            display: name.to_string(),
            weight: 0.0,
        })
        .weight += w;
}

impl Profile {
    /// The profile of `state` at `now`.
    pub fn of(state: &ListenerState, now: Timestamp) -> Self {
        let mut p = Profile {
            followed_performers: state.followed_performers.clone(),
            followed_stations: state.followed_stations.clone(),
            ..Profile::default()
        };
        for entry in &state.history {
            let w = weight(entry, now);
            if w <= 0.0 {
                continue;
            }
            p.total += w;
            for g in &entry.genres {
                add(&mut p.genres, g, w);
            }
            for name in &entry.performers {
                add(&mut p.performers, name, w);
            }
            if let Some(s) = &entry.station {
                *p.stations.entry(s.clone()).or_insert(0.0) += w;
            }
        }
        p
    }

    /// True when nothing is known: no listening that counts and no follows. Such a listener
    /// gets the plain order.
    pub fn is_empty(&self) -> bool {
        self.total <= 0.0
            && self.followed_performers.is_empty()
            && self.followed_stations.is_empty()
    }

    fn share(&self, w: f64) -> f64 {
        if self.total > 0.0 {
            w / self.total
        } else {
            0.0
        }
    }

    /// Every part of an item's score, largest first; ties keep follows first.
    fn parts(&self, f: &Features<'_>) -> Vec<(f64, Reason)> {
        let mut parts = Vec::new();
        if let Some(name) = f
            .performers
            .iter()
            .find_map(|p| self.followed_performers.get(&fold(p)))
        {
            parts.push((FOLLOW_PERFORMER, Reason::FollowsPerformer(name.clone())));
        }
        if let Some(s) = f.station.filter(|s| self.followed_stations.contains(*s)) {
            parts.push((FOLLOW_STATION, Reason::FollowsStation(s.to_string())));
        }
        let best = |map: &BTreeMap<String, Share>, names: &[String]| {
            names
                .iter()
                .filter_map(|n| map.get(&fold(n)))
                .max_by(|a, b| a.weight.total_cmp(&b.weight))
                .cloned()
        };
        if let Some(g) = best(&self.genres, f.genres) {
            parts.push((GENRE * self.share(g.weight), Reason::Genre(g.display)));
        }
        if let Some(p) = best(&self.performers, f.performers) {
            parts.push((
                PERFORMER * self.share(p.weight),
                Reason::Performer(p.display),
            ));
        }
        if let Some((id, w)) = f.station.and_then(|s| self.stations.get_key_value(s)) {
            parts.push((STATION * self.share(*w), Reason::Station(id.clone())));
        }
        parts.retain(|(v, _)| *v > 0.0);
        // A stable sort keeps the follows (pushed first) ahead on equal weight.
        parts.sort_by(|a, b| b.0.total_cmp(&a.0));
        parts
    }

    /// What the listener likes most, strongest first, at most `k`: the schedule lists a
    /// personal listing looks through beyond its plain first page, so that a favourite late in
    /// the evening is ranked even when thousands of events start before it.
    pub fn strongest(&self, k: usize) -> Vec<(f64, Liked)> {
        let mut all: Vec<(f64, Liked)> = Vec::new();
        all.extend(
            self.followed_performers
                .keys()
                .map(|p| (FOLLOW_PERFORMER, Liked::Performer(p.clone()))),
        );
        all.extend(
            self.followed_stations
                .iter()
                .map(|s| (FOLLOW_STATION, Liked::Station(s.clone()))),
        );
        all.extend(
            self.genres
                .iter()
                .map(|(g, share)| (GENRE * self.share(share.weight), Liked::Genre(g.clone()))),
        );
        all.extend(self.performers.iter().map(|(p, share)| {
            (
                PERFORMER * self.share(share.weight),
                Liked::Performer(p.clone()),
            )
        }));
        all.extend(
            self.stations
                .iter()
                .map(|(s, w)| (STATION * self.share(*w), Liked::Station(s.clone()))),
        );
        all.retain(|(w, _)| *w > 0.0);
        all.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut seen = Vec::new();
        all.retain(|(_, l)| {
            let new = !seen.contains(l);
            if new {
                seen.push(l.clone());
            }
            new
        });
        all.truncate(k);
        all
    }

    /// How well an item matches, 0 for no match at all.
    pub fn score(&self, f: &Features<'_>) -> f64 {
        self.parts(f).iter().map(|(v, _)| v).sum()
    }

    /// The score as an integer, for sorting without float noise.
    pub fn rank(&self, f: &Features<'_>) -> i64 {
        (self.score(f) * 1000.0).round() as i64
    }

    /// The reason to give for recommending an item, if it matches at all.
    pub fn reason(&self, f: &Features<'_>) -> Option<Reason> {
        self.parts(f).into_iter().next().map(|(_, r)| r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::PlayItem;

    const DAY: i64 = 86_400;

    fn at(s: i64) -> Timestamp {
        Timestamp::from_second(1_795_000_000 + s).expect("ts")
    }

    fn entry(
        genres: &[&str],
        performers: &[&str],
        station: &str,
        when: i64,
        secs: i64,
    ) -> HistoryEntry {
        HistoryEntry {
            item: PlayItem::Station(station.into()),
            genres: genres.iter().map(|s| s.to_string()).collect(),
            performers: performers.iter().map(|s| s.to_string()).collect(),
            station: Some(station.into()),
            at: at(when),
            seconds: secs,
        }
    }

    fn state(history: Vec<HistoryEntry>) -> ListenerState {
        let mut s = ListenerState::default();
        for h in history {
            s.push_history(h);
        }
        s
    }

    fn owned(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn strongest_tastes_come_first_and_follows_lead() {
        let now = at(0);
        let mut s = state(vec![
            entry(&["Jazz"], &["Nina Simone"], "s1", -DAY, 3600),
            entry(&["Rock"], &[], "s2", -DAY, 600),
        ]);
        s.followed_performers
            .insert("radiohead".into(), "Radiohead".into());
        let p = Profile::of(&s, now);
        let top = p.strongest(3);
        assert_eq!(top[0].1, Liked::Performer("radiohead".into()));
        assert_eq!(top.len(), 3);
        assert!(top.windows(2).all(|w| w[0].0 >= w[1].0));
        assert!(top.iter().any(|(_, l)| *l == Liked::Genre("jazz".into())
            || *l == Liked::Performer("nina simone".into())));
        assert!(Profile::default().strongest(5).is_empty());
    }

    #[test]
    fn skips_weigh_nothing_and_long_plays_are_capped() {
        let now = at(0);
        assert_eq!(weight(&entry(&[], &[], "s", 0, 10), now), 0.0);
        assert_eq!(weight(&entry(&[], &[], "s", 0, 600), now), 10.0);
        assert_eq!(weight(&entry(&[], &[], "s", 0, 10 * 3600), now), 180.0);
    }

    #[test]
    fn open_entries_count_elapsed_time_within_bounds() {
        let open = entry(&[], &[], "s", 0, 0);
        assert_eq!(weight(&open, at(0)), 1.0, "the floor");
        let w = weight(&open, at(600));
        assert!((w - 10.0).abs() < 0.01, "elapsed, barely faded: {w}");
        let w = weight(&open, at(7200));
        assert!(w < 30.0 && w > 29.9, "the cap, barely faded: {w}");
    }

    #[test]
    fn old_listening_fades_by_half_life() {
        let e = entry(&[], &[], "s", 0, 600);
        let w = weight(&e, at(30 * DAY));
        assert!((w - 5.0).abs() < 1e-9, "{w}");
    }

    #[test]
    fn the_genre_listened_to_most_wins() {
        let s = state(vec![
            entry(&["jazz"], &[], "jazz-cellar", 0, 3600),
            entry(&["rock"], &[], "echo-live", 0, 600),
        ]);
        let p = Profile::of(&s, at(3600));
        let jazz = owned(&["Jazz"]);
        let rock = owned(&["rock"]);
        let f_jazz = Features {
            genres: &jazz,
            performers: &[],
            station: None,
        };
        let f_rock = Features {
            genres: &rock,
            performers: &[],
            station: None,
        };
        assert!(p.score(&f_jazz) > p.score(&f_rock));
        assert_eq!(p.reason(&f_jazz), Some(Reason::Genre("jazz".into())));
        assert_eq!(
            p.score(&Features {
                genres: &[],
                performers: &[],
                station: None
            }),
            0.0
        );
    }

    #[test]
    fn a_follow_outweighs_listening_and_is_the_reason() {
        let mut s = state(vec![entry(&["pop"], &["Beyoncé"], "echo-live", 0, 7200)]);
        s.followed_performers
            .insert("radiohead".into(), "Radiohead".into());
        let p = Profile::of(&s, at(7200));
        let rh = owned(&["Radiohead"]);
        let rock = owned(&["rock"]);
        let f = Features {
            genres: &rock,
            performers: &rh,
            station: Some("echo-live"),
        };
        assert_eq!(
            p.reason(&f),
            Some(Reason::FollowsPerformer("Radiohead".into()))
        );
        let bey = owned(&["beyonce"]);
        let g = Features {
            genres: &[],
            performers: &bey,
            station: None,
        };
        assert!(p.score(&f) > p.score(&g));
    }

    #[test]
    fn a_station_listened_to_gives_its_reason() {
        let s = state(vec![entry(&[], &[], "radio-nova", 0, 5400)]);
        let p = Profile::of(&s, at(5400));
        let f = Features {
            genres: &[],
            performers: &[],
            station: Some("radio-nova"),
        };
        assert_eq!(p.reason(&f), Some(Reason::Station("radio-nova".into())));
    }

    #[test]
    fn nothing_known_is_empty() {
        let p = Profile::of(&ListenerState::default(), at(0));
        assert!(p.is_empty());
        let skipped = Profile::of(&state(vec![entry(&["jazz"], &[], "s", 0, 5)]), at(10));
        assert!(skipped.is_empty());
        let mut follows = ListenerState::default();
        follows.followed_stations.insert("radio-nova".into());
        assert!(!Profile::of(&follows, at(0)).is_empty());
    }
}
