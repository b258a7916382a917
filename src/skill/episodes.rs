//! PlayEpisodeIntent: podcasts, resumed where the listener stopped.

use super::phrases::Phrase;
use super::playable;
use super::resolve::{MIN_CONFIDENCE, SURE};
use super::transport::{start, Via};
use super::whats_on;
use super::{Reply, Skill, Turn};
use crate::alexa::ResponseBuilder;
use crate::schedule::Episode;
use crate::store::{NameKind, PlayItem};
use std::collections::BTreeMap;

fn which_show(turn: &Turn<'_>, text: String) -> Reply {
    Ok(ResponseBuilder::new()
        .speak(text)
        .reprompt(turn.locale.text(Phrase::WhichShow))
        .end_session(false))
}

/// Plays `ep` from where this listener left it.
pub(super) fn play_episode(skill: &Skill, turn: &Turn<'_>, ep: &Episode) -> Reply {
    let state = match &turn.listener {
        Some(key) => skill.store().listener(key)?.unwrap_or_default(),
        None => Default::default(),
    };
    let offset = playable::resume_offset(&state, ep.id.as_str());
    let phrase = if offset > 0 {
        Phrase::ResumingEpisode
    } else {
        Phrase::PlayingEpisode
    };
    let text = turn
        .locale
        .say(phrase, &[("title", &ep.title), ("show", &ep.show)]);
    start(
        skill,
        turn,
        &playable::episode(ep, offset),
        Via::Voice,
        Some(text),
    )
}

pub(super) fn handle(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let locale = turn.locale;
    let slot = turn.intent().and_then(|i| i.slot("show"));
    let Some(slot) = slot else {
        // "resume my podcast": the episode this listener played last.
        let state = match &turn.listener {
            Some(key) => skill.store().listener(key)?.unwrap_or_default(),
            None => Default::default(),
        };
        let last = state.history.iter().rev().find_map(|h| match &h.item {
            PlayItem::Episode(id) => Some(id.clone()),
            _ => None,
        });
        if let Some(ep) = last
            .map(|id| skill.store().episode(&id))
            .transpose()?
            .flatten()
        {
            return play_episode(skill, turn, &ep);
        }
        return which_show(turn, locale.text(Phrase::WhichShow).to_string());
    };
    let spoken = slot
        .resolved()
        .map(|v| v.name.clone())
        .or_else(|| slot.value.clone())
        .unwrap_or_default();
    let hits = skill
        .store()
        .find_names(&spoken, &[NameKind::Show], MIN_CONFIDENCE, 50)?;
    // One entry per show (folded name), with its best confidence.
    let mut shows: BTreeMap<String, f64> = BTreeMap::new();
    for h in hits {
        let c = shows.entry(h.name.clone()).or_insert(h.confidence);
        *c = c.max(h.confidence);
    }
    let mut ranked: Vec<(String, f64)> = shows.into_iter().collect();
    ranked.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
    let latest = |show: &str| -> Result<Option<Episode>, super::SkillError> {
        Ok(skill.store().episodes_of_show(show, 1)?.into_iter().next())
    };
    match ranked.as_slice() {
        [] => which_show(turn, locale.say(Phrase::ShowNotFound, &[("name", &spoken)])),
        [(show, c), rest @ ..]
            if *c >= SURE && rest.first().is_none_or(|(_, c2)| c - c2 >= 0.04) =>
        {
            match latest(show)? {
                Some(ep) => play_episode(skill, turn, &ep),
                None => which_show(turn, locale.say(Phrase::ShowNotFound, &[("name", &spoken)])),
            }
        }
        candidates => {
            let mut names = Vec::new();
            let mut items = Vec::new();
            for (show, _) in candidates.iter().take(3) {
                if let Some(ep) = latest(show)? {
                    names.push(ep.show.clone());
                    items.push(PlayItem::Episode(ep.id.to_string()));
                }
            }
            Ok(whats_on::ask(turn, &names, &items))
        }
    }
}
