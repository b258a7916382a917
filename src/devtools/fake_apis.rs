//! Local stand-ins for the Alexa service APIs the skill calls: the Settings API (the device's
//! time zone) and the Reminders API. They listen on loopback in this process, and requests
//! reach them because the simulated device names them as `context.System.apiEndpoint` with an
//! `apiAccessToken`, so "remind me when it starts" works end to end with no network.
//!
//! The zone and the reminders permission are chosen up front ([`FakeApiOptions`]); how the
//! Reminders API answers can be changed at any time ([`FakeApis::answer`]), and every call is
//! kept ([`FakeApis::calls`], [`FakeApis::reminders`]) so a test or a developer can see what
//! the skill asked for.

use super::envelope::Identity;
use super::DevtoolsError;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::oneshot;

/// The access token the simulated device sends with the fake APIs.
pub const FAKE_API_TOKEN: &str = "onair-fake-api-access-token";

/// Whether the listener granted the reminders permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Permission {
    /// Granted: reminders can be created.
    #[default]
    Granted,
    /// Explicitly denied.
    Denied,
    /// Never asked: no permissions block at all.
    None,
}

impl Permission {
    /// Parses `granted`, `denied` or `none`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "granted" => Some(Self::Granted),
            "denied" => Some(Self::Denied),
            "none" => Some(Self::None),
            _ => None,
        }
    }
}

/// How the fakes behave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakeApiOptions {
    /// The device time zone the Settings API reports.
    pub timezone: String,
    /// The reminders permission the device reports.
    pub reminders: Permission,
}

impl Default for FakeApiOptions {
    fn default() -> Self {
        Self {
            timezone: "America/New_York".into(),
            reminders: Permission::Granted,
        }
    }
}

/// How the Reminders API answers the next create calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// 200 with a fresh alert token (the default).
    Accept,
    /// 200 with this alert token.
    Created(String),
    /// This status and body.
    Status(u16, String),
    /// Sleeps this long, then answers 200.
    Slow(Duration),
}

/// One create call as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The Authorization header.
    pub authorization: Option<String>,
    /// The body as JSON (a string when it was not JSON).
    pub body: Value,
}

/// A reminder the fake accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminder {
    /// The alert token it answered.
    pub alert_token: String,
    /// The reminder as the skill sent it.
    pub body: Value,
}

impl Reminder {
    /// The text the device will say, for listings.
    pub fn text(&self) -> &str {
        self.body["alertInfo"]["spokenInfo"]["content"][0]["text"]
            .as_str()
            .unwrap_or("")
    }

    /// When it rings, as the skill asked (`trigger.scheduledTime`, device-local).
    pub fn scheduled(&self) -> &str {
        self.body["trigger"]["scheduledTime"].as_str().unwrap_or("")
    }
}

#[derive(Default)]
struct Shared {
    calls: Mutex<Vec<Call>>,
    reminders: Mutex<Vec<Reminder>>,
    answer: Mutex<Option<Answer>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves plain data behind; keep serving it.
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The running fakes; they stop when this is dropped.
pub struct FakeApis {
    /// `http://127.0.0.1:<port>`, the `apiEndpoint` to send.
    pub endpoint: String,
    options: FakeApiOptions,
    shared: Arc<Shared>,
    _stop: oneshot::Sender<()>,
}

impl FakeApis {
    /// Starts the fakes on a free loopback port.
    pub async fn start(options: FakeApiOptions) -> Result<Self, DevtoolsError> {
        if jiff::tz::TimeZone::get(&options.timezone).is_err() {
            return Err(DevtoolsError::Usage(format!(
                "fake APIs: {:?} is not an IANA time zone (e.g. Europe/Paris)",
                options.timezone
            )));
        }
        let shared = Arc::new(Shared::default());
        let zone = options.timezone.clone();
        let app = Router::new()
            .route(
                crate::alexa::reminders::PATH,
                get(list).post(create).with_state(shared.clone()),
            )
            .route(
                "/v2/devices/{device}/settings/System.timeZone",
                get(move || async move { axum::Json(zone) }),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let endpoint = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            if let Err(e) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                tracing::warn!(error = %e, "fake Alexa APIs stopped");
            }
        });
        Ok(Self {
            endpoint,
            options,
            shared,
            _stop: stop,
        })
    }

    /// Points `identity`'s requests at these fakes, with the chosen permission.
    pub fn attach(&self, identity: &mut Identity) {
        identity.api_endpoint = self.endpoint.clone();
        identity.api_access_token = Some(FAKE_API_TOKEN.into());
        identity.scopes = match self.options.reminders {
            Permission::Granted => vec![(crate::alexa::reminders::SCOPE.into(), "GRANTED".into())],
            Permission::Denied => vec![(crate::alexa::reminders::SCOPE.into(), "DENIED".into())],
            Permission::None => Vec::new(),
        };
    }

    /// The options the fakes run with.
    pub fn options(&self) -> &FakeApiOptions {
        &self.options
    }

    /// Sets how the Reminders API answers from now on.
    pub fn answer(&self, answer: Answer) {
        *lock(&self.shared.answer) = Some(answer);
    }

    /// Every create call so far.
    pub fn calls(&self) -> Vec<Call> {
        lock(&self.shared.calls).clone()
    }

    /// Every reminder created so far.
    pub fn reminders(&self) -> Vec<Reminder> {
        lock(&self.shared.reminders).clone()
    }
}

