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
    // `serve --record`: only requests that passed every check above get here.
    let recorded_state = crate::devtools::record::listener_before(state.skill.store(), &envelope);
    let response = answer(state, &envelope).instrument(span.clone()).await;
    crate::devtools::record::capture(&envelope, &body, &response, recorded_state);
    span.record("status", 200);
    span.record("latency_ms", started.elapsed().as_secs_f64() * 1000.0);
    span.in_scope(|| tracing::info!("request answered"));
    Ok((envelope.request.type_name.clone(), json_response(&response)))
}

/// Runs the skill; a failure or a panic becomes the apology, logged once here.
async fn answer(state: &AppState, envelope: &RequestEnvelope) -> ResponseEnvelope {
    match AssertUnwindSafe(state.skill.handle(envelope))
        .catch_unwind()
        .await
    {
        Ok(outcome) => {
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
            outcome.response
        }
        Err(_) => {
            state.metrics.handler_error();
            tracing::error!("handler panicked; answered with an apology");
            state.skill.apology(envelope)
        }
    }
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
