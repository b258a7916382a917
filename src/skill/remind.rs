//! RemindMeIntent: "remind me when it starts", "remind me about the Radiohead concert",
//! "remind me of the second one".
//!
//! The conversation has two turns. The first resolves the event, checks what can be checked
//! without the listener (already started, already reminded, permission) and asks to confirm with
//! `Dialog.ConfirmIntent`; the event id travels in the session attributes and its title in the
//! `event` slot of the updated intent, so the confirming turn names the same event even if the
//! listing is gone. The second turn (CONFIRMED) creates the reminder through the Reminders API
//! and stores its alert token per listener, which is what stops duplicates.

use super::listing;
use super::phrases::Phrase;
use super::resolve::{self, Resolved};
use super::{play, transport, whats_on, Reply, Skill, SkillError, Turn};
use crate::alexa::reminders::{NewReminder, ReminderError, SCOPE};
use crate::alexa::request::Slot;
use crate::alexa::{Card, Directive, Intent, ResponseBuilder};
use crate::schedule::Event;
use crate::store::{ListenerState, NameKind, PlayItem};
use serde_json::Value;

/// Session attribute carrying the event awaiting confirmation.
const PENDING: &str = "reminderEvent";
/// Reminders remembered per listener; ended events are dropped first past this.
const KEPT: usize = 100;

/// What the first part of the handler settled on.
enum Target {
    /// This event.
    Event(Event),
    /// Nothing to remind of: answer with this.
    Answer(ResponseBuilder),
}

pub(super) async fn handle(skill: &Skill, turn: &Turn<'_>) -> Reply {
    let Some(intent) = turn.intent() else {
        return Ok(what(turn));
    };
    let confirmation = intent.confirmation().unwrap_or("NONE");
    if confirmation == "DENIED" {
        return Ok(ResponseBuilder::new()
            .speak(turn.locale.text(Phrase::RemindDenied))
            .end_session(true));
    }
    let confirmed = confirmation == "CONFIRMED";
    let event = match target(skill, turn, intent, confirmed)? {
        Target::Event(e) => e,
        Target::Answer(a) => return Ok(a),
    };
    if event.end <= turn.now {
        let when = turn.when(event.end);
        return Ok(ResponseBuilder::new()
            .speak(turn.locale.say(
                Phrase::AlreadyOver,
                &[("title", &event.title), ("when", &when)],
            ))
            .end_session(true));
    }
    if event.start <= turn.now {
        return already_on(skill, turn, &event);
    }
    let state = transport::listener_state(skill, turn)?;
    if state.reminders.contains_key(event.id.as_str()) {
        let when = turn.when(event.start);
        return Ok(ResponseBuilder::new()
            .speak(turn.locale.say(
                Phrase::RemindAlready,
                &[("title", &event.title), ("when", &when)],
            ))
            .end_session(true));
    }
    let access = turn.env.api_access();
    let Some((endpoint, token)) = access.filter(|_| turn.env.scope_granted(SCOPE)) else {
        return Ok(permission(turn));
    };
    if !confirmed {
        return Ok(ask(turn, intent, &event));
    }
    create(skill, turn, &event, &state, (endpoint, token)).await
}

