//! Human-readable summaries of a turn: what the NLU understood, what the request carried and
//! what the skill answered. `--json` shows the raw documents instead; this is for reading.

use super::say::Turn;
use crate::alexa::{Card, Directive, ResponseEnvelope, SpeechContent};
use crate::nlu::{ErStatus, Resolution};
use serde_json::{json, Value};
use std::fmt::Write;

const WIDTH: usize = 9;

fn line(out: &mut String, label: &str, text: &str) {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let _ = writeln!(out, "{label:<WIDTH$} {first}");
    for more in lines {
        let _ = writeln!(out, "{:<WIDTH$} {more}", "");
    }
}

/// The intent, its filled slots (with their resolutions) and the confidence.
pub fn resolution(r: &Resolution) -> String {
    let mut out = String::new();
    line(
        &mut out,
        "intent",
        &format!("{} (confidence {:.2})", r.intent, r.confidence),
    );
    let slots: Vec<String> = r
        .slots
        .iter()
        .filter_map(|s| {
            let value = s.value.as_deref()?;
            Some(match &s.entity {
                None => format!("{} = {value}", s.name),
                Some(e) if e.status == ErStatus::SuccessMatch => {
                    let ids: Vec<String> = e
                        .values
                        .iter()
                        .map(|v| format!("{} ({})", v.id, v.name))
                        .collect();
                    format!(
                        "{} = {value:?} → {} [{}]",
                        s.name,
                        ids.join(", "),
                        e.status.code()
                    )
                }
                Some(e) => format!("{} = {value:?} [{}]", s.name, e.status.code()),
            })
        })
        .collect();
    if !slots.is_empty() {
        line(&mut out, "slots", &slots.join("\n"));
    }
    out
}

/// The parts of a request that come from earlier turns: session and player.
pub fn request(request: &Value) -> String {
    let mut out = String::new();
    let session = &request["session"];
    let attributes = session["attributes"]
        .as_object()
        .filter(|a| !a.is_empty())
        .map(|a| format!(" · attributes {}", Value::Object(a.clone())))
        .unwrap_or_default();
    let state = if session["new"] == Value::Bool(true) {
        "new"
    } else {
        "continued"
    };
    line(&mut out, "session", &format!("{state}{attributes}"));
    let player = &request["context"]["AudioPlayer"];
    if let Some(token) = player["token"].as_str() {
        line(
            &mut out,
            "player",
            &format!(
                "{} {token} at {} ms",
                player["playerActivity"].as_str().unwrap_or("?"),
                player["offsetInMilliseconds"].as_i64().unwrap_or(0)
            ),
        );
    }
    out
}

/// A request the device sent on its own (or a raw request): its type, and the player state
/// for AudioPlayer events.
pub fn event(request: &Value) -> String {
    let mut out = String::new();
    let body = &request["request"];
    let kind = body["type"].as_str().unwrap_or("?");
    if kind == "IntentRequest" {
        let intent = &body["intent"];
        let text = format!(
            "{} ({})",
            intent["name"].as_str().unwrap_or("?"),
            intent["confirmationStatus"].as_str().unwrap_or("NONE")
        );
        line(&mut out, "intent", &text);
        out.push_str(&self::request(request));
        return out;
    }
    let text = match body["token"].as_str() {
        Some(token) => format!(
            "{kind}\n{token} at {} ms",
            body["offsetInMilliseconds"].as_i64().unwrap_or(0)
        ),
        None => kind.to_string(),
    };
    line(&mut out, "device", &text);
    out
}

