//! Service behaviour: health, metrics, failures turned into apologies, shutdown.

use crate::helpers::{spawn_app, speech, AppOptions, Req};
use jiff::Timestamp;
use onair::config::Settings;
use onair::schedule::{Episode, Event, Station};
use onair::store::{
    DeviceZone, ImportBatch, ImportSummary, ListenerState, NameHit, NameKind, Store, StoreError,
};
use std::sync::Arc;

#[tokio::test]
async fn health_and_metrics() {
    let app = spawn_app(AppOptions::default()).await;
    let health = reqwest::get(format!("{}/healthz", app.base))
        .await
        .expect("get");
    assert_eq!(health.status(), 200);
    let _ = app.post(&Req::launch().at("2026-11-21T19:04:05Z")).await;
    let _ = app.post_raw(b"{".to_vec(), "application/json").await;
    let metrics = crate::helpers::metrics(&app.base).await;
    assert!(
        metrics.contains("onair_requests_total{request_type=\"LaunchRequest\",status=\"200\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("request_type=\"invalid\",status=\"400\"} 1"),
        "{metrics}"
    );
    app.stop().await;
}

/// A store that fails (or panics) on every call a request makes, to show what the listener hears
/// then. Its schedule reads as empty once, at start, so the service can build its index.
struct BrokenStore {
    panic: bool,
}

impl BrokenStore {
    fn fail<T>(&self) -> Result<T, StoreError> {
        if self.panic {
            panic!("simulated bug in a handler");
        }
        Err(StoreError::Engine("simulated disk failure".into()))
    }
}

