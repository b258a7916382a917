//! A demo server with the console on, on a random loopback port.

use onair::config::Settings;
use onair::store::{SledStore, Store};
use std::sync::Arc;
use tokio::sync::oneshot;

/// The admin token of the test servers.
pub const TOKEN: &str = "console-test-token-0123456789";

/// A running demo server.
pub struct Server {
    pub base: String,
    pub store: Arc<SledStore>,
    pub settings: Settings,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// How to start one.
pub struct Options {
    pub token: Option<&'static str>,
    pub verify: bool,
    pub zone: &'static str,
    /// Feeds refreshed in the background, as `serve` refreshes them.
    pub sources: Vec<onair::config::SourceConfig>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            token: Some(TOKEN),
            verify: false,
            zone: "Europe/Paris",
            sources: Vec::new(),
        }
    }
}

/// An HTTP client that never reaches the internet: Amazon's API hosts resolve to a closed port.
pub fn offline_client() -> reqwest::Client {
    let closed = std::net::SocketAddr::from(([127, 0, 0, 1], 9));
    reqwest::Client::builder()
        .resolve("api.amazonalexa.com", closed)
        .resolve("api.eu.amazonalexa.com", closed)
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .expect("client")
}

/// Starts `serve --demo --console` (demo schedule seeded for now) with `options`.
pub async fn start(options: Options) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let settings = Settings {
        addr,
        data_dir: dir.path().to_path_buf(),
        default_timezone: options.zone.into(),
        verify: options.verify,
        skill_ids: vec!["amzn1.ask.skill.00000000-0000-0000-0000-000000000001".into()],
        demo: true,
        console: true,
        admin_token: options.token.map(str::to_string),
        sources: options.sources.clone(),
        ..Settings::default()
    };
    let store = Arc::new(SledStore::open(dir.path()).expect("store"));
    onair::service::seed_demo(&settings, store.as_ref()).expect("demo seeded");
    let verifier = if options.verify {
        onair::service::verifier(&settings).expect("verifier")
    } else {
        None
    };
    let shared: Arc<dyn Store> = store.clone();
    let state = onair::service::state_custom(
        &settings,
        shared,
        verifier,
        onair::server::system_clock(),
        offline_client(),
    )
    .expect("state");
    let console = state.console.as_ref().expect("the console is on");
    let stop_refresh = tokio_util::sync::CancellationToken::new();
    onair::import::refresh::spawn_refresh(
        settings.sources.clone(),
        onair::service::import_defaults(&settings),
        store.clone(),
        offline_client(),
        console.refresh().clone(),
        stop_refresh.clone(),
    );
    let (stop, rx) = oneshot::channel::<()>();
    tokio::spawn(onair::server::serve(listener, state, async move {
        let _ = rx.await;
        stop_refresh.cancel();
    }));
    Server {
        base: format!("http://{addr}"),
        store,
        settings,
        stop: Some(stop),
        _dir: dir,
    }
}

/// A client that sends the bearer token.
pub fn authed() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::AUTHORIZATION,
        format!("Bearer {TOKEN}").parse().expect("header"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A client without credentials that does not follow redirects.
pub fn anonymous() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}
