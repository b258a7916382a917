//! A circuit breaker per Alexa API endpoint, so a service that is down or slow costs a few
//! calls per period instead of a wait on every request.
//!
//! Closed, calls go through (at most [`MAX_IN_FLIGHT`] at once per endpoint). After
//! [`FAILURES_TO_OPEN`] failures in a row (no answer in time, unreachable, 5xx or 429) it opens:
//! calls are skipped for [`OPEN_FOR`] and the caller uses its fallback at once. Then one probe
//! call is let through (half-open); its success closes the breaker, its failure opens it again.
//! Answers that concern one listener (401, 403, 404, no content) are not failures of the service.
//!
//! Breakers are process-wide, one per API, keyed by endpoint (scheme, host and port), and their
//! counters show in `/metrics` as `onair_api_calls_total` and `onair_api_breaker_opened_total`.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

/// Failures in a row that open the breaker.
pub const FAILURES_TO_OPEN: u32 = 3;
/// How long an open breaker skips calls before one probe.
pub const OPEN_FOR: Duration = Duration::from_secs(30);
/// Calls in flight at once per endpoint; more are skipped as if the breaker were open.
pub const MAX_IN_FLIGHT: u32 = 4;
/// Endpoints remembered per API; Alexa has three regions, more come only from forged requests.
const MAX_ENDPOINTS: usize = 64;

/// The APIs with a breaker, as a metrics label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum Api {
    /// The Settings API (device time zone).
    settings,
    /// The Reminders API.
    reminders,
}

/// How a call ended, as a metrics label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum Outcome {
    /// The service answered.
    ok,
    /// No usable answer: timeout, transport error, 5xx, 429.
    failed,
    /// Not attempted: the breaker was open or the endpoint busy.
    skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct CallLabels {
    api: Api,
    outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, EncodeLabelSet)]
struct ApiLabel {
    api: Api,
}

/// The breakers' counters, registered by the server's metrics.
#[derive(Clone, Default)]
pub struct BreakerMetrics {
    calls: Family<CallLabels, Counter>,
    opened: Family<ApiLabel, Counter>,
}

impl BreakerMetrics {
    /// Adds the counters to `registry`.
    pub fn register(&self, registry: &mut prometheus_client::registry::Registry) {
        registry.register(
            "api_calls",
            "Calls to Alexa APIs by outcome; skipped ones were refused by the circuit breaker",
            self.calls.clone(),
        );
        registry.register(
            "api_breaker_opened",
            "Times a circuit breaker opened after failures in a row",
            self.opened.clone(),
        );
    }
}

/// The counters every breaker reports to.
pub static METRICS: LazyLock<BreakerMetrics> = LazyLock::new(BreakerMetrics::default);
/// The Settings API breaker.
pub static SETTINGS: LazyLock<Breaker> = LazyLock::new(|| Breaker::new(Api::settings, OPEN_FOR));
/// The Reminders API breaker.
pub static REMINDERS: LazyLock<Breaker> = LazyLock::new(|| Breaker::new(Api::reminders, OPEN_FOR));

#[derive(Debug, Default)]
struct Entry {
    failures: u32,
    open_until: Option<Instant>,
    probing: bool,
    in_flight: u32,
    last_used: Option<Instant>,
}

/// One API's breakers, one per endpoint.
pub struct Breaker {
    api: Api,
    open_for: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

/// A call the breaker let through; report how it ended with [`Call::finish`]. Dropped without
/// a report (the request was abandoned at its deadline), it counts as a failure.
pub struct Call<'a> {
    breaker: &'a Breaker,
    key: String,
    done: bool,
}

impl Breaker {
    /// A breaker for `api` that stays open for `open_for`.
    pub fn new(api: Api, open_for: Duration) -> Self {
        Self {
            api,
            open_for,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// A permit to call `endpoint` now, or `None` to use the fallback without calling.
    pub fn try_call(&self, endpoint: &str) -> Option<Call<'_>> {
        self.try_call_at(endpoint, Instant::now())
    }

    fn try_call_at(&self, endpoint: &str, now: Instant) -> Option<Call<'_>> {
        let key = endpoint_key(endpoint);
        let allowed = {
            let Ok(mut entries) = self.entries.lock() else {
                return None;
            };
            if entries.len() >= MAX_ENDPOINTS && !entries.contains_key(&key) {
                evict_oldest(&mut entries);
            }
            let entry = entries.entry(key.clone()).or_default();
            entry.last_used = Some(now);
            let allowed = match entry.open_until {
                Some(until) if now < until => false,
                // Half-open: one probe at a time.
                Some(_) if entry.probing => false,
                Some(_) => {
                    entry.probing = true;
                    true
                }
                None => entry.in_flight < MAX_IN_FLIGHT,
            };
            if allowed {
                entry.in_flight += 1;
            }
            allowed
        };
        if !allowed {
            self.count(Outcome::skipped);
            return None;
        }
        Some(Call {
            breaker: self,
            key,
            done: false,
        })
    }

