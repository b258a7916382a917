//! `POST /alexa`: the skill endpoint.

use super::error::HttpError;
use super::AppState;
use crate::alexa::{RequestBody, RequestEnvelope, ResponseEnvelope};
use crate::privacy::log_id;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::FutureExt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;
use tracing::{field, Instrument};

/// Verifies, parses and answers one request.
pub(super) async fn endpoint(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let started = Instant::now();
    let result = handle(&state, &headers, body).await;
    let seconds = started.elapsed().as_secs_f64();
    match result {
        Ok((request_type, response)) => {
            state.metrics.request(&request_type, 200, seconds);
            response
        }
        Err(e) => {
            let status = e.status();
            tracing::info!(status = status.as_u16(), error = %e, "request refused");
            state.metrics.request("invalid", status.as_u16(), seconds);
            e.into_response()
        }
    }
}

async fn handle(
    state: &AppState,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(String, Response), HttpError> {
    let limit = state.limits.body_bytes;
    let body = match body {
        Ok(b) if b.len() > limit => return Err(HttpError::TooLarge { limit }),
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(HttpError::TooLarge { limit })
        }
        Err(rejection) => return Err(HttpError::BadBody(rejection.body_text())),
    };
    // Authenticity first, over the raw bytes as received: nothing of the skill runs, and the
    // body is not even parsed, before every check has passed.
    if let Some(verifier) = &state.verifier {
        if let Err(e) = verifier.verify(headers, &body, (state.clock)()).await {
            state.metrics.verify_failure(e.reason());
            tracing::warn!(reason = e.reason(), detail = %e, "request failed verification");
            return Err(HttpError::Unverified);
        }
    }
    let envelope = RequestEnvelope::from_slice(&body).map_err(|e| HttpError::BadEnvelope {
        code: match e {
            crate::alexa::EnvelopeError::NotJson(_) => "invalid_json",
            crate::alexa::EnvelopeError::Shape { .. } => "invalid_envelope",
        },
        detail: e.to_string(),
    })?;
    let span = tracing::info_span!(
        "alexa",
        request_id = %envelope.request.request_id.trim(),
        request_type = %envelope.request.type_name,
        intent = field::Empty,
        user = field::Empty,
        status = field::Empty,
        latency_ms = field::Empty,
    );
    if let Some(intent) = envelope.request.intent_name() {
        span.record("intent", intent);
    }
    if let Some(user) = envelope.user_id() {
        span.record("user", log_id(user).as_str());
    }
    let started = Instant::now();
    let request_type = envelope.request.type_name.clone();
    // `serve --record`: only requests that passed every check above get here.
    let recorded = crate::devtools::record::enabled().then(|| {
        let before = crate::devtools::record::listener_before(state.skill.store(), &envelope);
        (envelope.clone(), before)
    });
    let response = answer(state, envelope).instrument(span.clone()).await?;
    if let Some((envelope, before)) = recorded {
        crate::devtools::record::capture(&envelope, &body, &response, before);
    }
    span.record("status", 200);
    span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
    span.in_scope(|| tracing::info!("request answered"));
    Ok((request_type, json_response(&response)))
}

/// Runs the skill on the bounded skill pool; a failure or a panic becomes the apology, logged
/// once here, and a request still running at the deadline ends with 503.
///
/// Matching, look-ups and store writes are CPU work or blocking I/O: on the async workers one
/// slow request would hold up every connection and the request timeout could not fire. Each
/// request instead takes a permit of [`super::Limits::skill_workers`] and runs on tokio's
/// blocking threads, driven by `Handle::block_on` with the request's deadline inside, so its
/// awaits (the Settings API, reminders) are abandoned at the deadline too.
async fn answer(
    state: &AppState,
    envelope: RequestEnvelope,
) -> Result<ResponseEnvelope, HttpError> {
    let deadline = state.limits.timeout;
    let permit = tokio::time::timeout(deadline, state.limits.skill_workers.clone().acquire_owned())
        .await
        .map_err(|_| HttpError::Busy)?
        .map_err(|_| HttpError::Internal)?;
    let skill = state.skill.clone();
    let runtime = tokio::runtime::Handle::current();
    let envelope = Arc::new(envelope);
    let job = {
        let envelope = envelope.clone();
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            let _entered = span.enter();
            runtime.block_on(tokio::time::timeout(
                deadline,
                AssertUnwindSafe(skill.handle(&envelope)).catch_unwind(),
            ))
        })
    };
    let outcome = match tokio::time::timeout(deadline, job).await {
        Ok(Ok(Ok(Ok(outcome)))) => outcome,
        Ok(Ok(Ok(Err(_)))) | Ok(Err(_)) => {
            state.metrics.handler_error();
            tracing::error!("handler panicked; answered with an apology");
            return Ok(state.skill.apology(&envelope));
        }
        Ok(Ok(Err(_))) | Err(_) => {
            state.metrics.handler_timeout();
            tracing::error!(
                timeout_ms = deadline.as_millis() as u64,
                "handler ran past the request timeout"
            );
            return Err(HttpError::Timeout);
        }
    };
    if let Some(error) = &outcome.error {
        state.metrics.handler_error();
        tracing::error!(error = %error, "handler failed; answered with an apology");
    }
    if let RequestBody::Playback(ev) = &envelope.request.body {
        if let Some(err) = &ev.error {
            tracing::warn!(
                error_type = err.kind.as_deref().unwrap_or("unknown"),
                error_message = err.message.as_deref().unwrap_or(""),
                "device reported a playback failure"
            );
        }
    }
    Ok(outcome.response)
}

fn json_response(envelope: &ResponseEnvelope) -> Response {
    let mut bytes = Vec::with_capacity(1024);
    match serde_json::to_writer(&mut bytes, envelope) {
        Ok(()) => (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json;charset=UTF-8"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => HttpError::Internal.into_response(),
    }
}
