//! Booting the real server for a test, and building requests.

use onair::config::Settings;
use onair::import::{import_file, ImportOptions};
use onair::store::{SledStore, Store};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const APP_ID: &str = "amzn1.ask.skill.00000000-0000-0000-0000-000000000001";
pub const USER_ID: &str = "amzn1.ask.account.FIXTUREUSER";
pub const DEVICE_ID: &str = "amzn1.ask.device.FIXTUREDEVICE";

/// The fixtures folder.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// An HTTP client for the skill under test: Amazon's API hosts (which some real fixtures name)
/// resolve to a closed loopback port, so a test never reaches the internet.
pub fn offline_client() -> reqwest::Client {
    let closed = std::net::SocketAddr::from(([127, 0, 0, 1], 9));
    reqwest::Client::builder()
        .resolve("api.amazonalexa.com", closed)
        .resolve("api.eu.amazonalexa.com", closed)
        .resolve("api.fe.amazonalexa.com", closed)
        .timeout(std::time::Duration::from_secs(2))
        .build()
        .expect("client")
}

/// How to start a server.
pub struct AppOptions {
    pub timezone: String,
    pub schedule: Option<PathBuf>,
    pub body_limit: usize,
}

impl Default for AppOptions {
    fn default() -> Self {
        Self {
            timezone: "UTC".into(),
            schedule: Some(fixtures_dir().join("schedule.json")),
            body_limit: 256 * 1024,
        }
    }
}

/// Starts the real server with the fixture schedule and `zone` as its default time zone.
pub async fn spawn_in(zone: &str) -> TestApp {
    spawn_app(AppOptions {
        timezone: zone.into(),
        ..AppOptions::default()
    })
    .await
}

/// The Prometheus text of the server at `base`.
pub async fn metrics(base: &str) -> String {
    reqwest::get(format!("{base}/metrics"))
        .await
        .expect("get /metrics")
        .text()
        .await
        .expect("metrics text")
}

/// A server started by [`serve`].
pub struct Running {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The bound address.
    pub addr: std::net::SocketAddr,
    /// Send to stop it gracefully.
    pub stop: oneshot::Sender<()>,
    /// Resolves when it has stopped (and flushed its store).
    pub handle: JoinHandle<std::io::Result<()>>,
}

/// Serves `state` on a random loopback port, as `onair serve` would.
pub async fn serve(state: onair::server::AppState) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, rx) = oneshot::channel::<()>();
    let handle = tokio::spawn(onair::server::serve(listener, state, async {
        let _ = rx.await;
    }));
    Running {
        base: format!("http://{addr}"),
        addr,
        stop,
        handle,
    }
}

/// A running server with its own store.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub store: Arc<SledStore>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<std::io::Result<()>>>,
    _dir: tempfile::TempDir,
}

/// Starts the real server on 127.0.0.1:0 with a fresh data directory.
pub async fn spawn_app(options: AppOptions) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(SledStore::open(dir.path()).expect("store"));
    if let Some(schedule) = &options.schedule {
        import_file(store.as_ref(), schedule, &ImportOptions::default())
            .expect("fixture schedule imports");
    }
    let settings = Settings {
        default_timezone: options.timezone.clone(),
        verify: false,
        body_limit_bytes: options.body_limit,
        ..Settings::default()
    };
    let state = onair::service::state_custom(
        &settings,
        store.clone(),
        None,
        onair::server::system_clock(),
        offline_client(),
    )
    .expect("state");
    let running = serve(state).await;
    TestApp {
        base: running.base,
        client: reqwest::Client::new(),
        store,
        shutdown: Some(running.stop),
        handle: Some(running.handle),
        _dir: dir,
    }
}

impl TestApp {
    /// POSTs a JSON envelope to /alexa; returns the status and the body as JSON.
    pub async fn post(&self, body: &Value) -> (u16, Value) {
        let bytes = serde_json::to_vec(body).expect("serialize");
        let (status, text) = self.post_raw(bytes, "application/json").await;
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// POSTs raw bytes to /alexa.
    pub async fn post_raw(&self, body: Vec<u8>, content_type: &str) -> (u16, String) {
        let response = self
            .client
            .post(format!("{}/alexa", self.base))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = response.status().as_u16();
        (status, response.text().await.expect("body"))
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
    }

    /// The listener key of the fixture user.
    pub fn listener_key(&self) -> String {
        onair::privacy::user_key(USER_ID)
    }

    /// The fixture user's stored state.
    pub fn listener(&self) -> onair::store::ListenerState {
        self.store
            .listener(&self.listener_key())
            .expect("store")
            .unwrap_or_default()
    }
}

/// A request envelope under construction.
pub struct Req {
    request: Value,
    locale: String,
    attributes: Value,
    player: Value,
    audio: bool,
    session: bool,
    user: String,
    device: String,
    api_endpoint: String,
    api_token: Option<String>,
    scopes: Option<Value>,
}

impl Req {
    fn new(request: Value) -> Self {
        Self {
            request,
            locale: "en-US".into(),
            attributes: json!({}),
            player: json!({"playerActivity": "IDLE"}),
            audio: true,
            session: true,
            user: USER_ID.into(),
            device: DEVICE_ID.into(),
            api_endpoint: "https://api.amazonalexa.com".into(),
            api_token: None,
            scopes: None,
        }
    }

