//! NowPlayingIntent: what is playing, from the player's own token.

use super::phrases::Phrase;
use super::{token, Reply, Skill, Turn};
use crate::alexa::{PlayerActivity, ResponseBuilder};
use crate::store::PlayItem;

pub(super) fn handle(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let locale = turn.locale;
    let player = turn.env.context.audio_player.as_ref();
    let active = player.and_then(|p| p.player_activity).is_none_or(|a| {
        matches!(
            a,
            PlayerActivity::Playing | PlayerActivity::Paused | PlayerActivity::BufferUnderrun
        )
    });
    let say = |text: String| {
        Ok(ResponseBuilder::new()
            .speak(text.as_str())
            .end_session(true))
    };
    let Some(tok) = player.and_then(|p| p.token.as_deref()).filter(|_| active) else {
        return say(locale.text(Phrase::NowPlayingNothing).to_string());
    };
    let store = skill.store();
    match token::parse(tok) {
        Some(PlayItem::Event(id)) => match store.event(&id)? {
            Some(e) => {
                let on = match &e.station {
                    Some(s) => store
                        .station(s.as_str())?
                        .map(|st| locale.say(Phrase::OnStation, &[("station", &st.name)]))
                        .unwrap_or_default(),
                    None => String::new(),
                };
                let mut title = e.title.clone();
                if !e.performers.is_empty()
                    && !e.performers.iter().any(|p| e.title.contains(p.as_str()))
                {
                    title = format!("{title}, {}", locale.join(&e.performers));
                }
                say(locale.say(
                    Phrase::NowPlayingEvent,
                    &[("title", &title), ("station", &on)],
                ))
            }
            None => say(locale.text(Phrase::NowPlayingUnknown).to_string()),
        },
        Some(PlayItem::Station(id)) => match store.station(&id)? {
            Some(st) => {
                let current = store
                    .on_station(st.id.as_str(), turn.now, turn.now, 1)?
                    .into_iter()
                    .next();
                match current {
                    Some(e) => say(locale.say(
                        Phrase::NowPlayingStationEvent,
                        &[("station", &st.name), ("title", &e.title)],
                    )),
                    None => say(locale.say(Phrase::NowPlayingStation, &[("station", &st.name)])),
                }
            }
            None => say(locale.text(Phrase::NowPlayingUnknown).to_string()),
        },
        Some(PlayItem::Episode(id)) => match store.episode(&id)? {
            Some(ep) => say(locale.say(
                Phrase::NowPlayingEpisode,
                &[("title", &ep.title), ("show", &ep.show)],
            )),
            None => say(locale.text(Phrase::NowPlayingUnknown).to_string()),
        },
        None => say(locale.text(Phrase::NowPlayingUnknown).to_string()),
    }
}