/// Finds the event: the pending one on confirmation, then the slots, then the ordinal over the
/// listing, then the first listed event, then the event last talked about.
fn target(
    skill: &Skill,
    turn: &Turn<'_>,
    intent: &Intent,
    confirmed: bool,
) -> Result<Target, SkillError> {
    if confirmed {
        let pending = turn.attributes.get(PENDING).and_then(Value::as_str);
        if let Some(e) = pending
            .map(|id| skill.store().event(id))
            .transpose()?
            .flatten()
        {
            return Ok(Target::Event(e));
        }
    }
    for (name, kinds) in [
        ("event", &[NameKind::Title, NameKind::Performer][..]),
        ("performer", &[NameKind::Performer, NameKind::Title][..]),
    ] {
        if let Some(slot) = intent.slot(name) {
            return by_name(skill, turn, slot, kinds);
        }
    }
    let items = listing::recall(&turn.attributes);
    if let Some(raw) = intent.slot_value("ordinal") {
        let picked = raw
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| items.get(i));
        return Ok(match picked {
            Some(PlayItem::Event(id)) => match skill.store().event(id)? {
                Some(e) => Target::Event(e),
                None => Target::Answer(what(turn)),
            },
            Some(_) => Target::Answer(
                ResponseBuilder::new()
                    .speak(turn.locale.text(Phrase::RemindOnlyEvents))
                    .end_session(true),
            ),
            None if items.is_empty() => Target::Answer(what(turn)),
            None => {
                let count = items.len().to_string();
                Target::Answer(
                    ResponseBuilder::new()
                        .speak(turn.locale.say(Phrase::OutOfRange, &[("count", &count)]))
                        .reprompt(turn.locale.text(Phrase::RemindWhichReprompt))
                        .end_session(false)
                        .attributes(turn.attributes.clone()),
                )
            }
        });
    }
    if let Some(PlayItem::Event(id)) = items.first() {
        if let Some(e) = skill.store().event(id)? {
            return Ok(Target::Event(e));
        }
    }
    let last = match &turn.listener {
        Some(key) => skill
            .store()
            .listener(key)?
            .and_then(|s| s.last_event)
            .map(|id| skill.store().event(&id))
            .transpose()?
            .flatten(),
        None => None,
    };
    Ok(match last {
        Some(e) => Target::Event(e),
        None => Target::Answer(what(turn)),
    })
}

/// The event a name stands for: the next one to start, else the one on now, else the last.
fn pick(events: &[Event], now: jiff::Timestamp) -> Option<&Event> {
    events
        .iter()
        .filter(|e| e.start > now)
        .min_by_key(|e| e.start)
        .or_else(|| events.iter().find(|e| e.is_live_at(now)))
        .or_else(|| events.iter().max_by_key(|e| e.end))
}

fn by_name(
    skill: &Skill,
    turn: &Turn<'_>,
    slot: &Slot,
    kinds: &[NameKind],
) -> Result<Target, SkillError> {
    Ok(
        match resolve::events_by_name(skill.schedule(), slot, kinds, turn.now)? {
            Resolved::One(named) => match pick(&named.events, turn.now) {
                Some(e) => Target::Event(e.clone()),
                None => Target::Answer(not_found(turn, &named.name)),
            },
            Resolved::Ambiguous(choices) => {
                let mut names = Vec::new();
                let mut items = Vec::new();
                for c in &choices {
                    if let Some(e) = pick(&c.events, turn.now) {
                        let item = PlayItem::Event(e.id.to_string());
                        if !items.contains(&item) {
                            names.push(c.name.clone());
                            items.push(item);
                        }
                    }
                }
                if let ([name], [PlayItem::Event(id)]) = (names.as_slice(), items.as_slice()) {
                    match skill.store().event(id)? {
                        Some(e) => Target::Event(e),
                        None => Target::Answer(not_found(turn, name)),
                    }
                } else {
                    Target::Answer(whats_on::ask_with(
                        turn,
                        &names,
                        &items,
                        Phrase::RemindWhich,
                        Phrase::RemindWhichReprompt,
                    ))
                }
            }
            Resolved::Nothing => {
                Target::Answer(not_found(turn, slot.value.as_deref().unwrap_or_default()))
            }
        },
    )
}

fn not_found(turn: &Turn<'_>, name: &str) -> ResponseBuilder {
    ResponseBuilder::new()
        .speak(turn.locale.say(Phrase::NotFound, &[("name", name)]))
        .end_session(true)
}

/// Nothing to remind of yet: say how to pick something.
fn what(turn: &Turn<'_>) -> ResponseBuilder {
    ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::RemindWhat))
        .reprompt(turn.locale.text(Phrase::WelcomeReprompt))
        .end_session(false)
}

/// The event is on already: no reminder, but it stays listed so "play the first one" plays it.
fn already_on(skill: &Skill, turn: &Turn<'_>, event: &Event) -> Reply {
    let on = play::event_station_suffix(skill, turn, event)?;
    Ok(ResponseBuilder::new()
        .speak(turn.locale.say(
            Phrase::RemindAlreadyOn,
            &[("title", &event.title), ("station", &on)],
        ))
        .reprompt(turn.locale.text(Phrase::RemindAlreadyOnReprompt))
        .end_session(false)
        .attributes(listing::remember(&[PlayItem::Event(event.id.to_string())])))
}