impl Store for BrokenStore {
    fn begin_import<'a>(
        &'a self,
        _: &str,
        _: bool,
    ) -> Result<Box<dyn onair::store::ImportSession + 'a>, StoreError> {
        self.fail()
    }
    fn import(&self, _: ImportBatch, _: bool) -> Result<ImportSummary, StoreError> {
        self.fail()
    }
    fn station(&self, _: &str) -> Result<Option<Station>, StoreError> {
        self.fail()
    }
    fn stations(&self) -> Result<Vec<Station>, StoreError> {
        Ok(Vec::new())
    }
    fn for_each_event(&self, _: &mut dyn FnMut(Event)) -> Result<(), StoreError> {
        Ok(())
    }
    fn put_station(&self, _: Station) -> Result<(), StoreError> {
        self.fail()
    }
    fn event(&self, _: &str) -> Result<Option<Event>, StoreError> {
        self.fail()
    }
    fn delete_event(&self, _: &str) -> Result<bool, StoreError> {
        self.fail()
    }
    fn episode(&self, _: &str) -> Result<Option<Episode>, StoreError> {
        self.fail()
    }
    fn live_at(&self, _: Timestamp) -> Result<Vec<Event>, StoreError> {
        self.fail()
    }
    fn overlapping(&self, _: Timestamp, _: Timestamp, _: usize) -> Result<Vec<Event>, StoreError> {
        self.fail()
    }
    fn on_station(
        &self,
        _: &str,
        _: Timestamp,
        _: Timestamp,
        _: usize,
    ) -> Result<Vec<Event>, StoreError> {
        self.fail()
    }
    fn next_on_station(&self, _: &str, _: Timestamp) -> Result<Option<Event>, StoreError> {
        self.fail()
    }
    fn find_names(
        &self,
        _: &str,
        _: &[NameKind],
        _: f64,
        _: usize,
    ) -> Result<Vec<NameHit>, StoreError> {
        self.fail()
    }
    fn episodes_of_show(&self, _: &str, _: usize) -> Result<Vec<Episode>, StoreError> {
        self.fail()
    }
    fn event_count(&self) -> Result<usize, StoreError> {
        self.fail()
    }
    fn source_counts(&self, _: &str) -> Result<(usize, usize, usize), StoreError> {
        self.fail()
    }
    fn listener(&self, _: &str) -> Result<Option<ListenerState>, StoreError> {
        self.fail()
    }
    fn update_listener(
        &self,
        _: &str,
        _: &mut dyn FnMut(&mut ListenerState),
    ) -> Result<ListenerState, StoreError> {
        self.fail()
    }
    fn delete_listener(&self, _: &str) -> Result<(), StoreError> {
        self.fail()
    }
    fn device_zone(&self, _: &str) -> Result<Option<DeviceZone>, StoreError> {
        self.fail()
    }
    fn set_device_zone(&self, _: &str, _: &DeviceZone) -> Result<(), StoreError> {
        self.fail()
    }
    fn flush(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

async fn serve_with(store: Arc<dyn Store>) -> (String, tokio::sync::oneshot::Sender<()>) {
    let settings = Settings {
        verify: false,
        ..Settings::default()
    };
    let state = onair::service::state(&settings, store).expect("state");
    let running = crate::helpers::serve(state).await;
    (running.base, running.stop)
}

async fn post(base: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
    let r = reqwest::Client::new()
        .post(format!("{base}/alexa"))
        .json(body)
        .send()
        .await
        .expect("post");
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test]
async fn handler_failure_and_panic_become_a_spoken_apology() {
    for panic in [false, true] {
        let (base, stop) = serve_with(Arc::new(BrokenStore { panic })).await;
        let (status, body) = post(
            &base,
            &Req::intent("WhatsOnIntent")
                .locale("fr-FR")
                .at("2026-11-21T19:04:05Z"),
        )
        .await;
        assert_eq!(status, 200, "panic={panic}");
        assert!(speech(&body).contains("Désolé"), "panic={panic}: {body}");
        assert_eq!(body["response"]["shouldEndSession"], true);
        // A player event may not carry speech: the apology there is an empty response.
        let (status, body) = post(
            &base,
            &Req::event(
                "AudioPlayer.PlaybackStarted",
                Some("onair1.e.0123456789abcdef.x"),
                0,
            )
            .at("2026-11-21T19:04:05Z"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            body,
            serde_json::json!({"version": "1.0", "response": {}}),
            "panic={panic}"
        );
        let metrics = crate::helpers::metrics(&base).await;
        assert!(metrics.contains("onair_handler_errors_total"), "{metrics}");
        let _ = stop.send(());
    }
}

#[tokio::test]
async fn shutdown_flushes_the_store_and_releases_the_port() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Arc::new(onair::store::SledStore::open(dir.path()).expect("store"));
    let settings = Settings {
        verify: false,
        ..Settings::default()
    };
    let state = onair::service::state(&settings, store.clone()).expect("state");
    let crate::helpers::Running {
        addr,
        stop: tx,
        handle: server,
        ..
    } = crate::helpers::serve(state).await;
    store
        .update_listener("k", &mut |s| s.last_event = Some("ev-1".into()))
        .expect("write");
    let _ = tx.send(());
    server.await.expect("join").expect("serve");
    drop(store);
    // The port is free again and the data survived.
    tokio::net::TcpListener::bind(addr)
        .await
        .expect("port released");
    let reopened = onair::store::SledStore::open(dir.path()).expect("reopen");
    assert_eq!(
        reopened
            .listener("k")
            .expect("read")
            .and_then(|s| s.last_event),
        Some("ev-1".to_string())
    );
}

#[tokio::test]
async fn logs_carry_a_hash_of_the_user_never_the_id() {
    let logs = crate::helpers::captured_logs();
    let app = spawn_app(AppOptions::default()).await;
    let user = "amzn1.ask.account.PRIVATE0USER0ID0THAT0MUST0NOT0LEAK";
    for body in [
        Req::launch().user(user).at("2026-11-21T19:04:05Z"),
        Req::intent("PlayLiveIntent")
            .user(user)
            .at("2026-11-21T19:04:05Z"),
        Req::event("AudioPlayer.PlaybackFailed", Some("garbage"), 0)
            .user(user)
            .at("2026-11-21T19:04:05Z"),
    ] {
        let (status, _) = app.post(&body).await;
        assert_eq!(status, 200);
    }
    app.stop().await;
    let text = String::from_utf8_lossy(&logs.lock().expect("logs")).into_owned();
    assert!(
        text.contains(&onair::privacy::log_id(user)),
        "the hash is logged: {text}"
    );
    assert!(
        !text.contains("PRIVATE0USER"),
        "the raw user id leaked into the logs"
    );
}
