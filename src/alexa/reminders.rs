//! The Reminders API (protocol §6.1): the JSON of an absolute reminder and one bounded call that
//! creates it.
//!
//! This module knows nothing about schedules or listeners: callers hand it wall-clock times, a
//! zone name and the sentence to speak. Every way the call can go wrong is a [`ReminderError`]
//! variant, so the skill can choose the right sentence without looking at HTTP details.

use jiff::civil::DateTime;
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// The permission scope a listener must grant before a skill may create reminders.
pub const SCOPE: &str = "alexa::alerts:reminders:skill:readwrite";
/// Hard bound on one create call, body included: the listener is waiting for an answer and
/// Alexa gives the whole response about eight seconds.
pub const TIMEOUT: Duration = Duration::from_secs(2);
/// Where reminders are created, under `context.System.apiEndpoint`.
pub const PATH: &str = "/v1/alerts/reminders";
/// Largest answer body read; a real one is a few hundred bytes.
const MAX_BODY: usize = 64 * 1024;
/// Wall-clock format the API wants: local time, milliseconds, no offset.
const WALL_CLOCK: &str = "%Y-%m-%dT%H:%M:%S%.3f";

/// The body of `POST /v1/alerts/reminders` for a one-off reminder.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewReminder {
    /// When the request is made, as local wall-clock time.
    pub request_time: String,
    /// When it fires.
    pub trigger: Trigger,
    /// What Alexa says when it fires.
    pub alert_info: AlertInfo,
    /// Whether the Alexa app also gets a notification.
    pub push_notification: PushNotification,
}

/// `trigger` of an absolute reminder.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Trigger {
    /// Always `SCHEDULED_ABSOLUTE` here.
    #[serde(rename = "type")]
    pub kind: String,
    /// Local wall-clock time in `time_zone_id`, without offset.
    pub scheduled_time: String,
    /// IANA zone of `scheduled_time`; without it Alexa may fire at the wrong hour.
    pub time_zone_id: String,
}

/// `alertInfo`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AlertInfo {
    /// The spoken part.
    pub spoken_info: SpokenInfo,
}

/// `alertInfo.spokenInfo`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpokenInfo {
    /// One text per locale.
    pub content: Vec<SpokenText>,
}

/// One spoken text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpokenText {
    /// BCP 47 tag, e.g. `en-US`.
    pub locale: String,
    /// What Alexa says.
    pub text: String,
}

/// `pushNotification`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PushNotification {
    /// `ENABLED` or `DISABLED`.
    pub status: String,
}

impl NewReminder {
    /// A reminder firing at `at` (wall-clock time in `zone`), requested at `now` (wall-clock
    /// time too), saying `text` in `locale`, with a push notification.
    pub fn absolute(now: DateTime, at: DateTime, zone: &str, locale: &str, text: &str) -> Self {
        Self {
            request_time: now.strftime(WALL_CLOCK).to_string(),
            trigger: Trigger {
                kind: "SCHEDULED_ABSOLUTE".into(),
                scheduled_time: at.strftime(WALL_CLOCK).to_string(),
                time_zone_id: zone.into(),
            },
            alert_info: AlertInfo {
                spoken_info: SpokenInfo {
                    content: vec![SpokenText {
                        locale: locale.into(),
                        text: text.into(),
                    }],
                },
            },
            push_notification: PushNotification {
                status: "ENABLED".into(),
            },
        }
    }
}

/// What a successful create returns that onair keeps.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Created {
    /// The reminder's id, needed to change or delete it later.
    pub alert_token: String,
}