    fn report(&self, key: &str, ok: bool, now: Instant) {
        self.count(if ok { Outcome::ok } else { Outcome::failed });
        let Ok(mut entries) = self.entries.lock() else {
            return;
        };
        let Some(entry) = entries.get_mut(key) else {
            return;
        };
        entry.in_flight = entry.in_flight.saturating_sub(1);
        let was_probe = std::mem::take(&mut entry.probing) && entry.open_until.is_some();
        if ok {
            entry.failures = 0;
            entry.open_until = None;
            return;
        }
        entry.failures = entry.failures.saturating_add(1);
        if was_probe || (entry.open_until.is_none() && entry.failures >= FAILURES_TO_OPEN) {
            entry.open_until = Some(now + self.open_for);
            METRICS
                .opened
                .get_or_create(&ApiLabel { api: self.api })
                .inc();
            tracing::warn!(api = ?self.api, seconds = self.open_for.as_secs(), "Alexa API failing; calls skipped for a while");
        }
    }

    fn count(&self, outcome: Outcome) {
        METRICS
            .calls
            .get_or_create(&CallLabels {
                api: self.api,
                outcome,
            })
            .inc();
    }

    /// Whether calls to `endpoint` are being skipped now.
    pub fn is_open(&self, endpoint: &str) -> bool {
        let key = endpoint_key(endpoint);
        self.entries.lock().is_ok_and(|entries| {
            entries
                .get(&key)
                .and_then(|e| e.open_until)
                .is_some_and(|until| Instant::now() < until)
        })
    }
}

impl Call<'_> {
    /// Reports the call: `true` when the service answered (whatever it said about the
    /// listener), `false` when it failed.
    pub fn finish(mut self, service_answered: bool) {
        self.done = true;
        self.breaker
            .report(&self.key, service_answered, Instant::now());
    }
}

impl Drop for Call<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.breaker.report(&self.key, false, Instant::now());
        }
    }
}

fn evict_oldest(entries: &mut HashMap<String, Entry>) {
    let oldest = entries
        .iter()
        .filter(|(_, e)| e.in_flight == 0)
        .min_by_key(|(_, e)| e.last_used)
        .map(|(k, _)| k.clone());
    if let Some(key) = oldest {
        entries.remove(&key);
    }
}

/// Scheme, host and port: the path does not change which service answers.
fn endpoint_key(endpoint: &str) -> String {
    match url::Url::parse(endpoint) {
        Ok(url) => format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or_default()
        ),
        Err(_) => endpoint.chars().take(256).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EP: &str = "http://127.0.0.1:1";

    fn fail(b: &Breaker, at: Instant) -> bool {
        match b.try_call_at(EP, at) {
            Some(call) => {
                call.breaker.report(&call.key, false, at);
                std::mem::forget(call);
                true
            }
            None => false,
        }
    }

    #[test]
    fn opens_after_failures_then_probes_once() {
        let b = Breaker::new(Api::settings, Duration::from_secs(10));
        let t0 = Instant::now();
        for _ in 0..FAILURES_TO_OPEN {
            assert!(fail(&b, t0), "closed: calls go through");
        }
        assert!(
            b.try_call_at(EP, t0 + Duration::from_secs(5)).is_none(),
            "open"
        );
        let later = t0 + Duration::from_secs(11);
        let probe = b.try_call_at(EP, later).expect("half-open probe");
        assert!(
            b.try_call_at(EP, later).is_none(),
            "only one probe at a time"
        );
        // The probe fails: open again for a full period.
        b.report(&probe.key, false, later);
        std::mem::forget(probe);
        assert!(b.try_call_at(EP, later + Duration::from_secs(5)).is_none());
        let probe = b
            .try_call_at(EP, later + Duration::from_secs(11))
            .expect("second probe");
        b.report(&probe.key, true, later + Duration::from_secs(11));
        std::mem::forget(probe);
        assert!(
            b.try_call_at(EP, later + Duration::from_secs(12)).is_some(),
            "closed again"
        );
    }

    #[test]
    fn a_success_resets_the_count_and_a_dropped_call_is_a_failure() {
        let b = Breaker::new(Api::reminders, Duration::from_secs(10));
        let t0 = Instant::now();
        assert!(fail(&b, t0));
        assert!(fail(&b, t0));
        b.try_call_at(EP, t0).expect("closed").finish(true);
        assert!(fail(&b, t0));
        assert!(fail(&b, t0));
        assert!(
            b.try_call_at(EP, t0).is_some(),
            "two failures after a success: closed"
        );
        // That call was dropped unreported: the third failure in a row.
        assert!(b.try_call(EP).is_none());
    }

    #[test]
    fn calls_in_flight_are_bounded_per_endpoint() {
        let b = Breaker::new(Api::settings, Duration::from_secs(10));
        let held: Vec<_> = (0..MAX_IN_FLIGHT).filter_map(|_| b.try_call(EP)).collect();
        assert_eq!(held.len(), MAX_IN_FLIGHT as usize);
        assert!(b.try_call(EP).is_none());
        assert!(
            b.try_call("http://127.0.0.1:2/").is_some(),
            "other endpoints are separate"
        );
        for call in held {
            call.finish(true);
        }
        assert!(b.try_call(EP).is_some());
    }
}
