//! The few request-envelope fields verification needs (protocol.md §1, §5.6, §5.7).
//!
//! Deliberately a private, minimal serde view instead of the skill's full request
//! model: verification must not depend on (or be slowed down by) the business
//! model, and unknown or odd fields elsewhere in the body must not make a genuine
//! request fail verification. The body is parsed from the raw bytes; those same
//! bytes, untouched, are what the signature is checked over.

use serde::Deserialize;

use super::error::{clip, VerifyError};

/// The checked fields of one request.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct EnvelopeFields {
    /// `request.type`, e.g. `IntentRequest` or `AlexaSkillEvent.SkillEnabled`.
    pub(super) request_type: Option<String>,
    /// `request.timestamp` as sent: a string or a number (epoch milliseconds).
    pub(super) timestamp: Option<serde_json::Value>,
    /// `context.System.application.applicationId`.
    pub(super) context_application_id: Option<String>,
    /// `Some(..)` when a `session` object is present; the inner value is its
    /// `application.applicationId`.
    pub(super) session_application_id: Option<Option<String>>,
}

#[derive(Deserialize)]
struct Envelope {
    request: Option<RequestPart>,
    context: Option<ContextPart>,
    session: Option<SessionPart>,
}

#[derive(Deserialize)]
struct RequestPart {
    #[serde(rename = "type")]
    kind: Option<String>,
    timestamp: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ContextPart {
    #[serde(rename = "System")]
    system: Option<SystemPart>,
}

#[derive(Deserialize)]
struct SystemPart {
    application: Option<ApplicationPart>,
}

#[derive(Deserialize)]
struct SessionPart {
    application: Option<ApplicationPart>,
}

#[derive(Deserialize)]
struct ApplicationPart {
    #[serde(rename = "applicationId")]
    application_id: Option<String>,
}

/// UTF-8 byte-order mark. Alexa does not send one, but fixtures and some proxies
/// do; it is skipped for parsing only (the signature still covers it).
const BOM: &str = "\u{feff}";

/// Parses the checked fields out of the raw body.
pub(super) fn parse(body: &[u8]) -> Result<EnvelopeFields, VerifyError> {
    let text = std::str::from_utf8(body).map_err(|_| VerifyError::BodyNotUtf8)?;
    let text = text.strip_prefix(BOM).unwrap_or(text);
    let envelope: Envelope =
        serde_json::from_str(text).map_err(|e| VerifyError::MalformedBody(clip(&e.to_string())))?;
    let (request_type, timestamp) = match envelope.request {
        Some(request) => (request.kind, request.timestamp),
        None => (None, None),
    };
    let context_application_id = envelope
        .context
        .and_then(|c| c.system)
        .and_then(|s| s.application)
        .and_then(|a| a.application_id);
    let session_application_id = envelope
        .session
        .map(|s| s.application.and_then(|a| a.application_id));
    Ok(EnvelopeFields {
        request_type,
        timestamp,
        context_application_id,
        session_application_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_checked_fields_and_ignores_the_rest() {
        let body = br#"{"version":"1.0","session":{"application":{"applicationId":"s"},"x":[1]},
            "context":{"System":{"application":{"applicationId":"c"},"device":{}}},
            "request":{"type":"IntentRequest","timestamp":"2026-01-01T00:00:00Z","intent":{}}}"#;
        let fields = parse(body).expect("parses");
        assert_eq!(fields.request_type.as_deref(), Some("IntentRequest"));
        assert_eq!(fields.context_application_id.as_deref(), Some("c"));
        assert_eq!(fields.session_application_id, Some(Some("s".to_owned())));
        assert_eq!(
            fields.timestamp,
            Some(serde_json::Value::from("2026-01-01T00:00:00Z"))
        );
    }

    #[test]
    fn session_absent_versus_session_without_application() {
        let absent = parse(br#"{"context":{},"request":{}}"#).expect("parses");
        assert_eq!(absent.session_application_id, None);
        let empty = parse(br#"{"session":{},"request":{}}"#).expect("parses");
        assert_eq!(empty.session_application_id, Some(None));
    }

    #[test]
    fn bom_is_tolerated_and_bad_bodies_are_refused() {
        assert!(parse("\u{feff}{\"request\":{}}".as_bytes()).is_ok());
        assert_eq!(parse(b"{\"a\":\"\xff\"}"), Err(VerifyError::BodyNotUtf8));
        assert_eq!(
            parse(b"not json").map_err(|e| e.reason()),
            Err("malformed_body")
        );
        let wrong_type = br#"{"context":{"System":{"application":{"applicationId":5}}}}"#;
        assert_eq!(
            parse(wrong_type).map_err(|e| e.reason()),
            Err("malformed_body")
        );
    }
}