/// Why a reminder was not created. Messages carry statuses and error codes, never the token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReminderError {
    /// 401: the listener has not granted the reminders permission, or the token is invalid.
    #[error("not authorised (HTTP 401)")]
    Unauthorized,
    /// 403 `MAX_REMINDERS_EXCEEDED`: the listener has as many reminders as Alexa allows.
    #[error("too many reminders (HTTP 403 {code})")]
    TooMany {
        /// The error code as sent.
        code: String,
    },
    /// 403 `DEVICE_NOT_SUPPORTED`: this device cannot hold reminders.
    #[error("device not supported (HTTP 403)")]
    DeviceNotSupported,
    /// Another 4xx: the API refused this reminder (bad time, bad text, other 403).
    #[error("refused (HTTP {status} {code})")]
    Refused {
        /// HTTP status.
        status: u16,
        /// The error code as sent, or empty.
        code: String,
    },
    /// 429: too many calls; a later try may work.
    #[error("throttled (HTTP 429)")]
    Throttled,
    /// 5xx: the service failed; a later try may work.
    #[error("service failed (HTTP {0})")]
    Unavailable(u16),
    /// No complete answer within [`TIMEOUT`].
    #[error("no answer within {0:?}")]
    Timeout(Duration),
    /// The service could not be reached.
    #[error("unreachable: {0}")]
    Transport(String),
    /// A success status with a body that is not a reminder: it may or may not exist.
    #[error("unreadable answer (HTTP {status}): {detail}")]
    Unreadable {
        /// HTTP status.
        status: u16,
        /// Why the body was refused.
        detail: String,
    },
}

impl ReminderError {
    /// Whether the service itself failed (as opposed to refusing this listener's reminder):
    /// these count towards opening the circuit breaker.
    pub fn is_service_failure(&self) -> bool {
        matches!(
            self,
            Self::Throttled | Self::Unavailable(_) | Self::Timeout(_) | Self::Transport(_)
        )
    }

    /// The HTTP status behind the error, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Unauthorized => Some(401),
            Self::TooMany { .. } | Self::DeviceNotSupported => Some(403),
            Self::Refused { status, .. } | Self::Unreadable { status, .. } => Some(*status),
            Self::Throttled => Some(429),
            Self::Unavailable(s) => Some(*s),
            Self::Timeout(_) | Self::Transport(_) => None,
        }
    }
}

/// Error bodies: `{"code": "...", "message": "..."}`.
#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
}