/// The consent card for the reminders scope, with an explanation.
fn permission(turn: &Turn<'_>) -> ResponseBuilder {
    ResponseBuilder::new()
        .speak(turn.locale.text(Phrase::RemindPermission))
        .card(Card::AskForPermissionsConsent {
            permissions: vec![SCOPE.to_string()],
        })
        .end_session(true)
}

/// Asks to confirm, handing back the intent with the event named.
fn ask(turn: &Turn<'_>, intent: &Intent, event: &Event) -> ResponseBuilder {
    let mut updated = intent.clone();
    updated.confirmation_status = Some("NONE".into());
    for name in ["performer", "event", "ordinal"] {
        let slot = updated
            .slots
            .entry(name.to_string())
            .or_insert_with(|| Slot {
                name: name.to_string(),
                value: None,
                confirmation_status: None,
                resolutions: None,
                slot_value: None,
            });
        slot.value = (name == "event").then(|| event.title.clone());
        slot.confirmation_status = Some("NONE".into());
        slot.resolutions = None;
        slot.slot_value = None;
    }
    let mut attributes = turn.attributes.clone();
    attributes.insert(PENDING.into(), Value::String(event.id.to_string()));
    let when = turn.when(event.start);
    ResponseBuilder::new()
        .speak(turn.locale.say(
            Phrase::RemindConfirm,
            &[("title", &event.title), ("when", &when)],
        ))
        .reprompt(turn.locale.text(Phrase::RemindConfirmReprompt))
        .directive(Directive::ConfirmIntent {
            updated_intent: Some(updated),
        })
        .end_session(false)
        .attributes(attributes)
}

/// Calls the Reminders API and turns the outcome into speech.
async fn create(
    skill: &Skill,
    turn: &Turn<'_>,
    event: &Event,
    state: &ListenerState,
    (endpoint, token): (&str, &str),
) -> Reply {
    let on = play::event_station_suffix(skill, turn, event)?;
    let text = turn.locale.say(
        Phrase::ReminderText,
        &[("title", &event.title), ("station", &on)],
    );
    let locale = turn.env.locale().unwrap_or(turn.locale.tag());
    let reminder = NewReminder::absolute(
        turn.local_now().datetime(),
        turn.local(event.start).datetime(),
        &turn.zone_name,
        locale,
        &text,
    );
    let phrase = match skill.reminders().create(endpoint, token, &reminder).await {
        Ok(created) => {
            if let Some(key) = &turn.listener {
                let stale = if state.reminders.len() >= KEPT {
                    skill.ended_events(state.reminders.keys(), turn.now)?
                } else {
                    Vec::new()
                };
                let id = event.id.to_string();
                skill.store().update_listener(key, &mut |s| {
                    s.remember_reminder(&id, &created.alert_token, &stale, KEPT);
                })?;
            }
            tracing::info!("reminder created");
            let when = turn.when(event.start);
            return Ok(ResponseBuilder::new()
                .speak(turn.locale.say(
                    Phrase::RemindCreated,
                    &[("title", &event.title), ("when", &when)],
                ))
                .end_session(true));
        }
        Err(e) => {
            tracing::warn!(
                status = e.status().unwrap_or(0),
                error = %e,
                "reminders API refused or failed"
            );
            match e {
                ReminderError::Unauthorized => return Ok(permission(turn)),
                ReminderError::TooMany { .. } => Phrase::RemindTooMany,
                ReminderError::DeviceNotSupported => Phrase::RemindDeviceUnsupported,
                ReminderError::Refused { .. } => Phrase::RemindRefused,
                ReminderError::Unreadable { .. } => Phrase::RemindUnconfirmed,
                ReminderError::Throttled
                | ReminderError::Unavailable(_)
                | ReminderError::Timeout(_)
                | ReminderError::Transport(_) => Phrase::RemindTryLater,
            }
        }
    };
    Ok(ResponseBuilder::new()
        .speak(turn.locale.text(phrase))
        .end_session(true))
}
