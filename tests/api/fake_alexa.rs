//! A local stand-in for the Alexa service APIs, reached because requests name it as
//! `context.System.apiEndpoint`: the Settings API answers a fixed time zone, the Reminders API
//! answers as told and records every call.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::oneshot;

/// How the Reminders API answers the next calls.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200 with this alert token.
    Created(String),
    /// This status and body.
    Status(u16, String),
    /// Sleeps this long, then answers 200.
    Slow(Duration),
}

/// One recorded create call.
#[derive(Debug, Clone)]
pub struct Call {
    /// The Authorization header as received.
    pub authorization: Option<String>,
    /// The body as JSON.
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    calls: Mutex<Vec<Call>>,
    answer: Mutex<Option<Answer>>,
}

/// A running fake.
pub struct FakeAlexa {
    /// `http://127.0.0.1:<port>`, to use as apiEndpoint.
    pub endpoint: String,
    shared: Arc<Shared>,
    _stop: oneshot::Sender<()>,
}

async fn create(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: String) -> Response {
    let call = Call {
        authorization: headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .map(String::from),
        body: serde_json::from_str(&body).unwrap_or(Value::String(body)),
    };
    shared.calls.lock().expect("lock").push(call);
    let answer = shared
        .answer
        .lock()
        .expect("lock")
        .clone()
        .unwrap_or(Answer::Created("token-1".into()));
    match answer {
        Answer::Created(token) => (
            StatusCode::OK,
            [("content-type", "application/json")],
            serde_json::json!({"alertToken": token, "createdTime": "2026-11-21T19:04:05.000Z",
                               "updatedTime": "2026-11-21T19:04:05.000Z", "status": "ON",
                               "version": "1"})
            .to_string(),
        )
            .into_response(),
        Answer::Status(status, body) => (
            StatusCode::from_u16(status).expect("status"),
            [("content-type", "application/json")],
            body,
        )
            .into_response(),
        Answer::Slow(delay) => {
            tokio::time::sleep(delay).await;
            (StatusCode::OK, r#"{"alertToken":"late"}"#).into_response()
        }
    }
}

async fn zone() -> Response {
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        "\"America/New_York\"",
    )
        .into_response()
}

impl FakeAlexa {
    /// Starts the fake on 127.0.0.1:0; the device zone it reports is America/New_York.
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let app = Router::new()
            .route("/v1/alerts/reminders", post(create))
            .route("/v2/devices/{device}/settings/System.timeZone", get(zone))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Self {
            endpoint,
            shared,
            _stop: tx,
        }
    }

    /// Sets how the Reminders API answers from now on.
    pub fn answer(&self, answer: Answer) {
        *self.shared.answer.lock().expect("lock") = Some(answer);
    }

    /// Every create call so far.
    pub fn calls(&self) -> Vec<Call> {
        self.shared.calls.lock().expect("lock").clone()
    }
}