/// The error code of an error body, cut to something safe to log.
fn error_code(body: &[u8]) -> String {
    serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .and_then(|b| b.code)
        .map(|c| {
            c.chars()
                .filter(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                .take(64)
                .collect()
        })
        .unwrap_or_default()
}

/// Reads an answer: the status decides, the body only refines.
pub fn classify(status: u16, body: &[u8]) -> Result<Created, ReminderError> {
    match status {
        200..=299 => {
            let created: Created =
                serde_json::from_slice(body).map_err(|e| ReminderError::Unreadable {
                    status,
                    detail: e.to_string(),
                })?;
            if created.alert_token.trim().is_empty() {
                return Err(ReminderError::Unreadable {
                    status,
                    detail: "empty alertToken".into(),
                });
            }
            Ok(created)
        }
        401 => Err(ReminderError::Unauthorized),
        403 => {
            let code = error_code(body);
            match code.as_str() {
                "MAX_REMINDERS_EXCEEDED" => Err(ReminderError::TooMany { code }),
                "DEVICE_NOT_SUPPORTED" => Err(ReminderError::DeviceNotSupported),
                _ => Err(ReminderError::Refused { status, code }),
            }
        }
        429 => Err(ReminderError::Throttled),
        500..=599 => Err(ReminderError::Unavailable(status)),
        _ => Err(ReminderError::Refused {
            status,
            code: error_code(body),
        }),
    }
}

/// Creates reminders with a shared HTTP client, a hard time bound and the Reminders API's
/// circuit breaker ([`super::breaker::REMINDERS`]): while the service fails, a create answers
/// [`ReminderError::Unavailable`] at once.
#[derive(Debug, Clone)]
pub struct RemindersClient {
    http: reqwest::Client,
    timeout: Duration,
}

impl RemindersClient {
    /// A client bounded by [`TIMEOUT`].
    pub fn new(http: reqwest::Client) -> Self {
        Self {
            http,
            timeout: TIMEOUT,
        }
    }

    /// Creates `reminder` at `endpoint` (the request's `apiEndpoint`, used as given) with the
    /// request's `token`. Never takes longer than the client's timeout.
    pub async fn create(
        &self,
        endpoint: &str,
        token: &str,
        reminder: &NewReminder,
    ) -> Result<Created, ReminderError> {
        if !super::api::endpoint_allowed(endpoint) {
            return Err(ReminderError::Transport(
                "apiEndpoint is not an Alexa API host".into(),
            ));
        }
        let Some(call) = super::breaker::REMINDERS.try_call(endpoint) else {
            return Err(ReminderError::Unavailable(503));
        };
        let url = format!("{}{PATH}", endpoint.trim_end_matches('/'));
        let result =
            match tokio::time::timeout(self.timeout, self.send(&url, token, reminder)).await {
                Ok(result) => result,
                Err(_) => Err(ReminderError::Timeout(self.timeout)),
            };
        call.finish(
            !result
                .as_ref()
                .is_err_and(ReminderError::is_service_failure),
        );
        result
    }

    async fn send(
        &self,
        url: &str,
        token: &str,
        reminder: &NewReminder,
    ) -> Result<Created, ReminderError> {
        let mut response = self
            .http
            .post(url)
            .bearer_auth(token)
            .json(reminder)
            .send()
            .await
            .map_err(|e| ReminderError::Transport(e.without_url().to_string()))?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > MAX_BODY {
                        return Err(ReminderError::Unreadable {
                            status,
                            detail: format!("body over {MAX_BODY} bytes"),
                        });
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Err(ReminderError::Transport(e.without_url().to_string())),
            }
        }
        classify(status, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn body_has_the_documented_shape() {
        let now: DateTime = "2026-11-21T14:04:05".parse().expect("dt");
        let at: DateTime = "2026-11-21T21:00:00".parse().expect("dt");
        let r = NewReminder::absolute(now, at, "America/New_York", "en-US", "Jazz starts now");
        assert_eq!(
            serde_json::to_value(&r).expect("ser"),
            json!({
                "requestTime": "2026-11-21T14:04:05.000",
                "trigger": {"type": "SCHEDULED_ABSOLUTE", "scheduledTime": "2026-11-21T21:00:00.000",
                            "timeZoneId": "America/New_York"},
                "alertInfo": {"spokenInfo": {"content": [{"locale": "en-US", "text": "Jazz starts now"}]}},
                "pushNotification": {"status": "ENABLED"}
            })
        );
    }

    #[test]
    fn statuses_map_to_errors() {
        assert_eq!(
            classify(200, br#"{"alertToken":"abc","status":"ON"}"#),
            Ok(Created {
                alert_token: "abc".into()
            })
        );
        assert_eq!(classify(401, b""), Err(ReminderError::Unauthorized));
        assert!(matches!(
            classify(403, br#"{"code":"MAX_REMINDERS_EXCEEDED","message":"x"}"#),
            Err(ReminderError::TooMany { .. })
        ));
        assert_eq!(
            classify(403, br#"{"code":"DEVICE_NOT_SUPPORTED"}"#),
            Err(ReminderError::DeviceNotSupported)
        );
        assert_eq!(
            classify(403, b"<html>"),
            Err(ReminderError::Refused {
                status: 403,
                code: String::new()
            })
        );
        assert!(matches!(
            classify(400, br#"{"code":"INVALID_ALERT_INFO"}"#),
            Err(ReminderError::Refused { status: 400, code }) if code == "INVALID_ALERT_INFO"
        ));
        assert_eq!(classify(429, b""), Err(ReminderError::Throttled));
        assert_eq!(classify(503, b""), Err(ReminderError::Unavailable(503)));
    }

    #[test]
    fn unreadable_success_is_not_a_reminder() {
        for body in [
            &b"not json"[..],
            br#"{"status":"ON"}"#,
            br#"{"alertToken":" "}"#,
        ] {
            assert!(matches!(
                classify(200, body),
                Err(ReminderError::Unreadable { status: 200, .. })
            ));
        }
    }

    #[test]
    fn error_codes_are_sanitised_for_logs() {
        let code = error_code(br#"{"code":"BAD\nCODE<script>"}"#);
        assert_eq!(code, "BADCODEscript");
    }
}
