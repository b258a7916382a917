//! Helpers: sample paths, WAV inspection and a throwaway HTTP server.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;

use super::super::{play, PlayOptions, PlayReport, PlayerError, TitleCallback};

/// Waits up to five seconds for the clones of `alive` held by running streams to be dropped,
/// then asserts they were: a stream whose listener left must not keep running.
pub fn assert_streams_released<T>(alive: &Arc<T>, baseline: usize, what: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while Arc::strong_count(alive) > baseline && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(Arc::strong_count(alive), baseline, "{what}");
}

/// The sample files shipped in `audio/`.
pub const AUDIO_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/audio");

pub fn audio(name: &str) -> PathBuf {
    Path::new(AUDIO_DIR).join(name)
}

pub fn audio_bytes(name: &str) -> bytes::Bytes {
    bytes::Bytes::from(std::fs::read(audio(name)).expect("sample file"))
}

/// A rendered WAV file.
pub struct Wav {
    pub spec: hound::WavSpec,
    pub samples: Vec<i16>,
}

impl Wav {
    pub fn read(path: &Path) -> Self {
        let mut reader = hound::WavReader::open(path).expect("open WAV");
        let spec = reader.spec();
        let samples = reader
            .samples::<i16>()
            .collect::<Result<_, _>>()
            .expect("WAV samples");
        Self { spec, samples }
    }

    pub fn seconds(&self) -> f64 {
        self.samples.len() as f64 / f64::from(self.spec.channels) / f64::from(self.spec.sample_rate)
    }

    /// Root-mean-square level, 0.0 (silence) to 1.0 (full scale).
    pub fn rms(&self) -> f64 {
        let sum: f64 = self
            .samples
            .iter()
            .map(|&s| (f64::from(s) / 32768.0).powi(2))
            .sum();
        (sum / self.samples.len().max(1) as f64).sqrt()
    }
}

/// Plays `target` into a WAV file in a fresh temp dir.
pub fn render(
    target: &str,
    seconds: Option<f64>,
    on_title: Option<TitleCallback>,
) -> (Result<PlayReport, PlayerError>, Option<Wav>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out.wav");
    let result = play(
        target,
        PlayOptions {
            seconds,
            out_wav: Some(out.clone()),
            on_title,
        },
    );
    let wav = out.exists().then(|| Wav::read(&out));
    (result, wav)
}

/// Paths requested from a [`Server`], in order.
pub type RequestLog = Arc<Mutex<Vec<String>>>;

/// An axum server on 127.0.0.1 with its own runtime; stopped on drop.
pub struct Server {
    base: String,
    log: RequestLog,
    rt: Option<tokio::runtime::Runtime>,
}

impl Server {
    pub fn start(router: Router) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("nonblocking");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let log = RequestLog::default();
        let app = router.layer(axum::middleware::from_fn_with_state(log.clone(), record));
        rt.spawn(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            axum::serve(listener, app).await.expect("serve");
        });
        Self {
            base,
            log,
            rt: Some(rt),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().expect("log").clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(rt) = self.rt.take() {
            rt.shutdown_background();
        }
    }
}

async fn record(State(log): State<RequestLog>, request: Request, next: Next) -> Response {
    log.lock()
        .expect("log")
        .push(request.uri().path().to_owned());
    next.run(request).await
}

/// A response with a body and content-type.
pub fn body(content_type: &'static str, data: impl Into<bytes::Bytes>) -> Response {
    Response::builder()
        .header("content-type", content_type)
        .body(axum::body::Body::from(data.into()))
        .expect("response")
}