fn json_response(status: StatusCode, body: String) -> Response {
    (status, [("content-type", "application/json")], body).into_response()
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    let body = serde_json::from_str(&body).unwrap_or(Value::String(body));
    lock(&shared.calls).push(Call {
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(String::from),
        body: body.clone(),
    });
    let answer = lock(&shared.answer).clone().unwrap_or(Answer::Accept);
    let token = match answer {
        Answer::Accept => format!("fake-alert-{}", lock(&shared.reminders).len() + 1),
        Answer::Created(token) => token,
        Answer::Status(status, text) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return json_response(status, text);
        }
        Answer::Slow(delay) => {
            tokio::time::sleep(delay).await;
            return json_response(StatusCode::OK, json!({"alertToken": "late"}).to_string());
        }
    };
    lock(&shared.reminders).push(Reminder {
        alert_token: token.clone(),
        body,
    });
    let stamp = "2026-01-01T00:00:00.000Z";
    json_response(
        StatusCode::OK,
        json!({"alertToken": token, "createdTime": stamp, "updatedTime": stamp,
               "status": "ON", "version": "1"})
        .to_string(),
    )
}

async fn list(State(shared): State<Arc<Shared>>) -> Response {
    let alerts: Vec<Value> = lock(&shared.reminders)
        .iter()
        .map(|r| {
            let mut alert = r.body.clone();
            alert["alertToken"] = json!(r.alert_token);
            alert["status"] = json!("ON");
            alert
        })
        .collect();
    json_response(
        StatusCode::OK,
        json!({"totalCount": alerts.len().to_string(), "alerts": alerts}).to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn zone_reminders_and_listing() {
        let fake = FakeApis::start(FakeApiOptions {
            timezone: "Europe/Paris".into(),
            reminders: Permission::Granted,
        })
        .await
        .expect("start");
        let client = reqwest::Client::new();
        let zone: String = client
            .get(format!(
                "{}/v2/devices/dev/settings/System.timeZone",
                fake.endpoint
            ))
            .send()
            .await
            .expect("get")
            .json()
            .await
            .expect("json");
        assert_eq!(zone, "Europe/Paris");
        let url = format!("{}{}", fake.endpoint, crate::alexa::reminders::PATH);
        let created: Value = client
            .post(&url)
            .bearer_auth("t")
            .body(r#"{"alertInfo":{"spokenInfo":{"content":[{"text":"Jazz"}]}}}"#)
            .send()
            .await
            .expect("post")
            .json()
            .await
            .expect("json");
        assert_eq!(created["alertToken"], "fake-alert-1");
        assert_eq!(fake.reminders()[0].text(), "Jazz");
        assert_eq!(fake.calls()[0].authorization.as_deref(), Some("Bearer t"));
        let listed: Value = client
            .get(&url)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        assert_eq!(listed["alerts"][0]["alertToken"], "fake-alert-1");
        fake.answer(Answer::Status(403, "{}".into()));
        let refused = client.post(&url).body("{}").send().await.expect("post");
        assert_eq!(refused.status(), 403);
        assert_eq!(fake.reminders().len(), 1, "a refused call creates nothing");
    }

    #[test]
    fn attach_sets_endpoint_token_and_scope() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let fake = FakeApis::start(FakeApiOptions {
                reminders: Permission::Denied,
                ..FakeApiOptions::default()
            })
            .await
            .expect("start");
            let mut identity = Identity::default();
            fake.attach(&mut identity);
            assert_eq!(identity.api_endpoint, fake.endpoint);
            assert_eq!(identity.api_access_token.as_deref(), Some(FAKE_API_TOKEN));
            assert_eq!(identity.scopes[0].1, "DENIED");
        });
        assert!(Permission::parse("granted").is_some());
        assert!(Permission::parse("maybe").is_none());
    }
}