    /// A CanFulfillIntentRequest (it has a session, like an IntentRequest).
    pub fn can_fulfill(name: &str) -> Self {
        Self::new(json!({"type": "CanFulfillIntentRequest",
            "intent": {"name": name, "slots": {}}}))
    }

    /// An `AlexaSkillEvent.*` (no session).
    pub fn skill_event(kind: &str) -> Self {
        let mut r = Self::new(json!({"type": kind, "body": {}}));
        r.session = false;
        r
    }

    /// Replaces the whole intent (e.g. with the `updatedIntent` of a Dialog directive).
    pub fn intent_value(mut self, intent: Value) -> Self {
        self.request["intent"] = intent;
        self
    }

    /// Sets `intent.confirmationStatus`.
    pub fn confirmation(mut self, status: &str) -> Self {
        self.request["intent"]["confirmationStatus"] = json!(status);
        self
    }

    /// Points the Alexa APIs at `endpoint`, with `token` as apiAccessToken (or none).
    pub fn api(mut self, endpoint: &str, token: Option<&str>) -> Self {
        self.api_endpoint = endpoint.into();
        self.api_token = token.map(String::from);
        self
    }

    /// Sets the reminders permission status (`GRANTED` / `DENIED`).
    pub fn reminders_permission(mut self, status: &str) -> Self {
        self.scopes = Some(json!({"alexa::alerts:reminders:skill:readwrite": {"status": status}}));
        self
    }

    pub fn user(mut self, user: &str) -> Self {
        self.user = user.into();
        self
    }

    pub fn launch() -> Self {
        Self::new(json!({"type": "LaunchRequest"}))
    }

    pub fn intent(name: &str) -> Self {
        Self::new(json!({"type": "IntentRequest",
            "intent": {"name": name, "confirmationStatus": "NONE", "slots": {}}}))
    }

    /// An AudioPlayer or PlaybackController event (no session).
    pub fn event(kind: &str, token: Option<&str>, offset: i64) -> Self {
        let mut r = Self::new(json!({"type": kind, "offsetInMilliseconds": offset}));
        if let Some(t) = token {
            r.request["token"] = json!(t);
        }
        r.session = false;
        r
    }

    pub fn slot(mut self, name: &str, value: &str) -> Self {
        self.request["intent"]["slots"][name] =
            json!({"name": name, "value": value, "confirmationStatus": "NONE"});
        self
    }

    pub fn locale(mut self, locale: &str) -> Self {
        self.locale = locale.into();
        self
    }

    pub fn attributes(mut self, attributes: Value) -> Self {
        self.attributes = attributes;
        self
    }

    pub fn player(mut self, token: &str, offset: i64, activity: &str) -> Self {
        self.player =
            json!({"token": token, "offsetInMilliseconds": offset, "playerActivity": activity});
        self
    }

    pub fn device(mut self, device: &str) -> Self {
        self.device = device.into();
        self
    }

    pub fn without_audio(mut self) -> Self {
        self.audio = false;
        self
    }

    pub fn at(self, timestamp: &str) -> Value {
        let mut request = self.request;
        request["requestId"] = json!("amzn1.echo-api.request.test");
        request["timestamp"] = json!(timestamp);
        request["locale"] = json!(self.locale);
        let interfaces = if self.audio {
            json!({"AudioPlayer": {}})
        } else {
            json!({})
        };
        let mut env = json!({
            "version": "1.0",
            "context": {
                "System": {
                    "application": {"applicationId": APP_ID},
                    "user": {"userId": self.user},
                    "device": {"deviceId": self.device, "supportedInterfaces": interfaces},
                    "apiEndpoint": self.api_endpoint
                },
                "AudioPlayer": self.player
            },
            "request": request
        });
        if let Some(token) = &self.api_token {
            env["context"]["System"]["apiAccessToken"] = json!(token);
        }
        if let Some(scopes) = &self.scopes {
            env["context"]["System"]["user"]["permissions"] = json!({"scopes": scopes});
        }
        if self.session {
            env["session"] = json!({
                "new": true,
                "sessionId": "amzn1.echo-api.session.test",
                "application": {"applicationId": APP_ID},
                "attributes": self.attributes,
                "user": {"userId": self.user}
            });
        }
        env
    }
}

/// The spoken text of a response (SSML or plain).
pub fn speech(response: &Value) -> String {
    let s = &response["response"]["outputSpeech"];
    s["ssml"]
        .as_str()
        .or_else(|| s["text"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// Everything logged by this test binary, at debug level and above. Installed once; tests that
/// read it look for what must never be there.
pub fn captured_logs() -> Arc<std::sync::Mutex<Vec<u8>>> {
    static LOGS: std::sync::OnceLock<Arc<std::sync::Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
            .with_ansi(false)
            .with_writer(move || LogSink(sink.clone()))
            .try_init();
        buffer
    })
    .clone()
}

struct LogSink(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for LogSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
