//! Prometheus counters for `/metrics`.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Mutex;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    request_type: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: String,
}

/// The counters onair exposes.
pub struct Metrics {
    registry: Mutex<Registry>,
    requests: Family<RequestLabels, Counter>,
    verify_failures: Family<ReasonLabels, Counter>,
    handler_errors: Counter,
    handler_timeouts: Counter,
    connections_refused: Counter,
    latency: Histogram,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// Request types are bounded to known prefixes so a client cannot grow the label set.
fn bounded_type(request_type: &str) -> String {
    const KNOWN: [&str; 9] = [
        "LaunchRequest",
        "IntentRequest",
        "SessionEndedRequest",
        "CanFulfillIntentRequest",
        "System.ExceptionEncountered",
        "AudioPlayer.",
        "PlaybackController.",
        "AlexaSkillEvent.",
        "invalid",
    ];
    KNOWN
        .iter()
        .find(|k| request_type.starts_with(*k))
        .map_or_else(
            || "other".to_string(),
            |k| k.trim_end_matches('.').to_string(),
        )
}

impl Metrics {
    /// Registers every metric.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("onair");
        let requests = Family::<RequestLabels, Counter>::default();
        let verify_failures = Family::<ReasonLabels, Counter>::default();
        let handler_errors = Counter::default();
        let latency = Histogram::new([
            0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
        ]);
        registry.register(
            "requests",
            "Skill requests by type and HTTP status",
            requests.clone(),
        );
        registry.register(
            "verification_failures",
            "Requests rejected by signature verification, by reason",
            verify_failures.clone(),
        );
        registry.register(
            "handler_errors",
            "Requests answered with an apology because a handler failed",
            handler_errors.clone(),
        );
        registry.register("request_seconds", "Skill request latency", latency.clone());
        let handler_timeouts = Counter::default();
        registry.register(
            "handler_timeouts",
            "Requests abandoned at the request timeout (answered 503)",
            handler_timeouts.clone(),
        );
        let connections_refused = Counter::default();
        registry.register(
            "connections_refused",
            "Connections refused with 503 because the connection limit was reached",
            connections_refused.clone(),
        );
        crate::alexa::breaker::METRICS.register(&mut registry);
        Self {
            registry: Mutex::new(registry),
            requests,
            verify_failures,
            handler_errors,
            handler_timeouts,
            connections_refused,
            latency,
        }
    }

    /// Counts a request.
    pub fn request(&self, request_type: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                request_type: bounded_type(request_type),
                status,
            })
            .inc();
        self.latency.observe(seconds);
    }

    /// Counts a verification failure.
    pub fn verify_failure(&self, reason: &'static str) {
        self.verify_failures
            .get_or_create(&ReasonLabels {
                reason: reason.to_string(),
            })
            .inc();
    }

    /// Counts a handler error.
    pub fn handler_error(&self) {
        self.handler_errors.inc();
    }

    /// Counts a request abandoned at its deadline.
    pub fn handler_timeout(&self) {
        self.handler_timeouts.inc();
    }

    /// Counts a connection refused at the connection limit.
    pub fn connection_refused(&self) {
        self.connections_refused.inc();
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if let Ok(registry) = self.registry.lock() {
            let _ = prometheus_client::encoding::text::encode(&mut out, &registry);
        }
        out
    }
}