/// [`response`] without the session line, for answers to device events.
pub fn response_without_session(envelope: &ResponseEnvelope) -> String {
    let text = response(envelope);
    if envelope.response.is_empty() {
        return text;
    }
    match text.rfind("session ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// Speech, reprompt, card, directives and what happens to the session.
pub fn response(envelope: &ResponseEnvelope) -> String {
    let mut out = String::new();
    let body = &envelope.response;
    if body.is_empty() {
        line(&mut out, "response", "(empty)");
        return out;
    }
    if let Some(speech) = &body.output_speech {
        line(&mut out, "speech", &spoken(&speech.content));
    }
    if let Some(reprompt) = &body.reprompt {
        line(
            &mut out,
            "reprompt",
            &spoken(&reprompt.output_speech.content),
        );
    }
    if let Some(card) = &body.card {
        line(&mut out, "card", &card_text(card));
    }
    for directive in &body.directives {
        directive_lines(&mut out, directive);
    }
    if let Some(answer) = &body.can_fulfill_intent {
        line(&mut out, "canfulfil", &answer.to_string());
    }
    let session = match body.should_end_session {
        Some(false) => {
            let attrs = envelope
                .session_attributes
                .as_ref()
                .map(|a| format!(" · attributes {}", Value::Object(a.clone())))
                .unwrap_or_default();
            format!("stays open{attrs}")
        }
        Some(true) => "ends".to_string(),
        None => "ends (shouldEndSession absent)".to_string(),
    };
    line(&mut out, "session", &session);
    out
}

fn directive_lines(out: &mut String, directive: &Directive) {
    match directive {
        Directive::Play {
            play_behavior,
            audio_item,
        } => {
            let s = &audio_item.stream;
            let behavior = serde_json::to_value(play_behavior)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let mut text = format!(
                "{}\ntoken {}\noffset {} ms · {behavior}",
                s.url, s.token, s.offset_in_milliseconds
            );
            if let Some(previous) = &s.expected_previous_token {
                let _ = write!(text, " after {previous}");
            }
            if let Some(m) = &audio_item.metadata {
                let titles: Vec<&str> = [m.title.as_deref(), m.subtitle.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect();
                if !titles.is_empty() {
                    let _ = write!(text, "\n{}", titles.join(" — "));
                }
            }
            line(out, "play", &text);
        }
        Directive::Stop => line(out, "stop", "AudioPlayer.Stop"),
        Directive::ClearQueue { clear_behavior } => line(
            out,
            "clear",
            &format!("AudioPlayer.ClearQueue {clear_behavior:?}"),
        ),
        other => line(
            out,
            "directive",
            &serde_json::to_string(other).unwrap_or_default(),
        ),
    }
}

fn card_text(card: &Card) -> String {
    match card {
        Card::Simple { title, content } => format!("{title}\n{content}"),
        Card::Standard { title, text, .. } => format!("{title}\n{text}"),
        Card::LinkAccount => "LinkAccount".into(),
        Card::AskForPermissionsConsent { permissions } => {
            format!("AskForPermissionsConsent {}", permissions.join(", "))
        }
    }
}

/// What a listener hears: plain text as is, SSML without its tags and entities.
pub fn spoken(content: &SpeechContent) -> String {
    match content {
        SpeechContent::PlainText { text } => text.clone(),
        SpeechContent::Ssml { ssml } => {
            let mut text = String::with_capacity(ssml.len());
            let mut in_tag = false;
            for c in ssml.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' if in_tag => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            text.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&")
        }
    }
}

/// A turn as text: the human summary, or with `json` one pretty JSON document holding the
/// resolution, the request and the response.
pub fn render(turn: &Turn, as_json: bool) -> String {
    if as_json {
        let mut doc = json!({
            "resolution": turn.resolution,
            "request": turn.request,
            "response": turn.answer.json,
        });
        if let Some(error) = &turn.answer.handler_error {
            doc["handlerError"] = json!(error);
        }
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        return text;
    }
    let mut text = match &turn.resolution {
        Some(understood) => {
            let mut text = resolution(understood);
            text.push_str(&request(&turn.request));
            text
        }
        None => event(&turn.request),
    };
    if turn.request.get("session").is_some() {
        text.push_str(&response(&turn.answer.response));
    } else {
        // Device events have no session to end or keep.
        text.push_str(&response_without_session(&turn.answer.response));
    }
    if let Some(error) = &turn.answer.handler_error {
        text.push_str(&format!("{:<9} {error}\n", "error"));
    }
    text
}

/// Every turn of a step, in order. With `json`, still one document: the first turn's, with the
/// events the device sent after it under `deviceEvents` (request and response each).
pub fn render_all(turns: &[Turn], as_json: bool) -> String {
    if !as_json || turns.len() < 2 {
        return turns.iter().map(|t| render(t, as_json)).collect();
    }
    let mut doc = json!({
        "resolution": turns[0].resolution,
        "request": turns[0].request,
        "response": turns[0].answer.json,
    });
    if let Some(error) = &turns[0].answer.handler_error {
        doc["handlerError"] = json!(error);
    }
    let events: Vec<Value> = turns[1..]
        .iter()
        .map(|t| json!({"request": t.request, "response": t.answer.json}))
        .collect();
    doc["deviceEvents"] = json!(events);
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alexa::{AudioItem, PlayBehavior, ResponseBuilder, Ssml, Stream};

    #[test]
    fn ssml_is_read_as_text() {
        let ssml = Ssml::new().text("Rock & roll <live>").build();
        assert_eq!(spoken(&SpeechContent::Ssml { ssml }), "Rock & roll <live>");
    }

    #[test]
    fn play_shows_url_token_offset_and_behavior() {
        let env = ResponseBuilder::new()
            .speak("Here it is.")
            .directive(Directive::Play {
                play_behavior: PlayBehavior::ReplaceAll,
                audio_item: AudioItem {
                    stream: Stream {
                        url: "https://x/live.mp3".into(),
                        token: "tok".into(),
                        expected_previous_token: None,
                        offset_in_milliseconds: 0,
                    },
                    metadata: None,
                },
            })
            .end_session(true)
            .build();
        let text = response(&env);
        assert!(text.contains("speech    Here it is."), "{text}");
        assert!(text.contains("play      https://x/live.mp3"), "{text}");
        assert!(text.contains("token tok"), "{text}");
        assert!(text.contains("offset 0 ms · REPLACE_ALL"), "{text}");
        assert!(text.contains("session   ends"), "{text}");
    }
}
