//! Expectations on one directive: its type, play behaviour, URL, token continuity,
//! `expectedPreviousToken` and offset.

use super::expect::Mismatch;
use super::text::TextMatch;
use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDirective {
    #[serde(rename = "type")]
    kind: String,
    play_behavior: Option<String>,
    clear_behavior: Option<String>,
    url: Option<Value>,
    token: Option<Value>,
    expected_previous_token: Option<Value>,
    offset_ms: Option<i64>,
    title: Option<Value>,
}

/// How a token must relate to the one the device reported in the request.
#[derive(Debug, Clone)]
pub enum TokenMatch {
    /// The device's current token (`current`, or `same` for `token`).
    Current,
    /// Different from the device's current token (`new`).
    New,
    /// No token at all (`none`).
    Absent,
    /// Matching this text.
    Text(TextMatch),
}

/// What one directive must look like.
#[derive(Debug, Clone)]
pub struct DirectiveMatch {
    /// Full type, e.g. `AudioPlayer.Play`.
    pub kind: String,
    play_behavior: Option<String>,
    clear_behavior: Option<String>,
    url: Option<TextMatch>,
    token: Option<TokenMatch>,
    expected_previous_token: Option<TokenMatch>,
    offset_ms: Option<i64>,
    title: Option<TextMatch>,
}

fn full_type(kind: &str) -> Result<String, String> {
    let known = [
        "AudioPlayer.Play",
        "AudioPlayer.Stop",
        "AudioPlayer.ClearQueue",
        "Dialog.ConfirmIntent",
    ];
    known
        .iter()
        .find(|k| k.eq_ignore_ascii_case(kind) || k.rsplit('.').next() == Some(kind))
        .map(|k| k.to_string())
        .ok_or_else(|| format!("directive type {kind:?}: use one of {}", known.join(", ")))
}

fn token_match(field: &str, value: &Value, locales: &[String]) -> Result<TokenMatch, String> {
    Ok(match value.as_str() {
        Some("current" | "same") => TokenMatch::Current,
        Some("new") => TokenMatch::New,
        Some("none") => TokenMatch::Absent,
        _ => TokenMatch::Text(TextMatch::parse(field, value, locales)?),
    })
}

fn behavior(raw: &str) -> String {
    raw.trim().replace('-', "_").to_ascii_uppercase()
}

impl DirectiveMatch {
    pub(super) fn parse(
        raw: &RawDirective,
        index: usize,
        locales: &[String],
    ) -> Result<Self, String> {
        let field = |name: &str| format!("directives[{index}].{name}");
        let text = |name: &str, v: &Option<Value>| {
            v.as_ref()
                .map(|v| TextMatch::parse(&field(name), v, locales))
                .transpose()
        };
        let token = |name: &str, v: &Option<Value>| {
            v.as_ref()
                .map(|v| token_match(&field(name), v, locales))
                .transpose()
        };
        Ok(Self {
            kind: full_type(&raw.kind).map_err(|e| format!("{}: {e}", field("type")))?,
            play_behavior: raw.play_behavior.as_deref().map(behavior),
            clear_behavior: raw.clear_behavior.as_deref().map(behavior),
            url: text("url", &raw.url)?,
            token: token("token", &raw.token)?,
            expected_previous_token: token(
                "expected_previous_token",
                &raw.expected_previous_token,
            )?,
            offset_ms: raw.offset_ms,
            title: text("title", &raw.title)?,
        })
    }

    /// Compares with `actual` (the directive's JSON); `current` is the token the device
    /// reported in the request this directive answers.
    pub fn check(
        &self,
        actual: &Value,
        index: usize,
        current: Option<&str>,
        locale: &str,
        out: &mut Vec<Mismatch>,
    ) {
        let field = |name: &str| format!("directives[{index}].{name}");
        let kind = actual["type"].as_str().unwrap_or("");
        if kind != self.kind {
            out.push(Mismatch::new(field("type"), &self.kind, kind));
            return;
        }
        let stream = &actual["audioItem"]["stream"];
        let mut compare = |name: &str, expected: &Option<String>, actual: &Value| {
            if let Some(e) = expected {
                let a = actual.as_str().unwrap_or("(absent)");
                if a != e {
                    out.push(Mismatch::new(field(name), e, a));
                }
            }
        };
        compare(
            "play_behavior",
            &self.play_behavior,
            &actual["playBehavior"],
        );
        compare(
            "clear_behavior",
            &self.clear_behavior,
            &actual["clearBehavior"],
        );
        if let Some(m) = &self.url {
            check_text(m, &stream["url"], field("url"), locale, out);
        }
        if let Some(m) = &self.title {
            let title = &actual["audioItem"]["metadata"]["title"];
            check_text(m, title, field("title"), locale, out);
        }
        if let Some(m) = &self.token {
            check_token(m, &stream["token"], current, field("token"), locale, out);
        }
        if let Some(m) = &self.expected_previous_token {
            let name = field("expected_previous_token");
            check_token(
                m,
                &stream["expectedPreviousToken"],
                current,
                name,
                locale,
                out,
            );
        }
        if let Some(offset) = self.offset_ms {
            let a = stream["offsetInMilliseconds"].as_i64();
            if a != Some(offset) {
                let shown = a.map_or("(absent)".into(), |a| a.to_string());
                out.push(Mismatch::new(
                    field("offset_ms"),
                    &offset.to_string(),
                    &shown,
                ));
            }
        }
    }
}

fn check_text(m: &TextMatch, actual: &Value, field: String, locale: &str, out: &mut Vec<Mismatch>) {
    match actual.as_str() {
        Some(a) if m.matches(a, locale) => {}
        a => out.push(Mismatch::new(
            field,
            &m.describe(locale),
            &a.map_or("(absent)".into(), |a| format!("{a:?}")),
        )),
    }
}

fn check_token(
    m: &TokenMatch,
    actual: &Value,
    current: Option<&str>,
    field: String,
    locale: &str,
    out: &mut Vec<Mismatch>,
) {
    let a = actual.as_str();
    let shown = a.map_or("(absent)".into(), |a| format!("{a:?}"));
    let current_shown = current.map_or("(the device had none)".into(), |c| format!("{c:?}"));
    match m {
        TokenMatch::Current if a.is_none() || a != current => out.push(Mismatch::new(
            field,
            &format!("the device's current token {current_shown}"),
            &shown,
        )),
        TokenMatch::New if a.is_none() || a == current => out.push(Mismatch::new(
            field,
            &format!("a new token (not {current_shown})"),
            &shown,
        )),
        TokenMatch::Absent if a.is_some() => out.push(Mismatch::new(field, "none", &shown)),
        TokenMatch::Text(t) => check_text(t, actual, field, locale, out),
        _ => {}
    }
}
