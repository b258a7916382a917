//! The listener's time zone: the device setting from the Settings API, cached per device.
//!
//! The call is bounded by [`SETTINGS_TIMEOUT`] and goes through the Settings API's circuit
//! breaker ([`crate::alexa::breaker::SETTINGS`]): while the service fails, requests use the
//! default zone at once instead of waiting.

use crate::alexa::RequestEnvelope;
use crate::privacy::device_key;
use crate::store::{DeviceZone, Store};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use std::time::Duration;

/// How long a fetched zone is trusted before asking again.
const CACHE_HOURS: i64 = 24;
/// Hard bound on the Settings API call, body included: the listener is waiting, and the zone
/// only refines the answer, so it gets a small share of the request's time.
pub const SETTINGS_TIMEOUT: Duration = Duration::from_millis(400);

/// Resolves device time zones.
#[derive(Clone)]
pub struct ZoneResolver {
    http: reqwest::Client,
    default: TimeZone,
    default_name: String,
}

impl ZoneResolver {
    /// A resolver falling back to `default_name` (an IANA zone, checked by the caller).
    pub fn new(http: reqwest::Client, default_name: &str) -> Result<Self, jiff::Error> {
        Ok(Self {
            http,
            default: TimeZone::get(default_name)?,
            default_name: default_name.to_string(),
        })
    }

    /// The zone for this request: cached, else fetched (only when the request carries a token),
    /// else the configured default. Never fails.
    pub async fn resolve(
        &self,
        env: &RequestEnvelope,
        store: &dyn Store,
        now: Timestamp,
    ) -> (TimeZone, String) {
        let Some(device) = env.device_id() else {
            return self.fallback();
        };
        let key = device_key(device);
        if let Ok(Some(cached)) = store.device_zone(&key) {
            let fresh = cached
                .fetched_at
                .checked_add(CACHE_HOURS.hours())
                .is_ok_and(|until| until > now);
            if fresh {
                if let Ok(tz) = TimeZone::get(&cached.zone) {
                    return (tz, cached.zone);
                }
            }
        }
        let system = env.context.system.as_ref();
        let (Some(endpoint), Some(token)) = (
            system.and_then(|s| s.api_endpoint.as_deref()),
            system.and_then(|s| s.api_access_token.as_deref()),
        ) else {
            return self.fallback();
        };
        if !crate::alexa::api::endpoint_allowed(endpoint) {
            tracing::warn!("apiEndpoint is not an Alexa API host; using the default zone");
            return self.fallback();
        }
        match self.fetch(endpoint, token, device).await {
            Some((tz, name)) => {
                let cached = DeviceZone {
                    zone: name.clone(),
                    fetched_at: now,
                };
                if let Err(e) = store.set_device_zone(&key, &cached) {
                    tracing::warn!(error = %e, "could not cache the device time zone");
                }
                (tz, name)
            }
            None => self.fallback(),
        }
    }

    fn fallback(&self) -> (TimeZone, String) {
        (self.default.clone(), self.default_name.clone())
    }

    async fn fetch(&self, endpoint: &str, token: &str, device: &str) -> Option<(TimeZone, String)> {
        let Some(call) = crate::alexa::breaker::SETTINGS.try_call(endpoint) else {
            tracing::debug!("settings API circuit open; using the default zone");
            return None;
        };
        let url = format!(
            "{}/v2/devices/{}/settings/System.timeZone",
            endpoint.trim_end_matches('/'),
            urlencode(device)
        );
        let exchange = async {
            let response = self.http.get(&url).bearer_auth(token).send().await?;
            let status = response.status();
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>((status, body))
        };
        let (status, body) = match tokio::time::timeout(SETTINGS_TIMEOUT, exchange).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(e)) => {
                call.finish(false);
                tracing::warn!(error = %e.without_url(), "settings API unreachable; using the default zone");
                return None;
            }
            Err(_) => {
                call.finish(false);
                tracing::warn!("settings API timed out; using the default zone");
                return None;
            }
        };
        // A 5xx or 429 is the service failing; any other answer is about this device or token.
        let failing = status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS;
        call.finish(!failing);
        if status != reqwest::StatusCode::OK {
            tracing::warn!(%status, "settings API gave no time zone; using the default zone");
            return None;
        }
        if body.len() > 1024 {
            tracing::warn!("settings API answer too large; using the default zone");
            return None;
        }
        let name: String = serde_json::from_slice(&body).ok()?;
        match TimeZone::get(&name) {
            Ok(tz) => Some((tz, name)),
            Err(_) => {
                tracing::warn!(zone = %name.chars().take(64).collect::<String>(), "settings API sent an unknown zone");
                None
            }
        }
    }
}

fn urlencode(raw: &str) -> String {
    url::form_urlencoded::byte_serialize(raw.as_bytes()).collect()
}
