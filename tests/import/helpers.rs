//! Shared test helpers: a running server over a temporary store, envelopes, sample files.

use onair::config::Settings;
use onair::import::{import_file, ImportOptions, ImportReport};
use onair::store::{IndexedStore, SledStore, Store};
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::oneshot;

/// The listener's zone in every test.
pub const ZONE: &str = "Europe/Paris";
/// An admin token long enough for the settings check.
pub const TOKEN: &str = "test-admin-token-0123456789";

/// A sample file under `tests/data/`.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// Import options pinned to a "now" and the test zone.
pub fn options(now: &str) -> ImportOptions {
    ImportOptions {
        default_zone: ZONE.into(),
        now: Some(now.parse().expect("now")),
        ..ImportOptions::default()
    }
}

/// A server on 127.0.0.1:0 over its own store in a temporary directory.
pub struct TestApp {
    pub addr: SocketAddr,
    /// The store the server answers from (index-backed, so imports here show in answers).
    pub store: Arc<IndexedStore>,
    pub client: reqwest::Client,
    /// The admin API's refresh board (when a token is set).
    pub refresh: Option<onair::import::refresh::RefreshStatus>,
    _dir: tempfile::TempDir,
    stop: Option<oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// Settings for a test server; `admin` sets the admin token.
pub fn settings(dir: &Path, admin: Option<&str>) -> Settings {
    Settings {
        data_dir: dir.to_path_buf(),
        default_timezone: ZONE.into(),
        verify: false,
        admin_token: admin.map(str::to_string),
        ..Settings::default()
    }
}

/// Boots the real server.
pub async fn spawn_app(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("tmp");
    let mut s = settings(dir.path(), None);
    configure(&mut s);
    s.validate().expect("valid settings");
    let engine: Arc<dyn Store> =
        Arc::new(SledStore::open(&dir.path().join("data")).expect("store"));
    let store = IndexedStore::wrap(engine).expect("index");
    let dyn_store: Arc<dyn Store> = store.clone();
    let state = onair::service::state(&s, dyn_store).expect("state");
    let refresh = state.admin.as_ref().map(|a| a.refresh.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(onair::server::serve(listener, state, async {
        let _ = stopped.await;
    }));
    TestApp {
        addr,
        store,
        client: reqwest::Client::new(),
        refresh,
        _dir: dir,
        stop: Some(stop),
        served: Some(served),
    }
}

/// What the skill answered.
#[derive(Debug)]
pub struct Reply {
    pub speech: String,
    pub card: String,
    pub attributes: Value,
    pub raw: Value,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Imports a sample file into this app's store.
    pub fn import(&self, name: &str, options: &ImportOptions) -> ImportReport {
        import_file(self.store.as_ref(), &data(name), options).expect("import")
    }

    /// Posts an IntentRequest at `now` and returns the reply.
    pub async fn intent(&self, name: &str, slots: Value, attributes: Value, now: &str) -> Reply {
        let envelope = json!({
            "version": "1.0",
            "session": {"new": false, "sessionId": "amzn1.echo-api.session.test",
                        "application": {"applicationId": "amzn1.ask.skill.test"},
                        "user": {"userId": "amzn1.ask.account.test"},
                        "attributes": attributes},
            "context": {"System": {
                "application": {"applicationId": "amzn1.ask.skill.test"},
                "user": {"userId": "amzn1.ask.account.test"},
                "device": {"deviceId": "amzn1.ask.device.test",
                           "supportedInterfaces": {"AudioPlayer": {}}}}},
            "request": {"type": "IntentRequest", "requestId": "amzn1.echo-api.request.test",
                        "timestamp": now, "locale": "en-US",
                        "intent": {"name": name, "confirmationStatus": "NONE", "slots": slots}}
        });
        let response = self
            .client
            .post(self.url("/alexa"))
            .json(&envelope)
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 200);
        let raw: Value = response.json().await.expect("json");
        let speech = raw["response"]["outputSpeech"]["text"]
            .as_str()
            .or(raw["response"]["outputSpeech"]["ssml"].as_str())
            .unwrap_or_default()
            .replace("<speak>", "")
            .replace("</speak>", "");
        Reply {
            speech,
            card: raw["response"]["card"]["content"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            attributes: raw["sessionAttributes"].clone(),
            raw,
        }
    }

    /// "What's on?" at `now`.
    pub async fn whats_on(&self, now: &str) -> Reply {
        self.intent("WhatsOnIntent", json!({}), json!({}), now)
            .await
    }

    /// "Play the n-th one" after a listing.
    pub async fn play_item(&self, n: usize, listing: &Reply, now: &str) -> Reply {
        let slots = json!({"ordinal": {"name": "ordinal", "value": n.to_string()}});
        self.intent("PlayItemIntent", slots, listing.attributes.clone(), now)
            .await
    }

    /// Stops the server and waits for it.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(served) = self.served.take() {
            served.await.expect("join").expect("serve");
        }
    }
}
