//! PlayForMeIntent ("play something I'd like") and ForgetHistoryIntent ("forget my history").
//!
//! PlayForMe scores what can be played right now (live events with a stream, stations with
//! their own stream) against the listener's [`Profile`] and plays the best, saying why. A
//! listener with no usable history and no follows, or whom nothing on air matches, gets what
//! "play the live concert" gives: a recommendation without grounds is not given as one.

use super::affinity::{Features, Profile, Reason};
use super::locale::Locale;
use super::phrases::Phrase;
use super::playable::{self, Playable};
use super::transport::{self, Via};
use super::{lookup, play, Reply, Skill, SkillError, Turn};
use std::sync::Arc;

/// Live events weighed from the plain listing and from each strong taste.
const LIVE_PAGE: usize = 50;
use crate::alexa::ResponseBuilder;
use crate::schedule::{fold, Event, Station};
use std::collections::HashMap;

/// Something playable now, with what it is made of.
struct Candidate {
    playable: Playable,
    event: Option<Event>,
    station: Option<Station>,
}

impl Candidate {
    fn features(&self) -> Features<'_> {
        match (&self.event, &self.station) {
            (Some(e), _) => Features {
                genres: &e.genres,
                performers: &e.performers,
                station: e.station.as_ref().map(|s| s.as_str()),
            },
            (None, Some(s)) => Features {
                genres: &s.genres,
                performers: &[],
                station: Some(s.id.as_str()),
            },
            (None, None) => Features {
                genres: &[],
                performers: &[],
                station: None,
            },
        }
    }
}

/// Live events with a stream (a page of what is live, and what is live of the listener's
/// strongest tastes), then stations with a stream of their own.
fn candidates(
    skill: &Skill,
    turn: &Turn<'_>,
    profile: &Profile,
) -> Result<Vec<Candidate>, SkillError> {
    let mut out = Vec::new();
    let stations: HashMap<String, Station> = skill
        .store()
        .stations()?
        .into_iter()
        .map(|s| (s.id.to_string(), s))
        .collect();
    for e in lookup::live_for(skill.schedule(), turn.now, profile, LIVE_PAGE)? {
        let e = Arc::unwrap_or_clone(e);
        if let Some(p) = playable::event(skill, &e)? {
            let station = e
                .station
                .as_ref()
                .and_then(|s| stations.get(s.as_str()))
                .cloned();
            out.push(Candidate {
                playable: p,
                event: Some(e),
                station,
            });
        }
    }
    let mut own: Vec<&Station> = stations
        .values()
        .filter(|s| s.stream_url.is_some())
        .collect();
    own.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    for s in own {
        if let Some(p) = playable::station(skill, s, turn.now)? {
            out.push(Candidate {
                playable: p,
                event: None,
                station: Some(s.clone()),
            });
        }
    }
    Ok(out)
}

/// A genre as it reads after "a lot of" / "beaucoup": English names the music, French carries
/// its partitive ("de jazz", "d'électro").
pub fn genre_words(locale: Locale, genre: &str) -> String {
    let g = fold(genre);
    match locale {
        Locale::FrFr => match g.as_str() {
            "classical" => "de musique classique".into(),
            "electronic" => "d'électro".into(),
            "world" => "de musique du monde".into(),
            "metal" => "de métal".into(),
            "talk" => "de débats".into(),
            "news" => "d'infos".into(),
            "eclectic" => "de programmes éclectiques".into(),
            _ if g.starts_with(['a', 'e', 'i', 'o', 'u', 'h']) => format!("d'{genre}"),
            _ => format!("de {genre}"),
        },
        Locale::EnUs | Locale::EnGb => match g.as_str() {
            "classical" => "classical music".into(),
            "electronic" => "electronic music".into(),
            "world" => "world music".into(),
            "talk" => "talk radio".into(),
            "eclectic" => "eclectic radio".into(),
            _ => genre.to_string(),
        },
    }
}

fn reason_text(skill: &Skill, locale: Locale, reason: &Reason) -> Result<String, SkillError> {
    let station_name = |id: &str| -> Result<String, SkillError> {
        Ok(skill
            .store()
            .station(id)?
            .map(|s| s.name)
            .unwrap_or_else(|| id.to_string()))
    };
    Ok(match reason {
        Reason::FollowsPerformer(name) => {
            locale.say(Phrase::ReasonFollowsPerformer, &[("name", name)])
        }
        Reason::FollowsStation(id) => locale.say(
            Phrase::ReasonFollowsStation,
            &[("station", &station_name(id)?)],
        ),
        Reason::Genre(g) => locale.say(Phrase::ReasonGenre, &[("genre", &genre_words(locale, g))]),
        Reason::Performer(name) => locale.say(Phrase::ReasonPerformer, &[("name", name)]),
        Reason::Station(id) => {
            locale.say(Phrase::ReasonStation, &[("station", &station_name(id)?)])
        }
    })
}

/// PlayForMeIntent.
pub(super) fn play_for_me(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let profile = Profile::of(&transport::listener_state(skill, turn)?, turn.now);
    if profile.is_empty() {
        return play::live(skill, turn);
    }
    // Best score first; a live event beats a station on a tie (it is what is special now),
    // then the candidates' own order keeps the choice stable.
    let best = candidates(skill, turn, &profile)?
        .into_iter()
        .map(|c| (profile.rank(&c.features()), c.event.is_some(), c))
        .filter(|(rank, _, _)| *rank > 0)
        .fold(None::<(i64, bool, Candidate)>, |best, next| match best {
            Some(b) if (b.0, b.1) >= (next.0, next.1) => Some(b),
            _ => Some(next),
        });
    let Some((_, _, chosen)) = best else {
        return play::live(skill, turn);
    };
    let Some(reason) = profile.reason(&chosen.features()) else {
        return play::live(skill, turn);
    };
    let locale = turn.locale;
    let because = reason_text(skill, locale, &reason)?;
    let speech = match (&chosen.event, &chosen.station) {
        (Some(e), station) => {
            let on = station
                .as_ref()
                .map(|s| locale.say(Phrase::OnStation, &[("station", &s.name)]))
                .unwrap_or_default();
            locale.say(
                Phrase::ForMeEvent,
                &[("title", &e.title), ("station", &on), ("reason", &because)],
            )
        }
        (None, Some(s)) => locale.say(
            Phrase::ForMeStation,
            &[("station", &s.name), ("reason", &because)],
        ),
        (None, None) => return play::live(skill, turn),
    };
    transport::start(skill, turn, &chosen.playable, Via::Voice, Some(speech))
}

/// ForgetHistoryIntent: clears what was listened to, and the station order learned from it;
/// follows, reminders and podcast positions stay, because the listener asked for them.
pub(super) fn forget_history(skill: &Skill, turn: &Turn<'_>) -> Reply {
    if let Some(key) = &turn.listener {
        skill.store().update_listener(key, &mut |s| {
            s.history.clear();
            s.station_order.clear();
        })?;
        tracing::info!("listening history cleared on request");
    }
    Ok(ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::HistoryForgotten))
        .end_session(true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genres_read_naturally() {
        assert_eq!(genre_words(Locale::EnUs, "jazz"), "jazz");
        assert_eq!(genre_words(Locale::EnGb, "classical"), "classical music");
        assert_eq!(genre_words(Locale::FrFr, "jazz"), "de jazz");
        assert_eq!(genre_words(Locale::FrFr, "electronic"), "d'électro");
        assert_eq!(genre_words(Locale::FrFr, "opera"), "d'opera");
    }
}
